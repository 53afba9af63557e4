// The real process as rc boot's port: signals, streams, environment, the early-held signals, libc, diagnostics.
import type { BootPort } from '../../lib/boot/index.js';
import { sharedLibc } from '../../lib/sys/index.js';
import { releaseEarlySignals } from './boot-signals.js';
import { renderDiagnostics, wantColor } from './print-diagnostics.js';

/** This process, as lib/boot's runBoot sees it. */
export function processPort(): BootPort {
  return {
    env: process.env,
    pid: process.pid,
    execPath: process.execPath,
    entryScript: process.argv[1],
    stdout: process.stdout,
    stderr: process.stderr,
    on: (signal, listener) => process.on(signal, listener),
    removeListener: (signal, listener) => process.removeListener(signal, listener),
    emit: (signal, value) => process.emit(signal, value),
    releaseHeldSignals: releaseEarlySignals,
    loadLibc: sharedLibc,
    formatDiagnostics: (list) => renderDiagnostics(list, 1, wantColor(process.stderr)),
  };
}
