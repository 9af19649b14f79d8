/**
 * A cheap look at YAML's shape before the YAML parser sees it. Deeply nested input makes the
 * parser recurse (flow `[[[[…`) or build huge indentation patterns (`- - - - …`, thousands of
 * leading spaces) — a 200 KB line of `- ` takes the process down with an out-of-memory error.
 * So we reject nesting beyond sane limits first, with the line and column where it happens.
 *
 * Conservative by construction: brackets count only where they open a flow collection (a value
 * starting with `[`/`{`, or inside one), quoted strings, comments and block scalars are skipped.
 */

export interface NestingLimits {
  /** Deepest `[`/`{` nesting. */
  maxFlowDepth: number;
  /** Widest indentation, counting each compact `- ` / `? ` as two columns. */
  maxIndent: number;
}

export interface NestingProblem {
  line: number;
  column: number;
  kind: 'flow' | 'indent';
}

export function findExcessiveNesting(text: string, limits: NestingLimits): NestingProblem | undefined {
  const lines = text.split('\n');
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let blockScalarIndent = -1;

  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const lead = line.length - line.trimStart().length;
    const blank = line.trim().length === 0;
    if (blockScalarIndent >= 0) {
      if (blank || lead > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    let i = 0;
    if (depth === 0 && quote === undefined) {
      if (blank || line[lead] === '#') continue;
      // Indentation plus compact collection indicators ("- - - x").
      i = lead;
      while (i < line.length && (line[i] === '-' || line[i] === '?' || line[i] === ':') && (line[i + 1] === ' ' || line[i + 1] === '\t')) {
        i += 2;
        while (line[i] === ' ' || line[i] === '\t') i++;
      }
      if (i > limits.maxIndent) return { line: n + 1, column: Math.min(i, limits.maxIndent + 1), kind: 'indent' };
      const value = valueStart(line, i);
      if (value === undefined) continue;
      i = value;
      const c = line[i];
      if (c === '|' || c === '>') {
        blockScalarIndent = lead;
        continue;
      }
      if (c !== '[' && c !== '{') continue;
    }
    // Inside a flow collection (or a quoted string that spans lines).
    for (; i < line.length; i++) {
      const c = line[i];
      if (quote) {
        if (quote === '"' && c === '\\') i++;
        else if (c === quote) {
          if (quote === "'" && line[i + 1] === "'") i++;
          else quote = undefined;
        }
        continue;
      }
      if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:]/.test(line[i - 1]!))) quote = c;
      else if (c === '[' || c === '{') {
        depth++;
        if (depth > limits.maxFlowDepth) return { line: n + 1, column: i + 1, kind: 'flow' };
      } else if ((c === ']' || c === '}') && depth > 0) {
        depth--;
        if (depth === 0) {
          // The rest of the line after a closed flow collection is not structure.
          break;
        }
      }
    }
  }
  return undefined;
}

/**
 * Where the value of a block line starts (after `key:` and any anchor or tag), or the content
 * itself when it is not a `key: value` line; undefined when the rest is a plain or quoted scalar.
 */
function valueStart(line: string, from: number): number | undefined {
  let i = from;
  const c = line[i];
  if (c !== '[' && c !== '{' && c !== '|' && c !== '>' && c !== '&' && c !== '!') {
    // Find "key: " outside quotes; the value follows it.
    let inQuote: string | undefined;
    let found = -1;
    for (let k = i; k < line.length; k++) {
      const ch = line[k];
      if (inQuote) {
        if (ch === inQuote) inQuote = undefined;
        continue;
      }
      if ((ch === '"' || ch === "'") && k === i) inQuote = ch;
      else if (ch === '#' && k > i && /\s/.test(line[k - 1]!)) return undefined;
      else if (ch === ':' && (k + 1 === line.length || line[k + 1] === ' ' || line[k + 1] === '\t')) {
        found = k + 1;
        break;
      }
    }
    if (found === -1) return undefined;
    i = found;
  }
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    // Skip anchors (&a) and tags (!!seq, !local) in front of the value.
    if (line[i] === '&' || line[i] === '!') {
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') i++;
      continue;
    }
    break;
  }
  return i < line.length ? i : undefined;
}
