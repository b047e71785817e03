"""Reads iCalendar files with the Python `icalendar` package and prints
each event's UID, UTC start and end, STATUS, SEQUENCE and SUMMARY as JSON,
for tests/api/events.rs to compare with what Fridhem stored."""
import json
import sys
from datetime import timezone

from icalendar import Calendar

out = []
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        cal = Calendar.from_ical(f.read())
    for ev in cal.walk("VEVENT"):
        def utc(name):
            value = ev.decoded(name)
            if value.tzinfo is None:
                raise SystemExit(f"{path}: {name} has no time zone")
            return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        out.append({
            "uid": str(ev["UID"]),
            "start": utc("DTSTART"),
            "end": utc("DTEND"),
            "status": str(ev.get("STATUS", "")),
            "sequence": int(ev.get("SEQUENCE", 0)),
            "summary": str(ev["SUMMARY"]),
        })
print(json.dumps(out))
