/**
 * cfn-lint, the linter AWS maintains, over what a deploy would hand CloudFormation: the packaged
 * template of each kind of stage and the database-and-network stack. It knows the patterns and
 * limits the services themselves enforce (an IAM role's Description may not contain `—`), which
 * the CloudFormation resource specification behind template.test.ts does not carry.
 *
 * Rules switched off, and why, are in .cfnlintrc.yaml: nothing else is ignored. Where cfn-lint is
 * missing the test fails and says how to install it (.ci/run installs it). The `ci` stage is
 * linted by template.test.ts, which packages it anyway (one packaging fewer on a busy machine).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_TIMEOUT_MS, TEMPLATE_FILE, packageStage } from './package-template.js';
import { REPO_ROOT } from './state-machine-helpers.js';
import { LINTED_STAGES } from './stages.js';
import { CFN_LINT_TIMEOUT_MS, cfnLint } from './cfn-lint.js';

describe.each(LINTED_STAGES)('cfn-lint on the packaged $stage stage', ({ stage, params }) => {
  const outDir = path.join(REPO_ROOT, `.serverless-lint-${stage}`);

  beforeAll(() => {
    packageStage(stage, { outDir, params });
  }, PACKAGE_TIMEOUT_MS);

  it('finds no error and no warning that .cfnlintrc.yaml does not explain', () => {
    expect(cfnLint(path.join(outDir, path.basename(TEMPLATE_FILE)))).toEqual([]);
  }, CFN_LINT_TIMEOUT_MS);
});

describe('cfn-lint on the database and network stack', () => {
  it('finds no error and no warning that .cfnlintrc.yaml does not explain', () => {
    expect(cfnLint(path.join(REPO_ROOT, 'resources/stacks/database-network.yml'))).toEqual([]);
  }, CFN_LINT_TIMEOUT_MS);
});

it('is no rubber stamp: an IAM role description with an em dash is an error (E3031)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lectern-cfn-lint-'));
  try {
    const template = path.join(dir, 'template.json');
    const role = { Type: 'AWS::IAM::Role', Properties: { Description: 'lectern \u2014 a role', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } };
    writeFileSync(template, JSON.stringify({ Resources: { Role: role } }));
    expect(cfnLint(template).map((finding) => finding.slice(0, 5))).toEqual(['E3031']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, CFN_LINT_TIMEOUT_MS);

it('refuses to package a stage without its required parameters, naming every one and how to give it', () => {
  // Fails before anything is bundled: quick.
  expect(() => packageStage('prod', { outDir: path.join(REPO_ROOT, '.serverless-lint-missing') })).toThrow(
    /Stage prod is missing parameters alertEmail, cdnPublicKeyA, corsAllowedOrigins\. Give each as --param alertEmail=<value> --param cdnPublicKeyA=<value> --param corsAllowedOrigins=<value> .*docs\/deploy\.md, "Parameters"/,
  );
}, PACKAGE_TIMEOUT_MS);

