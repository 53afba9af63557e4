#!/usr/bin/env node
// The `rc` binary's entry: holds rc boot's early signals; answers `rc status` / `rc list` from their specs without commander
// when their arguments parse; otherwise loads the command table (cli/program.ts) and runs argv.
import './stdout-epipe.js';

async function main(): Promise<void> {
  // `rc boot` is a daemon (PID 1 in a container): it must not die of, or lose, a signal sent while
  // it loads. The daemon finds the signals caught here in the same module instance.
  if (process.argv[2] === 'boot') (await import('./commands/boot-signals.js')).holdEarlySignals();
  // The queries asked most often (health checks, scripts) start without loading commander: the same spec
  // defines them for commander, which takes over for --help and for anything that does not parse.
  if (process.argv[2] === 'status' || process.argv[2] === 'list') {
    if (await (await import('./rc-query.js')).runQuery(process.argv)) return;
  }
  const { runCli } = await import('./program.js');
  await runCli(process.argv);
}

void main();
