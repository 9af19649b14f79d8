/** The `lectern` command line. Commands load lazily: `lectern status` never pays for pdf.js. */
import { UsageError } from './args.js';

type Out = NodeJS.WritableStream & { isTTY?: boolean; hasColors?: () => boolean };

interface Command {
  synopsis: string;
  run: (args: string[], out: Out, err: Out) => Promise<number>;
  /** The command's own usage, printed with a usage error. */
  usage: () => Promise<string>;
}

const COMMANDS: Record<string, Command> = {
  run: {
    synopsis: 'lectern run <file-or-folder>... [--course <c> --lesson <l>] [--json]   process uploads once, print the verdicts',
    run: async (args, out, err) => (await import('./commands/run.js')).runCommand(args, out, err),
    usage: async () => (await import('./commands/run.js')).RUN_USAGE,
  },
  dev: {
    synopsis: 'lectern dev [--port <port>]                                            watch .lectern/uploads/, serve the preview',
    run: async (args, out, err) => (await import('./commands/dev.js')).devCommand(args, out, err),
    usage: async () => (await import('./commands/dev.js')).DEV_USAGE,
  },
  preview: {
    synopsis: 'lectern preview (--local | --stage <stage>) --out <dir>                build the preview site as static files',
    run: async (args, out) => (await import('./commands/preview.js')).previewCommand(args, out),
    usage: async () => (await import('./commands/preview.js')).PREVIEW_USAGE,
  },
  status: {
    synopsis: 'lectern status (--local | --stage <stage>) [--course <c>] [--json]     published, in flight, rejected, failed',
    run: async (args, out) => (await import('./commands/status.js')).statusCommand(args, out),
    usage: async () => (await import('./commands/status.js')).STATUS_USAGE,
  },
  replay: {
    synopsis: 'lectern replay (--local | --stage <stage>) [--since] [--dry-run]        redrive or restart failed executions',
    run: async (args, out) => (await import('./commands/replay.js')).replayCommand(args, out),
    usage: async () => (await import('./commands/replay.js')).REPLAY_USAGE,
  },
  reconcile: {
    synopsis: 'lectern reconcile --local [--stuck-after 30m] [--dry-run]               repair or flag stuck uploads',
    run: async (args, out) => (await import('./commands/reconcile.js')).reconcileCommand(args, out),
    usage: async () => (await import('./commands/reconcile.js')).RECONCILE_USAGE,
  },
  readiness: {
    synopsis: 'lectern readiness --local [--course <c>] [--json]                      readiness of scheduled classes; alerts as class time nears',
    run: async (args, out) => (await import('./commands/readiness.js')).readinessCommand(args, out),
    usage: async () => (await import('./commands/readiness.js')).READINESS_USAGE,
  },
  smoke: {
    synopsis: 'lectern smoke (--local | --stage <stage>)                               post-deploy check: upload, publish, fetch via CDN',
    run: async (args, out) => (await import('./commands/smoke.js')).smokeCommand(args, out),
    usage: async () => (await import('./commands/smoke.js')).SMOKE_USAGE,
  },
  grant: {
    synopsis: 'lectern grant (--local | --stage <stage>) --course <c> [--ttl 2h]         signed cookies for one course (docs/access.md)',
    run: async (args, out) => (await import('./commands/grant.js')).grantCommand(args, out),
  },
  migrate: {
    synopsis: 'lectern migrate [--database-url <url>]                                  apply database migrations',
    run: async (args, out) => (await import('./commands/migrate.js')).migrateCommand(args, out),
    usage: async () => (await import('./commands/migrate.js')).MIGRATE_USAGE,
  },
};

const USAGE = `lectern — the course content pipeline

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.synopsis}`)
  .join('\n')}

Run "lectern <command> --help" for details.`;

export async function main(argv: string[], out: Out = process.stdout, err: Out = process.stderr): Promise<number> {
  const [command, ...args] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      out.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    const entry = COMMANDS[command];
    if (!entry) throw new UsageError(`Unknown command "${command}".`);
    return await entry.run(args, out, err);
  } catch (error) {
    if (error instanceof UsageError) {
      const entry = command === undefined ? undefined : COMMANDS[command];
      err.write(entry ? `lectern ${command}: ${error.message}\n\n${await entry.usage()}\n` : `lectern: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    err.write(`lectern${command && COMMANDS[command] ? ` ${command}` : ''}: ${describeError(error)}\n`);
    return 1;
  }
}

/**
 * A mistake a user can make (a folder in use, a missing or unreadable file, a port taken) is one
 * sentence; anything else is a bug, and its stack is what a report needs.
 */
function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.name === 'FolderInUseError') return e.message;
  if (e?.code === 'EADDRINUSE') return `${e.message}: that port is taken (another lectern dev?); choose another with --port <port>.`;
  if (e?.code === 'ENOENT' || e?.code === 'EACCES' || e?.code === 'EISDIR' || e?.code === 'ENOTDIR') return e.message;
  return e?.stack ?? String(error);
}
