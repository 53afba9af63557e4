#!/usr/bin/env node
// rc: the command-line entry point. Thin: each command module registers itself; lib does the work.
import { Command, CommanderError } from 'commander';
import { ExitCode } from '../lib/core/exit-codes.js';
// --- command modules (one import + one register call each) ---
import { registerLog } from './commands/log.js';
import { registerCompile } from './commands/compile.js';
import { registerCheck } from './commands/check.js';
import { registerDb } from './commands/db.js';
import { registerGraph } from './commands/graph.js';
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
