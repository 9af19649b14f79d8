/** The `lectern` command line. */
import { UsageError } from './args.js';
import { devCommand, DEV_USAGE } from './commands/dev.js';
import { migrateCommand, MIGRATE_USAGE } from './commands/migrate.js';
import { replayCommand, REPLAY_USAGE } from './commands/replay.js';
import { runCommand, RUN_USAGE } from './commands/run.js';
import { statusCommand, STATUS_USAGE } from './commands/status.js';

const USAGE = `lectern — the course content pipeline

Commands:
${[RUN_USAGE, DEV_USAGE, STATUS_USAGE, REPLAY_USAGE, MIGRATE_USAGE].map((u) => `  ${u.split('\n')[0]}`).join('\n')}

Run "lectern <command> --help" for details.`;

export async function main(argv: string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(args, out, err);
      case 'dev':
        return await devCommand(args, out, err);
      case 'migrate':
        return await migrateCommand(args, out);
      case 'status':
        return await statusCommand(args, out);
      case 'replay':
        return await replayCommand(args, out);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        out.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err.write(`lectern: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    err.write(`lectern: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
