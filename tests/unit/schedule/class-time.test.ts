/** Class times: offsets, local times in the course's zone, daylight-saving gaps and overlaps. */
import { describe, expect, it } from 'vitest';
import { formatClassTime, isTimeZone, parseClassTime } from '../../../shared/schedule/class-time.js';

const at = (text: string, zone?: string) => {
  const result = parseClassTime(text, zone);
  if (!result.ok) throw new Error(result.problem);
  return result.at.toISOString();
};
const problem = (text: string, zone?: string) => {
  const result = parseClassTime(text, zone);
  if (result.ok) throw new Error(`expected a problem, got ${result.at.toISOString()}`);
  return result.problem;
};

describe('parseClassTime', () => {
  it('reads ISO 8601 with an offset or Z as that instant, whatever the course zone', () => {
    expect(at('2027-01-11T08:00:00+01:00')).toBe('2027-01-11T07:00:00.000Z');
    expect(at('2027-01-11T08:00-05:30', 'Europe/Paris')).toBe('2027-01-11T13:30:00.000Z');
    expect(at('2027-01-11T07:00Z')).toBe('2027-01-11T07:00:00.000Z');
    expect(at('2027-01-11 19:00:00+0000')).toBe('2027-01-11T19:00:00.000Z');
  });

  it("reads a local time in the course's time zone, with the offset in force that day", () => {
    // Paris: +01:00 in winter, +02:00 in summer — 8 am stays 8 am on both sides of the change.
    expect(at('2027-03-27 08:00', 'Europe/Paris')).toBe('2027-03-27T07:00:00.000Z');
    expect(at('2027-03-29T08:00', 'Europe/Paris')).toBe('2027-03-29T06:00:00.000Z');
    expect(at('2027-11-08 19:00', 'America/New_York')).toBe('2027-11-09T00:00:00.000Z');
    expect(at('2027-07-01 12:00', 'America/New_York')).toBe('2027-07-01T16:00:00.000Z');
    expect(at('2027-07-01 12:00', 'UTC')).toBe('2027-07-01T12:00:00.000Z');
    expect(at('2027-07-01 12:00', 'Asia/Kolkata')).toBe('2027-07-01T06:30:00.000Z');
  });

  it('refuses a local time the clocks skip, and takes the first of a repeated one', () => {
    expect(problem('2027-03-28 02:30', 'Europe/Paris')).toMatch(/does not exist in Europe\/Paris/);
    expect(problem('2027-03-14 02:15', 'America/New_York')).toMatch(/daylight saving/);
    // 02:30 happens twice on 2027-10-31 in Paris: first at +02:00.
    expect(at('2027-10-31 02:30', 'Europe/Paris')).toBe('2027-10-31T00:30:00.000Z');
    expect(at('2027-11-07 01:30', 'America/New_York')).toBe('2027-11-07T05:30:00.000Z');
  });

  it('says what to add when a local time has no zone, a date has no time, or the text is no date', () => {
    expect(problem('2027-01-11 08:00')).toMatch(/no offset and the course has no `timeZone`.*timeZone: Europe\/Paris/);
    expect(problem('2027-01-11', 'Europe/Paris')).toMatch(/date with no time.*"2027-01-11 08:00"/);
    expect(problem('next monday', 'Europe/Paris')).toMatch(/not a date and time/);
    expect(problem('2027-02-30 08:00', 'Europe/Paris')).toMatch(/day 30 does not exist/);
    expect(problem('2027-01-11T25:00Z')).toMatch(/out of range/);
    expect(problem('2027-01-11T08:00+25:00')).toMatch(/offset/);
  });
});

describe('time zones', () => {
  it('knows IANA names and nothing else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('renders an instant in the course zone for messages', () => {
    expect(formatClassTime(new Date('2027-03-29T06:00:00Z'), 'Europe/Paris')).toBe('2027-03-29 08:00 (Europe/Paris)');
    expect(formatClassTime(new Date('2027-03-29T06:00:00Z'))).toBe('2027-03-29 06:00 UTC');
  });
});
