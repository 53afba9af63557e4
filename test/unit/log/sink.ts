// Test helper: a Writable that records what it gets and can hold its write callbacks (a slow reader).
import { Writable } from 'node:stream';

export class RecordingSink extends Writable {
  readonly chunks: Buffer[] = [];
  #held: (() => void)[] = [];
  hold = false;

  constructor(highWaterMark = 16384) {
    super({ highWaterMark });
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    if (this.hold) this.#held.push(cb);
    else cb();
  }

  /** Let the held writes complete (the reader catches up). */
  release(): void {
    this.hold = false;
    for (const cb of this.#held.splice(0)) cb();
  }

  text(): string {
    return Buffer.concat(this.chunks).toString();
  }

  lines(): string[] {
    return this.text().split('\n').slice(0, -1);
  }
}

/** Let queued stream events run. */
export const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
