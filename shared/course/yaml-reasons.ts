/**
 * course.yaml read with the shared YAML reader (shared/yaml/read-yaml.ts) under the course's
 * limits, and each problem it finds worded as a `course.*` reason: what, where, how to fix.
 * A usable file is a mapping ("key: value" lines); anything else is rejected here too.
 */
import type { Reason } from '../contract/errors.js';
import { quote } from '../contract/reasons.js';
import { readYaml, type YamlDocument, type YamlLimits, type YamlMessage, type YamlProblem } from '../yaml/read-yaml.js';
import type { CourseLimits } from './course-limits.js';
import { courseReason } from './course-reasons.js';

/** Guards beyond what `CourseLimits` sets: far past any course.yaml, well before the parser strains. */
const MAX_DEPTH = 64;
const MAX_VALUES = 200_000;
const MAX_MAP_KEYS = 1000;
const MAX_SYNTAX_PROBLEMS = 50;

export type CourseYaml = { ok: true; yaml: YamlDocument; warnings: Reason[] } | { ok: false; reasons: Reason[] };

export function readCourseYaml(text: string, fileName: string, limits: CourseLimits): CourseYaml {
  const read = readYaml(text, yamlLimits(limits));
  if (!read.ok) return { ok: false, reasons: problemReasons(read.problem, text, fileName, limits) };
  if (read.root.kind === 'nothing' || (read.root.kind === 'scalar' && read.value === null)) return { ok: false, reasons: [noContent(fileName)] };
  if (read.root.kind !== 'map' && read.root.kind !== 'alias') {
    return {
      ok: false,
      reasons: [
        courseReason(
          'course.not-a-mapping',
          `${fileName} must be a set of "key: value" lines (title, description, lessons…), but it is ${read.root.kind === 'seq' ? 'a list' : 'a single value'} (line 1). See docs/course-yaml.md for an example.`,
          read.root.at,
        ),
      ],
    };
  }
  return { ok: true, yaml: read, warnings: read.warnings.map(warningReason) };
}

function yamlLimits(limits: CourseLimits): YamlLimits {
  return {
    maxFlowDepth: limits.maxFlowDepth,
    maxIndent: limits.maxIndent,
    maxDepth: MAX_DEPTH,
    maxValues: MAX_VALUES,
    maxMapKeys: MAX_MAP_KEYS,
    maxSyntaxProblems: MAX_SYNTAX_PROBLEMS,
    maxAliasCount: limits.maxAliasCount,
    // Aliases may not make the data larger than the largest course.yaml accepted, written out.
    maxExpandedBytes: limits.maxBytes,
  };
}

const THREE_LEVELS = 'A course.yaml needs three levels at most: the course, its lessons list, and each lesson.';

function problemReasons(problem: YamlProblem, text: string, fileName: string, limits: CourseLimits): Reason[] {
  switch (problem.kind) {
    case 'nesting': {
      const what = problem.nesting === 'flow' ? `more than ${limits.maxFlowDepth} levels of [ ] or { }` : `more than ${limits.maxIndent} columns of indentation`;
      return [courseReason('course.too-deep', `${fileName} nests too deeply at line ${problem.at.line}, column ${problem.at.column} (${what}). ${THREE_LEVELS}`, problem.at)];
    }
    case 'too-deep':
      return problem.at
        ? [courseReason('course.too-deep', `${fileName} nests too deeply at line ${problem.at.line}, column ${problem.at.column} (more than ${MAX_DEPTH} levels of lists and mappings). ${THREE_LEVELS}`, problem.at)]
        : [courseReason('course.too-deep', `${fileName} nests too deeply to read. A course.yaml needs three levels at most.`)];
    case 'documents':
      return [syntaxReason({ code: 'MULTIPLE_DOCS', message: 'Source contains multiple documents; please use YAML.parseAllDocuments()', offset: 0, at: problem.at }, text, fileName)];
    case 'too-many-keys':
      return [courseReason('course.too-large', `${fileName} has a mapping with more than ${MAX_MAP_KEYS} keys at line ${problem.at.line}, column ${problem.at.column}: a course.yaml never needs that.`, problem.at)];
    case 'too-many-values':
      return [courseReason('course.too-large', `${fileName} holds more than ${MAX_VALUES.toLocaleString('en')} values: a course.yaml never needs that. Shorten it.`)];
    case 'not-yaml':
      return [
        courseReason(
          'course.syntax',
          `${fileName} is not valid YAML: it has more than ${MAX_SYNTAX_PROBLEMS} syntax problems, the first at line ${problem.at.line}, column ${problem.at.column}. Fix that one first (check the indentation and quoting there), then upload it again.`,
          problem.at,
        ),
      ];
    case 'empty':
      return [noContent(fileName)];
    case 'syntax':
      return problem.errors.map((error) => syntaxReason(error, text, fileName));
    case 'alias-count': {
      const alias = problem.firstAlias;
      return [
        courseReason(
          'course.too-many-aliases',
          `${fileName} uses YAML aliases (*name) that expand to too much data${alias ? `, starting at line ${alias.line}` : ''}. Write the values out instead of using anchors (&name) and aliases.`,
          alias,
        ),
      ];
    }
    case 'alias-expansion':
      return [
        courseReason(
          'course.too-many-aliases',
          `${fileName} grows past ${limits.maxBytes.toLocaleString('en')} bytes once its YAML aliases (*name) are expanded (the alias at line ${problem.at.line}, column ${problem.at.column} takes it there). Write the repeated values out once instead of through anchors (&name) and aliases.`,
          problem.at,
        ),
      ];
  }
}

function noContent(fileName: string): Reason {
  return courseReason('course.empty', `${fileName} has no content, only comments or empty lines. Write at least a title, e.g. "title: Introduction to Biology".`);
}

function syntaxReason(error: YamlMessage, text: string, fileName: string): Reason {
  const p = error.at;
  const message = error.message.replace(/\s+/g, ' ').trim().replace(/\.$/, '');
  if (error.code === 'DUPLICATE_KEY') {
    const key = /^[^:\n]{1,60}/.exec(text.slice(error.offset))?.[0]?.trim();
    const named = key ? `The key ${quote(key)}` : 'A key';
    return courseReason('course.duplicate-key', `${named} appears twice in the same block (the second time at line ${p.line}, column ${p.column}). Keep one of them.`, p);
  }
  const hint =
    error.code === 'TAB_AS_INDENT' ? 'Indent with spaces, not tabs.'
    : error.code === 'BAD_ALIAS' ? 'Put the anchor (&name) on the value before any alias (*name) that repeats it, or write the value out.'
    : error.code === 'MULTIPLE_DOCS' ? `${fileName} holds a single YAML document: remove the "---" line and what follows it.`
    : 'Check the indentation and quoting there: text containing ": " or " #", or starting with [ { & * ! | > \' " % @ or `, must be in quotes.';
  return courseReason('course.syntax', `${fileName} is not valid YAML at line ${p.line}, column ${p.column}: ${message}. ${hint}`, p);
}

function warningReason(warning: YamlMessage): Reason {
  const p = warning.at;
  const hint = warning.code === 'TAG_RESOLVE_FAILED' ? ' The value was read as plain text; remove the tag.' : '';
  return courseReason('course.yaml-warning', `${warning.message.replace(/\s+/g, ' ').trim().replace(/\.$/, '')} at line ${p.line}, column ${p.column}.${hint}`, p);
}
