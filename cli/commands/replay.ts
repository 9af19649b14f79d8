/** `lectern replay`: redrive (or restart) unsuccessful executions of a stage, or of the local stack. */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnExecutionControl } from '../../shared/adapters/sfn-execution-control.js';
import type { ExecutionControl } from '../../shared/ports/execution-control.js';
import { replayExecutions, type ReplayItem } from '../../shared/use-cases/replay-executions.js';
import { openStateFolder } from '../../local/state-folder.js';
import { COMMON_OPTIONS, parse, UsageError } from '../args.js';
import { parseSince } from '../since.js';

export const REPLAY_USAGE = `lectern replay (--local | --stage <stage>) [--since <time|24h|7d>] [--execution <arn|name>] [--dry-run] [--json]

  Lists FAILED, TIMED_OUT and ABORTED executions with the failing step and error, and brings each
  back: a redrive where Step Functions allows it (it resumes at the failed step), otherwise a new
  execution with the same input under a name derived from the original. Rejected uploads are
  listed but not replayed (the file must be fixed). Running it twice starts nothing new.
  --stage needs STATE_MACHINE_ARN (or --state-machine-arn) and AWS credentials.`;

export async function replayCommand(args: string[], out: NodeJS.WritableStream): Promise<number> {
  const { values } = parse(args, {
    ...COMMON_OPTIONS,
    local: { type: 'boolean', default: false },
    stage: { type: 'string' },
    since: { type: 'string' },
    execution: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'state-machine-arn': { type: 'string' },
  });
  if (values.help) {
    out.write(`${REPLAY_USAGE}\n`);
    return 0;
  }
  if (values.local === Boolean(values.stage)) throw new UsageError('Say which: --local, or --stage <stage>.');
  const options = {
    ...(values.since ? { since: parseSince(values.since) } : {}),
    ...(values.execution ? { execution: values.execution } : {}),
    dryRun: values['dry-run'],
  };
  let items: ReplayItem[];
  if (values.local) {
    const folder = await openStateFolder({ command: 'lectern replay', stateDir: values['state-dir'], ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}) });
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
  return items.some((i) => i.outcome === 'error') ? 1 : 0;
}

function formatReplay(items: ReplayItem[], dryRun: boolean): string {
  if (items.length === 0) return 'lectern: no failed, timed-out or aborted executions — nothing to replay';
  const lines = [`lectern: ${items.length} unsuccessful execution(s)${dryRun ? ' (dry run: nothing changed)' : ''}`];
  for (const item of items) {
    const what = item.decision.action === 'restart' ? `restart as ${item.decision.name}` : item.decision.action;
    lines.push(`  ${item.name}  ${item.status}${item.failedState ? ` at ${item.failedState}` : ''}${item.error ? ` (${item.error})` : ''}`);
    lines.push(`      ${what}: ${item.decision.reason}${item.outcome ? ` → ${item.outcome}` : ''}${item.detail ? ` — ${item.detail}` : ''}`);
  }
  return lines.join('\n');
}
