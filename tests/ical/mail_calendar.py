"""Reads e-mails (RFC 5322 files) as a mail program would: the decoded
subject and text, and each text/calendar part with the iTIP method its
content type names, parsed by the Python `icalendar` package. Prints JSON
for tests/api/registration.rs to check."""
import json
import sys
from email import policy
from email.parser import BytesParser

from icalendar import Calendar

out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        msg = BytesParser(policy=policy.default).parse(f)
    entry = {"subject": str(msg["subject"]), "text": "", "calendars": []}
    for part in msg.walk():
        kind = part.get_content_type()
        if kind == "text/plain":
            entry["text"] += part.get_content()
        elif kind == "text/calendar":
            raw = part.get_payload(decode=True)
            cal = Calendar.from_ical(raw)
            events = list(cal.walk("VEVENT"))
            if len(events) != 1:
                raise SystemExit(f"{path}: {len(events)} events in the calendar")
            ev = events[0]
            entry["calendars"].append({
                "content_method": part.get_param("method"),
                "filename": part.get_filename(),
                "method": str(cal["METHOD"]),
                "uid": str(ev["UID"]),
                "sequence": int(ev.get("SEQUENCE", 0)),
                "status": str(ev.get("STATUS", "")),
                "start": ev.decoded("DTSTART").isoformat(),
                "description": str(ev.get("DESCRIPTION", "")),
                "organizer": str(ev.get("ORGANIZER", "")),
                "attendee": str(ev.get("ATTENDEE", "")),
            })
    out.append(entry)
print(json.dumps(out))
