/**
 * Signed playback in the template (docs/access.md): `sls package --stage ci` twice, as a signed
 * stage (`--param cdnAccess=signed`) and as the public stage it is by default, each into its own
 * folder. What a reviewer checks: the `courses/*` behaviours trust the key group only where the
 * stage is signed, `public/*` never does; no private key anywhere in the template; the grant
 * endpoint needs IAM auth; its role reads the signing key and nothing else; CORS names the
 * platform's origins; and cfn-lint finds no error in any of it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asList, identityStatements, packageStage, readTemplate, resourcesOfType, type CfnTemplate } from './package-template.js';

const ORIGIN = 'https://learn.example.com';
const ACCESS_RESOURCES = ['CdnPublicKeyA', 'CdnPublicKeyB', 'CdnKeyGroup', 'CdnSigningKeySecret', 'GrantAccessRole', 'GrantAccessLambdaFunction', 'GrantAccessLambdaFunctionUrl', 'LessonAccessPolicy', 'PublishedDistribution', 'PublishedResponseHeadersPolicy', 'PublishedBucketPolicy'];

interface Behavior {
  PathPattern: string;
  TrustedKeyGroups?: unknown;
}

let signedDir: string;
let publicDir: string;
let signed: CfnTemplate;
let open: CfnTemplate;

beforeAll(() => {
  signedDir = mkdtempSync(path.join(tmpdir(), 'lectern-signed-'));
  publicDir = mkdtempSync(path.join(tmpdir(), 'lectern-public-'));
  packageStage('ci', { params: { cdnAccess: 'signed', corsAllowedOrigins: ORIGIN }, outDir: signedDir });
  packageStage('ci', { outDir: publicDir });
  signed = readTemplate(signedDir);
  open = readTemplate(publicDir);
}, 900_000);
afterAll(() => {
  for (const dir of [signedDir, publicDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Evaluates a condition the way CloudFormation does, for the literal values serverless wrote. */
function holds(template: CfnTemplate, name: string): boolean {
  const evaluate = (node: unknown): boolean | string => {
    if (typeof node === 'string') return node;
    const [fn, args] = Object.entries(node as Record<string, unknown>)[0]!;
    const list = args as unknown[];
    if (fn === 'Fn::Equals') return evaluate(list[0]) === evaluate(list[1]);
    if (fn === 'Fn::Not') return !evaluate(list[0]);
    if (fn === 'Fn::Or') return list.some((item) => evaluate(item) === true);
    if (fn === 'Fn::And') return list.every((item) => evaluate(item) === true);
    if (fn === 'Condition') return holds(template, args as string);
    throw new Error(`unexpected ${fn} in condition ${name}`);
  };
  return evaluate((template.Conditions as Record<string, unknown>)[name]) === true;
}

/** The key groups a behaviour trusts once its Fn::If is resolved. */
function trusted(template: CfnTemplate, behavior: Behavior): unknown[] {
  const value = behavior.TrustedKeyGroups as { 'Fn::If'?: [string, unknown, unknown] } | unknown[] | undefined;
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  const [condition, then, otherwise] = value['Fn::If']!;
  const chosen = holds(template, condition) ? then : otherwise;
  return Array.isArray(chosen) ? chosen : [];
}

const behaviors = (template: CfnTemplate): Behavior[] =>
  (template.Resources.PublishedDistribution!.Properties!.DistributionConfig as { CacheBehaviors: Behavior[] }).CacheBehaviors;

describe('signed playback in the template', () => {
  it('makes courses/* trust the key group on a signed stage, and public/* never', () => {
    const byPattern = Object.fromEntries(behaviors(signed).map((b) => [b.PathPattern, trusted(signed, b)]));
    expect(byPattern['courses/*']).toEqual([{ Ref: 'CdnKeyGroup' }]);
    expect(byPattern['courses/*/manifest.json']).toEqual([{ Ref: 'CdnKeyGroup' }]);
    expect(byPattern['public/*']).toEqual([]);
    expect(byPattern['public/*/manifest.json']).toEqual([]);
    // public/* comes first: CloudFront takes the first behaviour whose pattern matches.
    const order = behaviors(signed).map((b) => b.PathPattern);
    expect(order.indexOf('public/*')).toBeLessThan(order.indexOf('courses/*'));
    expect(signed.Resources.CdnKeyGroup!.Properties!.KeyGroupConfig.Items).toEqual([
      { 'Fn::If': ['HasCdnKeyA', { Ref: 'CdnPublicKeyA' }, { Ref: 'AWS::NoValue' }] },
      { 'Fn::If': ['HasCdnKeyB', { Ref: 'CdnPublicKeyB' }, { Ref: 'AWS::NoValue' }] },
    ]);
    expect([holds(signed, 'HasCdnKeyA'), holds(signed, 'HasCdnKeyB')]).toEqual([true, false]);
  });

  it('leaves a public stage (ci\'s default) without trusted key groups, as today', () => {
    for (const behavior of behaviors(open)) expect(trusted(open, behavior), behavior.PathPattern).toEqual([]);
  });

  it('holds the public key only: no private key in the template, the secret created empty', () => {
    for (const template of [signed, open]) {
      const text = JSON.stringify(template);
      expect(text).not.toMatch(/PRIVATE KEY/);
      expect(template.Resources.CdnPublicKeyA!.Properties!.PublicKeyConfig.EncodedKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/);
      const secret = template.Resources.CdnSigningKeySecret!.Properties!;
      expect(secret.SecretString).toBeUndefined();
      expect(secret.GenerateSecretString).toBeUndefined();
    }
  });

  it('puts the grant endpoint behind IAM auth, with no public invoke permission', () => {
    const urls = resourcesOfType(signed, 'AWS::Lambda::Url');
    expect(urls.map(([id]) => id)).toEqual(['GrantAccessLambdaFunctionUrl']);
    expect(urls[0]![1].Properties).toMatchObject({ AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': ['GrantAccessLambdaFunction', 'Arn'] } });
    for (const [id, permission] of resourcesOfType(signed, 'AWS::Lambda::Permission')) {
      if (JSON.stringify(permission.Properties?.FunctionName).includes('GrantAccess')) expect(permission.Properties?.Principal, id).not.toBe('*');
    }
    const variables = signed.Resources.GrantAccessLambdaFunction!.Properties!.Environment.Variables as Record<string, unknown>;
    expect(variables.CDN_SIGNING_KEY_SECRET_ARN).toEqual({ Ref: 'CdnSigningKeySecret' });
    expect(variables.LECTERN_ACCESS).toBe('signed');
    expect(Number(variables.LECTERN_GRANT_MAX_TTL_SECONDS)).toBeGreaterThan(0);
  });

  it('lets only invalidateCdn, outside the VPC, call CloudFront: UpsertCourse and PublishAsset hand it their paths', () => {
    const invalidators = identityStatements(signed)
      .filter(({ statement }) => asList(statement.Action).some((action) => String(action).startsWith('cloudfront:')))
      .map(({ owner }) => owner);
    expect(invalidators).toEqual(['InvalidateCdnRole']);
    expect(signed.Resources.InvalidateCdnLambdaFunction!.Properties!.VpcConfig).toBeUndefined();
  });

  it('lets the grant role read the signing key and nothing else, and no other role read it', () => {
    const role = signed.Resources.GrantAccessRole!.Properties!;
    expect(role.ManagedPolicyArns).toBeUndefined();
    const statements = identityStatements(signed).filter(({ owner }) => owner === 'GrantAccessRole').map(({ statement }) => statement);
    const byAction = statements.map((statement) => [asList(statement.Action).sort().join(','), statement.Resource]);
    expect(byAction).toEqual([
      ['logs:CreateLogStream,logs:PutLogEvents', { 'Fn::Sub': expect.stringContaining(':log-group:/aws/lambda/lectern-ci-grantAccess:*') }],
      ['xray:PutTelemetryRecords,xray:PutTraceSegments', '*'],
      ['secretsmanager:GetSecretValue', { Ref: 'CdnSigningKeySecret' }],
    ]);
    const readers = identityStatements(signed)
      .filter(({ statement }) => JSON.stringify(statement.Resource ?? '').includes('CdnSigningKeySecret'))
      .map(({ owner }) => owner);
    expect(readers).toEqual(['GrantAccessRole']);
    const attachedElsewhere = resourcesOfType(signed, 'AWS::IAM::ManagedPolicy').filter(([, policy]) => asList(policy.Properties?.Roles as unknown[]).some((r) => JSON.stringify(r).includes('GrantAccessRole')));
    expect(attachedElsewhere).toEqual([]);
  });

  it('narrows CORS to the configured origins, with credentials, on a signed stage', () => {
    const cors = signed.Resources.PublishedResponseHeadersPolicy!.Properties!.ResponseHeadersPolicyConfig.CorsConfig;
    expect(cors.AccessControlAllowOrigins.Items).toEqual({ 'Fn::Split': [',', ORIGIN] });
    expect(cors.AccessControlAllowCredentials).toEqual({ 'Fn::If': ['SignedAccess', true, false] });
    expect(holds(signed, 'SignedAccess')).toBe(true);
    expect(holds(open, 'SignedAccess')).toBe(false);
  });

  it('lets CloudFront read courses/ and public/ of the published bucket, never access/', () => {
    const statements = signed.Resources.PublishedBucketPolicy!.Properties!.PolicyDocument.Statement as Array<{ Sid: string; Resource: unknown }>;
    const reads = statements.find((statement) => statement.Sid === 'CloudFrontReadsCourses')!;
    expect(reads.Resource).toEqual([{ 'Fn::Sub': '${PublishedBucket.Arn}/courses/*' }, { 'Fn::Sub': '${PublishedBucket.Arn}/public/courses/*' }]);
  });

  it('passes cfn-lint: no error in the access resources of either variant', () => {
    for (const dir of [signedDir, publicDir]) {
      const file = path.join(dir, 'cloudformation-template-update-stack.json');
      const result = spawnSync('cfn-lint', ['--format', 'json', file], { encoding: 'utf8', timeout: 300_000 });
      expect(result.error).toBeUndefined();
      const matches = JSON.parse(result.stdout || '[]') as Array<{ Level: string; Rule: { Id: string }; Message: string; Location: { Path: Array<string | number> } }>;
      const ours = matches.filter((m) => m.Level === 'Error' && m.Location.Path[0] === 'Resources' && ACCESS_RESOURCES.includes(String(m.Location.Path[1])));
      expect(ours.map((m) => `${m.Rule.Id} ${m.Location.Path.join('/')}: ${m.Message}`)).toEqual([]);
      expect(readFileSync(file, 'utf8').length).toBeGreaterThan(0);
    }
  }, 600_000);
});
