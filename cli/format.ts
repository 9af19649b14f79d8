import type { Reason } from '../shared/errors.js';
import type { UploadResult } from '../local/local-stack.js';

const MARK = { published: '✓', rejected: '✗', failed: '!' } as const;

export function formatReason(reason: Reason): string {
  const where = reason.line !== undefined ? `line ${reason.line}${reason.column !== undefined ? `, column ${reason.column}` : ''}: ` : '';
  return `${where}${reason.message} [${reason.code}]`;
}

export function formatSummary(results: UploadResult[]): string {
  const count = (status: UploadResult['status']) => results.filter((r) => r.status === status).length;
  const lines = [`lectern: ${results.length} upload(s) — ${count('published')} published, ${count('rejected')} rejected, ${count('failed')} failed`];
  for (const r of results) {
    lines.push(`  ${MARK[r.status]} ${r.status.padEnd(9)} ${r.key}${r.kind ? `  (${r.kind})` : ''}`);
    if (r.url) lines.push(`      ${r.url}`);
    for (const reason of r.reasons) lines.push(`      ${formatReason(reason)}`);
    for (const warning of r.warnings) lines.push(`      warning: ${formatReason(warning)}`);
  }
  return lines.join('\n');
}
