/**
 * The caption model → a normalised WebVTT file: `WEBVTT`, STYLE and REGION blocks, then the cues
 * with `hh:mm:ss.ttt` times, normalised settings and sanitised text, one empty line between
 * blocks, LF line ends, no BOM. NOTE comments are not carried over. Parsing the output again
 * yields the same cues (the round trip is tested).
 */
import type { CaptionTrack } from './model.js';
import { formatTimestamp } from './timestamp.js';

export function toWebVtt(track: CaptionTrack): string {
  const blocks = [track.headerText ? `WEBVTT ${track.headerText}` : 'WEBVTT'];
  for (const css of track.styles) blocks.push(`STYLE\n${css}`);
  for (const region of track.regions) blocks.push(`REGION\n${region}`);
  for (const cue of track.cues) {
    const timing = `${formatTimestamp(cue.startMs)} --> ${formatTimestamp(cue.endMs)}${cue.settings ? ` ${cue.settings}` : ''}`;
    blocks.push(`${cue.id ? `${cue.id}\n` : ''}${timing}\n${cue.text}`);
  }
  return `${blocks.join('\n\n')}\n`;
}
