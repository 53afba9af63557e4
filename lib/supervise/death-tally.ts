// The death tally: the last max-death-tally deaths of a longrun, as s6-supervise records them.

export interface Death {
  /** Wall ms. */
  time: number;
  /** Exit code, or 128 + signal number when killed (s6's convention). */
  exitCode: number;
  /** Signal name, or null for a normal exit. */
  signal: string | null;
}

/** s6-supervise's hard cap. */
export const DEATH_TALLY_CAP = 4096;

export class DeathTally {
  readonly #max: number;
  #deaths: Death[] = [];

  /** `max` = 0 disables the tally; values above 4096 are capped. */
  constructor(max: number) {
    this.#max = Math.max(0, Math.min(DEATH_TALLY_CAP, Math.floor(max)));
  }

  record(death: Death): void {
    if (this.#max === 0) return;
    this.#deaths.push(death);
    if (this.#deaths.length > this.#max) this.#deaths.splice(0, this.#deaths.length - this.#max);
  }

  get count(): number {
    return this.#deaths.length;
  }

  /** Oldest first. */
  list(): readonly Death[] {
    return this.#deaths;
  }
}
