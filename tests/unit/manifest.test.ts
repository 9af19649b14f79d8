import { describe, expect, it } from 'vitest';
import { DamagedManifestError } from '../../shared/contract/errors.js';
import {
  applyToManifest,
  emptyManifest,
  encodeManifest,
  parseManifest,
  serializeManifest,
  withEntries,
  withSortedAssets,
  type LessonManifest,
  type ManifestEntry,
} from '../../shared/contract/manifest.js';

const entry = (assetVersionId: string, sourceEventTime: string): ManifestEntry => ({
  kind: 'pdf',
  version: assetVersionId.slice(-4),
  assetVersionId,
  sourceEventTime,
  url: `https://cdn/${assetVersionId}`,
  outputs: [],
  metadata: {},
});

describe('applyToManifest', () => {
  it('adds an asset to an empty manifest, keeping assets sorted by name', () => {
    const m1 = applyToManifest(emptyManifest('c', 'l'), 'b.pdf', entry('av-1', '2026-01-01T00:00:00.000Z'));
    expect(m1.action).toBe('write');
    const m2 = m1.action === 'write' ? applyToManifest(m1.manifest, 'a.gift', entry('av-2', '2026-01-01T00:00:00.000Z')) : m1;
    expect(m2.action === 'write' && Object.keys(m2.manifest.assets)).toEqual(['a.gift', 'b.pdf']);
  });

  it('is unchanged when the same version is applied again (a retry writes nothing)', () => {
    const m = applyToManifest(emptyManifest('c', 'l'), 'a.pdf', entry('av-1', '2026-01-01T00:00:00.000Z'));
    if (m.action !== 'write') throw new Error('expected a write');
    expect(applyToManifest(m.manifest, 'a.pdf', entry('av-1', '2026-01-01T00:00:00.000Z'))).toEqual({ action: 'unchanged' });
  });

  it('replaces with a newer upload, and never with an older one', () => {
    const m = applyToManifest(emptyManifest('c', 'l'), 'a.pdf', entry('av-new', '2026-01-02T00:00:00.000Z'));
    if (m.action !== 'write') throw new Error('expected a write');
    expect(applyToManifest(m.manifest, 'a.pdf', entry('av-old', '2026-01-01T00:00:00.000Z')).action).toBe('superseded');
    expect(applyToManifest(m.manifest, 'a.pdf', entry('av-newer', '2026-01-03T00:00:00.000Z')).action).toBe('write');
  });
});

describe('parseManifest', () => {
  it('refuses a damaged manifest, saying which and what to do, instead of reading it as empty', () => {
    const key = 'courses/c/lessons/l/manifest.json';
    expect(() => parseManifest('{not json', key)).toThrow(DamagedManifestError);
    expect(() => parseManifest('{not json', key)).toThrow(/courses\/c\/lessons\/l\/manifest\.json cannot be read: it is not JSON.*restore its previous version.*lectern replay/);
    expect(() => parseManifest('{"schemaVersion":2}', key)).toThrow(/not a lectern manifest/);
    expect(() => parseManifest('null', key)).toThrow(DamagedManifestError);
    expect(parseManifest(JSON.stringify(emptyManifest('c', 'l')), key)).toEqual(emptyManifest('c', 'l'));
  });
});

describe('serializeManifest', () => {
  const rich = (name: string): ManifestEntry => ({
    ...entry(`av-${name}`, '2026-01-01T00:00:00.000Z'),
    format: 'gift',
    outputs: [{ name: 'quiz.json', url: `https://cdn/${encodeURIComponent(name)}/quiz.json`, contentType: 'application/json', size: 12 }],
    metadata: { title: 'Ünïcode "quoted" \\ back\nslash', questionCount: 3, captions: [{ label: 'English', key: 'k' }], empty: {}, list: [] },
  });

  it('writes exactly what JSON.stringify(manifest, null, 2) writes, plus a newline', () => {
    const manifests: LessonManifest[] = [
      emptyManifest('c', 'l'),
      { ...emptyManifest('c', 'l'), assets: { 'a.pdf': entry('av-1', '2026-01-01T00:00:00.000Z') } },
      { ...emptyManifest('c', 'l'), assets: { 'Cell "Structure".pdf': rich('x'), 'b\\c.gift': rich('y'), 'ü.vtt': rich('z') } },
      // A manifest written by an older or newer lectern may carry other top-level fields.
      { ...emptyManifest('c', 'l'), assets: { 'a.pdf': rich('a') }, note: 'line\n  "assets": 0' } as LessonManifest,
    ];
    for (const manifest of manifests) expect(serializeManifest(manifest)).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
  });

  it('serialises an entry once while it lives: a second manifest holding it reuses its text', () => {
    const shared = rich('shared');
    const first = serializeManifest({ ...emptyManifest('c', 'l'), assets: { 'a.gift': shared } });
    // Were the entry serialised again, this change (made behind the cache's back) would show.
    (shared.metadata as { title: string }).title = 'changed';
    const second = serializeManifest({ ...emptyManifest('c', 'l'), assets: { 'a.gift': shared, 'b.gift': rich('b') } });
    expect(first).toContain('Ünïcode');
    expect(second).toContain('Ünïcode');
    expect(second).not.toContain('"changed"');
  });
});

describe('withEntries', () => {
  const named = (names: string[]) => Object.fromEntries(names.map((n) => [n, entry(`av-${n}`, '2026-01-01T00:00:00.000Z')]));

  it('merges new names into their place and replaces existing ones, as sorting the whole lesson again would', () => {
    const base = withSortedAssets(emptyManifest('c', 'l'), named(['b.gift', 'd.pdf', 'f.gift', 'Z.gift', 'é.vtt']));
    const changed = new Map(Object.entries(named(['a.gift', 'c.gift', 'd.pdf', 'g.gift', 'ü.gift', 'A.gift'])));
    const merged = withEntries(base, changed);
    const resorted = withSortedAssets(base, { ...base.assets, ...Object.fromEntries(changed) });
    expect(Object.keys(merged.assets)).toEqual(Object.keys(resorted.assets));
    expect(Object.keys(merged.assets)).toEqual(['A.gift', 'Z.gift', 'a.gift', 'b.gift', 'c.gift', 'd.pdf', 'f.gift', 'g.gift', 'é.vtt', 'ü.gift']);
    expect(merged.assets['d.pdf']).toBe(changed.get('d.pdf'));
    expect(merged.assets['b.gift']).toBe(base.assets['b.gift']);
    expect(serializeManifest(merged)).toBe(serializeManifest(resorted));
  });

  it('sorts a manifest that was edited out of order, and names JavaScript lists first (integer-like), as before', () => {
    const unsorted = { ...emptyManifest('c', 'l'), assets: named(['z.gift', 'a.gift']) };
    expect(Object.keys(withEntries(unsorted, new Map(Object.entries(named(['m.gift'])))).assets)).toEqual(['a.gift', 'm.gift', 'z.gift']);
    const numeric = withSortedAssets(emptyManifest('c', 'l'), named(['9', '10', 'b.gift']));
    const merged = withEntries(numeric, new Map(Object.entries(named(['2', 'a.gift']))));
    expect(JSON.stringify(merged)).toBe(JSON.stringify(withSortedAssets(numeric, { ...numeric.assets, ...named(['2', 'a.gift']) })));
  });
});

describe('encodeManifest', () => {
  it('is the UTF-8 of serializeManifest, and reuses an entry\'s bytes only under the name it was encoded for', () => {
    const shared = entry('av-ü', '2026-01-01T00:00:00.000Z');
    const first = { ...emptyManifest('c', 'l'), assets: { 'ä.gift': shared } };
    expect(encodeManifest(first).equals(Buffer.from(`${JSON.stringify(first, null, 2)}\n`))).toBe(true);
    const renamed = { ...emptyManifest('c', 'l'), assets: { 'b.gift': shared, 'ä.gift': shared } };
    expect(encodeManifest(renamed).toString('utf8')).toBe(`${JSON.stringify(renamed, null, 2)}\n`);
  });
});
