/** `lectern smoke`: the post-deploy check CI runs; non-zero exit makes CI roll the stage back. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grantAccess, type Grant } from '../../shared/use-cases/grant-access.js';
import { runSmoke, type SmokeEnvironment } from '../../shared/use-cases/smoke.js';
import { chooseTarget, COMMON_OPTIONS, parse, TARGET_OPTIONS, UsageError } from '../args.js';

export const SMOKE_USAGE = `lectern smoke (--local | --stage <stage>) [--timeout 300] [--json]

  Uploads a small quiz under the reserved course "lectern-smoke", waits for it to be published,
  fetches it through the CDN URL, checks its content and removes the upload. Exit 1 on any failure.
  With signed access it first checks that the CDN refuses the file without a grant (403), then
  fetches it with the cookies of a grant (200).
  --stage needs UPLOAD_BUCKET (the stage's upload bucket) and AWS credentials; on a signed stage
  also LECTERN_GRANT_URL (the grantAccess function URL). --local runs the whole local stack, with
  signed access, in a temporary state directory and serves it on a free 127.0.0.1 port.`;

export async function smokeCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, { ...COMMON_OPTIONS, ...TARGET_OPTIONS, timeout: { type: 'string', default: '300' }, json: { type: 'boolean', default: false } });
  if (values.help) {
    out.write(`${SMOKE_USAGE}\n`);
    return 0;
  }
  chooseTarget(values);
  const timeoutMs = Number.parseInt(values.timeout, 10) * 1000;
  const result = values.local ? await smokeLocal(timeoutMs) : await smokeStage(values.stage!, timeoutMs);
  if (values.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    out.write(`lectern smoke: ${result.ok ? 'passed' : 'FAILED'}\n`);
    for (const s of result.steps) out.write(`  ${s.ok ? '✓' : '✗'} ${s.step}: ${s.detail}\n`);
  }
  return result.ok ? 0 : 1;
}

async function smokeLocal(timeoutMs: number) {
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

async function smokeStage(stage: string, timeoutMs: number) {
  const bucket = process.env.UPLOAD_BUCKET;
  if (!bucket) throw new UsageError(`--stage ${stage} needs UPLOAD_BUCKET: the stage's upload bucket (an output of "sls info --stage ${stage} --verbose").`);
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { S3ObjectStore } = await import('../../shared/adapters/s3-object-store.js');
  const uploads = new S3ObjectStore(new S3Client({}), bucket);
  const grantUrl = process.env.LECTERN_GRANT_URL;
  const requestGrant = grantUrl ? (await import('../../shared/aws/grant-client.js')).requestGrant : undefined;
  return runSmoke({
    uploads,
    submit: async (key, bytes) => void (await uploads.put(key, bytes, { contentType: 'application/yaml' })),
    fetch: (url, cookie) => fetch(url, { headers: cookie ? { cookie } : {} }),
    ...(grantUrl && requestGrant ? { grant: async (course: string) => cookieHeader(await requestGrant(grantUrl, { course, ttlSeconds: 300 })) } : {}),
    timeoutMs,
  });
}

function cookieHeader(grant: Grant): string {
  return grant.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
}
