/**
 * The GitHub workflows parse and validate with GitHub's own workflow parser
 * (@actions/workflow-parser, from actions/languageservices: the schema the Actions service and the
 * VS Code extension use), and say what docs/deploy.md promises: tests on pull requests, OIDC
 * only, staging before an approved production, smoke tests with rollback.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { REPO_ROOT } from './state-machine-helpers.js';

type Parser = typeof import('@actions/workflow-parser');

/**
 * The parser imports its JSON schema without an import attribute, which Node 22 refuses when
 * vitest hands the package to Node as is; bundling it first (esbuild inlines the JSON) sidesteps
 * that without touching the shared vitest config.
 */
async function loadWorkflowParser(): Promise<Parser> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lectern-workflow-parser-'));
  try {
    const outfile = path.join(dir, 'workflow-parser.mjs');
    const bundle = await build({
      stdin: { contents: "export * from '@actions/workflow-parser';", resolveDir: REPO_ROOT },
      bundle: true,
      format: 'esm',
      platform: 'node',
      write: false,
      logLevel: 'silent',
    });
    writeFileSync(outfile, bundle.outputFiles[0]!.contents);
    return (await import(pathToFileURL(outfile).href)) as Parser;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } = await loadWorkflowParser();

const WORKFLOWS = path.join(REPO_ROOT, '.github/workflows');
const files = readdirSync(WORKFLOWS).filter((name) => /\.ya?ml$/.test(name)).sort();
const text = (name: string) => readFileSync(path.join(WORKFLOWS, name), 'utf8');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  uses?: string;
  needs?: string | string[];
  environment?: { name: string } | string;
  permissions?: Record<string, string>;
  services?: Record<string, { image: string }>;
  steps?: Step[];
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, Job & { defaults?: unknown; steps?: Array<Step & { shell?: string }> }>;
}
const workflow = (name: string) => parseYaml(text(name)) as Workflow;

describe.each(files)('.github/workflows/%s', (name) => {
  it("is a valid workflow for GitHub's parser", async () => {
    const result = parseWorkflow({ name, content: text(name) }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((error) => error.message)).toEqual([]);
    expect(result.value).toBeDefined();
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect((template.errors ?? []).map((error) => JSON.stringify(error))).toEqual([]);
    expect(template.jobs.length).toBeGreaterThan(0);
  });

  it('never stores AWS keys: no access key ids or secret keys anywhere', () => {
    expect(text(name)).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key|AKIA[0-9A-Z]{16}/);
  });

  it('starts from read-only repository permissions', () => {
    expect(workflow(name).permissions).toEqual(expect.objectContaining({ contents: 'read' }));
  });

  it('runs every step with pipefail: `shell: bash` for the whole workflow, never overridden', () => {
    // GitHub runs an explicit `shell: bash` as `bash --noprofile --norc -eo pipefail {0}`; the
    // implicit default is `bash -e {0}`, where `cmd | tee` hides cmd's failure.
    expect(workflow(name).defaults?.run?.shell).toBe('bash');
    for (const job of Object.values(workflow(name).jobs)) {
      expect(job.defaults).toBeUndefined();
      for (const step of job.steps ?? []) expect(step.shell, step.name ?? step.run).toBeUndefined();
    }
  });

  it('pins every action by commit SHA (a tag can be moved; a commit cannot)', () => {
    const uses = Object.values(workflow(name).jobs).flatMap((job) => (job.steps ?? []).map((step) => step.uses).filter((u): u is string => !!u));
    for (const action of uses.filter((u) => !u.startsWith('./'))) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
  });
});

describe('.github/scripts', () => {
  it.each(readdirSync(path.join(REPO_ROOT, '.github/scripts')))('%s stops at the first failure, pipelines included', (script) => {
    expect(readFileSync(path.join(REPO_ROOT, '.github/scripts', script), 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n(#.*\n)*set -euo pipefail\n/);
  });
});

it('the validator is not a rubber stamp: a misspelt key is an error', () => {
  const result = parseWorkflow({ name: 'bad.yml', content: 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz:\n      - run: echo\n' }, new NoOperationTraceWriter());
  expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
});

describe('ci.yml', () => {
  const ci = workflow('ci.yml');
  const job = Object.values(ci.jobs)[0] as Job;

  it('runs on pull requests and can be called by the deploy workflow', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['pull_request', 'workflow_call']));
  });

  it('tests against a PostgreSQL service container and through PgBouncer', () => {
    expect(Object.values(job.services ?? {}).map((service) => service.image)).toEqual([expect.stringMatching(/^postgres:/)]);
    const runs = (job.steps ?? []).map((step) => step.run ?? '').join('\n');
    expect(runs).toContain('pgbouncer');
    expect(runs).toContain('.ci/start-pgbouncer.sh');
    expect(runs).toContain('npm test');
    expect(runs).toContain('sls package --stage ci');
  });
});

describe('deploy.yml and deploy-stage.yml', () => {
  const deploy = workflow('deploy.yml');
  const stage = workflow('deploy-stage.yml');
  const steps = (Object.values(stage.jobs)[0] as Job).steps ?? [];
  const runs = steps.map((step) => step.run ?? '');

  it('deploys on pushes to main, tests first, builds once, staging before production', () => {
    expect(deploy.on.push).toEqual({ branches: ['main'] });
    expect(deploy.jobs.test?.uses).toBe('./.github/workflows/ci.yml');
    expect(deploy.jobs.build?.needs).toBe('test');
    expect(deploy.jobs.staging?.needs).toBe('build');
    expect(deploy.jobs.staging?.with).toEqual(expect.objectContaining({ stage: 'staging', environment: 'staging', release: 'release-${{ github.sha }}' }));
    expect(deploy.jobs.production?.needs).toBe('staging');
    expect(deploy.jobs.production?.with).toEqual(expect.objectContaining({ stage: 'prod', environment: 'production', release: 'release-${{ github.sha }}' }));
  });

  it('builds the release once: staging and prod packaged from one checkout, proven to hold the same code', () => {
    const build = (deploy.jobs.build?.steps ?? []).map((step) => step.run ?? '').join('\n');
    expect(build).toMatch(/for stage in staging prod;[\s\S]*npx sls package --stage "\$stage" --package "release\/\$stage"/);
    expect(build).toContain('.github/scripts/same-code.sh release/staging release/prod');
    // Each stage deploys that package as built: no `sls deploy` without --package, no rebuild.
    const deploys = runs.filter((run) => run.includes('sls deploy --stage'));
    expect(deploys).toHaveLength(1);
    expect(deploys[0]).toContain('--package "release/$STAGE"');
    expect(steps.some((step) => step.uses?.startsWith('actions/download-artifact@'))).toBe(true);
  });

  it('bakes each stage with no alarm, smoke-testing again, before the next stage; prod bakes longer', () => {
    const bake = steps.find((step) => step.id === 'bake');
    expect(bake?.run).toContain('.github/scripts/bake.sh "$STAGE"');
    expect(bake?.run).toContain('npx lectern smoke --stage');
    expect(Number(deploy.jobs.production?.with?.['bake-minutes'])).toBeGreaterThanOrEqual(Number(deploy.jobs.staging?.with?.['bake-minutes']));
    expect(Number(deploy.jobs.staging?.with?.['bake-minutes'])).toBeGreaterThan(0);
  });

  it('smoke-tests the signed stage (prod) with a grant, and makes the smoke video with ffmpeg on the runner', () => {
    for (const id of ['smoke', 'bake']) {
      const run = steps.find((step) => step.id === id)?.run ?? '';
      expect(run, id).toMatch(/if \[ "\$STAGE" = prod \]; then\s+LECTERN_GRANT_URL=\$\(output GrantAccessLambdaFunctionUrl\)\s+export LECTERN_GRANT_URL/);
    }
    const ffmpeg = runs.findIndex((run) => /apt-get install .*ffmpeg/.test(run));
    expect(ffmpeg).toBeGreaterThanOrEqual(0);
    expect(ffmpeg).toBeLessThan(runs.findIndex((run) => run.includes('npx lectern smoke --stage')));
  });

  it('deploys the database and network stack first, with termination protection in prod', () => {
    const database = runs.findIndex((run) => run.includes('resources/stacks/database-network.yml'));
    expect(database).toBeGreaterThanOrEqual(0);
    expect(database).toBeLessThan(runs.findIndex((run) => run.includes('sls deploy --stage')));
    expect(runs[database]).toContain('--enable-termination-protection');
  });

  it('runs each stage in its GitHub environment (production: the approval gate)', () => {
    expect((Object.values(stage.jobs)[0] as Job).environment).toEqual({ name: '${{ inputs.environment }}' });
  });

  it('gets AWS credentials only through OIDC role assumption', () => {
    for (const job of [deploy.jobs.staging, deploy.jobs.production]) expect(job?.permissions?.['id-token']).toBe('write');
    const configure = steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials@'));
    expect(configure?.with?.['role-to-assume']).toBe('${{ vars.AWS_DEPLOY_ROLE_ARN }}');
  });

  it('remembers the live deployment, deploys, migrates, smoke-tests, in that order', () => {
    const order = ['npx sls deploy list', 'npx sls deploy --stage', 'npx lectern migrate --stage', 'npx lectern smoke --stage'].map((command) =>
      runs.findIndex((run) => run.includes(command)),
    );
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('rolls back to the previous deployment when the migration or smoke test fails, and still fails', () => {
    const rollback = steps.find((step) => (step.run ?? '').includes('sls rollback'));
    expect(rollback?.if).toContain('failure()');
    expect(rollback?.if).toContain("steps.smoke.outcome == 'failure'");
    expect(rollback?.if).toContain("steps.bake.outcome == 'failure'");
    expect(rollback?.run).toContain('--timestamp "$PREVIOUS"');
    // The step does not swallow the failure: the run stays red because the smoke step failed.
    expect(rollback?.run).not.toMatch(/\|\|\s*true/);
  });
});
