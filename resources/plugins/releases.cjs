'use strict';
/**
 * Safe releases (docs/deploy.md, "Releases"). With `provider.versionFunctions: true` every deploy
 * publishes a version of each changed function (kept: serverless retains old versions). This
 * plugin, once the template is complete, points the stack at those versions:
 *
 * - every state machine's `DefinitionSubstitutions` entry `!GetAtt <Fn>LambdaFunction.Arn`
 *   becomes the version ARN this deploy publishes. A Standard execution keeps the definition it
 *   started with, so an execution in flight during a deploy (a transcode wait lasts hours) keeps
 *   calling the code it started with; new executions get the new code.
 * - `!GetAtt <Fn>LambdaFunction.Version` anywhere (resources/releases.yml: the `live` aliases)
 *   becomes the `Version` of that version resource.
 * - event source mappings of a function that has a `live` alias invoke the alias, so CodeDeploy
 *   can shift their traffic gradually and roll back on an alarm.
 *
 * tests/infra/template.test.ts checks the result generically, for every function and alias.
 */
const LIVE_ALIAS = 'live';

class Releases {
  constructor(serverless) {
    this.hooks = {
      'before:aws:package:finalize:saveServiceState': () => point(serverless.service.provider.compiledCloudFormationTemplate.Resources, serverless),
    };
  }
}

function point(resources, serverless) {
  const versionOf = {};
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::Lambda::Version') versionOf[resource.Properties.FunctionName.Ref] = id;
  }
  const version = (functionId, where) => {
    const id = versionOf[functionId];
    if (!id) throw new serverless.classes.Error(`${where} refers to ${functionId}, which has no published version (is provider.versionFunctions true?).`);
    return id;
  };

  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::StepFunctions::StateMachine') continue;
    const substitutions = resource.Properties.DefinitionSubstitutions ?? {};
    for (const [name, value] of Object.entries(substitutions)) {
      const target = value && value['Fn::GetAtt'];
      if (Array.isArray(target) && target[1] === 'Arn' && resources[target[0]]?.Type === 'AWS::Lambda::Function') {
        substitutions[name] = { Ref: version(target[0], `${id} DefinitionSubstitutions.${name}`) };
      }
    }
  }

  const rewriteVersionAttributes = (value, where) => {
    if (Array.isArray(value)) return value.map((item) => rewriteVersionAttributes(item, where));
    if (!value || typeof value !== 'object') return value;
    const target = value['Fn::GetAtt'];
    if (Array.isArray(target) && target[1] === 'Version' && resources[target[0]]?.Type === 'AWS::Lambda::Function') {
      return { 'Fn::GetAtt': [version(target[0], where), 'Version'] };
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewriteVersionAttributes(item, where)]));
  };
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Properties) resource.Properties = rewriteVersionAttributes(resource.Properties, id);
  }

  const liveAlias = {};
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::Lambda::Alias' && resource.Properties.Name === LIVE_ALIAS) liveAlias[resource.Properties.FunctionName.Ref] = id;
  }
  for (const resource of Object.values(resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const target = resource.Properties.FunctionName && resource.Properties.FunctionName['Fn::GetAtt'];
    if (Array.isArray(target) && liveAlias[target[0]]) resource.Properties.FunctionName = { Ref: liveAlias[target[0]] };
  }
}

module.exports = Releases;
