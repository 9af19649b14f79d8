/**
 * `lectern grant`: the signed cookies for one course, as the platform's backend would get them —
 * from the local stack's key pair (`--local`, for `lectern dev` and curl) or from a stage's grant
 * endpoint (`--stage`, SigV4 with your AWS credentials). See docs/access.md.
 */
import path from 'node:path';
import { CloudFrontCookieSigner } from '../../shared/adapters/cloudfront-cookie-signer.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { ValidationError } from '../../shared/contract/errors.js';
import { grantAccess, type Grant } from '../../shared/use-cases/grant-access.js';
import { chooseTarget, COMMON_OPTIONS, parse, TARGET_OPTIONS, UsageError } from '../args.js';

export const GRANT_USAGE = `lectern grant (--local | --stage <stage>) --course <c> [--ttl 2h] [--ip <cidr>] [--subject <id>] [--json]

  Prints the three CloudFront signed cookies that open every file of one course until the grant
  expires: Set-Cookie lines, and a Cookie header for curl.
  --local signs with the state folder's key pair (<state-dir>/cdn-keys.json), for the CDN twin of
          "lectern dev" on --port (default 4321); run the stage with LECTERN_ACCESS=signed.
  --stage calls the stage's grant endpoint (LECTERN_GRANT_URL: the grantAccess function URL, an
          output of "sls info --stage <stage> --verbose") with your AWS credentials (SigV4).
  --ttl   a duration (90m, 2h, 1d) or seconds; bounded by the stage (default 60 s to 12 h).`;

export async function grantCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    ...TARGET_OPTIONS,
    course: { type: 'string' },
    ttl: { type: 'string', default: '2h' },
    ip: { type: 'string' },
    subject: { type: 'string' },
    port: { type: 'string', default: '4321' },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    out.write(`${GRANT_USAGE}\n`);
    return 0;
  }
  chooseTarget(values);
  if (!values.course) throw new UsageError('--course <course> is required: the course slug the cookies open.');
  const request = { course: values.course, ttlSeconds: parseTtl(values.ttl), ...(values.ip ? { ipRange: values.ip } : {}), ...(values.subject ? { subject: values.subject } : {}) };
  let grant: Grant;
  try {
    grant = values.local ? await grantLocal(request, values['state-dir'], values.port) : await grantStage(request, values.stage!);
  } catch (error) {
    if (error instanceof ValidationError) throw new UsageError(error.message);
    throw error;
  }
  if (values.json) {
    out.write(`${JSON.stringify(grant, null, 2)}\n`);
    return 0;
  }
  out.write(`lectern grant: course ${grant.course} until ${grant.expiresAt}\n`);
  for (const line of grant.setCookie) out.write(`Set-Cookie: ${line}\n`);
  out.write(`\ncurl -H 'Cookie: ${grant.cookies.map((c) => `${c.name}=${c.value}`).join('; ')}' <url under /courses/${grant.course}/>\n`);
  return 0;
}

/** `2h`, `90m`, `1d`, `45s` or a number of seconds. */
export function parseTtl(value: string): number {
  const match = /^(\d+)\s*([smhd]?)$/.exec(value.trim());
  if (!match) throw new UsageError(`--ttl takes a duration such as 90m, 2h or 1d (or seconds), not "${value}".`);
  return Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
}

async function grantLocal(request: Parameters<typeof grantAccess>[0], stateDir: string, port: string): Promise<Grant> {
  const { loadOrCreateLocalKeys } = await import('../../local/signing-keys.js');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path.resolve(stateDir), { recursive: true });
  const keys = await loadOrCreateLocalKeys(path.resolve(stateDir));
  const config = parseConfig({ ...process.env, LECTERN_RUNTIME: 'local', CDN_BASE_URL: `http://127.0.0.1:${port}` });
  return grantAccess(request, { config, signer: new CloudFrontCookieSigner(async () => keys), now: () => new Date() });
}

async function grantStage(request: Parameters<typeof grantAccess>[0], stage: string): Promise<Grant> {
  const url = process.env.LECTERN_GRANT_URL;
  if (!url) throw new UsageError(`--stage ${stage} needs LECTERN_GRANT_URL: the grantAccess function URL (an output of "sls info --stage ${stage} --verbose").`);
  const { requestGrant } = await import('../../shared/aws/grant-client.js');
  return requestGrant(url, request);
}
