// What a supervisor remembers across runs: deaths, last exit, restarts, the crash-loop count, timestamps.
import { DeathTally } from './death-tally.js';
import { tallyCode } from './programs.js';
import { FAST_DEATH_MS } from './throttle.js';

export type ExitInfo = { code: number | null; signal: string | null };

export class RunHistory {
  readonly tally: DeathTally;
  /** Wall ms of the last up/down change (spawn or death). */
  since: number;
  lastExit: ExitInfo | null = null;
  /** Automatic restarts after a death. */
  restarts = 0;
  /** Consecutive runs shorter than FAST_DEATH_MS (crash-loop guard). */
  fastDeaths = 0;
  /** After `p` (SIGSTOP) until `c` or the next run. */
  paused = false;
  /** Message of the last exec failure of ./run. */
  lastExecError = '';

  constructor(maxDeathTally: number, wallNow: number) {
    this.tally = new DeathTally(maxDeathTally);
    this.since = wallNow;
  }

  spawned(wallNow: number, automatic: boolean): void {
    this.since = wallNow;
    this.paused = false;
    if (automatic) this.restarts++;
  }

  /** Record a death; `lived` = ms the run lasted. */
  died(exit: ExitInfo, wallNow: number, lived: number): void {
    this.lastExit = exit;
    this.since = wallNow;
    this.paused = false;
    this.tally.record({ time: wallNow, exitCode: tallyCode(exit.code, exit.signal), signal: exit.signal });
    this.fastDeaths = lived < FAST_DEATH_MS ? this.fastDeaths + 1 : 0;
  }
}
