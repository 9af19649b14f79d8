/** `lectern replay`: redrive (or restart) unsuccessful executions of a stage, or of the local stack. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnExecutionControl } from '../../shared/adapters/sfn-execution-control.js';
import type { ExecutionControl } from '../../shared/ports/execution-control.js';
import { replayExecutions, type ReplayItem } from '../../shared/use-cases/replay-executions.js';
import { openStateFolder } from '../../local/state-folder.js';
import { chooseTarget, COMMON_OPTIONS, parse, TARGET_OPTIONS, UsageError } from '../args.js';
import { parseSince } from '../since.js';

export const REPLAY_USAGE = `lectern replay (--local | --stage <stage>) [--since <time|24h|7d>] [--execution <arn|name>] [--dry-run] [--no-wait] [--json]

  Lists FAILED, TIMED_OUT and ABORTED executions with the failing step and error, and brings each
  back: a redrive where Step Functions allows it (it resumes at the failed step), otherwise a new
  execution with the same input under a name derived from the original. Rejected uploads are
  listed but not replayed (the file must be fixed). Running it twice starts nothing new.
  It then waits for each replayed execution and prints where it ended (--no-wait: fire and
  forget). Exit code 0 when every replayed execution published, 1 when any did not (or could not
  be replayed), 2 on usage errors. --dry-run lists what would happen and changes nothing.
  --stage needs STATE_MACHINE_ARN (or --state-machine-arn) and AWS credentials.`;

export async function replayCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    ...TARGET_OPTIONS,
    since: { type: 'string' },
    execution: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'no-wait': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'state-machine-arn': { type: 'string' },
  });
  if (values.help) {
    out.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  chooseTarget(values);
  const progress = (item: ReplayItem, seconds: number) => {
    if (values.json) return;
    if (item.final) out.write(`  ${item.final.published ? '✓' : '✗'} ${item.name}: ${item.final.status}${item.final.error ? ` (${item.final.error})` : ''} after ${seconds} s\n`);
    else if (seconds > 0 && seconds % 30 === 0) out.write(`  … ${item.name}: still running (${seconds} s)\n`);
  };
  const options = {
    ...(values.since ? { since: parseSince(values.since) } : {}),
    ...(values.execution ? { execution: values.execution } : {}),
    dryRun: values['dry-run'],
    ...(values['no-wait'] ? {} : { wait: { pollMs: values.local ? 200 : 5000, onProgress: progress } }),
  };
  let items: ReplayItem[];
  if (values.local) {
    const folder = await openStateFolder({
      command: 'lectern replay',
      stateDir: values['state-dir'],
      recoverInterrupted: !options.dryRun,
      ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
    });
    try {
      items = await folder.work.replay(options);
    } finally {
      await folder.close();
    }
  } else {
    const arn = values['state-machine-arn'] ?? process.env.STATE_MACHINE_ARN;
    if (!arn) throw new UsageError(`--stage ${values.stage} needs the state machine's ARN: set STATE_MACHINE_ARN or pass --state-machine-arn.`);
    const control: ExecutionControl = new SfnExecutionControl(new SFNClient({}), arn);
    items = await replayExecutions(control, options);
  }
  out.write(values.json ? `${JSON.stringify(items, null, 2)}\n` : `${formatReplay(items, options.dryRun)}\n`);
  const waited = !options.dryRun && !values['no-wait'];
  return items.some((i) => i.outcome === 'error' || (waited && i.replay && !i.final?.published)) ? 1 : 0;
}

function formatReplay(items: ReplayItem[], dryRun: boolean): string {
  if (items.length === 0) return 'lectern: no failed, timed-out or aborted executions — nothing to replay';
  const lines = [`lectern: ${items.length} unsuccessful execution(s)${dryRun ? ' (dry run: nothing changed)' : ''}`];
  for (const item of items) {
    const what = item.decision.action === 'restart' ? `restart as ${item.decision.name}` : item.decision.action;
    lines.push(`  ${item.name}  ${item.status}${item.failedState ? ` at ${item.failedState}` : ''}${item.error ? ` (${item.error})` : ''}`);
    lines.push(`      ${what}: ${item.decision.reason}${item.outcome ? ` → ${item.outcome}` : ''}${item.detail ? ` — ${item.detail}` : ''}`);
    if (item.final) lines.push(`      ended ${item.final.status}: ${item.final.published ? 'published' : `not published${item.final.cause ? ` — ${item.final.cause}` : ''}`}`);
  }
  const replayed = items.filter((i) => i.final);
  if (replayed.length > 0) lines.push(`lectern: ${replayed.filter((i) => i.final?.published).length} of ${replayed.length} replayed execution(s) published`);
  return lines.join('\n');
}
