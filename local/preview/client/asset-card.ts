/**
 * One file's card on the lesson page, in three parts updated on their own when new data arrives
 * (live-view.ts): its head, its status (published, processing, rejected with every reason, failed
 * with the replay command) and its content (player, PDF, image, quiz mount, captions note).
 */
import type { PreviewAsset, PreviewCatalog } from '../catalog.js';
import { formatBytes, formatClock, languageName, plural } from './format.js';
import { escapeHtml } from './html.js';
import { badge, failedBlock, kindLabel, reasonList, timeTag, warningsBlock } from './pieces.js';
import { assetId } from './route.js';

/** The three independently updated parts of an asset card, each with a key that says when it changed. */
export function assetParts(catalog: PreviewCatalog, asset: PreviewAsset): { id: string; head: string; status: string; content: string; contentKey: string } {
  const id = assetId(asset.fileName);
  const subtitle = assetSubtitle(asset);
  const head = `<div class="asset-title"><span class="kind-tag kind-${escapeHtml(asset.kind || 'file')}">${escapeHtml(kindLabel(asset.kind))}</span><h2 id="${id}-title" class="asset-name">${escapeHtml(asset.fileName)}</h2>${
    subtitle ? `<p class="asset-subtitle">${escapeHtml(subtitle)}</p>` : ''
  }</div>${badge(asset.state)}`;
  const status = statusBlock(catalog, asset);
  const content = contentBlock(asset, id);
  return { id, head, status, content, contentKey: asset.published ? `${asset.published.assetVersionId}:${(asset.published.captions || []).map((c) => c.url).join(',')}` : 'none' };
}

export function renderAsset(catalog: PreviewCatalog, asset: PreviewAsset): string {
  const p = assetParts(catalog, asset);
  return `<article class="asset asset-${escapeHtml(asset.state)}" id="${p.id}" data-file="${escapeHtml(asset.fileName)}" aria-labelledby="${p.id}-title"><header class="asset-head" data-part="head">${p.head}</header><div class="asset-status" data-part="status">${p.status}</div><div class="asset-body" data-part="content" data-key="${escapeHtml(p.contentKey)}">${p.content}</div></article>`;
}

function assetSubtitle(asset: PreviewAsset): string {
  const m = asset.published?.metadata ?? {};
  const bits: string[] = [];
  if (typeof m.title === 'string' && m.title) bits.push(m.title);
  if (typeof m.questionCount === 'number') bits.push(plural(m.questionCount, 'question'));
  if (typeof m.pageCount === 'number') bits.push(plural(m.pageCount, 'page'));
  if (typeof m.cues === 'number') bits.push(plural(m.cues, 'cue'));
  if (typeof m.language === 'string' && asset.kind === 'captions') bits.push(languageName(m.language));
  return bits.join(' · ');
}

function statusBlock(catalog: PreviewCatalog, asset: PreviewAsset): string {
  const latest = asset.latest;
  const published = asset.published;
  const stillPublished = published && latest && published.assetVersionId !== latest.assetVersionId;
  const studentsSee = published
    ? `Students still get the version published ${published.publishedAt ? timeTag(published.publishedAt) : 'earlier'}.`
    : 'Students do not see this file.';
  if (!latest) {
    return `<p class="status-line">${catalog.source.statuses ? 'Published.' : 'Published (statuses need the database).'}</p>`;
  }
  if (latest.status === 'published') {
    return `<p class="status-line">Published ${timeTag(latest.finishedAt || latest.receivedAt)}${latest.durationMs ? ` · ${escapeHtml(formatClock(latest.durationMs / 1000))} from upload to published` : ''}.</p>${warningsBlock(latest.warnings)}${historyBlock(asset)}`;
  }
  if (latest.status === 'processing') {
    const progress =
      typeof latest.progress === 'number'
        ? `<div class="progress-row"><span id="${assetId(asset.fileName)}-progress-label">Transcoding</span><progress max="100" value="${escapeHtml(latest.progress)}" aria-labelledby="${assetId(asset.fileName)}-progress-label">${escapeHtml(latest.progress)}%</progress><span class="progress-value">${escapeHtml(latest.progress)}%</span></div>`
        : '<div class="progress-row"><span class="spinner" aria-hidden="true"></span><span>Checking the file…</span></div>';
    return `<div class="status-box status-processing"><p>Uploaded ${timeTag(latest.receivedAt)}; being processed now.${stillPublished ? ` ${studentsSee}` : ''}</p>${progress}</div>${historyBlock(asset)}`;
  }
  if (latest.status === 'rejected') {
    return `<div class="status-box status-rejected"><p class="status-lead"><strong>This upload was rejected</strong> (uploaded ${timeTag(latest.receivedAt)}). ${studentsSee} Fix ${
      latest.reasons.length === 1 ? 'this problem' : `these ${latest.reasons.length} problems`
    } and upload the file again:</p>${reasonList(latest.reasons)}${warningsBlock(latest.warnings)}</div>${historyBlock(asset)}`;
  }
  return `<div class="status-box status-failed">${failedBlock(latest)}<p>${studentsSee}</p></div>${historyBlock(asset)}`;
}

function historyBlock(asset: PreviewAsset): string {
  if (!asset.history || asset.history.length < 2) return '';
  const items = asset.history
    .map((u) => `<li>${badge(u.status, 'badge-small')} uploaded ${timeTag(u.receivedAt)}${u.reasons.length ? ` — ${escapeHtml(plural(u.reasons.length, 'problem'))}` : ''}</li>`)
    .join('');
  return `<details class="history"><summary>Upload history (${asset.history.length})</summary><ol class="history-list">${items}</ol></details>`;
}

function contentBlock(asset: PreviewAsset, id: string): string {
  const published = asset.published;
  if (!published) return '';
  const output = (name: string) => published.outputs.find((o) => o.name === name);
  const byType = (re: RegExp) => published.outputs.find((o) => re.test(o.name));
  switch (published.kind) {
    case 'video':
    case 'audio': {
      const hls = byType(/\.m3u8$/i);
      const file = byType(/\.(mp4|m4a)$/i);
      const poster = output('poster.jpg');
      const m = published.metadata || {};
      const tag = published.kind === 'video' ? 'video' : 'audio';
      const tracks = (published.captions || [])
        .map((t, i) => `<track kind="captions" src="${escapeHtml(t.url)}" label="${escapeHtml(t.label)}"${t.language ? ` srclang="${escapeHtml(t.language)}"` : ''}${i === 0 ? ' default' : ''}>`)
        .join('');
      const size = tag === 'video' && m.width && m.height ? ` width="${escapeHtml(m.width)}" height="${escapeHtml(m.height)}"` : '';
      const facts = [];
      const duration = typeof m.outputDurationSeconds === 'number' ? m.outputDurationSeconds : m.durationSeconds;
      if (typeof duration === 'number') facts.push(formatClock(duration));
      if (m.width && m.height) facts.push(`${m.width}×${m.height}`);
      if (Array.isArray(m.renditions) && m.renditions.length) facts.push(`${plural(m.renditions.length, 'rendition')} (${m.renditions.map((r) => r.name).join(', ')})`);
      const captions = published.captions ?? [];
      facts.push(captions.length ? `captions: ${captions.map((c) => c.label).join(', ')}` : 'no captions');
      const thumbs = (published.thumbnails || [])
        .map(
          (t) =>
            `<li><button type="button" class="thumb" data-seek="${escapeHtml(t.start)}" aria-label="Play from ${escapeHtml(formatClock(t.start))}"><img src="${escapeHtml(t.url)}" alt="" loading="lazy"><span class="thumb-time" aria-hidden="true">${escapeHtml(formatClock(t.start))}</span></button></li>`,
        )
        .join('');
      return `<figure class="player player-${tag}"><${tag} class="media" controls preload="none" playsinline${poster ? ` poster="${escapeHtml(poster.url)}"` : ''}${size} aria-label="${escapeHtml(asset.fileName)}"${
        hls ? ` data-hls="${escapeHtml(hls.url)}"` : ''
      }${file ? ` data-fallback="${escapeHtml(file.url)}"` : ''}>${tracks}<p>This browser cannot play the ${tag}.${file ? ` <a href="${escapeHtml(file.url)}">Download it</a>.` : ''}</p></${tag}><figcaption class="player-facts">${escapeHtml(
        facts.join(' · '),
      )}<span class="player-engine" aria-live="polite"></span></figcaption></figure>${
        captions.length
          ? `<section class="transcript" aria-labelledby="${id}-transcript"><h3 id="${id}-transcript" class="small-title">Transcript <span class="facts">(${escapeHtml(captions[0]!.label)})</span></h3><ol class="transcript-cues"></ol></section>`
          : ''
      }${
        thumbs ? `<section class="thumbs" aria-labelledby="${id}-thumbs"><h3 id="${id}-thumbs" class="small-title">Thumbnails</h3><ul class="thumb-strip">${thumbs}</ul></section>` : ''
      }`;
    }
    case 'pdf': {
      const pdf = byType(/\.pdf$/i) || { url: published.url, size: undefined };
      const facts = [formatBytes(pdf.size)].filter(Boolean);
      return `<div class="pdf-frame"><iframe src="${escapeHtml(pdf.url)}" title="${escapeHtml(asset.fileName)} (PDF)" loading="lazy"></iframe></div><p class="actions"><a href="${escapeHtml(pdf.url)}" target="_blank" rel="noopener">Open the PDF in a new tab</a>${
        facts.length ? ` <span class="facts">${escapeHtml(facts.join(' · '))}</span>` : ''
      }</p>`;
    }
    case 'image': {
      const image = byType(/\.(png|jpe?g|gif|webp|svg)$/i) || { url: published.url, size: undefined };
      const m = published.metadata || {};
      const facts = [m.width && m.height ? `${m.width}×${m.height}` : '', formatBytes(image.size)].filter(Boolean);
      return `<figure class="lesson-image"><img src="${escapeHtml(image.url)}" alt="${escapeHtml(asset.fileName)}" loading="lazy"><figcaption class="facts">${escapeHtml(facts.join(' · '))}</figcaption></figure>`;
    }
    case 'quiz': {
      const quiz = output('quiz.json') || { url: published.url };
      return `<div class="quiz-mount" data-quiz-url="${escapeHtml(quiz.url)}" data-quiz-id="${id}"><p class="note">Loading the quiz…</p></div>`;
    }
    case 'captions': {
      const m = published.metadata || {};
      const vtt = byType(/\.vtt$/i) || { url: published.url };
      const language = typeof m.language === 'string' && m.language ? `${languageName(m.language)} ` : '';
      const shown = asset.captionsFor
        ? `Shown as the ${escapeHtml(language)}captions of <strong>${escapeHtml(asset.captionsFor)}</strong> in this lesson.`
        : `No video or audio named <strong>${escapeHtml(m.videoStem || asset.fileName)}.*</strong> is published in this lesson yet: these captions will be shown with it once it is.`;
      return `<p>${shown} <a href="${escapeHtml(vtt.url)}">Open the WebVTT file</a>.</p>`;
    }
    default:
      return `<p><a href="${escapeHtml(published.url)}">Open the published file</a>.</p>`;
  }
}
