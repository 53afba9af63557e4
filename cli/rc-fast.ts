#!/usr/bin/env node
// The `rc` binary: answers `rc status` / `rc list` (and `rc compile` / `rc check`) without loading commander and every command
// module (the 60 ms round-trip budget); every other command goes to the full CLI in rc.ts.
// `npm run build` bundles this file and the modules it reaches into one dist/cli/rc-fast.js (esbuild, `npm run bundle`):
// Node 20 then loads one module instead of ~35, which saves ~20 ms of every start-up. ./rc.js stays a separate module,
// and so must every module whose state the full CLI shares with this entry (a bundled copy would be a second instance).
import './stdout-epipe.js';
import { fastPath } from './commands/daemon-client-fast.js';
import { compileFastPath } from './commands/compile-fast.js';

// `rc boot` is a daemon (PID 1 in a container): it must not die of, or lose, a signal sent while it loads.
// boot-signals.js is kept out of the bundle (package.json `bundle`: --external) and imported only here:
// the daemon's code, loaded through ./rc.js, must find the signals in the same module instance.
if (process.argv[2] === 'boot') (await import('./commands/boot-signals.js')).holdEarlySignals();

const code = (await compileFastPath(process.argv.slice(2))) ?? (await fastPath(process.argv.slice(2)));
if (code === undefined) await import('./rc.js');
else process.exitCode = code;
