import type { Reason } from '../shared/contract/errors.js';
import type { UploadResult } from '../local/local-stack.js';
import type { Painter } from './progress.js';

const MARK = { published: '✓', rejected: '✗', failed: '!' } as const;
const PLAIN: Painter = { green: (t) => t, red: (t) => t, yellow: (t) => t, dim: (t) => t };

export function formatReason(reason: Reason): string {
  const where = reason.line !== undefined ? `line ${reason.line}${reason.column !== undefined ? `, column ${reason.column}` : ''}: ` : '';
  return `${where}${reason.message} [${reason.code}]`;
}

/**
 * The closing summary of `lectern run`: the counts, then what needs the user — rejections and
 * failures with every reason — and the published uploads as a count (each one with `verbose`).
 */
export function formatSummary(results: UploadResult[], options: { verbose?: boolean; color?: Painter } = {}): string {
  const color = options.color ?? PLAIN;
  const count = (status: UploadResult['status']) => results.filter((r) => r.status === status).length;
  const lines = [`lectern: ${results.length} upload(s) — ${count('published')} published, ${count('rejected')} rejected, ${count('failed')} failed`];
  const entry = (r: UploadResult) => {
    const paint = r.status === 'published' ? color.green : color.red;
    lines.push(`  ${paint(`${MARK[r.status]} ${r.status.padEnd(9)}`)} ${r.key}${r.kind ? `  (${r.kind})` : ''}`);
    if (r.url) lines.push(`      ${r.url}`);
    for (const reason of r.reasons) lines.push(`      ${formatReason(reason)}`);
    for (const warning of r.warnings) lines.push(`      ${color.yellow('warning:')} ${formatReason(warning)}`);
  };
  for (const r of results) if (r.status === 'failed') entry(r);
  for (const r of results) if (r.status === 'rejected') entry(r);
  const published = results.filter((r) => r.status === 'published');
  if (options.verbose) published.forEach(entry);
  else if (published.length > 0) {
    const warned = published.filter((r) => r.warnings.length > 0);
    warned.forEach(entry);
    const rest = published.length - warned.length;
    if (rest > 0) lines.push(`  ${color.green(`✓ ${rest} ${warned.length > 0 ? 'more ' : ''}published`)}${color.dim(' (--verbose lists each with its URL)')}`);
  }
  return lines.join('\n');
}
