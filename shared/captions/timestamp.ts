/**
 * Caption timestamps. WebVTT: `hh:mm:ss.ttt` or `mm:ss.ttt` (hours: two or more digits);
 * SRT: `hh:mm:ss,ttt`. Minutes and seconds are 00–59, milliseconds exactly three digits.
 */
import type { CaptionFormat } from './model.js';

export type TimestampResult = { ok: true; ms: number } | { ok: false; problem: string };

const VTT = /^(?:(\d{2,9}):)?(\d{2}):(\d{2})\.(\d{3})$/;
const SRT = /^(\d{2,9}):(\d{2}):(\d{2}),(\d{3})$/;

export function parseTimestamp(text: string, format: CaptionFormat): TimestampResult {
  const match = (format === 'webvtt' ? VTT : SRT).exec(text);
  if (!match) return { ok: false, problem: timestampProblem(text, format) };
  const hours = Number(match[1] ?? 0);
  const minutes = Number(match[2]);
  const seconds = Number(match[3]);
  const millis = Number(match[4]);
  if (minutes > 59) return { ok: false, problem: `its minutes (${match[2]}) must be 00–59` };
  if (seconds > 59) return { ok: false, problem: `its seconds (${match[3]}) must be 00–59` };
  return { ok: true, ms: ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis };
}

/** Why `text` is not a timestamp, in words an educator can act on. */
function timestampProblem(text: string, format: CaptionFormat): string {
  const separator = format === 'webvtt' ? '.' : ',';
  const other = format === 'webvtt' ? ',' : '.';
  const example = format === 'webvtt' ? '00:01:02.500' : '00:01:02,500';
  if (text.length === 0) return `the time is missing; write it as ${example}`;
  if (/^(?:\d+:)?\d{2}:\d{2}$/.test(text)) return `it has no milliseconds; write ${text}${separator}000`;
  const otherShape = format === 'webvtt' ? /^(?:\d+:)?\d{2}:\d{2},\d{3}$/ : /^\d+:\d{2}:\d{2}\.\d{3}$/;
  if (otherShape.test(text)) {
    return `it uses "${other}" before the milliseconds; ${format === 'webvtt' ? 'WebVTT' : 'SRT'} uses "${separator}" (${example})`;
  }
  if (format === 'srt' && /^\d{2}:\d{2},\d{3}$/.test(text)) return `SRT times need hours too: 00:${text}`;
  const fraction = new RegExp(`[${separator === '.' ? '.' : ','}](\\d*)$`).exec(text);
  if (fraction && fraction[1]?.length !== 3) return `the milliseconds must be exactly three digits (${example})`;
  if (/^\d+(?::\d+)*[.,]\d+$/.test(text)) return `hours, minutes and seconds need two digits each (${example})`;
  return format === 'webvtt' ? `write it as hh:mm:ss.ttt or mm:ss.ttt (${example})` : `write it as hh:mm:ss,ttt (${example})`;
}

/** `hh:mm:ss.ttt`, as WebVTT writes it. */
export function formatTimestamp(ms: number): string {
  const total = Math.max(0, Math.floor(ms));
  const millis = total % 1000;
  const seconds = Math.floor(total / 1000) % 60;
  const minutes = Math.floor(total / 60_000) % 60;
  const hours = Math.floor(total / 3_600_000);
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(millis, 3)}`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
