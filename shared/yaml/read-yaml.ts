/**
 * The one way lectern reads YAML (and JSON, which YAML reads too) from an upload: course.yaml and
 * native quizzes. Safe on hostile text, and every problem comes back as data with its line and
 * column, for the caller to word with its own reason codes. In order:
 *
 * 1. nesting looked at on the text itself (nesting-guard.ts): a 200 KB line of `- ` or `[` never
 *    reaches the parser;
 * 2. the parser's tokens surveyed without recursion (cst-survey.ts): one document only, bounded
 *    depth, values, keys per mapping and misplaced tokens, before the composer builds anything;
 * 3. the document composed as YAML 1.2 with unique keys; its errors and warnings kept;
 * 4. the data built with yaml's alias count capped (the "billion laughs" defence), then what the
 *    aliases expand to bounded (expanded-size.ts: a large value repeated a few times passes the
 *    count).
 *
 * Text in, not bytes: callers decode with `decodeStrictUtf8` first, so a bad byte is reported
 * where it stands.
 */
import { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser, type Document } from 'yaml';
import { documentOffsets, surveyCst } from './cst-survey.js';
import { aliasExpansionOverrun } from './expanded-size.js';
import { findExcessiveNesting } from './nesting-guard.js';
import { firstAliasOffset, offsetOf, unresolvedAlias, type YamlPath } from './node-offset.js';

export type { YamlPath } from './node-offset.js';

export interface YamlLimits {
  /** Deepest `[`/`{` nesting, looked at on the text. */
  maxFlowDepth: number;
  /** Widest indentation on the text, counting each compact `- ` / `? ` as two columns. */
  maxIndent: number;
  /** Deepest nesting of collections, block and flow together. */
  maxDepth: number;
  /** Values in the whole document. */
  maxValues: number;
  /** Keys in one mapping. */
  maxMapKeys: number;
  /** Tokens where YAML does not allow them; past this the text is not YAML. */
  maxSyntaxProblems: number;
  /** Alias resolutions while building the data (yaml's `maxAliasCount`). */
  maxAliasCount: number;
  /** Size the data may reach with every alias written out. */
  maxExpandedBytes: number;
}

export interface YamlPosition {
  line: number;
  column: number;
}

/** A message from the YAML library: its code (`DUPLICATE_KEY`, `TAB_AS_INDENT`…), its text, where. */
export interface YamlMessage {
  code: string;
  message: string;
  offset: number;
  at: YamlPosition;
}

export type YamlProblem =
  /** Text nesting past `maxFlowDepth` (`flow`) or `maxIndent` (`indent`). */
  | { kind: 'nesting'; nesting: 'flow' | 'indent'; at: YamlPosition }
  /** Collections nested past `maxDepth`; no position when the composer ran out of stack. */
  | { kind: 'too-deep'; at?: YamlPosition }
  /** A second document (`---`), where it starts. */
  | { kind: 'documents'; at: YamlPosition }
  | { kind: 'too-many-values' }
  | { kind: 'too-many-keys'; at: YamlPosition }
  /** More than `maxSyntaxProblems` misplaced tokens; the first one. */
  | { kind: 'not-yaml'; at: YamlPosition }
  /** No document at all: nothing but comments and blank lines. */
  | { kind: 'empty' }
  /** The composer's errors, in the order it found them (and an alias with no anchor before it, `BAD_ALIAS`). */
  | { kind: 'syntax'; errors: YamlMessage[] }
  /** yaml's alias count ran out (`detail` is its message); the first alias, if any. */
  | { kind: 'alias-count'; detail: string; firstAlias?: YamlPosition }
  /** The data grows past `maxExpandedBytes` with aliases written out; the alias that takes it there. */
  | { kind: 'alias-expansion'; at: YamlPosition };

/** What the top of the document is: nothing (`---` alone), a mapping, a list, a scalar or an alias. */
export type YamlRootKind = 'nothing' | 'map' | 'seq' | 'scalar' | 'alias';

export interface YamlDocument {
  ok: true;
  value: unknown;
  root: { kind: YamlRootKind; at: YamlPosition };
  warnings: YamlMessage[];
  /** Where the value (or, with `'key'`, the key) at `path` was written; the nearest ancestor when it is missing. */
  locate: (path: YamlPath, target?: 'key' | 'value') => YamlPosition;
}

export type YamlRead = YamlDocument | { ok: false; problem: YamlProblem };

export function readYaml(text: string, limits: YamlLimits): YamlRead {
  const fail = (problem: YamlProblem): YamlRead => ({ ok: false, problem });
  const nesting = findExcessiveNesting(text, limits);
  if (nesting) return fail({ kind: 'nesting', nesting: nesting.kind, at: { line: nesting.line, column: nesting.column } });

  const lineCounter = new LineCounter();
  const at = (offset: number): YamlPosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line: Math.max(1, line), column: Math.max(1, col) };
  };
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const documents = documentOffsets(tokens);
  if (documents.length > 1) return fail({ kind: 'documents', at: at(documents[1]!) });
  const survey = surveyCst(tokens, { maxDepth: limits.maxDepth, maxNodes: limits.maxValues, maxMapKeys: limits.maxMapKeys, maxProblems: limits.maxSyntaxProblems });
  if (survey.widest > limits.maxMapKeys) return fail({ kind: 'too-many-keys', at: at(survey.widestOffset) });
  if (survey.nodes > limits.maxValues) return fail({ kind: 'too-many-values' });
  if (survey.problems > limits.maxSyntaxProblems) return fail({ kind: 'not-yaml', at: at(survey.firstProblemOffset) });
  if (survey.depth > limits.maxDepth) return fail({ kind: 'too-deep', at: at(survey.depthOffset) });

  let composed: Document.Parsed | undefined;
  try {
    // Forced, so that a directive with no document after it (`%YAML 1.2` alone) is an error, not nothing.
    [composed] = new Composer({ prettyErrors: false, uniqueKeys: true, strict: true, version: '1.2' }).compose(tokens, true);
  } catch (error) {
    if (error instanceof RangeError) return fail({ kind: 'too-deep' });
    throw error;
  }
  const doc = composed;
  if (!doc) return fail({ kind: 'empty' });
  const message = (e: { code: string; message: string; pos: [number, number] }): YamlMessage => ({ code: e.code, message: e.message, offset: e.pos[0], at: at(e.pos[0]) });
  if (doc.errors.length > 0) return fail({ kind: 'syntax', errors: doc.errors.map(message) });
  if (documents.length === 0) return fail({ kind: 'empty' });

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  } catch (error) {
    if (!(error instanceof ReferenceError || error instanceof RangeError)) throw error;
    const name = /^Unresolved alias .*: (.+)$/.exec(error.message)?.[1];
    const unresolved = name === undefined ? undefined : unresolvedAlias(doc, name);
    if (name !== undefined && unresolved !== undefined) {
      // A mistake, not an attack: `*name` with no `&name` before it.
      return fail({ kind: 'syntax', errors: [{ code: 'BAD_ALIAS', message: `The alias *${name} has no anchor &${name} before it`, offset: unresolved, at: at(unresolved) }] });
    }
    const alias = firstAliasOffset(doc);
    return fail({ kind: 'alias-count', detail: error.message, ...(alias === undefined ? {} : { firstAlias: at(alias) }) });
  }
  // toJS shares an anchor's value between its aliases; whatever is written from the data would not.
  const overrun = aliasExpansionOverrun(doc, limits.maxExpandedBytes);
  if (overrun) return fail({ kind: 'alias-expansion', at: at(overrun.offset) });

  const contents = doc.contents;
  return {
    ok: true,
    value,
    root: { kind: rootKind(contents), at: at(contents?.range[0] ?? 0) },
    warnings: doc.warnings.map(message),
    locate: (path, target = 'value') => at(offsetOf(doc, path, target)),
  };
}

function rootKind(contents: unknown): YamlRootKind {
  if (contents === null || contents === undefined) return 'nothing';
  if (isMap(contents)) return 'map';
  if (isSeq(contents)) return 'seq';
  if (isAlias(contents)) return 'alias';
  return isScalar(contents) ? 'scalar' : 'nothing';
}
