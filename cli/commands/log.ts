// `rc log`: the rotating file logger (s6-log's core job), for a pipeline consumer's run script.
import type { Command } from 'commander';
import { action, parseUint, UsageError } from '../run-action.js';

interface LogOptions {
  dir: string;
  maxSize: number;
  maxFiles: number;
  timestamp: string;
}

const EXAMPLES = `
Reads stdin until EOF or SIGTERM and appends whole lines to DIR/current. Before current would
grow past --max-size it is fsynced and renamed to DIR/@<tai64n>.s; only the newest --max-files
archives are kept. A line is never split across files; a restart appends to current.
If DIR cannot be written (full disk, permissions) the problem is printed on stderr and lines are
dropped and counted while the directory is retried every second: producers never block forever.
SIGALRM rotates now. Exit status: 0 after EOF or SIGTERM/SIGINT/SIGHUP/SIGPIPE; 100 on usage errors.

Examples:
  # as the run script of a pipeline consumer (consumer-for: api)
  exec rc log -d /var/log/api
  # 10 MB files, keep 5, TAI64N timestamps as s6-log's "t"
  some-program | rc log -d ./logs --max-size 10000000 --max-files 5 --timestamp tai64n
`;

export function registerLog(program: Command): void {
  program
    .command('log')
    .description('rotating file logger: stdin to DIR/current, with size-based rotation and pruning')
    .option('-d, --dir <DIR>', 'log directory (created if missing)', '.')
    .option('--max-size <BYTES>', 'rotate before current would pass this size (at least 4096)', parseUint('--max-size'), 1_000_000)
    .option('--max-files <N>', 'archives to keep (0 = keep none)', parseUint('--max-files'), 20)
    .option('--timestamp <STYLE>', 'prefix each line with: iso (ISO-8601 UTC), tai64n or none', 'iso')
    .addHelpText('after', EXAMPLES)
    .action(action(runLog));
}

async function runLog(opts: LogOptions): Promise<number> {
  // Lazy imports: a logger is restarted often and must start fast.
  const { FileLogger, TIMESTAMP_STYLES, pumpToFileLogger } = await import('../../lib/log/index.js');
  const timestamp = TIMESTAMP_STYLES.find((t) => t === opts.timestamp);
  if (timestamp === undefined) throw new UsageError(`--timestamp expects one of ${TIMESTAMP_STYLES.join(', ')}, got '${opts.timestamp}'`);
  if (opts.maxSize < 4096) throw new UsageError(`--max-size must be at least 4096, got ${opts.maxSize}`);

  process.stderr.on('error', () => undefined); // a closed stderr must not kill the logger
  const warn = (message: string): void => void process.stderr.write(`rc log: ${message}\n`);
  const logger = new FileLogger({ dir: opts.dir, maxSize: opts.maxSize, maxFiles: opts.maxFiles, timestamp, warn });
  logger.open();
  const pump = pumpToFileLogger(process.stdin, logger);
  const signals = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGPIPE'] as const;
  for (const sig of signals) process.on(sig, pump.stop);
  const rotate = (): void => logger.rotate();
  process.on('SIGALRM', rotate);
  await pump.done;
  for (const sig of signals) process.off(sig, pump.stop);
  process.off('SIGALRM', rotate);
  return 0;
}
