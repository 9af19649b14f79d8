/** `lectern reconcile`: what the scheduled reconciler does, on demand. */
import { openStateFolder } from '../../local/state-folder.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { parseSince } from '../since.js';

export const RECONCILE_USAGE = `lectern reconcile --local [--stuck-after 0m] [--dry-run] [--json] [--state-dir <dir>]

  Finds uploads left in processing by executions that ended without updating their record (a
  killed process, a database that was down) and files in the upload folder never processed;
  records the former as failed (then "lectern replay" brings them back) and flags the latter.
  Locally every execution is known, so by default nothing waits: --stuck-after 0m. Running it
  twice changes nothing more. In AWS the scheduled reconcile function does this (after 30 min).`;

export async function reconcileCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    local: { type: 'boolean', default: false },
    'stuck-after': { type: 'string', default: '0m' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  });
  if (values.help) {
    out.write(`${RECONCILE_USAGE}\n`);
    return 0;
  }
  if (!values.local) throw new UsageError('lectern reconcile runs against the local stack (--local); in AWS the scheduled reconcile function runs it.');
  const now = new Date();
  const stuckAfterMs = now.getTime() - parseSince(values['stuck-after'], now).getTime();
  const folder = await openStateFolder({ command: 'lectern reconcile', stateDir: values['state-dir'], ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) });
  try {
    const findings = await folder.work.reconcile({ stuckAfterMs, dryRun: values['dry-run'], unprocessedUploads: true });
    if (values.json) out.write(`${JSON.stringify(findings, null, 2)}\n`);
    else {
      out.write(`lectern: ${findings.length} finding(s)${values['dry-run'] ? ' (dry run: nothing changed)' : ''}\n`);
      for (const f of findings) out.write(`  ${f.action.padEnd(13)} ${f.key}  ${f.problem}: ${f.detail}\n`);
      if (findings.some((f) => f.action === 'marked-failed')) out.write(`lectern: replay what was marked failed: lectern replay --local${values['state-dir'] === '.lectern' ? '' : ` --state-dir ${values['state-dir']}`}\n`);
    }
    return 0;
  } finally {
    await folder.close();
  }
}
