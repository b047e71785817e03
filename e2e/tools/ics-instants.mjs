// Reads iCalendar files with ical.js and prints each event's UID, UTC start
// and end, STATUS, SEQUENCE and SUMMARY as JSON, for tests/api/events.rs
// to compare with what Fridhem stored. The files' own VTIMEZONE is what
// resolves TZID=Europe/Stockholm (ical.js knows no zones by itself).
import { readFileSync } from 'node:fs';
import ICAL from 'ical.js';

const out = [];
for (const path of process.argv.slice(2)) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, 'utf8')));
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  }
  for (const component of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const utc = (time) => {
      if (time.zone === ICAL.Timezone.localTimezone || !time.zone) {
        throw new Error(`${path}: ${event.uid} has a floating time`);
      }
      return time.toJSDate().toISOString().replace('.000Z', 'Z');
    };
    out.push({
      uid: event.uid,
      start: utc(event.startDate),
      end: utc(event.endDate),
      status: component.getFirstPropertyValue('status') ?? '',
      sequence: event.sequence ?? 0,
      summary: event.summary,
    });
  }
}
console.log(JSON.stringify(out));
