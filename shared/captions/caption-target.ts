/**
 * Which video a caption file belongs to, and in which language: `lecture.en.vtt` → video stem
 * `lecture`, language `en`; `lecture.vtt` → `lecture`, no language. Captions attach to the video
 * of the same lesson whose file name without its extension is the video stem (`lecture.mp4`).
 *
 * The last dot-separated part before `.vtt`/`.srt` is read as a language when it is shaped like
 * one (2–3 letters, optional subtags: `en`, `pt-BR`, `pt_BR`, `zh-Hant`); a part of that shape
 * that is not a known language is reported (`unknownLanguage`), not silently made part of the
 * video's name — `lecture.xx.vtt` would otherwise attach to a video `lecture.xx` no one uploaded.
 */
import { checkLanguageTag } from '../util/language-tag.js';

export interface CaptionTarget {
  videoStem: string;
  /** Canonical BCP 47 tag from the file name. */
  language?: string;
  /** The language-shaped part of the file name when it is not a valid, known tag. */
  unknownLanguage?: { value: string; problem: string };
}

const CAPTION_EXTENSION = /\.(?:vtt|srt)$/i;
const LANGUAGE_SHAPE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/;

export function captionTarget(fileName: string): CaptionTarget {
  const base = fileName.slice(fileName.lastIndexOf('/') + 1);
  const stem = base.replace(CAPTION_EXTENSION, '');
  const dot = stem.lastIndexOf('.');
  if (dot <= 0) return { videoStem: stem };
  const part = stem.slice(dot + 1);
  if (!LANGUAGE_SHAPE.test(part)) return { videoStem: stem };
  const videoStem = stem.slice(0, dot);
  const check = checkLanguageTag(part.replace(/_/g, '-'));
  return check.ok ? { videoStem, language: check.tag } : { videoStem, unknownLanguage: { value: part, problem: check.problem } };
}
