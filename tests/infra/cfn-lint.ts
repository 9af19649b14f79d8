/**
 * cfn-lint (Python; `pip install cfn-lint`, .ci/run installs it), run over one template with the
 * repository's .cfnlintrc.yaml.
 */
import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from './state-machine-helpers.js';

interface LintFinding {
  Rule: { Id: string };
  Level: 'Error' | 'Warning' | 'Informational';
  Message: string;
  Location: { Path: Array<string | number> | null; Start: { LineNumber: number } };
}

/** cfn-lint loads its rules and schemas first: over a minute on a busy 2-core machine. */
export const CFN_LINT_TIMEOUT_MS = 300_000;

/** Every finding of cfn-lint for one template, as `E3031 Resources/X/Properties/Y: message`. */
export function cfnLint(template: string): string[] {
  const result = spawnSync('cfn-lint', ['--format', 'json', '--', template], { cwd: REPO_ROOT, encoding: 'utf8', timeout: CFN_LINT_TIMEOUT_MS });
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
  return findings.map((finding) => `${finding.Rule.Id} ${(finding.Location.Path ?? []).join('/')} (line ${finding.Location.Start.LineNumber}): ${finding.Message}`);
}

