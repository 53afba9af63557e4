// Signals that reach `rc boot` before its daemon's handlers exist: caught from the very first moment, then handed over.
//
// As PID 1 a signal without a handler is dropped by the kernel (an early `docker stop` would be
// lost until SIGKILL); on a host its default action kills rc with no cleanup. So the entry point
// holds every signal of the daemon's policy as soon as it sees `boot`, and lib/boot's runBoot replays
// what came to its real handlers once they are installed. Signal dispositions are process-wide,
// hence the one module-level record.
import { PID1_SIGNAL_POLICY } from '../../lib/core/index.js';

const HELD: readonly NodeJS.Signals[] = PID1_SIGNAL_POLICY.filter((r) => r.action !== 'not-installed').map((r) => r.signal);

/** Signals caught so far, in arrival order; null when not holding. */
let caught: NodeJS.Signals[] | null = null;
const note = (signal: NodeJS.Signals): void => void caught?.push(signal);

/** Start catching the daemon's signals (idempotent). */
export function holdEarlySignals(): void {
  if (caught !== null) return;
  caught = [];
  for (const s of HELD) process.on(s, note);
}

/** Stop catching (call once the real handlers are installed); returns what arrived meanwhile, in order. */
export function releaseEarlySignals(): NodeJS.Signals[] {
  const out = caught ?? [];
  caught = null;
  for (const s of HELD) process.removeListener(s, note);
  return out;
}
