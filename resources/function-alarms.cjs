'use strict';
/**
 * Errors and throttles alarms, one pair per function: every `functions/<kebab-name>/` folder is a
 * serverless function `<camelName>` (STYLE.md rule 5), so a new function gets its pair without a
 * line here. serverless.yml includes this file under `resources` (`${file(...)}`); the alarms of
 * the state machine, the queue and the dead-letter queue are in alarms.yml.
 */
const { readdirSync, existsSync } = require('node:fs');
const path = require('node:path');

/** Per function, what differs from the defaults. */
const OVERRIDES = {
  // Its Lambda errors include its terminal errors (a key that breaks the upload contract): a burst threshold.
  classifyUpload: { errorsThreshold: '${param:classifyErrorsThreshold}' },
};

const camel = (kebab) => kebab.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = (name) => name[0].toUpperCase() + name.slice(1);

function alarm(fn, metric, threshold, description, runbook) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `\${self:service}-\${sls:stage}-${fn}-${metric.toLowerCase()}`,
      AlarmDescription: { 'Fn::Sub': `${description} Runbook: \${param:runbookBaseUrl}/${runbook}` },
      Namespace: 'AWS/Lambda',
      MetricName: metric,
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: `${pascal(fn)}LambdaFunction` } }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: threshold,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: 'AlertsTopic' }],
      OKActions: [{ Ref: 'AlertsTopic' }],
    },
  };
}

function functionAlarms() {
  const root = path.join(__dirname, '..', 'functions');
  const functions = readdirSync(root)
    .filter((dir) => existsSync(path.join(root, dir, 'handler.ts')))
    .map(camel);
  const resources = {};
  for (const fn of functions) {
    const overrides = OVERRIDES[fn] || {};
    resources[`${pascal(fn)}ErrorsAlarm`] = alarm(
      fn,
      'Errors',
      overrides.errorsThreshold || 5,
      `${fn} failed 5 or more times in 5 minutes (rejections are not errors; this is a dependency or a bug).`,
      'lambda-errors.md',
    );
    resources[`${pascal(fn)}ThrottlesAlarm`] = alarm(fn, 'Throttles', 1, `${fn} was throttled.`, 'lambda-throttles.md');
  }
  return { Resources: resources };
}

module.exports = functionAlarms;
