// The command table: every rc command registered on one commander program, which alone parses argv and writes --help.
import { Command, CommanderError } from 'commander';
import { registerLog } from './commands/log.js';
import { registerCompile } from './commands/compile.js';
import { registerCheck } from './commands/check.js';
import { registerDb } from './commands/db.js';
import { registerGraph } from './commands/graph.js';
import { registerBoot } from './commands/boot.js';
import { registerChange } from './commands/change.js';
import { registerUp } from './commands/up.js';
import { registerDown } from './commands/down.js';
import { registerRestart } from './commands/restart.js';
import { registerStatus } from './commands/status.js';
import { registerList } from './commands/list.js';
import { registerWait } from './commands/wait.js';
import { registerSvc } from './commands/svc.js';
import { registerHalt } from './commands/halt.js';
import { registerLogs } from './commands/logs.js';
import { registerScan } from './commands/scan.js';
import { registerUpdate } from './commands/update.js';
import { registerComplete, registerCompletion } from './commands/completion.js';
import { registerExport } from './commands/export.js';
import { registerProbe, registerRun } from './commands/run.js';

/** One command: its name (argv[2]) and the function that defines it (arguments, options, help text, action). */
export interface CommandEntry {
  name: string;
  register(program: Command): void;
}

/**
 * Every command, in `rc --help` order. A command module defines its arguments, options and help
 * text at start-up; its action imports what it needs (dynamic import) only when it runs.
 */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'log', register: registerLog },
  { name: 'compile', register: registerCompile },
  { name: 'check', register: registerCheck },
  { name: 'db', register: registerDb },
  { name: 'graph', register: registerGraph },
  { name: 'boot', register: registerBoot },
  { name: 'change', register: registerChange },
  { name: 'up', register: registerUp },
  { name: 'down', register: registerDown },
  { name: 'restart', register: registerRestart },
  { name: 'status', register: registerStatus },
  { name: 'list', register: registerList },
  { name: 'wait', register: registerWait },
  { name: 'svc', register: registerSvc },
  { name: 'halt', register: registerHalt },
  { name: 'logs', register: registerLogs },
  { name: 'scan', register: registerScan },
  { name: 'update', register: registerUpdate },
  { name: 'export', register: registerExport },
  { name: 'run', register: registerRun },
  { name: 'probe', register: registerProbe },
  { name: 'completion', register: registerCompletion },
  // The whole table, built when a completion is asked for (rc __complete is defined alone on the fast path).
  { name: '__complete', register: (program) => registerComplete(program, () => buildProgram()) },
];

/** What `rc --help` says after the command list: the live directory, examples, where to read more. */
const ROOT_HELP = `
The daemon (rc boot) and the commands that talk to it (change, up, down, restart, status, list,
wait, svc, halt, logs, scan, update) meet in a live directory: --live DIR, or the RC_LIVE environment
variable, else /run/rc. A non-root user needs one it can write, e.g. RC_LIVE=/tmp/rc.

Examples:
  rc check /etc/rc/source                              # every problem of a source tree, nothing written
  rc compile /etc/rc/compiled /etc/rc/source           # build time: write the compiled database
  rc boot --db /etc/rc/compiled -- node /app/server.js # run time: the daemon (a container's PID 1)
  rc status                                            # from another shell: every service's state
  RC_LIVE=/tmp/rc rc change maintenance                # switch runlevel (same as --live /tmp/rc)
  rc export --format compose --image app > compose.yaml # one container per service (rc run NAME)

Run rc COMMAND --help for a command's options and examples.
Exit codes: 0 ok, 1 failed, 2 timeout, 3 unknown name, 4 invalid db, 100 usage, 111 system.`;

/** The rc program with `commands` registered (default: all); parse errors throw (exitOverride) instead of exiting. */
export function buildProgram(commands: readonly CommandEntry[] = COMMANDS): Command {
  const program = new Command();
  program
    .name('rc')
    .description('rc: a dependency-aware service orchestrator for containers and hosts (s6-rc compatible)')
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', ROOT_HELP)
    .exitOverride();
  for (const c of commands) c.register(program);
  return program;
}

/** Parse `argv` (node, script, args...) and run the command; its exit code lands in process.exitCode. */
export async function runCli(argv: readonly string[]): Promise<void> {
  // `rc NAME ...` defines only NAME: its parsing and --help need nothing else. Anything else
  // (`rc --help`, `rc help NAME`, an unknown command and its suggestion) gets the whole table.
  const named = COMMANDS.find((c) => c.name === argv[2]);
  try {
    await buildProgram(named ? [named] : COMMANDS).parseAsync([...argv]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // --help and --version exit 0; every other parse error is a usage error.
    process.exitCode = e.exitCode === 0 ? 0 : (await import('../lib/core/index.js')).ExitCode.usage;
  }
}
