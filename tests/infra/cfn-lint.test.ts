/**
 * cfn-lint, the linter AWS maintains, over what a deploy would hand CloudFormation: the packaged
 * template of each kind of stage and the database-and-network stack. It knows the patterns and
 * limits the services themselves enforce (an IAM role's Description may not contain `—`), which
 * the CloudFormation resource specification behind template.test.ts does not carry.
 *
 * Rules switched off, and why, are in .cfnlintrc.yaml: nothing else is ignored. Where cfn-lint is
 * missing the test fails and says how to install it (.ci/run installs it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_TIMEOUT_MS, TEMPLATE_FILE, packageStage } from './package-template.js';
import { REPO_ROOT } from './state-machine-helpers.js';
import { LINTED_STAGES } from './stages.js';

interface LintFinding {
  Rule: { Id: string };
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Location: { Path: Array<string | number>; Start: { LineNumber: number } };
}

/** Every finding of cfn-lint for one template, as `E3031 Resources/X/Properties/Y: message`. */
function cfnLint(template: string): string[] {
  const result = spawnSync('cfn-lint', ['--format', 'json', '--', template], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('cfn-lint is not installed (or not on PATH). Install it with `pip install cfn-lint` (Python 3.9+); .ci/run does this in CI.');
  }
  // Exit status is a bit mask of the levels found (2 error, 4 warning, 8 informational); anything
  // else, or no JSON, is cfn-lint itself failing.
  let findings: LintFinding[];
  try {
    findings = JSON.parse(result.stdout) as LintFinding[];
  } catch {
    throw new Error(`cfn-lint did not run on ${template} (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  }
  return findings.map((finding) => `${finding.Rule.Id} ${finding.Location.Path.join('/')} (line ${finding.Location.Start.LineNumber}): ${finding.Message}`);
}

describe.each(LINTED_STAGES)('cfn-lint on the packaged $stage stage', ({ stage, params }) => {
  const outDir = path.join(REPO_ROOT, `.serverless-lint-${stage}`);

  beforeAll(() => {
    packageStage(stage, { outDir, params });
  }, PACKAGE_TIMEOUT_MS);

  it('finds no error and no warning that .cfnlintrc.yaml does not explain', () => {
    expect(cfnLint(path.join(outDir, path.basename(TEMPLATE_FILE)))).toEqual([]);
  });
});

describe('cfn-lint on the database and network stack', () => {
  it('finds no error and no warning that .cfnlintrc.yaml does not explain', () => {
    expect(cfnLint(path.join(REPO_ROOT, 'resources/stacks/database-network.yml'))).toEqual([]);
  });
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
});
