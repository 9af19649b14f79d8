/**
 * Reads a V8 `.cpuprofile` (from `node --cpu-prof`) and sums self time by function and by
 * package/file, so a benchmark can say where its time went without a browser's DevTools.
 * Usage: `npx tsx bench/lib/cpu-profile.ts <file.cpuprofile> [top]`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: Array<{ name: string; ms: number }>;
  byArea: Array<{ name: string; ms: number }>;
}

/** `node_modules/<pkg>` → the package; lectern's own files → their path; else the category. */
function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  if (url.startsWith('node:')) return url;
  const own = /\/work\/[^/]+\/(.+)$/.exec(url) ?? /\/((?:shared|local|functions|bench|cli)\/.+)$/.exec(url);
  return own ? own[1]! : url;
}

export function summarise(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const fn = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = area(url, functionName);
    const key = `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    areas.set(where, (areas.get(where) ?? 0) + us);
  }
  const sorted = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000 }));
  return { totalMs: (profile.endTime - profile.startTime) / 1000, byFunction: sorted(fn), byArea: sorted(areas) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: tsx bench/lib/cpu-profile.ts <file.cpuprofile> [top]');
  const s = summarise(file, Number(top ?? 25));
  console.log(`total ${s.totalMs.toFixed(0)} ms`);
  console.log('\nby area (self time):');
  for (const a of s.byArea) console.log(`${a.ms.toFixed(1).padStart(9)} ms  ${a.name}`);
  console.log('\nby function (self time):');
  for (const f of s.byFunction) console.log(`${f.ms.toFixed(1).padStart(9)} ms  ${f.name}`);
}
