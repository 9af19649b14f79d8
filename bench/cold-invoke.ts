/**
 * A cold start that includes the first invocation: a fresh Node 22 process imports a function's
 * bundle (as `sls package` bundles it), then calls its handler once — building its clients, opening
 * its first connection (S3, the database), handling its first document — and a second time (a warm
 * invocation, for comparison). What a new Lambda container pays before its first answer, measured
 * against the real local parts: s3rver for S3 and the local PostgreSQL for the database.
 *
 *   npm run bench:cold-invoke -- [--runs 5]      (~1 min on an idle 2-core machine)
 *
 * Functions: migrate (first database connection; nothing left to apply), validateQuiz (S3 and a
 * GIFT quiz), validatePdf (S3 and a corpus PDF), the latter also as Lambda runs it now — its init
 * warm-up during the import (AWS_LAMBDA_INITIALIZATION_TYPE set). CPU is the child's own
 * `process.cpuUsage()` (every thread) at each point; the functions are taken round-robin.
 * Writes the "Cold start: the first invocation" section of BENCHMARKS.md.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import { installRuntimeSdk, lambdaEsbuildOptions } from '../tests/infra/package-template.js';
import { migrateToLatest } from '../shared/db/migrate.js';
import { createPgDatabase } from '../shared/db/pg-database.js';
import { POSTGRES, scratchDatabase } from './lib/postgres.js';
import { REPO_ROOT, median, ms, provenance, table, updateSection } from './lib/report.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Math.max(1, Number(values.runs));
const CORPUS = path.resolve(REPO_ROOT, process.env.LECTERN_CORPUS ?? '../shared/corpus');
const QPDF_DIR = path.join(REPO_ROOT, 'node_modules/@neslinesli93/qpdf-wasm/dist');
const BUCKET = 'lectern-bench-uploads';
const PDF_FILE = path.join(CORPUS, 'pdf', 'tracemonkey.pdf');

interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
type S3rverClass = new (options: { address: string; port: number; silent: boolean; directory: string; configureBuckets: Array<{ name: string }> }) => S3rverInstance;

const PROBE = `
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const t0 = performance.now();
const m = await import(process.argv[1]);
const imported = performance.now() - t0;
const cpuImported = cpu();
const event = JSON.parse(process.argv[2]);
const context = { functionName: 'bench', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:bench', memoryLimitInMB: '1769', awsRequestId: 'bench-1', logGroupName: 'bench', logStreamName: 'bench', getRemainingTimeInMillis: () => Number(process.env.LECTERN_BENCH_INVOKE_TIMEOUT_MS ?? 60000), callbackWaitsForEmptyEventLoop: false };
const t1 = performance.now();
const r1 = await m.handler(event, context);
const first = performance.now() - t1;
const cpuFirst = cpu();
const t2 = performance.now();
await m.handler(event, { ...context, awsRequestId: 'bench-2' });
const second = performance.now() - t2;
process.stdout.write('\\n' + JSON.stringify({ imported, first, second, cpuImported, cpuFirst, cpuSecond: cpu(), result: JSON.stringify(r1).slice(0, 200) }) + '\\n');
process.exit(0);
`;

interface Sample {
  imported: number;
  first: number;
  second: number;
  cpuImported: number;
  cpuFirst: number;
  cpuSecond: number;
  process: number;
  result: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const GIFT = `::Speed:: What is the SI unit of speed? {=metres per second ~kilograms ~seconds}\n\n::Light:: Light travels faster than sound. {T}\n`;

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'lectern-bench-cold-invoke-'));
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass;
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(work, 's3'), configureBuckets: [{ name: BUCKET }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({
    endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const db = await scratchDatabase(POSTGRES, 'lectern_bench_cold');
  try {
    // The database as a deploy leaves it: migrated.
    const database = createPgDatabase({ url: db.url, maxConnections: 1, ssl: false });
    await migrateToLatest(database);
    await database.destroy();

    const upload = async (key: string, bytes: Uint8Array, kind: string, stem: string) => {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: bytes }));
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
      const fileName = key.split('/').at(-1)!;
      return {
        executionId: 'bench-execution',
        upload: {
          assetVersionId: createHash('sha256').update(key).digest('hex').slice(0, 16),
          source: { bucket: BUCKET, key, etag: (head.ETag ?? '').replace(/"/g, ''), size: bytes.length, eventTime: new Date().toISOString(), sequencer: '0001' },
          kind,
          course: 'physics',
          lesson: '01-motion',
          fileName,
          stem,
          receivedAt: new Date().toISOString(),
        },
      };
    };
    const pdfEvent = await upload('courses/physics/lessons/01-motion/notes.pdf', readFileSync(PDF_FILE), 'pdf', 'notes');
    const quizEvent = await upload('courses/physics/lessons/01-motion/quiz.gift', new TextEncoder().encode(GIFT), 'quiz', 'quiz');

    const runtimeNodeModules = installRuntimeSdk(work);
    const options = lambdaEsbuildOptions();
    const bundle = async (folder: string): Promise<string> => {
      const outdir = path.join(work, folder);
      await build({ ...options, entryPoints: { handler: path.join(REPO_ROOT, 'functions', folder, 'handler.ts') }, outdir });
      return path.join(outdir, 'handler.mjs');
    };
    const env = {
      PATH: process.env.PATH ?? '',
      NODE_PATH: runtimeNodeModules,
      NODE_OPTIONS: '',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
      AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
      POWERTOOLS_LOG_LEVEL: process.env.LECTERN_BENCH_LOG_LEVEL ?? 'SILENT',
      LECTERN_RUNTIME: 'aws',
      LECTERN_STAGE: 'bench',
      UPLOAD_BUCKET: BUCKET,
      PUBLISHED_BUCKET: 'lectern-bench-published',
      CDN_BASE_URL: 'https://cdn.example.org',
      LECTERN_QPDF_DIR: QPDF_DIR,
      DATABASE_URL: db.url,
      DATABASE_TLS: 'disable',
    };
    const cases = [
      { name: 'migrate (first database connection)', file: await bundle('migrate'), event: {}, env },
      { name: 'validateQuiz (S3, a GIFT quiz)', file: await bundle('validate-quiz'), event: quizEvent, env },
      { name: `validatePdf (S3, ${path.basename(PDF_FILE)})`, file: await bundle('validate-pdf'), event: pdfEvent, env },
      { name: 'validatePdf, with its init warm-up', file: path.join(work, 'validate-pdf', 'handler.mjs'), event: pdfEvent, env: { ...env, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' } },
    ];
    // Asynchronous: s3rver answers from this process's event loop, which spawnSync would block.
    const once = async (c: (typeof cases)[number]): Promise<Sample> => {
      const started = performance.now();
      const result = await run(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(c.file).href, JSON.stringify(c.event)], c.env);
      const life = performance.now() - started;
      const line = result.stdout.trim().split('\n').at(-1) ?? '';
      if (result.status !== 0 || !line.startsWith('{')) throw new Error(`${c.name} failed (${result.status}): ${result.stderr.slice(-2000)}\n${result.stdout.slice(-2000)}`);
      return { ...(JSON.parse(line) as Omit<Sample, 'process'>), process: life };
    };
    const samples = new Map<string, Sample[]>(cases.map((c) => [c.name, []]));
    for (const c of cases) await once(c); // page cache, first-run effects
    const started = performance.now();
    for (let run = 0; run < RUNS; run++) {
      for (const c of cases) samples.get(c.name)!.push(await once(c));
      process.stderr.write(`cold-invoke: run ${run + 1}/${RUNS}\n`);
    }
    const seconds = (performance.now() - started) / 1000;
    const m = (name: string, key: keyof Omit<Sample, 'result'>) => median(samples.get(name)!.map((s) => s[key]));
    const rows = cases.map(({ name }) => [
      name,
      ms(m(name, 'imported')),
      ms(m(name, 'first')),
      ms(m(name, 'imported') + m(name, 'first')),
      ms(m(name, 'second')),
      ms(m(name, 'cpuFirst')),
      ms(m(name, 'cpuImported')),
      ms(m(name, 'cpuFirst') - m(name, 'cpuImported')),
      ms(m(name, 'process')),
    ]);
    const outcomes = cases.map(({ name }) => `${name}: \`${samples.get(name)![0]!.result}\``);
    const body = [
      "A fresh Node 22 process imports a function's bundle (esbuild with serverless.yml's options; the runtime's SDK clients on NODE_PATH, as in \"Cold start\"), then invokes its handler twice with the same event: the first invocation builds its clients, opens its first connection and handles its first document; the second is a warm one.",
      'S3 is s3rver on 127.0.0.1 and the database the local PostgreSQL (a scratch database, migrated first), so the connections are real but local: an AWS region adds its own network round trips.',
      "validatePdf with its init warm-up: AWS_LAMBDA_INITIALIZATION_TYPE set, as in Lambda, so the import includes validating the built-in warm-up PDF (shared/pdf/pdf-warm-up.ts). CPU: the child's `process.cpuUsage()` (every thread), from its start.",
      '',
      provenance('npm run bench:cold-invoke', [`Runs: ${RUNS} per function, after one warm-up run each, round-robin; the runs took ${seconds.toFixed(0)} s`, `Database: ${POSTGRES.replace(/\/\/.*@/, '//')}; S3: s3rver`]),
      '',
      table(['function', 'import', 'first invocation', 'import + first', 'second invocation', 'CPU to the first answer', 'of which import', 'of which first invocation', 'process (spawn to exit)'], rows),
      '',
      'What the first invocations returned (first run):',
      '',
      ...outcomes.map((o) => `- ${o}`),
    ].join('\n');
    updateSection('## Cold start: the first invocation', body);
    process.stdout.write(`${body}\n`);
  } finally {
    s3.destroy();
    await server.close();
    await db.drop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
