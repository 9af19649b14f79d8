/**
 * The stages the tests package, with the parameters an operator gives each (docs/deploy.md,
 * "Parameters"): here, stand-ins. `ci` needs none; `prod` needs what its `requiredParams` lists.
 */
export interface LintedStage {
  stage: string;
  params: Record<string, string>;
}

export const PROD_STAND_INS: Record<string, string> = { alertEmail: 'ops@example.com' };

/** Packaged and linted by cfn-lint.test.ts (`ci` is packaged by template.test.ts, and linted there). */
export const LINTED_STAGES: LintedStage[] = [{ stage: 'prod', params: PROD_STAND_INS }];
