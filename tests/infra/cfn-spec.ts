/**
 * Checks a CloudFormation template against the CloudFormation resource specification, offline:
 * the database the AWS CDK generates its L1 classes from (@aws-cdk/aws-service-spec). What it
 * catches before a deployment would: unknown resource types, misspelt or misplaced properties,
 * missing required properties, wrong literal types and values outside an enum, `Ref` /
 * `Fn::GetAtt` / `Fn::Sub` pointing at resources or attributes that do not exist.
 *
 * Values given by intrinsic functions are not evaluated (their shape is CloudFormation's
 * business); literals are checked all the way down.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { CfnTemplate } from './package-template.js';

interface SpecType {
  type: string;
  element?: SpecType;
  types?: SpecType[];
  reference?: { $ref: string };
  allowedValues?: string[];
}
interface SpecProperty {
  type: SpecType;
  required?: boolean;
  previousTypes?: SpecType[];
}
interface SpecShape {
  name?: string;
  properties?: Record<string, SpecProperty>;
}
interface SpecResource extends SpecShape {
  cloudFormationType: string;
  attributes?: Record<string, unknown>;
}

export interface CfnSpec {
  resources: Map<string, SpecResource>;
  types: Map<string, SpecShape>;
}

export function loadCfnSpec(): CfnSpec {
  const packageJson = createRequire(import.meta.url).resolve('@aws-cdk/aws-service-spec/package.json');
  const db = JSON.parse(gunzipSync(readFileSync(path.join(path.dirname(packageJson), 'db.json.gz'))).toString('utf8')) as {
    schema: { resource: { entities: Array<SpecResource & { $id: string }> }; typeDefinition: { entities: Array<SpecShape & { $id: string }> } };
  };
  return {
    resources: new Map(db.schema.resource.entities.map((entity) => [entity.cloudFormationType, entity])),
    types: new Map(db.schema.typeDefinition.entities.map((entity) => [entity.$id, entity])),
  };
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

function isIntrinsic(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
}

/** Every problem found, as `Resource.Property.Path: what is wrong`. */
export function validateTemplate(template: CfnTemplate & { Parameters?: Record<string, unknown> }, spec: CfnSpec): string[] {
  const problems: string[] = [];

  const check = (where: string, value: unknown, type: SpecType): string[] => {
    if (isIntrinsic(value)) return [];
    switch (type.type) {
      case 'json':
        return [];
      case 'string':
      case 'date-time': {
        if (typeof value !== 'string' && typeof value !== 'number') return [`${where}: expected a string, got ${JSON.stringify(value)}`];
        if (type.allowedValues && typeof value === 'string' && !type.allowedValues.includes(value)) {
          return [`${where}: "${value}" is not one of ${type.allowedValues.join(', ')}`];
        }
        return [];
      }
      case 'integer':
      case 'number':
        return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) ? [] : [`${where}: expected a number, got ${JSON.stringify(value)}`];
      case 'boolean':
        return typeof value === 'boolean' || value === 'true' || value === 'false' ? [] : [`${where}: expected a boolean, got ${JSON.stringify(value)}`];
      case 'tag':
        return value && typeof value === 'object' && 'Key' in value && 'Value' in value ? [] : [`${where}: expected a { Key, Value } tag`];
      case 'array':
        if (!Array.isArray(value)) return [`${where}: expected a list`];
        return value.flatMap((item, index) => (isIntrinsic(item) ? [] : check(`${where}[${index}]`, item, type.element ?? { type: 'json' })));
      case 'map':
        if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${where}: expected a map`];
        return Object.entries(value).flatMap(([key, item]) => check(`${where}.${key}`, item, type.element ?? { type: 'json' }));
      case 'union': {
        const attempts = (type.types ?? []).map((member) => check(where, value, member));
        return attempts.some((found) => found.length === 0) ? [] : (attempts[0] ?? [`${where}: matches no alternative`]);
      }
      case 'ref': {
        const shape = spec.types.get(type.reference?.$ref ?? '');
        return shape ? checkShape(where, value, shape) : [];
      }
      default:
        return [];
    }
  };

  const checkShape = (where: string, value: unknown, shape: SpecShape): string[] => {
    if (isIntrinsic(value)) return [];
    if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${where}: expected an object (${shape.name ?? 'properties'})`];
    const found: string[] = [];
    const properties = shape.properties ?? {};
    for (const [name, item] of Object.entries(value)) {
      const property = properties[name];
      if (!property) {
        found.push(`${where}.${name}: no such property (${shape.name ?? 'here'} has ${Object.keys(properties).join(', ')})`);
        continue;
      }
      const errors = check(`${where}.${name}`, item, property.type);
      const older = (property.previousTypes ?? []).some((previous) => check(`${where}.${name}`, item, previous).length === 0);
      if (errors.length > 0 && !older) found.push(...errors);
    }
    for (const [name, property] of Object.entries(properties)) {
      if (property.required && !(name in value)) found.push(`${where}.${name}: required but missing`);
    }
    return found;
  };

  const resources = template.Resources;
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') continue;
    const resourceSpec = spec.resources.get(resource.Type);
    if (!resourceSpec) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    problems.push(...checkShape(id, resource.Properties ?? {}, resourceSpec));
  }

  // References: Ref, Fn::GetAtt and ${…} in Fn::Sub point at things that exist.
  const parameters = new Set(Object.keys(template.Parameters ?? {}));
  const attributeExists = (id: string, attribute: string): boolean => {
    const resource = resources[id];
    if (!resource) return false;
    if (resource.Type.startsWith('Custom::')) return true;
    const attributes = spec.resources.get(resource.Type)?.attributes ?? {};
    return attribute in attributes || attribute.split('.')[0]! in attributes;
  };
  const visit = (where: string, value: unknown, subVariables: Set<string>): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => visit(`${where}[${index}]`, item, subVariables));
      return;
    }
    if (!value || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if (typeof object.Ref === 'string') {
      const target = object.Ref;
      if (!resources[target] && !parameters.has(target) && !PSEUDO_PARAMETERS.has(target)) problems.push(`${where}: Ref to unknown ${target}`);
    }
    const getAtt = object['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string' && !attributeExists(getAtt[0], getAtt[1])) {
      problems.push(`${where}: Fn::GetAtt ${getAtt[0]}.${getAtt[1]} does not exist`);
    }
    const sub = object['Fn::Sub'];
    if (sub !== undefined) {
      const [text, variables] = Array.isArray(sub) ? [sub[0], sub[1] as Record<string, unknown>] : [sub, {}];
      const local = new Set([...subVariables, ...Object.keys(variables ?? {})]);
      if (typeof text === 'string') {
        for (const match of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const name = match[1]!;
          if (local.has(name) || PSEUDO_PARAMETERS.has(name) || parameters.has(name)) continue;
          const [id, ...attribute] = name.split('.');
          if (attribute.length === 0 ? !resources[id!] : !attributeExists(id!, attribute.join('.'))) problems.push(`${where}: Fn::Sub refers to unknown \${${name}}`);
        }
      }
      if (variables) visit(`${where}.Fn::Sub`, variables, subVariables);
      return;
    }
    for (const [key, item] of Object.entries(object)) visit(`${where}.${key}`, item, subVariables);
  };
  for (const [id, resource] of Object.entries(resources)) {
    visit(id, resource.Properties ?? {}, new Set());
    for (const dependency of [resource.DependsOn ?? []].flat()) {
      if (!resources[dependency]) problems.push(`${id}: DependsOn unknown ${dependency}`);
    }
    if (resource.Condition && !(resource.Condition in (template.Conditions ?? {}))) problems.push(`${id}: unknown Condition ${resource.Condition}`);
  }
  visit('Outputs', template.Outputs ?? {}, new Set());
  return problems;
}
