import { UsageError } from './args.js';

/** `--since`: an ISO date/time, or a duration back from now (`90m`, `24h`, `7d`). */
export function parseSince(value: string, now: Date = new Date()): Date {
  const duration = /^(\d+)\s*([mhd])$/.exec(value.trim());
  if (duration) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - Number(duration[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--since takes an ISO date/time or a duration such as 24h or 7d, not "${value}".`);
  return date;
}
