/**
 * Runs `sls package --stage ci` (offline, no credentials) and reads what it wrote to
 * `.serverless/`: the CloudFormation template and one zip per function.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { createRequire } from 'node:module';
import type { BuildOptions, Plugin } from 'esbuild';
import { parseDocument } from 'yaml';
import { REPO_ROOT } from './state-machine-helpers.js';

export const PACKAGE_DIR = path.join(REPO_ROOT, '.serverless');
export const TEMPLATE_FILE = path.join(PACKAGE_DIR, 'cloudformation-template-update-stack.json');
/**
 * A bound, not a budget: bundling every function takes ~20–30 s on an idle 2-core machine, and
 * more than 5 minutes on one shared with other CPU-heavy jobs (measured beside stress-ng --cpu 2).
 */
export const PACKAGE_TIMEOUT_MS = 1_200_000;

export interface CfnResource {
  Type: string;
  // CloudFormation properties are free-form JSON; each test narrows what it asserts on.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  Properties?: Record<string, any>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
}

export interface PackageOptions {
  /** Where the template and zips go (`sls package --package`); `.serverless/` by default. */
  outDir?: string;
  /** `--param name=value` pairs: the documented parameters, or stand-ins for them. */
  params?: Record<string, string>;
}

/**
 * Packages a stage offline; throws with serverless's output when it fails. serverless-esbuild
 * always stages the zips in `<service>/.serverless/`, so a packaging into another `outDir` runs
 * in a service folder of its own (`<outDir>.service/`, symlinks to this repository's files): two
 * test files can package at once without touching each other's output.
 */
export function packageStage(stage = 'ci', options: PackageOptions = {}): { seconds: number; output: string } {
  const started = Date.now();
  const outDir = options.outDir ?? PACKAGE_DIR;
  const serviceDir = outDir === PACKAGE_DIR ? REPO_ROOT : linkedServiceDir(`${outDir}.service`);
  const params = Object.entries(options.params ?? {}).map(([name, value]) => `--param=${name}=${value}`);
  const where = outDir === PACKAGE_DIR ? [] : ['--package', outDir];
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/serverless/bin/serverless.js'), 'package', '--stage', stage, ...where, ...params], {
    cwd: serviceDir,
    encoding: 'utf8',
    timeout: PACKAGE_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    // Prove it needs no AWS account: no credentials, no profile, no instance metadata.
    env: {
      ...withoutAwsCredentials(process.env),
      AWS_EC2_METADATA_DISABLED: 'true',
      SLS_TELEMETRY_DISABLED: '1',
      SLS_NOTIFICATIONS_MODE: 'off',
    },
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0) {
    throw new Error(`sls package --stage ${stage} failed (${result.error?.message ?? `exit ${result.status}`}):\n${output}`);
  }
  return { seconds: (Date.now() - started) / 1000, output };
}

/** A folder whose entries are symlinks to the repository's (but for build output): a service of its own. */
function linkedServiceDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(REPO_ROOT)) {
    if (/^\.(serverless|esbuild|git)/.test(name) || path.join(REPO_ROOT, name) === path.resolve(dir)) continue;
    // serverless wants its configuration as a file, not a link.
    if (name === 'serverless.yml') copyFileSync(path.join(REPO_ROOT, name), path.join(dir, name));
    else symlinkSync(path.join(REPO_ROOT, name), path.join(dir, name));
  }
  return dir;
}

function withoutAwsCredentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  for (const name of Object.keys(copy)) {
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|WEB_IDENTITY_TOKEN_FILE|ROLE_ARN|CONTAINER_CREDENTIALS_.*)$/.test(name)) delete copy[name];
  }
  return copy;
}

export function readTemplate(outDir = PACKAGE_DIR): CfnTemplate {
  return JSON.parse(readFileSync(path.join(outDir, path.basename(TEMPLATE_FILE)), 'utf8')) as CfnTemplate;
}

/** `functions/<kebab-name>/handler.ts` folders, as serverless function names (`kebabName`). */
export function handlerFunctionNames(): string[] {
  const dir = path.join(REPO_ROOT, 'functions');
  return readdirSync(dir)
    .filter((name) => existsSync(path.join(dir, name, 'handler.ts')))
    .map((kebab) => kebab.replace(/-([a-z0-9])/g, (_whole, letter: string) => letter.toUpperCase()))
    .sort();
}

/** `ingestUpload` → `IngestUploadLambdaFunction`, serverless's logical id. */
export function functionLogicalId(name: string): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`;
}

/** Zip sizes in `.serverless/`, by function name. */
export function zipSizes(): Record<string, number> {
  return Object.fromEntries(
    readdirSync(PACKAGE_DIR)
      .filter((name) => name.endsWith('.zip'))
      .map((name) => [name.replace(/\.zip$/, ''), statSync(path.join(PACKAGE_DIR, name)).size]),
  );
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/**
 * Zip budgets in bytes, as the issue states them: 200 KB per function, 1.5 MB for the PDF
 * validator (pdf.js and its worker). What keeps the rest small (BENCHMARKS.md, "Bundle sizes"):
 * the AWS service clients are the Lambda runtime's (resources/plugins/esbuild-runtime-sdk.cjs), zod is zod/mini,
 * postcss is left out, and MediaInfoLib's WebAssembly ships in the `mediainfo` layer.
 */
export const DEFAULT_BUNDLE_BUDGET = 200 * 1000;
export const BUNDLE_BUDGETS: Record<string, number> = {
  validatePdf: 1.5 * 1000 * 1000,
};

/** Layers (`layers:` in serverless.yml): packaged as `<name>.zip` beside the functions' zips. */
export const LAYER_NAMES = ['mediainfo', 'qpdf'] as const;

export function bundleBudget(functionName: string): number {
  return BUNDLE_BUDGETS[functionName] ?? DEFAULT_BUNDLE_BUDGET;
}

export interface IamStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, unknown>;
}

/**
 * Every statement of every identity policy in the template (roles' inline policies, managed
 * policies, AWS::IAM::Policy), with `Fn::If` alternatives expanded: both branches count.
 */
export function identityStatements(template: CfnTemplate): Array<{ owner: string; statement: IamStatement }> {
  const found: Array<{ owner: string; statement: IamStatement }> = [];
  const addDocument = (owner: string, document: { Statement?: unknown } | undefined): void => {
    const statements = document?.Statement;
    for (const entry of Array.isArray(statements) ? statements : statements ? [statements] : []) {
      for (const statement of expandIf(entry)) found.push({ owner, statement: statement as IamStatement });
    }
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of (props.Policies as Array<{ PolicyDocument: { Statement?: unknown } }> | undefined) ?? []) addDocument(id, policy.PolicyDocument);
    } else if (resource.Type === 'AWS::IAM::ManagedPolicy' || resource.Type === 'AWS::IAM::Policy') {
      addDocument(id, props.PolicyDocument as { Statement?: unknown });
    }
  }
  return found;
}

function expandIf(value: unknown): unknown[] {
  if (value && typeof value === 'object' && 'Fn::If' in value) {
    const [, whenTrue, whenFalse] = (value as { 'Fn::If': [string, unknown, unknown] })['Fn::If'];
    return [...expandIf(whenTrue), ...expandIf(whenFalse)].filter((branch) => !isNoValue(branch));
  }
  return [value];
}

function isNoValue(value: unknown): boolean {
  return !!value && typeof value === 'object' && (value as { Ref?: string }).Ref === 'AWS::NoValue';
}

export function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * Extracts a zip (stored or deflated entries, as serverless writes them) into `dir`: enough to
 * load a packaged function the way the Lambda runtime would, without an unzip binary.
 */
export function extractZip(zipFile: string, dir: string): string[] {
  const zip = readFileSync(zipFile);
  const endOfDirectory = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endOfDirectory < 0) throw new Error(`${zipFile} is not a zip file`);
  const entries = zip.readUInt16LE(endOfDirectory + 10);
  let offset = zip.readUInt32LE(endOfDirectory + 16);
  const names: string[] = [];
  for (let i = 0; i < entries; i += 1) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const localHeader = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    const dataStart = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    const target = path.join(dir, name);
    if (!target.startsWith(path.resolve(dir) + path.sep)) throw new Error(`${zipFile}: entry ${name} escapes the folder`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, method === 8 ? inflateRawSync(data) : data);
    names.push(name);
  }
  return names;
}

/**
 * What the nodejs22.x runtime provides a function besides its zip: every `@aws-sdk/client-*`
 * package (here, the lockfile's copies) in a `node_modules` of its own, outside the function's
 * tree, found through NODE_PATH — as Lambda does (/var/runtime/node_modules is on its NODE_PATH).
 * Returns that folder: pass it as NODE_PATH. Only `require()` looks there; `import` does not.
 */
export function installRuntimeSdk(dir: string): string {
  const nodeModules = path.join(dir, 'runtime', 'node_modules');
  const runtimeSdk = path.join(nodeModules, '@aws-sdk');
  mkdirSync(runtimeSdk, { recursive: true });
  const installed = path.join(REPO_ROOT, 'node_modules', '@aws-sdk');
  for (const client of readdirSync(installed).filter((name) => name.startsWith('client-'))) {
    symlinkSync(path.join(installed, client), path.join(runtimeSdk, client), 'dir');
  }
  return nodeModules;
}

/**
 * serverless.yml's `custom.esbuild`, as serverless-esbuild hands it to esbuild (for benchmarks
 * that bundle a function the way `sls package` does, without packaging everything).
 */
export function lambdaEsbuildOptions(): BuildOptions {
  // CloudFormation tags (!Ref, !Sub…) elsewhere in the file stay unresolved strings: not needed here.
  const service = parseDocument(readFileSync(path.join(REPO_ROOT, 'serverless.yml'), 'utf8')).toJS() as { custom: { esbuild: Record<string, unknown> } };
  const { exclude, alias, outputFileExtension, nativeZip: _zip, plugins, ...options } = service.custom.esbuild as {
    exclude?: string[];
    alias?: Record<string, string>;
    outputFileExtension?: string;
    nativeZip?: boolean;
    plugins?: string;
  } & Omit<BuildOptions, 'plugins'>;
  return {
    ...options,
    // serverless-esbuild's `plugins`: a file (relative to the service) exporting esbuild plugins.
    plugins: plugins ? (createRequire(import.meta.url)(path.join(REPO_ROOT, plugins)) as Plugin[]) : [],
    external: exclude ?? [],
    alias: Object.fromEntries(Object.entries(alias ?? {}).map(([name, target]) => [name, target.startsWith('.') ? path.join(REPO_ROOT, target) : target])),
    outExtension: { '.js': outputFileExtension ?? '.js' },
    logLevel: 'error',
  };
}
