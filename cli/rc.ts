#!/usr/bin/env node
// rc: the command-line entry point. Thin: each command module registers itself; lib does the work.
import './stdout-epipe.js';
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../lib/core/exit-codes.js';
// --- command modules (one import + one register call each) ---
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
// (commands register here)

const program = new Command();
program
  .name('rc')
  .description('rc: a dependency-aware service orchestrator for containers and hosts (s6-rc compatible)')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

// --- register ---
registerLog(program);
registerCompile(program);
registerCheck(program);
registerDb(program);
registerGraph(program);
registerBoot(program);
registerChange(program);
registerUp(program);
registerDown(program);
registerRestart(program);
registerStatus(program);
registerList(program);
registerWait(program);
registerSvc(program);
registerHalt(program);
registerLogs(program);
registerScan(program);
// (registrations here)

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // --help and --version exit 0; every other parse error is a usage error.
    process.exitCode = e.exitCode === 0 ? 0 : ExitCode.usage;
  } else {
    throw e;
  }
}
