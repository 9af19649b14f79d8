/**
 * Which caption files a video gets, one per language with the educator's own before an automatic
 * track: the same choice in the HLS ladder (SubmitTranscode, AttachCaptions) and on the preview
 * page's `<video>`.
 */
import { describe, expect, it } from 'vitest';
import type { LessonManifest, ManifestEntry } from '../../../shared/contract/manifest.js';
import { captionsForVideo } from '../../../shared/video/lesson-captions.js';
import { buildPreviewCatalog } from '../../../local/preview/catalog.js';

const CDN = 'https://cdn.example/courses/bio/lessons/cells';

function captions(fileName: string, version: string, metadata: Record<string, unknown>): [string, ManifestEntry] {
  const vtt = fileName.replace(/\.(srt|vtt)$/, '.vtt');
  return [
    fileName,
    {
      kind: 'captions',
      version,
      assetVersionId: `av-${version}`,
      sourceEventTime: '2026-03-01T00:00:00.000Z',
      url: `${CDN}/${fileName}/${version}/${vtt}`,
      outputs: [{ name: vtt, url: `${CDN}/${fileName}/${version}/${vtt}`, contentType: 'text/vtt', size: 100 }],
      metadata: { videoStem: 'lecture', ...metadata },
    },
  ];
}

const manifest: LessonManifest = {
  schemaVersion: 1,
  course: 'bio',
  lesson: 'cells',
  assets: Object.fromEntries([
    [
      'lecture.mp4',
      { kind: 'video', version: 'v1', assetVersionId: 'av-v1', sourceEventTime: '2026-03-01T00:00:00.000Z', url: `${CDN}/lecture.mp4/v1/hls/master.m3u8`, outputs: [], metadata: {} },
    ],
    captions('lecture.en.auto.vtt', 'a1', { language: 'en', automatic: true }),
    captions('lecture.en.srt', 'e1', { language: 'en' }),
    captions('lecture.fr.auto.vtt', 'f1', { language: 'fr', automatic: true }),
    captions('lecture.fr-CA.vtt', 'f2', { language: 'fr-CA' }),
    captions('lecture.pt.auto.vtt', 'p1', { language: 'pt', automatic: true }),
    captions('other.en.vtt', 'o1', { language: 'en', videoStem: 'other' }),
  ]),
};

describe('the captions a video gets', () => {
  it('in its HLS ladder: the educator’s files, and an automatic track only for a language none of theirs covers', () => {
    expect(captionsForVideo(manifest, 'lecture', 'published')).toEqual([
      { bucket: 'published', key: 'courses/bio/lessons/cells/lecture.en.srt/e1/lecture.en.vtt', language: 'en', label: 'English', format: 'vtt' },
      { bucket: 'published', key: 'courses/bio/lessons/cells/lecture.fr-CA.vtt/f2/lecture.fr-CA.vtt', language: 'fr-CA', label: 'Canadian French', format: 'vtt' },
      { bucket: 'published', key: 'courses/bio/lessons/cells/lecture.pt.auto.vtt/p1/lecture.pt.auto.vtt', language: 'pt', label: 'Portuguese (auto-generated)', format: 'vtt' },
    ]);
  });

  it('on the preview page: the same tracks, and every caption file of its stem says which video it belongs to', () => {
    const catalog = buildPreviewCatalog({ generatedAt: '2026-03-01T00:00:00.000Z', source: { mode: 'local', live: true, statuses: false }, manifests: [manifest] });
    const assets = catalog.courses[0]!.lessons[0]!.assets;
    const video = assets.find((a) => a.fileName === 'lecture.mp4')!;
    expect(video.published?.captions).toEqual([
      { fileName: 'lecture.en.srt', label: 'English', language: 'en', url: `${CDN}/lecture.en.srt/e1/lecture.en.vtt` },
      { fileName: 'lecture.fr-CA.vtt', label: 'Canadian French', language: 'fr-CA', url: `${CDN}/lecture.fr-CA.vtt/f2/lecture.fr-CA.vtt` },
      { fileName: 'lecture.pt.auto.vtt', label: 'Portuguese (auto-generated)', language: 'pt', url: `${CDN}/lecture.pt.auto.vtt/p1/lecture.pt.auto.vtt` },
    ]);
    expect(assets.filter((a) => a.captionsFor === 'lecture.mp4').map((a) => a.fileName).sort()).toEqual(['lecture.en.auto.vtt', 'lecture.en.srt', 'lecture.fr-CA.vtt', 'lecture.fr.auto.vtt', 'lecture.pt.auto.vtt']);
  });
});
