/**
 * Which quiz format a file is in: by its name where the name is unambiguous, by its content
 * where it is not (`.txt`: GIFT or Aiken; `.xml`: Moodle XML or QTI).
 */
export const QUIZ_FORMATS = ['native-json', 'native-yaml', 'gift', 'aiken', 'moodle-xml', 'qti21'] as const;
export type QuizFormat = (typeof QUIZ_FORMATS)[number];

const QTI_NAMESPACE = /^http:\/\/www\.imsglobal\.org\/xsd\/imsqti_/;
/** Root elements that only QTI uses: detected as QTI so the parser can say what is wrong. */
const QTI_ROOTS = new Set(['assessmentItem', 'assessmentTest', 'assessmentSection', 'responseProcessing', 'outcomeProcessing']);

/** True for every file name the quiz validator should see (the classifier's test). */
export function isQuizFileName(fileName: string): boolean {
  return extensionFormat(fileName) !== undefined;
}

/** The format of a quiz file, or undefined when neither its name nor its content tells. */
export function detectQuizFormat(fileName: string, text: string): QuizFormat | undefined {
  const byName = extensionFormat(fileName);
  if (byName === 'text') return sniffPlainTextFormat(text);
  if (byName === 'xml') return xmlFormatOf(sniffXmlRoot(text));
  return byName;
}

/** What the content alone says, for formats that can be told apart with certainty (XML). */
export function sniffContentFormat(text: string): QuizFormat | undefined {
  return xmlFormatOf(sniffXmlRoot(text));
}

type NameKind = QuizFormat | 'text' | 'xml';

function extensionFormat(fileName: string): NameKind | undefined {
  const base = (fileName.split('/').pop() ?? '').toLowerCase();
  if (base.endsWith('.quiz.json')) return 'native-json';
  if (base.endsWith('.quiz.yaml') || base.endsWith('.quiz.yml')) return 'native-yaml';
  if (base.endsWith('.gift')) return 'gift';
  if (base.endsWith('.aiken')) return 'aiken';
  if (base.endsWith('.txt')) return 'text';
  if (base.endsWith('.xml')) return 'xml';
  return undefined;
}

export interface XmlRoot {
  name: string;
  namespace?: string;
}

/** The root element's name and default namespace, read without parsing the document. */
export function sniffXmlRoot(text: string): XmlRoot | undefined {
  let i = 0;
  const n = text.length;
  for (;;) {
    while (i < n && /\s/.test(text[i] ?? '')) i++;
    if (text.startsWith('\uFEFF', i)) i++;
    if (text.startsWith('<?', i)) i = after(text, '?>', i);
    else if (text.startsWith('<!--', i)) i = after(text, '-->', i);
    else if (text.startsWith('<!', i)) i = afterDoctype(text, i);
    else break;
    if (i < 0) return undefined;
  }
  const match = /^<([A-Za-z_][\w.:-]*)/.exec(text.slice(i, i + 200));
  if (!match?.[1]) return undefined;
  const end = text.indexOf('>', i);
  const startTag = text.slice(i, end === -1 ? Math.min(n, i + 4096) : end);
  const qualified = match[1];
  const prefix = qualified.includes(':') ? qualified.slice(0, qualified.indexOf(':')) : '';
  const name = qualified.slice(prefix ? prefix.length + 1 : 0);
  const nsAttr = prefix ? `xmlns:${prefix}` : 'xmlns';
  const ns = new RegExp(`\\s${nsAttr.replace(/[.]/g, '\\.')}\\s*=\\s*("([^"]*)"|'([^']*)')`).exec(startTag);
  const namespace = ns?.[2] ?? ns?.[3];
  return namespace === undefined ? { name } : { name, namespace };
}

function xmlFormatOf(root: XmlRoot | undefined): QuizFormat | undefined {
  if (!root) return undefined;
  if (root.name === 'quiz' && !root.namespace) return 'moodle-xml';
  if (QTI_ROOTS.has(root.name) || (root.namespace !== undefined && QTI_NAMESPACE.test(root.namespace))) return 'qti21';
  return undefined;
}

/** GIFT or Aiken, for `.txt` files: Aiken has `ANSWER:` lines and no `{…}` answer blocks. */
export function sniffPlainTextFormat(text: string): QuizFormat | undefined {
  let aikenAnswer = false;
  let aikenOption = false;
  let giftBraces = false;
  let giftMarkers = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('//')) {
      giftMarkers = true;
      continue;
    }
    if (/^ANSWER\s*:/.test(line)) aikenAnswer = true;
    else if (/^[A-Z][.)]/.test(line)) aikenOption = true;
    if (/(^|[^\\])\{/.test(line) || /(^|[^\\])\}/.test(line)) giftBraces = true;
    if (line.startsWith('::') || line.startsWith('$CATEGORY:')) giftMarkers = true;
  }
  if (aikenAnswer && !giftBraces) return 'aiken';
  if (giftBraces || (giftMarkers && !aikenAnswer)) return 'gift';
  if (aikenAnswer || aikenOption) return 'aiken';
  return undefined;
}

function after(text: string, token: string, from: number): number {
  const at = text.indexOf(token, from);
  return at === -1 ? -1 : at + token.length;
}

function afterDoctype(text: string, from: number): number {
  const bracket = text.indexOf('[', from);
  const close = text.indexOf('>', from);
  if (close === -1) return -1;
  if (bracket !== -1 && bracket < close) {
    const end = text.indexOf(']', bracket);
    return end === -1 ? -1 : after(text, '>', end);
  }
  return close + 1;
}
