/**
 * When a class starts: `scheduledAt` in course.yaml, as an instant. Pure (Intl only).
 *
 * Two spellings are accepted:
 * - ISO 8601 with an offset: `2027-01-11T08:00:00+01:00`, `2027-01-11T07:00Z` — an instant already;
 * - a local date and time with no offset, `2027-01-11 08:00` or `2027-01-11T08:00`, read in the
 *   course's IANA `timeZone` (`Europe/Paris`): the offset is the one in force there on that day, so
 *   a class at 8 am stays at 8 am across daylight-saving changes.
 * A local time that does not exist (the hour skipped when clocks go forward) is refused; one that
 * happens twice (clocks go back) is the first of the two, as calendars do.
 */

export type ClassTimeResult = { ok: true; at: Date } | { ok: false; problem: string };

const WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const LOCAL = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** True when `zone` is an IANA time zone this runtime knows (`Europe/Paris`, `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

export function parseClassTime(text: string, timeZone: string | undefined): ClassTimeResult {
  const value = text.trim();
  const offset = WITH_OFFSET.exec(value);
  if (offset) {
    const [, y, mo, d, h, mi, s = '0', zone = 'Z'] = offset;
    const fields = checkFields(+y!, +mo!, +d!, +h!, +mi!, +s);
    if (fields) return { ok: false, problem: fields };
    const minutes = zone.toUpperCase() === 'Z' ? 0 : offsetMinutes(zone);
    if (minutes === undefined) return { ok: false, problem: `the offset "${zone}" is not one: write it as +HH:MM or Z` };
    return { ok: true, at: new Date(Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s) - minutes * 60_000) };
  }
  const local = LOCAL.exec(value);
  if (local) {
    const [, y, mo, d, h, mi, s = '0'] = local;
    const fields = checkFields(+y!, +mo!, +d!, +h!, +mi!, +s);
    if (fields) return { ok: false, problem: fields };
    if (!timeZone) {
      return { ok: false, problem: 'it has no offset and the course has no `timeZone`: add `timeZone: Europe/Paris` (your zone) at the top of course.yaml, or write the offset, e.g. 2027-01-11T08:00:00+01:00' };
    }
    return fromLocal({ year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +s }, timeZone);
  }
  if (DATE_ONLY.test(value)) return { ok: false, problem: 'it is a date with no time: add the time the class starts, e.g. "' + value + ' 08:00"' };
  return { ok: false, problem: 'it is not a date and time: write 2027-01-11T08:00:00+01:00, or "2027-01-11 08:00" with the course\'s `timeZone`' };
}

interface LocalTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function checkFields(year: number, month: number, day: number, hour: number, minute: number, second: number): string | undefined {
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `day ${day} does not exist in ${year}-${String(month).padStart(2, '0')}`;
  if (hour > 23 || minute > 59 || second > 59) return 'the time of day is out of range (00:00 to 23:59)';
  return undefined;
}

function offsetMinutes(zone: string): number | undefined {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (Number(m[2]) > 18 || Number(m[3]) > 59) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

/** The offset (minutes east of UTC) in force in `timeZone` at the instant `utcMs`. */
export function zoneOffsetMinutes(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

function fromLocal(t: LocalTime, timeZone: string): ClassTimeResult {
  const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);
  // The offsets in force a day either side cover every transition near this wall time.
  const candidates = [...new Set([zoneOffsetMinutes(wall - 86_400_000, timeZone), zoneOffsetMinutes(wall, timeZone), zoneOffsetMinutes(wall + 86_400_000, timeZone)])]
    .map((offset) => wall - offset * 60_000)
    .filter((utc) => wall - zoneOffsetMinutes(utc, timeZone) * 60_000 === utc)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first === undefined) {
    return { ok: false, problem: `that local time does not exist in ${timeZone} (the clocks skip that hour for daylight saving time): pick a time outside the skipped hour` };
  }
  return { ok: true, at: new Date(first) };
}

/** `2027-01-11 08:00 (Europe/Paris)` style rendering of an instant, for messages. */
export function formatClassTime(at: Date, timeZone?: string): string {
  const zone = timeZone ?? 'UTC';
  const text = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return `${text} ${zone === 'UTC' ? 'UTC' : `(${zone})`}`;
}
