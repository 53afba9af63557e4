#!/usr/bin/env node
// The `rc` binary's entry: holds rc boot's early signals, then loads the command table (cli/program.ts) and runs argv.
import './stdout-epipe.js';

async function main(): Promise<void> {
  // `rc boot` is a daemon (PID 1 in a container): it must not die of, or lose, a signal sent while
  // it loads. The daemon finds the signals caught here in the same module instance.
  if (process.argv[2] === 'boot') (await import('./commands/boot-signals.js')).holdEarlySignals();
  const { runCli } = await import('./program.js');
  await runCli(process.argv);
}

void main();
