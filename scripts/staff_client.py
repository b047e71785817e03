"""A staff member's browser for the benchmark scripts: plain HTTP without
redirects, the first sign-in (password, then a TOTP code computed from the
secret the enrolment page shows), and timing a page. Standard library only.

    from staff_client import Client
    c = Client("http://127.0.0.1:8080")
    c.first_sign_in("bench@example.se", "password")
    p50, p99 = c.measure("/admin/arenden", 200)
"""
import base64, hashlib, hmac, re, statistics, struct, time, urllib.error, urllib.parse, urllib.request


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def _value(html, name):
    return re.search(r'name="%s" value="([^"]*)"' % name, html).group(1)


def _totp(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    o = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[o:o + 4])[0] & 0x7FFFFFFF) % 1000000)


class Client:
    def __init__(self, base):
        self.base = base
        self.cookie = None
        self.opener = urllib.request.build_opener(_NoRedirect)

    def call(self, path, form=None):
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        req = urllib.request.Request(self.base + path, data=data)
        if form is not None:
            req.add_header("Origin", "null")
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        if self.cookie:
            req.add_header("Cookie", self.cookie)
        try:
            r = self.opener.open(req)
        except urllib.error.HTTPError as e:
            r = e
        return r.status, r.headers, r.read().decode()

    def first_sign_in(self, email, password):
        _, _, page = self.call("/admin/logga-in")
        status, _, page = self.call("/admin/logga-in", {"email": email, "password": password,
                                                        "token": _value(page, "token"), "till": "/admin"})
        assert status == 200, page
        secret = re.sub(r"\s", "", re.search(r'id="secret">([^<]*)<', page).group(1))
        status, headers, page = self.call("/admin/logga-in/registrera",
                                          {"pending": _value(page, "pending"), "till": "/admin",
                                           "code": _totp(secret)})
        assert status == 200, page
        self.cookie = headers["Set-Cookie"].split(";")[0]

    def measure(self, path, requests):
        """p50 and p99 in ms of `requests` sequential GETs of `path`, each a 200."""
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            status, _, body = self.call(path)
            times.append((time.perf_counter() - t) * 1000)
            assert status == 200, (path, status, body[:300])
        times.sort()
        return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]
