/** The `lectern` command line. Commands load lazily: `lectern status` never pays for pdf.js. */
import { UsageError } from './args.js';

type Out = NodeJS.WritableStream;

const COMMANDS: Record<string, { synopsis: string; run: (args: string[], out: Out, err: Out) => Promise<number> }> = {
  run: {
    synopsis: 'lectern run <file-or-folder>... [--course <c> --lesson <l>] [--json]   process uploads once, print the verdicts',
    run: async (args, out, err) => (await import('./commands/run.js')).runCommand(args, out, err),
  },
  dev: {
    synopsis: 'lectern dev [--port <port>]                                            watch .lectern/uploads/, serve the preview',
    run: async (args, out, err) => (await import('./commands/dev.js')).devCommand(args, out, err),
  },
  preview: {
    synopsis: 'lectern preview (--local | --stage <stage>) --out <dir>                build the preview site as static files',
    run: async (args, out) => (await import('./commands/preview.js')).previewCommand(args, out),
  },
  status: {
    synopsis: 'lectern status (--local | --stage <stage>) [--course <c>] [--json]     published, in flight, rejected, failed',
    run: async (args, out) => (await import('./commands/status.js')).statusCommand(args, out),
  },
  replay: {
    synopsis: 'lectern replay (--local | --stage <stage>) [--since] [--dry-run]        redrive or restart failed executions',
    run: async (args, out) => (await import('./commands/replay.js')).replayCommand(args, out),
  },
  reconcile: {
    synopsis: 'lectern reconcile --local [--stuck-after 30m] [--dry-run]               repair or flag stuck uploads',
    run: async (args, out) => (await import('./commands/reconcile.js')).reconcileCommand(args, out),
  },
  smoke: {
    synopsis: 'lectern smoke (--local | --stage <stage>)                               post-deploy check: upload, publish, fetch via CDN',
    run: async (args, out) => (await import('./commands/smoke.js')).smokeCommand(args, out),
  },
  migrate: {
    synopsis: 'lectern migrate [--database-url <url>]                                  apply database migrations',
    run: async (args, out) => (await import('./commands/migrate.js')).migrateCommand(args, out),
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
      err.write(`lectern: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    err.write(`lectern: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
