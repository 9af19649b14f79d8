/**
 * The short video `lectern smoke` uploads: 4 seconds of ffmpeg's test pattern with a tone, H.264
 * and AAC in MP4 (what MediaConvert and the ffmpeg twin both take), made on the spot so the
 * repository holds no binary fixture. ffmpeg as found for the local transcoder (LECTERN_FFMPEG or
 * the PATH); the deploy workflow installs it on the runner.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { FFMPEG_INSTALL_HINT, locateFfmpeg } from './ffmpeg-binary.js';

const run = promisify(execFile);

export async function makeSmokeVideo(): Promise<Uint8Array> {
  const ffmpeg = locateFfmpeg();
  if (!ffmpeg) throw new Error(`The smoke test makes its video with ffmpeg. ${FFMPEG_INSTALL_HINT}`);
  const dir = await mkdtemp(path.join(tmpdir(), 'lectern-smoke-video-'));
  try {
    const file = path.join(dir, 'smoke.mp4');
    await run(ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=4',
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000:duration=4',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '96k', '-shortest', '-movflags', '+faststart', file,
    ]);
    return new Uint8Array(await readFile(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
