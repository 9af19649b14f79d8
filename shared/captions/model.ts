/** The caption model both parsers produce and `toWebVtt` writes. Times are whole milliseconds. */

export type CaptionFormat = 'webvtt' | 'srt';

export interface Cue {
  /** WebVTT cue identifier (an SRT cue's sequence number). */
  id?: string;
  startMs: number;
  endMs: number;
  /** Validated cue settings, normalised: `align:start line:0`; empty when none. */
  settings: string;
  /** Sanitised WebVTT cue text: lines joined by `\n`, only WebVTT cue tags, escaped text. */
  text: string;
  /** 1-based line of the cue's timing line in the uploaded file. */
  line: number;
}

export interface CaptionTrack {
  format: CaptionFormat;
  /** Text after `WEBVTT` on the first line (WebVTT only). */
  headerText?: string;
  /** From a `Language:` header line (WebVTT only), as written. */
  headerLanguage?: { value: string; line: number; column: number };
  /** CSS of the STYLE blocks that were kept. */
  styles: string[];
  /** REGION blocks, each as its normalised settings (`id:fred width:40% …`). */
  regions: string[];
  cues: Cue[];
}

/** Limits for one caption file; every one is configurable. */
export interface CaptionLimits {
  maxBytes: number;
  maxCues: number;
  /** Longest line, in characters: a multi-megabyte line is rejected before any parsing. */
  maxLineLength: number;
  /** Latest time a cue may end at. */
  maxDurationMs: number;
  /** Errors (and warnings) reported before the rest is summarised. */
  maxErrors: number;
}

export const DEFAULT_CAPTION_LIMITS: CaptionLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxCues: 20_000,
  maxLineLength: 4096,
  maxDurationMs: 24 * 60 * 60 * 1000,
  maxErrors: 50,
};
