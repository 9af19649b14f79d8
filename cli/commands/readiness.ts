/** `lectern readiness`: the scheduled readiness sweep, on demand — readiness of upcoming classes and their alerts. */
import path from 'node:path';
import { openStateFolder } from '../../local/state-folder.js';
import { JsonlMetrics, JsonlNotifier } from '../../shared/adapters/jsonl-log.js';
import { parseConfig } from '../../shared/runtime/config.js';
import { readinessSweep } from '../../shared/use-cases/readiness.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { formatReadiness } from '../format-readiness.js';

export const READINESS_USAGE = `lectern readiness --local [--course <course>] [--json] [--state-dir <dir>]

  For every lesson scheduled in course.yaml (scheduledAt + expects) whose class starts within the
  next day or started within the look-back: ready, at-risk (what is missing and why) or missed.
  Then escalates as the scheduled function does in AWS: the educator at T-24h and T-2h, ops at
  T-30m and when a class starts at risk, an all-clear once ready — each alert once (they are
  recorded in .lectern/notifications.jsonl). Running it twice sends nothing new.
  Thresholds: LECTERN_READINESS_THRESHOLDS (default 24h:educator,2h:educator,30m:ops).`;

export async function readinessCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, { ...COMMON_OPTIONS, local: { type: 'boolean', default: false }, course: { type: 'string' }, json: { type: 'boolean', default: false } });
  if (values.help) {
    out.write(`${READINESS_USAGE}\n`);
    return 0;
  }
  if (!values.local) throw new UsageError('lectern readiness runs against the local stack (--local); in AWS the scheduled readinessSweep function runs it every 5 minutes, and "lectern status --stage <stage>" shows readiness.');
  const stateDir = path.resolve(values['state-dir']);
  const config = parseConfig({ ...process.env, LECTERN_RUNTIME: 'local', LECTERN_STATE_DIR: stateDir });
  const folder = await openStateFolder({ command: 'lectern readiness', stateDir: values['state-dir'], ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) });
  try {
    const result = await readinessSweep(
      {},
      {
        db: folder.work.db,
        notifier: new JsonlNotifier(path.join(stateDir, 'notifications.jsonl')),
        metrics: new JsonlMetrics(path.join(stateDir, 'metrics.jsonl')),
        now: () => new Date(),
        config,
      },
      values.course ? { course: values.course } : {},
    );
    if (values.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      out.write(`${formatReadiness(result.readiness, new Date())}\n`);
      out.write(result.sent.length === 0 ? 'lectern: no new alerts\n' : `lectern: ${result.sent.length} alert(s) sent (notifications.jsonl)\n`);
      for (const s of result.sent) out.write(`  ${s.alert.padEnd(16)} ${s.audience.padEnd(8)} ${s.severity.padEnd(8)} ${s.course}/${s.lesson}\n`);
    }
    return result.readiness.some((r) => r.state !== 'ready') ? 1 : 0;
  } finally {
    await folder.close();
  }
}
