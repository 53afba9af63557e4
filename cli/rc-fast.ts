#!/usr/bin/env node
// The `rc` binary: answers `rc status` / `rc list` (and `rc compile` / `rc check`) without loading commander and every command
// module (the 60 ms round-trip budget); every other command goes to the full CLI in rc.ts.
// `npm run build` bundles this file and the modules it reaches into one dist/cli/rc-fast.js (esbuild, `npm run bundle`):
// Node 20 then loads one module instead of ~35, which saves ~20 ms of every start-up. ./rc.js stays a separate module.
import './stdout-epipe.js';
import { fastPath } from './commands/daemon-client-fast.js';
import { compileFastPath } from './commands/compile-fast.js';
import { holdEarlySignals } from './commands/boot-signals.js';

// `rc boot` is a daemon (PID 1 in a container): it must not die of, or lose, a signal sent while it loads.
if (process.argv[2] === 'boot') holdEarlySignals();

const code = (await compileFastPath(process.argv.slice(2))) ?? (await fastPath(process.argv.slice(2)));
if (code === undefined) await import('./rc.js');
else process.exitCode = code;
