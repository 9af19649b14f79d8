'use strict';
/**
 * Fails `sls package` / `sls deploy` of a stage that lacks a parameter its operator must give,
 * naming every missing one in a single message, instead of deploying a stack that fails late (an
 * alerts topic nobody is subscribed to) or stopping at the first unresolved variable.
 *
 * serverless.yml says which params a stage needs (`params.<stage>.requiredParams`, comma-separated)
 * and hands their resolved values here under `custom.requiredParams`; '' means not given.
 */
class RequiredParams {
  constructor(serverless, options) {
    const check = () => {
      const { names = '', values = {} } = serverless.service.custom?.requiredParams ?? {};
      const required = String(names).split(',').map((name) => name.trim()).filter(Boolean);
      const unknown = required.filter((name) => !(name in values));
      if (unknown.length > 0) {
        throw new serverless.classes.Error(`serverless.yml: requiredParams names ${unknown.join(', ')}, which custom.requiredParams.values does not list.`);
      }
      const missing = required.filter((name) => values[name] === undefined || values[name] === null || String(values[name]).trim() === '');
      if (missing.length === 0) return;
      const stage = options.stage ?? serverless.service.provider.stage;
      throw new serverless.classes.Error(
        `Stage ${stage} is missing ${missing.length === 1 ? 'parameter' : 'parameters'} ${missing.join(', ')}. ` +
          `Give ${missing.length === 1 ? 'it' : 'each'} as ${missing.map((name) => `--param ${name}=<value>`).join(' ')} ` +
          '(the deploy workflow passes them from the GitHub environment\'s variables); docs/deploy.md, "Parameters", says what each is.',
      );
    };
    this.hooks = {
      'before:package:initialize': check,
      'before:deploy:deploy': check,
    };
  }
}

module.exports = RequiredParams;
