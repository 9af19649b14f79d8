/**
 * A lesson's transcript from its published WebVTT captions: plain text (for search, and for
 * students who read rather than watch) and a list of cues with times (the preview shows it beside
 * the player; a click on a cue seeks to its start). Pure.
 */
import { DEFAULT_CAPTION_LIMITS } from '../captions/model.js';
import { parseWebVtt } from '../captions/parse-webvtt.js';

export interface TranscriptCue {
  /** Seconds. */
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  language?: string;
  /** The captions the transcript was made from (`lecture.en.vtt`, `lecture.en.auto.vtt`). */
  source: string;
  /** Automatic (speech recognition), not reviewed by the educator. */
  automatic: boolean;
  cues: TranscriptCue[];
}

/** Cue text without WebVTT tags, with character references decoded, lines joined by a space. */
export function plainCueText(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

export function transcriptFromWebVtt(webvtt: string, meta: Omit<Transcript, 'cues'>): Transcript {
  const parsed = parseWebVtt(webvtt, DEFAULT_CAPTION_LIMITS);
  const cues = parsed.track.cues
    .map((cue) => ({ start: cue.startMs / 1000, end: cue.endMs / 1000, text: plainCueText(cue.text) }))
    .filter((cue) => cue.text.length > 0);
  return { ...meta, cues };
}

/** The transcript as plain text: one paragraph per pause of 2 s or more between cues. */
export function transcriptText(transcript: Transcript): string {
  const paragraphs: string[][] = [];
  let previousEnd = -Infinity;
  for (const cue of transcript.cues) {
    if (paragraphs.length === 0 || cue.start - previousEnd >= 2) paragraphs.push([]);
    (paragraphs[paragraphs.length - 1] as string[]).push(cue.text);
    previousEnd = cue.end;
  }
  return paragraphs.map((p) => p.join(' ')).join('\n\n') + (paragraphs.length ? '\n' : '');
}
