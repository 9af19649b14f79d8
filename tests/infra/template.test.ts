/**
 * What `sls package --stage ci` produces, checked the way a reviewer of the CloudFormation would:
 * functions, the state machine as deployed, least-privilege IAM, private encrypted buckets,
 * CDN cache policies, the ingest queue, alarms and bundle budgets.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  LAYER_NAMES,
  PACKAGE_DIR,
  PACKAGE_TIMEOUT_MS,
  TEMPLATE_FILE,
  asList,
  extractZip,
  bundleBudget,
  functionLogicalId,
  handlerFunctionNames,
  identityStatements,
  installRuntimeSdk,
  packageStage,
  readTemplate,
  resourcesOfType,
  zipSizes,
  type CfnResource,
  type CfnTemplate,
  type IamStatement,
} from './package-template.js';
import { loadCfnSpec, validateTemplate } from './cfn-spec.js';
import { CFN_YAML_TAGS } from './cfn-yaml.js';
import { CFN_LINT_TIMEOUT_MS, cfnLint } from './cfn-lint.js';
import {
  REPO_ROOT,
  aslFiles,
  fakeFunctionArn,
  invokedFunction,
  placeholders,
  readAsl,
  substitute,
  taskStates,
  type AslDefinition,
} from './state-machine-helpers.js';

type AslValidator = (definition: unknown) => { isValid: boolean; errors: unknown[] };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

let template: CfnTemplate;
let zips: Record<string, number>;

beforeAll(() => {
  packageStage('ci');
  template = readTemplate();
  zips = zipSizes();
}, PACKAGE_TIMEOUT_MS);

/** `probeVideo` → `probe-video`, the function's folder. */
const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

const resource = (id: string): CfnResource => {
  const found = template.Resources[id];
  if (!found) throw new Error(`No resource ${id} in the template`);
  return found;
};
const lambdaFunctions = (): Array<[string, CfnResource]> => resourcesOfType(template, 'AWS::Lambda::Function');
/** The logical id of the version of a function this deploy publishes. */
const publishedVersion = (functionId: string): string => {
  const versions = resourcesOfType(template, 'AWS::Lambda::Version').filter(([, version]) => (version.Properties?.FunctionName as { Ref?: string })?.Ref === functionId);
  expect(versions, `${functionId} publishes one version`).toHaveLength(1);
  return versions[0]![0];
};
const getAtt = (id: string, attribute = 'Arn') => ({ 'Fn::GetAtt': [id, attribute] });

// ── the template as a whole ───────────────────────────────────────────────────────────────────

describe('template', () => {
  it('matches the CloudFormation resource specification: types, properties, required, references', () => {
    expect(validateTemplate(template, loadCfnSpec())).toEqual([]);
  });

  it('passes cfn-lint: no error, no warning that .cfnlintrc.yaml does not explain', () => {
    expect(cfnLint(TEMPLATE_FILE)).toEqual([]);
  }, CFN_LINT_TIMEOUT_MS);

  it('is small enough for CloudFormation (1 MB from S3, 500 resources)', () => {
    expect(JSON.stringify(template).length).toBeLessThan(1_000_000);
    expect(Object.keys(template.Resources).length).toBeLessThanOrEqual(500);
  });
});

// ── functions ─────────────────────────────────────────────────────────────────────────────────

describe('functions', () => {
  it('deploys every handler in functions/, and nothing without one', () => {
    const deployed = lambdaFunctions().map(([id]) => id).sort();
    expect(deployed).toEqual(handlerFunctionNames().map(functionLogicalId).sort());
  });

  it('runs every function on nodejs22.x, arm64, with a handler file that exists', () => {
    for (const [id, fn] of lambdaFunctions()) {
      expect(fn.Properties?.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties?.Architectures, id).toEqual(['arm64']);
      const handler = fn.Properties?.Handler as string;
      expect(handler, id).toMatch(/^functions\/[a-z0-9-]+\/handler\.handler$/);
    }
  });

  it('changes a function\'s runtime (and the AWS SDK it provides) only when a deploy updates it', () => {
    for (const [id, fn] of lambdaFunctions()) {
      expect(fn.Properties?.RuntimeManagementConfig, id).toEqual({ UpdateRuntimeOn: 'FunctionUpdate' });
    }
  });

  it('gives every function its own role, none of them the shared default', () => {
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
    const roles = lambdaFunctions().map(([id, fn]) => {
      const role = fn.Properties?.Role as { 'Fn::GetAtt'?: [string, string] };
      expect(role?.['Fn::GetAtt']?.[1], id).toBe('Arn');
      const roleId = role['Fn::GetAtt']?.[0] as string;
      expect(resource(roleId).Type).toBe('AWS::IAM::Role');
      const trust = JSON.stringify(resource(roleId).Properties?.AssumeRolePolicyDocument);
      expect(trust, roleId).toContain('lambda.amazonaws.com');
      return roleId;
    });
    expect(new Set(roles).size).toBe(roles.length);
  });

  it('keeps every log group for a limited time', () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(lambdaFunctions().length);
    for (const [id, group] of groups) expect(group.Properties?.RetentionInDays, id).toBeGreaterThan(0);
  });

  it('sets the configuration shared/runtime/config.ts requires in AWS', () => {
    for (const [id, fn] of lambdaFunctions()) {
      const variables = fn.Properties?.Environment?.Variables as Record<string, unknown>;
      for (const name of ['LECTERN_STAGE', 'LECTERN_RUNTIME', 'UPLOAD_BUCKET', 'PUBLISHED_BUCKET', 'CDN_BASE_URL', 'CDN_DISTRIBUTION_ID']) {
        expect(variables?.[name], `${id} ${name}`).toBeDefined();
      }
      expect(variables.LECTERN_RUNTIME).toBe('aws');
    }
    const ingest = resource('IngestUploadLambdaFunction').Properties?.Environment?.Variables as Record<string, unknown>;
    expect(ingest.STATE_MACHINE_ARN).toEqual({ Ref: 'PublishContentStateMachine' });
  });
});

// ── state machine ─────────────────────────────────────────────────────────────────────────────

describe('state machine publish-content', () => {
  const aslFile = path.join(REPO_ROOT, 'state-machines/publish-content.asl.json');
  const machine = () => resource('PublishContentStateMachine');

  it('is a Standard workflow whose definition is the ASL file, byte for byte once parsed', () => {
    expect(machine().Type).toBe('AWS::StepFunctions::StateMachine');
    expect(machine().Properties?.StateMachineType).toBe('STANDARD');
    const deployed = machine().Properties?.DefinitionString;
    expect(typeof deployed, 'DefinitionString is a plain string (no Fn::Sub rewriting)').toBe('string');
    expect(JSON.parse(deployed as string)).toEqual(readAsl(aslFile).definition);
  });

  it('substitutes every placeholder with a function of this stack', () => {
    const substitutions = machine().Properties?.DefinitionSubstitutions as Record<string, unknown>;
    const wanted = placeholders(readAsl(aslFile).text);
    expect(Object.keys(substitutions)).toEqual(expect.arrayContaining(wanted));
    // Entries may precede their first use in the ASL (CloudFormation ignores unused ones).
    for (const name of Object.keys(substitutions)) {
      // Names line up: ${ClassifyUploadFunctionArn} ↔ ClassifyUploadLambdaFunction ↔ functions/classify-upload.
      const logicalId = name.replace(/FunctionArn$/, 'LambdaFunction');
      expect(resource(logicalId).Type).toBe('AWS::Lambda::Function');
      // …and the state machine calls the version of it this deploy publishes, not $LATEST.
      expect(substitutions[name], name).toEqual({ Ref: publishedVersion(logicalId) });
    }
  });

  it('becomes, once substituted, a definition whose every Task invokes a Lambda ARN', () => {
    const definitionString = machine().Properties?.DefinitionString as string;
    const substitutions = machine().Properties?.DefinitionSubstitutions as Record<string, { Ref: string }>;
    // What CloudFormation does, with each version's Ref resolved to its ARN (version 7, say).
    const values = Object.fromEntries(
      Object.entries(substitutions).map(([name, value]) => {
        const functionId = (resource(value.Ref).Properties?.FunctionName as { Ref: string }).Ref;
        const fn = resource(functionId).Properties?.FunctionName as string;
        return [name, `arn:aws:lambda:eu-west-1:111122223333:function:${fn}:7`];
      }),
    );
    const deployed = JSON.parse(substitute(definitionString, values)) as AslDefinition;
    expect(aslValidator(deployed).errors).toEqual([]);
    for (const [state, task] of taskStates(deployed)) {
      expect(invokedFunction(task), state).toMatch(/^arn:aws:lambda:eu-west-1:111122223333:function:lectern-ci-[A-Za-z]+:7$/);
    }
    expect(definitionString.match(/\$\{(?![A-Za-z0-9]+FunctionArn\})/), 'only function placeholders').toBeNull();
  });

  it('lets every task function time out before its Task state does', () => {
    // Otherwise Step Functions reports States.Timeout and the function's own error is lost.
    const { definition } = readAsl(aslFile);
    for (const [state, task] of taskStates(definition)) {
      if (task.Resource?.includes('.waitForTaskToken') || typeof task.TimeoutSeconds !== 'number') continue;
      const placeholder = /^\$\{([A-Za-z0-9]+)FunctionArn\}$/.exec(invokedFunction(task) ?? '')?.[1];
      const fn = resource(`${placeholder}LambdaFunction`);
      expect(fn.Properties?.Timeout, `${state}: Lambda timeout vs TimeoutSeconds ${task.TimeoutSeconds}`).toBeLessThan(task.TimeoutSeconds);
    }
  });

  it('runs with a role that may invoke exactly its task functions', () => {
    const roleId = (machine().Properties?.RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const invoke = identityStatements(template).filter(
      ({ owner, statement }) => owner === roleId && asList(statement.Action).includes('lambda:InvokeFunction'),
    );
    const invoked = invoke.flatMap(({ statement }) => asList(statement.Resource)).map((value) => JSON.stringify(value)).sort();
    const substitutions = machine().Properties?.DefinitionSubstitutions as Record<string, { Ref: string }>;
    // Every version of each (`:*`): an execution started before a deploy still calls older ones.
    const functions = Object.values(substitutions).map((value) => (resource(value.Ref).Properties?.FunctionName as { Ref: string }).Ref);
    expect(invoked).toEqual(functions.map((id) => JSON.stringify({ 'Fn::Sub': `\${${id}.Arn}:*` })).sort());
  });

  it('logs errors to a log group and is traced', () => {
    expect(machine().Properties?.LoggingConfiguration?.Level).toBe('ERROR');
    expect(machine().Properties?.TracingConfiguration?.Enabled).toBe(true);
  });

  it('has every other ASL file in state-machines/ deployed too', () => {
    const deployed = resourcesOfType(template, 'AWS::StepFunctions::StateMachine').map(([, sm]) =>
      JSON.stringify(JSON.parse(sm.Properties?.DefinitionString as string)),
    );
    for (const file of aslFiles()) {
      expect(deployed, path.basename(file)).toContain(JSON.stringify(readAsl(file).definition));
    }
  });

  it('has a fake-ARN helper consistent with the deployed naming', () => {
    expect(fakeFunctionArn('ClassifyUploadFunctionArn')).toMatch(/function:lectern-ci-classifyUpload$/);
  });
});

// ── IAM ───────────────────────────────────────────────────────────────────────────────────────

describe('IAM (least privilege)', () => {
  interface Exception {
    actions: string[];
    reason: string;
  }
  const exceptions = (parseYaml(readFileSync(path.join(REPO_ROOT, 'resources/iam-exceptions.yml'), 'utf8')) as { exceptions: Exception[] }).exceptions;
  const allowedOnStar = new Set(exceptions.flatMap((exception) => exception.actions));

  it('documents a reason for every exception', () => {
    for (const exception of exceptions) expect(exception.reason.length, exception.actions.join()).toBeGreaterThan(20);
  });

  it('never allows Action "*" or a whole service, nor NotAction / NotResource', () => {
    for (const { owner, statement } of identityStatements(template)) {
      if (statement.Effect !== 'Allow') continue;
      expect(statement.NotAction, owner).toBeUndefined();
      expect(statement.NotResource, owner).toBeUndefined();
      for (const action of asList(statement.Action)) {
        expect(action, `${owner} ${statement.Sid ?? ''}`).not.toBe('*');
        expect(action, `${owner} ${statement.Sid ?? ''}`).not.toMatch(/:\*$/);
      }
    }
  });

  it('allows Resource "*" only for the documented exceptions', () => {
    const offenders: string[] = [];
    for (const { owner, statement } of identityStatements(template)) {
      if (statement.Effect !== 'Allow') continue;
      if (!asList(statement.Resource).some((value) => value === '*')) continue;
      for (const action of asList(statement.Action)) if (!allowedOnStar.has(action)) offenders.push(`${owner}: ${action}`);
    }
    expect(offenders).toEqual([]);
  });

  it('scopes S3 object access to the prefixes each function needs', () => {
    for (const { owner, statement } of identityStatements(template)) {
      const actions = asList(statement.Action);
      if (!actions.some((action) => /^s3:(Get|Put|Delete)Object/.test(action))) continue;
      for (const value of asList(statement.Resource)) {
        const text = JSON.stringify(value);
        expect(text, owner).toMatch(/\/(courses|_reports\/courses|_work|public\/courses|access)\/\*'?"?/);
      }
    }
  });

  it('never deletes an object but public lessons\' copies and rejected renditions: a failure keeps the source', () => {
    const deleters: string[] = [];
    for (const { owner, statement } of identityStatements(template)) {
      if (!asList(statement.Action).some((action) => action.startsWith('s3:Delete'))) continue;
      deleters.push(owner);
      expect(asList(statement.Action)).toEqual(['s3:DeleteObject']);
      if (owner === 'VerifyOutputsRole') {
        // A transcode rejected for its duration leaves nothing under its published prefix (docs/video.md).
        expect(asList(statement.Resource)).toEqual([{ 'Fn::Sub': '${PublishedBucket.Arn}/courses/*' }]);
        continue;
      }
      // A lesson made signed stops being served from public/ (docs/access.md); nothing else goes.
      expect(owner).toBe('LessonAccessPolicy');
      expect(asList(statement.Resource)).toEqual([{ 'Fn::Sub': '${PublishedBucket.Arn}/public/courses/*' }]);
    }
    expect(deleters.sort()).toEqual(['LessonAccessPolicy', 'VerifyOutputsRole']);
  });

  it('grants iam:PassRole only on the MediaConvert role', () => {
    for (const { owner, statement } of identityStatements(template)) {
      if (!asList(statement.Action).includes('iam:PassRole')) continue;
      expect(asList(statement.Resource), owner).toEqual([getAtt('MediaConvertRole')]);
    }
  });

  it('lets only the database functions read the database secret or connect with IAM', () => {
    const dbPolicy = 'DatabaseAccessPolicy';
    const attached = resourcesOfType(template, 'AWS::IAM::Role')
      .filter(([, role]) => JSON.stringify(role.Properties?.ManagedPolicyArns ?? []).includes(dbPolicy))
      .map(([id]) => id)
      .sort();
    const inVpc = lambdaFunctions()
      .filter(([, fn]) => fn.Properties?.VpcConfig)
      .map(([, fn]) => (fn.Properties?.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0])
      .sort();
    expect(attached).toEqual(inVpc);
    expect(attached.length).toBeGreaterThan(0);
    for (const { owner, statement } of identityStatements(template)) {
      const actions = asList(statement.Action);
      // grantAccess reads the CDN signing key, and only that (tests/infra/access-template.test.ts).
      if (owner === 'GrantAccessRole' && actions.includes('secretsmanager:GetSecretValue')) continue;
      if (actions.includes('secretsmanager:GetSecretValue') || actions.includes('rds-db:connect')) expect(owner).toBe(dbPolicy);
    }
  });
});

// ── storage ───────────────────────────────────────────────────────────────────────────────────

describe('buckets', () => {
  const buckets = () => resourcesOfType(template, 'AWS::S3::Bucket');
  const policyFor = (bucketId: string) =>
    resourcesOfType(template, 'AWS::S3::BucketPolicy').find(([, policy]) => JSON.stringify(policy.Properties?.Bucket) === JSON.stringify({ Ref: bucketId }))?.[1];

  it('are all encrypted at rest', () => {
    for (const [id, bucket] of buckets()) {
      const rules = bucket.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration as Array<{ ServerSideEncryptionByDefault: { SSEAlgorithm: string } }>;
      expect(rules?.[0]?.ServerSideEncryptionByDefault.SSEAlgorithm, id).toMatch(/^(AES256|aws:kms|aws:kms:dsse)$/);
    }
  });

  it('are all private: every public access blocked', () => {
    for (const [id, bucket] of buckets()) {
      expect(bucket.Properties?.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('all refuse requests without TLS', () => {
    for (const [id] of buckets()) {
      const statements = asList(policyFor(id)?.Properties?.PolicyDocument?.Statement as IamStatement[]);
      const denial = statements.find(
        (statement) => statement.Effect === 'Deny' && JSON.stringify(statement.Condition ?? {}).includes('"aws:SecureTransport":'),
      );
      expect(denial, `${id} has no TLS-only policy`).toBeDefined();
      expect(String((denial?.Condition?.Bool as Record<string, unknown>)['aws:SecureTransport'])).toBe('false');
      expect(asList(denial?.Action)).toContain('s3:*');
      expect(asList(denial?.Resource).length, `${id}: bucket and objects`).toBe(2);
    }
  });

  it('grant nobody public access in their policies', () => {
    for (const [id, policy] of resourcesOfType(template, 'AWS::S3::BucketPolicy')) {
      for (const statement of asList(policy.Properties?.PolicyDocument?.Statement as IamStatement[])) {
        if (statement.Effect === 'Allow') expect(statement.Principal, id).not.toBe('*');
      }
    }
  });

  it('upload bucket: versioned, EventBridge on, incomplete multipart uploads aborted', () => {
    const upload = resource('UploadBucket').Properties ?? {};
    expect(upload.VersioningConfiguration?.Status).toBe('Enabled');
    expect(upload.NotificationConfiguration?.EventBridgeConfiguration?.EventBridgeEnabled).toBe(true);
    const rules = upload.LifecycleConfiguration?.Rules as Array<{ Status: string; AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number } }>;
    expect(rules.some((rule) => rule.Status === 'Enabled' && (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation ?? 0) > 0)).toBe(true);
  });

  it('published bucket: readable only by this stage\'s CloudFront distribution, through OAC', () => {
    const statements = asList(policyFor('PublishedBucket')?.Properties?.PolicyDocument?.Statement as IamStatement[]);
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]?.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(asList(allows[0]?.Action)).toEqual(['s3:GetObject']);
    expect(JSON.stringify(allows[0]?.Condition)).toContain('PublishedDistribution');
    const origins = resource('PublishedDistribution').Properties?.DistributionConfig?.Origins as Array<Record<string, unknown>>;
    expect(origins).toHaveLength(1);
    expect(origins[0]?.OriginAccessControlId).toEqual(getAtt('PublishedOriginAccessControl', 'Id'));
  });
});

// ── CDN ───────────────────────────────────────────────────────────────────────────────────────

describe('CloudFront', () => {
  interface Behavior {
    PathPattern?: string;
    ViewerProtocolPolicy: string;
    CachePolicyId: { Ref: string };
  }
  const config = () =>
    resource('PublishedDistribution').Properties?.DistributionConfig as { DefaultCacheBehavior: Behavior; CacheBehaviors: Behavior[] };
  const policy = (ref: { Ref: string }) => resource(ref.Ref).Properties?.CachePolicyConfig as { MinTTL: number; DefaultTTL: number; MaxTTL: number };

  it('caches versioned outputs for a year and manifests for at most five minutes', () => {
    const immutable = policy(config().DefaultCacheBehavior.CachePolicyId);
    expect(immutable.DefaultTTL).toBeGreaterThanOrEqual(31_536_000);
    expect(immutable.MaxTTL).toBeGreaterThanOrEqual(31_536_000);
    for (const pattern of ['courses/*/manifest.json', 'public/*/manifest.json']) {
      const manifests = config().CacheBehaviors.find((behavior) => behavior.PathPattern === pattern);
      expect(manifests, pattern).toBeDefined();
      const short = policy(manifests!.CachePolicyId);
      expect(short.MaxTTL).toBeLessThanOrEqual(300);
      expect(short.DefaultTTL).toBeLessThanOrEqual(short.MaxTTL);
    }
  });

  it('serves HTTPS only', () => {
    expect(config().DefaultCacheBehavior.ViewerProtocolPolicy).toMatch(/^(redirect-to-https|https-only)$/);
    for (const behavior of config().CacheBehaviors) {
      expect(behavior.ViewerProtocolPolicy).toMatch(/^(redirect-to-https|https-only)$/);
    }
  });
});

// ── ingest ────────────────────────────────────────────────────────────────────────────────────

describe('ingest', () => {
  it('routes "Object Created" under courses/ of the upload bucket to the ingest queue', () => {
    const rule = resource('UploadCreatedRule').Properties ?? {};
    expect(rule.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [{ Ref: 'UploadBucket' }] }, object: { key: [{ prefix: 'courses/' }] } },
    });
    expect(rule.Targets[0].Arn).toEqual(getAtt('IngestQueue'));
    expect(rule.Targets[0].DeadLetterConfig.Arn).toEqual(getAtt('IngestDeadLetterQueue'));
  });

  it('has a queue with a dead-letter queue and a redrive policy', () => {
    expect(resource('IngestQueue').Type).toBe('AWS::SQS::Queue');
    expect(resource('IngestDeadLetterQueue').Type).toBe('AWS::SQS::Queue');
    const redrive = resource('IngestQueue').Properties?.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number };
    expect(redrive.deadLetterTargetArn).toEqual(getAtt('IngestDeadLetterQueue'));
    expect(Number(redrive.maxReceiveCount)).toBeGreaterThan(1);
    for (const id of ['IngestQueue', 'IngestDeadLetterQueue']) expect(resource(id).Properties?.SqsManagedSseEnabled, id).toBe(true);
  });

  it('feeds ingestUpload in batches, reporting item failures, with a visibility timeout ≥ 6× its timeout', () => {
    const [, mapping] = resourcesOfType(template, 'AWS::Lambda::EventSourceMapping').find(
      ([, m]) => JSON.stringify(m.Properties?.EventSourceArn) === JSON.stringify(getAtt('IngestQueue')),
    )!;
    // Through the `live` alias, which CodeDeploy shifts to each new version (see "releases").
    expect(mapping.Properties?.FunctionName).toEqual({ Ref: 'IngestUploadLiveAlias' });
    expect(mapping.Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(mapping.Properties?.BatchSize).toBeGreaterThan(1);
    expect(mapping.Properties?.ScalingConfig?.MaximumConcurrency).toBeGreaterThanOrEqual(2);
    const timeout = resource('IngestUploadLambdaFunction').Properties?.Timeout as number;
    expect(resource('IngestQueue').Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
  });
});

// ── video ─────────────────────────────────────────────────────────────────────────────────────

describe('video (MediaConvert)', () => {
  it('routes only this stage\'s job state changes to transcodeEvents', () => {
    // Video is part of every stage: its function must be in the template.
    expect(template.Resources.TranscodeEventsLambdaFunction, 'TranscodeEventsLambdaFunction').toBeDefined();
    const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) =>
      JSON.stringify(rule.Properties?.Targets).includes('TranscodeEventsLambdaFunction'),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties?.EventPattern).toEqual({
      source: ['aws.mediaconvert'],
      'detail-type': ['MediaConvert Job State Change'],
      detail: { queue: [getAtt('MediaConvertQueue')], userMetadata: { stage: ['ci'] } },
    });
  });

  it('runs jobs in the stage\'s own queue, as the MediaConvert role, which only MediaConvert can assume', () => {
    const variables = resource('SubmitTranscodeLambdaFunction').Properties?.Environment?.Variables as Record<string, unknown>;
    expect(variables.MEDIACONVERT_QUEUE_ARN).toEqual(getAtt('MediaConvertQueue'));
    expect(variables.MEDIACONVERT_ROLE_ARN).toEqual(getAtt('MediaConvertRole'));
    expect(JSON.stringify(resource('MediaConvertRole').Properties?.AssumeRolePolicyDocument)).toContain('mediaconvert.amazonaws.com');
    const createJob = identityStatements(template).filter(({ statement }) => asList(statement.Action).includes('mediaconvert:CreateJob'));
    expect(createJob.map(({ owner }) => owner)).toEqual(['SubmitTranscodeRole']);
    expect(asList(createJob[0]?.statement.Resource)).toEqual([getAtt('MediaConvertQueue')]);
    // Reading and tagging jobs: any job id, but only jobs tagged with this stage.
    const readJobs = identityStatements(template).filter(({ statement }) => asList(statement.Action).includes('mediaconvert:GetJob'));
    expect(readJobs.length).toBeGreaterThan(0);
    for (const { owner, statement } of readJobs) expect(statement.Condition, owner).toEqual({ StringEquals: { 'aws:ResourceTag/stage': 'ci' } });
    const tagJobs = identityStatements(template).filter(({ statement }) => asList(statement.Action).includes('mediaconvert:TagResource'));
    for (const { owner, statement } of tagJobs) expect(statement.Condition, owner).toEqual({ StringEquals: { 'aws:RequestTag/stage': 'ci' } });
    const passRole = identityStatements(template).find(({ statement }) => asList(statement.Action).includes('iam:PassRole'));
    expect(passRole?.statement.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'mediaconvert.amazonaws.com' } });
  });
});

// ── alarms ────────────────────────────────────────────────────────────────────────────────────

describe('alarms', () => {
  const alarms = () => resourcesOfType(template, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});
  const find = (namespace: string, metric: string, dimension: unknown) =>
    alarms().find(
      (alarm) => alarm.Namespace === namespace && alarm.MetricName === metric && JSON.stringify(alarm.Dimensions?.[0]?.Value) === JSON.stringify(dimension),
    );

  it('alarm on failed and timed-out executions', () => {
    const machine = { Ref: 'PublishContentStateMachine' };
    expect(find('AWS/States', 'ExecutionsFailed', machine)).toBeDefined();
    expect(find('AWS/States', 'ExecutionsTimedOut', machine)).toBeDefined();
    expect(find('AWS/Lambda', 'Invocations', { Ref: 'MarkFailedLambdaFunction' }), 'MarkFailed ran').toBeDefined();
  });

  it('alarm on the dead-letter queue', () => {
    expect(find('AWS/SQS', 'ApproximateNumberOfMessagesVisible', getAtt('IngestDeadLetterQueue', 'QueueName'))).toBeDefined();
  });

  it('alarm on errors and throttles of every function', () => {
    for (const [id] of lambdaFunctions()) {
      expect(find('AWS/Lambda', 'Errors', { Ref: id }), `${id} errors`).toBeDefined();
      expect(find('AWS/Lambda', 'Throttles', { Ref: id }), `${id} throttles`).toBeDefined();
    }
  });

  it('all notify the alerts topic', () => {
    for (const alarm of alarms()) expect(alarm.AlarmActions, alarm.AlarmName).toEqual([{ Ref: 'AlertsTopic' }]);
  });
});

// ── bundles ───────────────────────────────────────────────────────────────────────────────────

describe('bundles', () => {
  const layers: readonly string[] = LAYER_NAMES;

  it('are one zip per function, plus one per layer', () => {
    expect(Object.keys(zips).filter((name) => !layers.includes(name)).sort()).toEqual(handlerFunctionNames());
    for (const layer of layers) expect(zips[layer], `${layer}.zip`).toBeGreaterThan(0);
  });

  it.each(handlerFunctionNames())("%s imports nothing but Node's built-ins, and requires nothing from the runtime but its AWS SDK clients", (name) => {
    const dir = mkdtempSync(path.join(tmpdir(), `lectern-${name}-`));
    try {
      const files = extractZip(path.join(PACKAGE_DIR, `${name}.zip`), dir);
      expect(files.filter((file) => !file.endsWith('/')), `${name}.zip`).toEqual([`functions/${kebab(name)}/handler.mjs`]);
      // esbuild reads the bundle's import statements (static and dynamic), leaving each unresolved.
      const entry = path.join(dir, `functions/${kebab(name)}/handler.mjs`);
      const built = buildSync({ entryPoints: [entry], bundle: true, write: false, metafile: true, format: 'esm', platform: 'node', external: ['*'], logLevel: 'silent' });
      const imports = Object.values(built.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
      expect([...new Set(imports)].filter((s) => !s.startsWith('node:') && !builtinModules.includes(s)), name).toEqual([]);
      // The SDK clients are require()d (resources/plugins/esbuild-runtime-sdk.cjs); no other AWS SDK
      // package may be expected from the runtime.
      const code = readFileSync(entry, 'utf8');
      const required = [...code.matchAll(/\(\s*"(@aws-sdk\/[a-z0-9][a-z0-9.-]*)"\s*\)/g)].map((m) => m[1] as string);
      expect(required.filter((s) => !/^@aws-sdk\/client-[a-z0-9-]+$/.test(s)), name).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(handlerFunctionNames())("%s loads in Node 22 from its zip, with just the runtime's AWS SDK clients beside it, and exports handler", (name) => {
    // What the Lambda runtime does first: import the bundle. The runtime provides every
    // @aws-sdk/client-* package, on NODE_PATH, and nothing else; here they are the lockfile's copies.
    const dir = mkdtempSync(path.join(tmpdir(), `lectern-${name}-`));
    try {
      const task = path.join(dir, 'task');
      const files = extractZip(path.join(PACKAGE_DIR, `${name}.zip`), task);
      const entry = files.find((file) => file.endsWith('/handler.mjs'));
      expect(entry, `${name}.zip has no handler.mjs`).toBeDefined();
      const runtimeNodeModules = installRuntimeSdk(dir);
      const probe = spawnSync(
        process.execPath,
        ['--input-type=module', '-e', 'const m = await import(process.argv[1]); if (typeof m.handler !== "function") { console.error("no handler export"); process.exit(3); }', pathToFileURL(path.join(task, entry!)).href],
        {
          cwd: task,
          encoding: 'utf8',
          timeout: 60_000,
          env: { PATH: process.env.PATH, NODE_PATH: runtimeNodeModules, LECTERN_RUNTIME: 'aws', LECTERN_STAGE: 'ci', AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'SILENT' },
        },
      );
      // Nothing on stderr: not pdf.js's advice to use its legacy build in Node either (lectern uses
      // the modern one with its own polyfills, shared/pdf/pdfjs-polyfills.ts).
      expect(probe.stderr, name).toBe('');
      expect(probe.status, name).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validatePdf validates its built-in warm-up PDF during a Lambda init, from its zip and the qpdf layer', () => {
    // As Lambda lays them out: the function's zip in the task folder, the layer in /opt (here a
    // folder that LECTERN_QPDF_DIR names, as serverless.yml does for /opt), and an init marked by
    // AWS_LAMBDA_INITIALIZATION_TYPE. The import returns only once the warm-up has run.
    const dir = mkdtempSync(path.join(tmpdir(), 'lectern-validatePdf-init-'));
    try {
      const task = path.join(dir, 'task');
      const opt = path.join(dir, 'opt');
      extractZip(path.join(PACKAGE_DIR, 'validatePdf.zip'), task);
      extractZip(path.join(PACKAGE_DIR, 'qpdf.zip'), opt);
      const entry = path.join(task, 'functions/validate-pdf/handler.mjs');
      const probe = spawnSync(process.execPath, ['--input-type=module', '-e', 'await import(process.argv[1]); console.log("imported");', pathToFileURL(entry).href], {
        cwd: task,
        encoding: 'utf8',
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          NODE_PATH: installRuntimeSdk(dir),
          AWS_REGION: 'eu-west-1',
          AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
          LECTERN_QPDF_DIR: opt,
          POWERTOOLS_LOG_LEVEL: 'INFO',
        },
      });
      expect(probe.stderr).toBe('');
      expect(probe.status).toBe(0);
      const lines = probe.stdout.trim().split('\n');
      const warmed = lines.map((line) => (line.startsWith('{') ? (JSON.parse(line) as { level?: string; message?: string; ms?: number }) : undefined)).find((log) => log?.message?.includes('warm'));
      expect(warmed).toMatchObject({ level: 'INFO', message: 'PDF validator warmed up during init' });
      expect(warmed!.ms).toBeGreaterThan(0);
      expect(lines.at(-1)).toBe('imported');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("ships MediaInfoLib's WebAssembly in the mediainfo layer, where ProbeVideo is told to find it", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lectern-mediainfo-'));
    try {
      const files = extractZip(path.join(PACKAGE_DIR, 'mediainfo.zip'), dir);
      expect(files).toEqual(['MediaInfoModule.wasm']);
      const installed = readFileSync(path.join(REPO_ROOT, 'node_modules', 'mediainfo.js', 'dist', 'MediaInfoModule.wasm'));
      expect(readFileSync(path.join(dir, 'MediaInfoModule.wasm')).equals(installed)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const layer = resource('MediainfoLambdaLayer');
    expect(layer.Type).toBe('AWS::Lambda::LayerVersion');
    expect(layer.Properties?.CompatibleRuntimes).toEqual(['nodejs22.x']);
    expect(layer.Properties?.CompatibleArchitectures).toEqual(['arm64']);
    const probeVideo = resource(functionLogicalId('probeVideo')).Properties ?? {};
    expect(probeVideo.Layers).toEqual([{ Ref: 'MediainfoLambdaLayer' }]);
    // Lambda extracts layers to /opt.
    expect((probeVideo.Environment as { Variables: Record<string, unknown> }).Variables.LECTERN_MEDIAINFO_WASM).toBe('/opt/MediaInfoModule.wasm');
    // No other function carries the layer.
    for (const [id, fn] of lambdaFunctions()) if (id !== functionLogicalId('probeVideo')) expect(JSON.stringify(fn.Properties?.Layers ?? []), id).not.toContain('Mediainfo');
  });

  it("ships qpdf's WebAssembly and loader in the qpdf layer, where ValidatePdf is told to find them", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lectern-qpdf-'));
    try {
      expect(extractZip(path.join(PACKAGE_DIR, 'qpdf.zip'), dir).sort()).toEqual(['qpdf.js', 'qpdf.wasm']);
      const installed = path.join(REPO_ROOT, 'node_modules', '@neslinesli93', 'qpdf-wasm', 'dist');
      for (const file of ['qpdf.js', 'qpdf.wasm']) expect(readFileSync(path.join(dir, file)).equals(readFileSync(path.join(installed, file))), file).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const validatePdf = resource(functionLogicalId('validatePdf')).Properties ?? {};
    expect(validatePdf.Layers).toEqual([{ Ref: 'QpdfLambdaLayer' }]);
    expect((validatePdf.Environment as { Variables: Record<string, unknown> }).Variables.LECTERN_QPDF_DIR).toBe('/opt');
    for (const [id, fn] of lambdaFunctions()) if (id !== functionLogicalId('validatePdf')) expect(JSON.stringify(fn.Properties?.Layers ?? []), id).not.toContain('Qpdf');
  });

  it.each(handlerFunctionNames())('%s fits its zip budget (200 KB; the PDF validator 1.5 MB)', (name) => {
    const size = zips[name] ?? 0;
    expect(size, `${name}.zip is ${(size / 1000).toFixed(1)} KB`).toBeLessThanOrEqual(bundleBudget(name));
  });
});

// ── releases ──────────────────────────────────────────────────────────────────────────────────

describe('releases', () => {
  const service = parseYaml(readFileSync(path.join(REPO_ROOT, 'serverless.yml'), 'utf8'), { customTags: CFN_YAML_TAGS }) as {
    provider: { deletionProtection?: { stages: string[] } };
    params: { default: Record<string, unknown> };
  };

  it('publishes a version of every function on each deploy, and keeps the old ones', () => {
    for (const [id] of lambdaFunctions()) {
      const version = resource(publishedVersion(id));
      // Serverless names the version by a hash of the code and configuration, and retains it.
      expect(version.DeletionPolicy, id).toBe('Retain');
    }
  });

  it('invokes every function that has a live alias through it, and lets CodeDeploy shift it with alarm rollback', () => {
    const aliases = resourcesOfType(template, 'AWS::Lambda::Alias').filter(([, alias]) => alias.Properties?.Name === 'live');
    expect(aliases.map(([id]) => id)).toContain('IngestUploadLiveAlias');
    for (const [id, alias] of aliases) {
      const functionId = (alias.Properties?.FunctionName as { Ref: string }).Ref;
      expect(alias.Properties?.FunctionVersion, id).toEqual({ 'Fn::GetAtt': [publishedVersion(functionId), 'Version'] });
      const update = (alias as CfnResource & { UpdatePolicy?: { CodeDeployLambdaAliasUpdate?: { DeploymentGroupName: { Ref: string } } } }).UpdatePolicy?.CodeDeployLambdaAliasUpdate;
      expect(update, `${id} is shifted by CodeDeploy`).toBeDefined();
      const group = resource(update!.DeploymentGroupName.Ref).Properties ?? {};
      expect(group.AutoRollbackConfiguration).toEqual({ Enabled: true, Events: expect.arrayContaining(['DEPLOYMENT_STOP_ON_ALARM']) });
      const alarms = (group.AlarmConfiguration as { Enabled: boolean; Alarms: Array<{ Name: { Ref: string } }> });
      expect(alarms.Enabled).toBe(true);
      for (const { Name } of alarms.Alarms) {
        const alarm = resource(Name.Ref).Properties ?? {};
        expect(alarm.Dimensions, `${Name.Ref} watches the alias`).toContainEqual({ Name: 'Resource', Value: { 'Fn::Sub': `\${${functionId}}:live` } });
      }
      // Whatever invokes the function through an event source mapping invokes the alias.
      for (const [mappingId, mapping] of resourcesOfType(template, 'AWS::Lambda::EventSourceMapping')) {
        expect(JSON.stringify(mapping.Properties?.FunctionName), mappingId).not.toContain(`"${functionId}"`);
      }
    }
  });

  it('shifts ingest traffic gradually where it matters (staging, prod), all at once in ci and dev', () => {
    expect(resource('IngestUploadDeploymentGroup').Properties?.DeploymentConfigName).toBe('CodeDeployDefault.LambdaAllAtOnce');
    const params = parseYaml(readFileSync(path.join(REPO_ROOT, 'serverless.yml'), 'utf8'), { customTags: CFN_YAML_TAGS }).params as Record<string, Record<string, unknown>>;
    for (const stage of ['staging', 'prod']) expect(params[stage]?.ingestDeploymentConfig, stage).toMatch(/^CodeDeployDefault\.Lambda(Canary|Linear)/);
  });

  it('bounds the database connections: every database function has a reserved concurrency, their sum within the budget', () => {
    const budget = Number(service.params.default.databaseConnectionBudget);
    const inVpc = lambdaFunctions().filter(([, fn]) => fn.Properties?.VpcConfig);
    expect(inVpc.length).toBeGreaterThan(0);
    let sum = 0;
    for (const [id, fn] of inVpc) {
      const reserved = fn.Properties?.ReservedConcurrentExecutions as number | undefined;
      expect(reserved, `${id} has a reserved concurrency`).toBeGreaterThan(0);
      sum += reserved ?? 0;
    }
    expect(sum).toBeLessThanOrEqual(budget);
  });

  it('turns termination protection on for prod', () => {
    expect(service.provider.deletionProtection?.stages).toContain('prod');
  });
});

describe('operations', () => {
  it('gives every alarm a runbook that exists in docs/runbooks, and sends it to the alert topic', () => {
    const alarms = resourcesOfType(template, 'AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThan(10);
    for (const [id, alarm] of alarms) {
      const properties = alarm.Properties as { AlarmDescription?: unknown; AlarmActions?: unknown[] };
      const description = JSON.stringify(properties.AlarmDescription);
      const runbook = /docs\/runbooks\/([a-z0-9-]+)\.md/.exec(description)?.[1];
      expect(runbook, `${id} links no runbook: ${description}`).toBeDefined();
      expect(existsSync(path.join(REPO_ROOT, 'docs', 'runbooks', `${runbook}.md`)), `${id} → docs/runbooks/${runbook}.md`).toBe(true);
      expect(JSON.stringify(properties.AlarmActions), id).toContain('AlertsTopic');
    }
  });

  it('has a dashboard of uploads by outcome, latency, executions and queues', () => {
    const [[, dashboard]] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard') as [[string, CfnResource]];
    const body = JSON.stringify(dashboard.Properties);
    for (const metric of ['UploadsReceived', 'UploadsPublished', 'UploadsRejected', 'UploadsFailed', 'UploadToPublishedLatency', 'ExecutionsFailed', 'DatabaseConnectionErrors']) {
      expect(body, metric).toContain(metric);
    }
  });

  it('runs the reconciler on a schedule', () => {
    const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, r]) => JSON.stringify(r.Properties).includes('rate('));
    expect(rules.some(([, r]) => JSON.stringify(r.Properties).includes('ReconcileLambdaFunction'))).toBe(true);
  });
});

// ── readiness before class ────────────────────────────────────────────────────────────────────

describe('readiness before class', () => {
  const sweep = () => resource(functionLogicalId('readinessSweep'));
  const policyStatements = (roleId: string): IamStatement[] =>
    ((resource(roleId).Properties?.Policies ?? []) as Array<{ PolicyDocument: { Statement: IamStatement[] } }>).flatMap((p) => p.PolicyDocument.Statement);

  it('runs the readiness sweep every 5 minutes on EventBridge Scheduler, with a role that may invoke only that function', () => {
    const schedules = resourcesOfType(template, 'AWS::Scheduler::Schedule').filter(([, s]) => JSON.stringify(s.Properties).includes('ReadinessSweepLambdaFunction'));
    expect(schedules).toHaveLength(1);
    const [, schedule] = schedules[0]!;
    expect(schedule.Properties?.ScheduleExpression).toBe('rate(5 minutes)');
    expect((schedule.Properties?.Target as { RoleArn: unknown }).RoleArn).toEqual(getAtt('ReadinessSchedulerRole'));
    const trust = JSON.stringify(resource('ReadinessSchedulerRole').Properties?.AssumeRolePolicyDocument);
    expect(trust).toContain('scheduler.amazonaws.com');
    const statements = policyStatements('ReadinessSchedulerRole');
    expect(statements.flatMap((s) => asList(s.Action))).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(statements.map((s) => s.Resource))).not.toContain('"*"');
    expect(JSON.stringify(statements.map((s) => s.Resource))).toContain('ReadinessSweepLambdaFunction');
  });

  it('gives the sweep its own least-privilege role: the database, the two topics, its own logs', () => {
    const roleId = (sweep().Properties?.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    expect(roleId).toBe('ReadinessSweepRole');
    expect(JSON.stringify(resource(roleId).Properties?.ManagedPolicyArns)).toContain('DatabaseAccessPolicy');
    const statements = policyStatements(roleId);
    const actions = statements.flatMap((s) => asList(s.Action)).sort();
    expect(actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'sns:Publish', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    const publish = statements.find((s) => asList(s.Action).includes('sns:Publish'))!;
    expect(asList(publish.Resource)).toEqual([{ Ref: 'EducatorNotificationsTopic' }, { Ref: 'AlertsTopic' }]);
    const env = (sweep().Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env.NOTIFICATIONS_TOPIC_ARN).toEqual({ Ref: 'EducatorNotificationsTopic' });
    expect(env.OPS_ALERTS_TOPIC_ARN).toEqual({ Ref: 'AlertsTopic' });
    expect(env.LECTERN_READINESS_THRESHOLDS).toBe('24h:educator,2h:educator,30m:ops');
  });

  it('alarms on any missed class, linking its runbook, and shows readiness on the dashboard', () => {
    const alarm = resource('MissedClassesAlarm').Properties!;
    expect(alarm).toMatchObject({ Namespace: 'Lectern', MetricName: 'MissedClasses', Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(JSON.stringify(alarm.AlarmDescription)).toContain('missed-class.md');
    expect(existsSync(path.join(REPO_ROOT, 'docs', 'runbooks', 'missed-class.md'))).toBe(true);
    const [[, dashboard]] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard') as [[string, CfnResource]];
    const body = JSON.stringify(dashboard.Properties);
    for (const metric of ['LessonsAtRisk', 'MissedClasses', 'ContentDeliveryLatency']) expect(body, metric).toContain(metric);
  });
});
