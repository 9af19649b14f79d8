/**
 * Generated uploads for benchmarks and the reliability suite: PDFs made with pdf-lib and quizzes
 * (GIFT, native YAML) templated by hand, every one different (its own bytes, so its own content
 * address), spread over courses and lessons as an educator's term would be.
 */
import { makeTextPdf } from '../../tests/helpers/upload-fixtures.js';

export interface GeneratedUpload {
  key: string;
  bytes: Uint8Array;
  kind: 'pdf' | 'quiz';
}

const encoder = new TextEncoder();

export function giftQuiz(i: number): string {
  return `// Generated quiz ${i}
::Q${i}-1:: Which organelle produces most of the cell's energy (variant ${i})? {
  =Mitochondrion
  ~Nucleus
  ~Ribosome
}

::Q${i}-2:: The cell membrane is selectively permeable (variant ${i}). {TRUE}

::Q${i}-3:: How many chromosomes does a human somatic cell have (variant ${i})? {#46}
`;
}

export function yamlQuiz(i: number): string {
  return `title: Cell check ${i}
questions:
  - id: q${i}-a
    type: multiple-choice
    stem: Which structure controls what enters the cell? (variant ${i})
    choices:
      - text: Cell membrane
        correct: true
      - text: Cell wall
      - text: Nucleolus
  - id: q${i}-b
    type: true-false
    stem: Ribosomes make proteins (variant ${i}).
    correct: true
`;
}

/**
 * `count` uploads, alternating PDF, GIFT, PDF, YAML…, `perLesson` to a lesson, under
 * `courses/<prefix>-<n>/lessons/lesson-<m>/`.
 */
export async function mixedUploads(count: number, options: { prefix?: string; perLesson?: number; lessonsPerCourse?: number; pdfPages?: (i: number) => number } = {}): Promise<GeneratedUpload[]> {
  const prefix = options.prefix ?? 'bench';
  const perLesson = options.perLesson ?? 5;
  const lessonsPerCourse = options.lessonsPerCourse ?? 10;
  const uploads: GeneratedUpload[] = [];
  for (let i = 0; i < count; i++) {
    const lesson = Math.floor(i / perLesson);
    const dir = `courses/${prefix}-${Math.floor(lesson / lessonsPerCourse)}/lessons/lesson-${lesson % lessonsPerCourse}`;
    if (i % 2 === 0) {
      const pages = options.pdfPages?.(i) ?? 1 + (i % 5);
      uploads.push({ key: `${dir}/Lecture ${i}.pdf`, bytes: await makeTextPdf({ pages, title: `Lecture ${i}` }), kind: 'pdf' });
    } else if (i % 4 === 1) {
      uploads.push({ key: `${dir}/check-${i}.gift`, bytes: encoder.encode(giftQuiz(i)), kind: 'quiz' });
    } else {
      uploads.push({ key: `${dir}/check-${i}.quiz.yaml`, bytes: encoder.encode(yamlQuiz(i)), kind: 'quiz' });
    }
  }
  return uploads;
}

/** Runs `work` over `items` with at most `concurrency` at once; results in input order. */
export async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
