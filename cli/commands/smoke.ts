/** `lectern smoke`: the post-deploy check CI runs; non-zero exit makes CI roll the stage back. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grantAccess, type Grant } from '../../shared/use-cases/grant-access.js';
import { runSmoke, SMOKE_KINDS, type SmokeEnvironment, type SmokeKind } from '../../shared/use-cases/smoke.js';
import { chooseTarget, COMMON_OPTIONS, parse, TARGET_OPTIONS, UsageError } from '../args.js';

export const SMOKE_USAGE = `lectern smoke (--local | --stage <stage>) [--kinds quiz,pdf,video,captions] [--timeout 1800] [--json]

  One check per kind, under the reserved course "lectern-smoke": uploads a quiz, a PDF, a short
  video (made with ffmpeg) and English captions for it, waits for each to be published, fetches
  what a student would through the CDN — the quiz, the PDF, the video's master playlist, a variant
  and its first segment, the WebVTT and the subtitle track in the video's master — checks that it
  is what was uploaded, and removes the uploads. Exit 1 on any failure.
  With signed access each file is first asked for without a grant (403 expected), then with the
  cookies of a grant (200).
  --kinds     the kinds to check, comma-separated (default: all; captions bring the video)
  --timeout   seconds to wait for each upload's report (a MediaConvert job takes minutes)
  --stage needs UPLOAD_BUCKET (the stage's upload bucket) and AWS credentials; on a signed stage
  also LECTERN_GRANT_URL (the grantAccess function URL). --local runs the whole local stack, with
  signed access, in a temporary state directory and serves it on a free 127.0.0.1 port.`;

const CONTENT_TYPES: Record<string, string> = { yaml: 'application/yaml', pdf: 'application/pdf', mp4: 'video/mp4', vtt: 'text/vtt' };

export async function smokeCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, { ...COMMON_OPTIONS, ...TARGET_OPTIONS, kinds: { type: 'string', default: SMOKE_KINDS.join(',') }, timeout: { type: 'string', default: '1800' }, json: { type: 'boolean', default: false } });
  if (values.help) {
    out.write(`${SMOKE_USAGE}\n`);
    return 0;
  }
  chooseTarget(values);
  const timeoutMs = Number.parseInt(values.timeout, 10) * 1000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout "${values.timeout}" is not a number of seconds.`);
  const kinds = values.kinds.split(',').map((kind) => kind.trim()).filter(Boolean);
  const unknown = kinds.filter((kind) => !(SMOKE_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0 || kinds.length === 0) throw new UsageError(`--kinds: ${unknown.join(', ') || 'none given'}; the kinds are ${SMOKE_KINDS.join(', ')}.`);
  const options = { timeoutMs, kinds: kinds as SmokeKind[] };
  const result = values.local ? await smokeLocal(options) : await smokeStage(values.stage!, options);
  if (values.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    out.write(`lectern smoke: ${result.ok ? 'passed' : 'FAILED'}\n`);
    for (const s of result.steps) out.write(`  ${s.ok ? '✓' : '✗'} ${s.step}: ${s.detail}\n`);
  }
  return result.ok ? 0 : 1;
}

async function smokeLocal({ timeoutMs, kinds }: { timeoutMs: number; kinds: SmokeKind[] }) {
  const { openLocalStack } = await import('../../local/local-stack.js');
  const { startStaticServer } = await import('../../local/static-server.js');
  const stateDir = await mkdtemp(path.join(tmpdir(), 'lectern-smoke-'));
  // Serve first, on a free port, so the CDN base URL the pipeline writes is the real one.
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const stack = await openLocalStack({ stateDir, baseUrl: `http://127.0.0.1:${port}`, env: { LECTERN_ACCESS: 'signed' } });
  const { server } = await startStaticServer({ root: path.join(stateDir, 'published'), db: stack.db, port, access: stack.cdnAccess });
  try {
    const env: SmokeEnvironment = {
      uploads: stack.uploads,
      submit: async (key, bytes) => {
        await stack.upload(key, bytes);
      },
      fetch: (url, cookie) => fetch(url, { headers: cookie ? { cookie } : {} }),
      grant: async (course) => cookieHeader(await grantAccess({ course, ttlSeconds: 300 }, stack.deps)),
      kinds,
      makeVideo: makeSmokeVideo,
      timeoutMs,
      pollMs: 100,
    };
    return await runSmoke(env);
  } finally {
    server.close();
    await stack.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}

async function smokeStage(stage: string, { timeoutMs, kinds }: { timeoutMs: number; kinds: SmokeKind[] }) {
  const bucket = process.env.UPLOAD_BUCKET;
  if (!bucket) throw new UsageError(`--stage ${stage} needs UPLOAD_BUCKET: the stage's upload bucket (an output of "sls info --stage ${stage} --verbose").`);
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { S3ObjectStore } = await import('../../shared/adapters/s3-object-store.js');
  const uploads = new S3ObjectStore(new S3Client({}), bucket);
  const grantUrl = process.env.LECTERN_GRANT_URL;
  const requestGrant = grantUrl ? (await import('../../shared/aws/grant-client.js')).requestGrant : undefined;
  return runSmoke({
    uploads,
    submit: async (key, bytes) => void (await uploads.put(key, bytes, { contentType: CONTENT_TYPES[key.split('.').pop()!] ?? 'application/octet-stream' })),
    fetch: (url, cookie) => fetch(url, { headers: cookie ? { cookie } : {} }),
    ...(grantUrl && requestGrant ? { grant: async (course: string) => cookieHeader(await requestGrant(grantUrl, { course, ttlSeconds: 300 })) } : {}),
    kinds,
    makeVideo: makeSmokeVideo,
    timeoutMs,
  });
}

async function makeSmokeVideo(): Promise<Uint8Array> {
  return (await import('../../local/smoke-video.js')).makeSmokeVideo();
}

function cookieHeader(grant: Grant): string {
  return grant.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
