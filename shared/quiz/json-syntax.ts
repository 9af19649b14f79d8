/**
 * Where strict JSON first goes wrong, and how deeply a JSON or YAML text nests its brackets.
 * Both are single linear passes with no recursion, so hostile input cannot blow the stack.
 */

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

/** The first syntax error of a JSON text (RFC 8259), or undefined when it is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const n = text.length;
  const stack: ('{' | '[')[] = [];
  // What the scanner expects next.
  let state: 'value' | 'after-value' | 'key' | 'colon' | 'first-key-or-end' | 'first-value-or-end' = 'value';
  const skipSpace = (): void => {
    while (i < n && ' \t\n\r'.includes(text[i] ?? '')) i++;
  };
  const fail = (message: string): JsonSyntaxError => ({ offset: i, message });
  for (;;) {
    skipSpace();
    const ch = text[i];
    if (state === 'first-key-or-end' && ch === '}') {
      stack.pop();
      i++;
      state = 'after-value';
      continue;
    }
    if (state === 'first-value-or-end' && ch === ']') {
      stack.pop();
      i++;
      state = 'after-value';
      continue;
    }
    if (state === 'key' || state === 'first-key-or-end') {
      if (ch !== '"') return fail(ch === undefined ? 'unexpected end of file, expected a "key"' : `expected a "quoted key", found '${ch}'`);
      const end = scanString(text, i);
      if (typeof end !== 'number') return { offset: end.offset, message: end.message };
      i = end;
      state = 'colon';
      continue;
    }
    if (state === 'colon') {
      if (ch !== ':') return fail(ch === undefined ? "unexpected end of file, expected ':'" : `expected ':' after the key, found '${ch}'`);
      i++;
      state = 'value';
      continue;
    }
    if (state === 'value' || state === 'first-value-or-end') {
      if (ch === undefined) return fail('unexpected end of file, expected a value');
      if (ch === '{') {
        stack.push('{');
        i++;
        state = 'first-key-or-end';
        continue;
      }
      if (ch === '[') {
        stack.push('[');
        i++;
        state = 'first-value-or-end';
        continue;
      }
      if (ch === '"') {
        const end = scanString(text, i);
        if (typeof end !== 'number') return { offset: end.offset, message: end.message };
        i = end;
      } else {
        const literal = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
        if (!literal) return fail(`unexpected '${ch}': expected a value (a "string", a number, true, false, null, {…} or […])`);
        i += literal[0].length;
      }
      state = 'after-value';
      continue;
    }
    // after-value
    const top = stack[stack.length - 1];
    if (top === undefined) return ch === undefined ? undefined : fail(`unexpected '${ch}' after the end of the JSON value`);
    if (ch === ',') {
      i++;
      skipSpace();
      const next = text[i];
      if (next === '}' || next === ']') return fail(`trailing comma before '${next}': remove the comma`);
      state = top === '{' ? 'key' : 'value';
      continue;
    }
    if ((ch === '}' && top === '{') || (ch === ']' && top === '[')) {
      stack.pop();
      i++;
      continue;
    }
    return fail(
      ch === undefined
        ? `unexpected end of file: missing '${top === '{' ? '}' : ']'}'`
        : `expected ',' or '${top === '{' ? '}' : ']'}', found '${ch}'`,
    );
  }
}

function scanString(text: string, start: number): number | JsonSyntaxError {
  let i = start + 1;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (ch === 0x22) return i + 1;
    if (ch < 0x20) return { offset: i, message: 'control character (such as a line break or tab) inside a string: write it as \\n or \\t' };
    if (ch === 0x5c) {
      const esc = text[i + 1] ?? '';
      if ('"\\/bfnrt'.includes(esc) && esc !== '') i += 2;
      else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
      else return { offset: i, message: `invalid escape '\\${esc}' in a string` };
      continue;
    }
    i++;
  }
  return { offset: start, message: 'unterminated string: add the closing "' };
}

/**
 * The deepest nesting of `[ ]` / `{ }` outside quoted strings and comments (YAML flow
 * collections and JSON alike), with the offset where it was reached.
 */
export function maxBracketDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\' && quote === '"') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || (ch === "'" && /[\s[{,:]/.test(text[i - 1] ?? ' '))) quote = ch;
    else if (ch === '#' && /\s/.test(text[i - 1] ?? ' ')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (ch === '[' || ch === '{') {
      depth++;
      if (depth > max) {
        max = depth;
        at = i;
      }
    } else if ((ch === ']' || ch === '}') && depth > 0) depth--;
  }
  return { depth: max, offset: at };
}
