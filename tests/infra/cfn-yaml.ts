/**
 * YAML tags for CloudFormation's short intrinsic forms (`!Ref`, `!GetAtt`, `!Sub`…), so that
 * serverless.yml and the CloudFormation files of resources/ parse into the JSON form a packaged
 * template has.
 */
import { readFileSync } from 'node:fs';
import { parse, type Tags } from 'yaml';

const FUNCTIONS = ['Base64', 'Cidr', 'Equals', 'FindInMap', 'GetAZs', 'If', 'ImportValue', 'Join', 'Not', 'And', 'Or', 'Select', 'Split', 'Sub', 'Transform'];

export const CFN_YAML_TAGS: Tags = [
  { tag: '!Ref', resolve: (value: string) => ({ Ref: value }) },
  { tag: '!Condition', resolve: (value: string) => ({ Condition: value }) },
  { tag: '!GetAtt', resolve: (value: string) => ({ 'Fn::GetAtt': [value.slice(0, value.indexOf('.')), value.slice(value.indexOf('.') + 1)] }) },
  { tag: '!GetAtt', collection: 'seq', resolve: (value) => ({ 'Fn::GetAtt': (value as { toJSON(): unknown }).toJSON() }) },
  ...FUNCTIONS.flatMap((name) => [
    { tag: `!${name}`, resolve: (value: string) => ({ [`Fn::${name}`]: value }) },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (value: { toJSON(): unknown }) => ({ [`Fn::${name}`]: value.toJSON() }) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (value: { toJSON(): unknown }) => ({ [`Fn::${name}`]: value.toJSON() }) },
  ]),
] as Tags;

export function readCfnYaml<T = Record<string, unknown>>(file: string): T {
  return parse(readFileSync(file, 'utf8'), { customTags: CFN_YAML_TAGS }) as T;
}
