/**
 * A validator for plain JSON values against a Smithy 2.0 JSON AST model: what the AWS SDK would
 * serialise and the service would accept, checked offline. It walks the shapes from a root shape
 * (e.g. `com.amazonaws.mediaconvert#CreateJobRequest`) and reports every violation with its path:
 *
 * - structures: unknown members (a typo is a violation, never silently dropped), `@required`;
 * - unions: exactly one known member;
 * - enums / intEnums: the value is one of the declared values;
 * - numbers: integer-ness for integer types, `@range`;
 * - strings: `@length` (in Unicode code points) and `@pattern` (ECMA-262, not implicitly anchored);
 * - lists and maps: `@length` on the collection, every member / key / value;
 * - constraint traits on members as well as on target shapes.
 *
 * Member names are the SDK's (PascalCase for MediaConvert), not the wire `@jsonName`s.
 */
import { readFileSync } from 'node:fs';

export interface SmithyTraits {
  [trait: string]: unknown;
}

export interface SmithyMember {
  target: string;
  traits?: SmithyTraits;
}

export interface SmithyShape {
  type: string;
  members?: Record<string, SmithyMember>;
  member?: SmithyMember;
  key?: SmithyMember;
  value?: SmithyMember;
  traits?: SmithyTraits;
}

export interface SmithyModel {
  smithy: string;
  shapes: Record<string, SmithyShape>;
}

export interface Violation {
  /** JSONPath-like location, e.g. `$.Settings.OutputGroups[0].Outputs[1].VideoDescription.Width`. */
  path: string;
  message: string;
}

export interface ValidateOptions {
  /**
   * Replacement `@pattern`s by shape id, for patterns that are known to be wrong in the model (see
   * `MEDIACONVERT_MODEL_QUIRKS`). Each override is a documented, narrow exception.
   */
  patternOverrides?: Record<string, string>;
}

/**
 * The MediaConvert model (api-models-aws, 2025-04-02) declares S3 destinations as
 * `^s3:\/\/$` — a pattern that accepts only the literal string "s3://", while every documented
 * job (and the service itself) takes `s3://bucket/path/name`. The trailing `$` is a generation
 * artefact; the SDK's older model has `^s3:\/\/`. We validate these as prefix patterns, and a test
 * asserts the quirk is still present, so the override goes away when the model is fixed.
 */
export const MEDIACONVERT_MODEL_QUIRKS: Record<string, string> = {
  'com.amazonaws.mediaconvert#__stringPatternS3': '^s3:\\/\\/',
  'com.amazonaws.mediaconvert#__stringPatternHttps': '^https:\\/\\/',
};

const PRELUDE: Record<string, SmithyShape> = {
  'smithy.api#String': { type: 'string' },
  'smithy.api#Boolean': { type: 'boolean' },
  'smithy.api#PrimitiveBoolean': { type: 'boolean' },
  'smithy.api#Byte': { type: 'byte' },
  'smithy.api#PrimitiveByte': { type: 'byte' },
  'smithy.api#Short': { type: 'short' },
  'smithy.api#PrimitiveShort': { type: 'short' },
  'smithy.api#Integer': { type: 'integer' },
  'smithy.api#PrimitiveInteger': { type: 'integer' },
  'smithy.api#Long': { type: 'long' },
  'smithy.api#PrimitiveLong': { type: 'long' },
  'smithy.api#Float': { type: 'float' },
  'smithy.api#PrimitiveFloat': { type: 'float' },
  'smithy.api#Double': { type: 'double' },
  'smithy.api#PrimitiveDouble': { type: 'double' },
  'smithy.api#BigInteger': { type: 'bigInteger' },
  'smithy.api#BigDecimal': { type: 'bigDecimal' },
  'smithy.api#Timestamp': { type: 'timestamp' },
  'smithy.api#Blob': { type: 'blob' },
  'smithy.api#Document': { type: 'document' },
  'smithy.api#Unit': { type: 'structure', members: {} },
};

const INTEGER_TYPES: Record<string, [number, number]> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
  long: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  bigInteger: [-Infinity, Infinity],
};

export function loadSmithyModel(file: string): SmithyModel {
  const model = JSON.parse(readFileSync(file, 'utf8')) as SmithyModel;
  if (!model.smithy?.startsWith('2') || typeof model.shapes !== 'object') throw new Error(`${file} is not a Smithy 2.0 JSON AST model`);
  return model;
}

/** Every violation of `value` against the shape `shapeId` of `model`; empty when valid. */
export function validateAgainstShape(model: SmithyModel, shapeId: string, value: unknown, options: ValidateOptions = {}): Violation[] {
  const violations: Violation[] = [];
  const regexCache = new Map<string, RegExp>();
  const shapeOf = (id: string): SmithyShape => {
    const shape = model.shapes[id] ?? PRELUDE[id];
    if (!shape) throw new Error(`The model has no shape ${id}`);
    return shape;
  };
  const regex = (pattern: string): RegExp => {
    let compiled = regexCache.get(pattern);
    if (!compiled) {
      try {
        compiled = new RegExp(pattern, 'u');
      } catch {
        compiled = new RegExp(pattern); // some model patterns use escapes that unicode mode rejects
      }
      regexCache.set(pattern, compiled);
    }
    return compiled;
  };
  const report = (path: string, message: string) => violations.push({ path, message });

  /** Constraint traits that apply to any shape type: @length, @range, @pattern. */
  const checkConstraints = (path: string, traits: SmithyTraits | undefined, v: unknown, id: string, type: string): void => {
    if (!traits) return;
    const length = traits['smithy.api#length'] as { min?: number; max?: number } | undefined;
    if (length) {
      const size =
        type === 'string' && typeof v === 'string' ? [...v].length
        : Array.isArray(v) ? v.length
        : type === 'map' && v && typeof v === 'object' ? Object.keys(v).length
        : typeof v === 'string' || v instanceof Uint8Array ? (v as string | Uint8Array).length
        : undefined;
      if (size !== undefined) {
        if (length.min !== undefined && size < length.min) report(path, `length ${size} is below the minimum ${length.min}`);
        if (length.max !== undefined && size > length.max) report(path, `length ${size} is above the maximum ${length.max}`);
      }
    }
    const range = traits['smithy.api#range'] as { min?: number; max?: number } | undefined;
    if (range && typeof v === 'number') {
      if (range.min !== undefined && v < range.min) report(path, `${v} is below the minimum ${range.min}`);
      if (range.max !== undefined && v > range.max) report(path, `${v} is above the maximum ${range.max}`);
    }
    const pattern = (options.patternOverrides?.[id] ?? traits['smithy.api#pattern']) as string | undefined;
    if (pattern !== undefined && typeof v === 'string' && !regex(pattern).test(v)) {
      report(path, `${JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)} does not match the pattern ${pattern}`);
    }
  };

  const visit = (path: string, id: string, v: unknown, memberTraits?: SmithyTraits): void => {
    const shape = shapeOf(id);
    if (v === null) {
      report(path, 'null is not a value (leave the member out instead)');
      return;
    }
    switch (shape.type) {
      case 'structure': {
        if (!isPlainObject(v)) return void report(path, `expected an object (${short(id)}), got ${describe(v)}`);
        const members = shape.members ?? {};
        for (const [name, member] of Object.entries(members)) {
          if ((v as Record<string, unknown>)[name] === undefined && member.traits?.['smithy.api#required'] !== undefined) {
            report(`${path}.${name}`, `required member of ${short(id)} is missing`);
          }
        }
        for (const [name, child] of Object.entries(v as Record<string, unknown>)) {
          const member = members[name];
          if (!member) {
            report(`${path}.${name}`, `${short(id)} has no member "${name}"${suggest(name, Object.keys(members))}`);
            continue;
          }
          if (child === undefined) continue;
          visit(`${path}.${name}`, member.target, child, member.traits);
        }
        break;
      }
      case 'union': {
        if (!isPlainObject(v)) return void report(path, `expected an object (union ${short(id)}), got ${describe(v)}`);
        const members = shape.members ?? {};
        const set = Object.entries(v as Record<string, unknown>).filter(([, child]) => child !== undefined);
        if (set.length !== 1) report(path, `union ${short(id)} needs exactly one member, got ${set.length}`);
        for (const [name, child] of set) {
          const member = members[name];
          if (!member) report(`${path}.${name}`, `union ${short(id)} has no member "${name}"${suggest(name, Object.keys(members))}`);
          else visit(`${path}.${name}`, member.target, child, member.traits);
        }
        break;
      }
      case 'list':
      case 'set': {
        if (!Array.isArray(v)) return void report(path, `expected a list (${short(id)}), got ${describe(v)}`);
        const member = shape.member as SmithyMember;
        v.forEach((item, index) => visit(`${path}[${index}]`, member.target, item, member.traits));
        if (shape.type === 'set' || shape.traits?.['smithy.api#uniqueItems'] !== undefined) {
          const seen = new Set(v.map((item) => JSON.stringify(item)));
          if (seen.size !== v.length) report(path, 'items must be unique');
        }
        break;
      }
      case 'map': {
        if (!isPlainObject(v)) return void report(path, `expected an object (map ${short(id)}), got ${describe(v)}`);
        const key = shape.key as SmithyMember;
        const value = shape.value as SmithyMember;
        for (const [k, child] of Object.entries(v as Record<string, unknown>)) {
          visit(`${path}[${JSON.stringify(k)}]<key>`, key.target, k, key.traits);
          if (child !== undefined) visit(`${path}[${JSON.stringify(k)}]`, value.target, child, value.traits);
        }
        break;
      }
      case 'enum': {
        if (typeof v !== 'string') return void report(path, `expected a string (enum ${short(id)}), got ${describe(v)}`);
        const values = Object.values(shape.members ?? {}).map((m) => (m.traits?.['smithy.api#enumValue'] as string | undefined) ?? '');
        if (!values.includes(v)) report(path, `"${v}" is not one of ${short(id)}: ${values.join(', ')}`);
        break;
      }
      case 'intEnum': {
        const values = Object.values(shape.members ?? {}).map((m) => m.traits?.['smithy.api#enumValue'] as number);
        if (typeof v !== 'number' || !values.includes(v)) report(path, `${describe(v)} is not one of ${short(id)}: ${values.join(', ')}`);
        break;
      }
      case 'string':
        if (typeof v !== 'string') return void report(path, `expected a string (${short(id)}), got ${describe(v)}`);
        break;
      case 'boolean':
        if (typeof v !== 'boolean') return void report(path, `expected a boolean, got ${describe(v)}`);
        break;
      case 'byte':
      case 'short':
      case 'integer':
      case 'long':
      case 'bigInteger': {
        if (typeof v !== 'number' || !Number.isInteger(v)) return void report(path, `expected an integer (${short(id)}), got ${describe(v)}`);
        const [min, max] = INTEGER_TYPES[shape.type] as [number, number];
        if (v < min || v > max) report(path, `${v} does not fit a ${shape.type}`);
        break;
      }
      case 'float':
      case 'double':
      case 'bigDecimal':
        if (typeof v !== 'number' || !Number.isFinite(v)) return void report(path, `expected a finite number (${short(id)}), got ${describe(v)}`);
        break;
      case 'timestamp':
        if (!(v instanceof Date) && typeof v !== 'number' && !(typeof v === 'string' && !Number.isNaN(Date.parse(v)))) {
          return void report(path, `expected a timestamp, got ${describe(v)}`);
        }
        break;
      case 'blob':
        if (typeof v !== 'string' && !(v instanceof Uint8Array)) return void report(path, `expected a blob, got ${describe(v)}`);
        break;
      case 'document':
        break;
      default:
        report(path, `shape ${short(id)} of type ${shape.type} cannot be a value`);
        return;
    }
    checkConstraints(path, shape.traits, v, id, shape.type);
    if (memberTraits) checkConstraints(path, memberTraits, v, `${id}$member`, shape.type);
  };

  visit('$', shapeId, value);
  return violations;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

function short(id: string): string {
  return id.slice(id.indexOf('#') + 1);
}

function suggest(name: string, known: string[]): string {
  const lower = name.toLowerCase();
  const close = known.find((k) => k.toLowerCase() === lower);
  return close ? ` (did you mean "${close}"?)` : '';
}

/** Where the shared corpus lives: `$LECTERN_CORPUS`, else `../shared/corpus` beside the checkout. */
export function corpusDir(): string {
  return process.env.LECTERN_CORPUS ?? new URL('../../../shared/corpus', import.meta.url).pathname;
}

/**
 * Whether a missing corpus is a failure: when LECTERN_CORPUS names it (.ci/run does, where the
 * corpus is beside the clone). A clone without it (GitHub's ci.yml) runs every test that needs
 * only the repository; the corpus cases are the extra.
 */
export function corpusRequired(): boolean {
  return process.env.LECTERN_CORPUS !== undefined;
}

/** The AWS API models vendored in this repository (vendor/aws-models/README.md). */
export const AWS_MODEL_FILES = {
  mediaconvert: new URL('../../vendor/aws-models/mediaconvert/mediaconvert-2017-08-29.smithy.json', import.meta.url).pathname,
  transcribe: new URL('../../vendor/aws-models/transcribe/transcribe-2017-10-26.smithy.json', import.meta.url).pathname,
} as const;
