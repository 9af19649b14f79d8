/**
 * Moodle writes categories as `$course$/top/Biology/Cells`; the canonical model keeps only the
 * educator's part, `Biology/Cells`.
 */
export function normaliseCategory(path: string): string | undefined {
  const clean = path
    .trim()
    .replace(/^\$[a-z0-9]+\$\/?/i, '')
    .replace(/^top(\/|$)/, '')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\/+$/, '')
    .trim();
  return clean === '' ? undefined : clean;
}
