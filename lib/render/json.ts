// JsonRenderer: the events as NDJSON, one event per line, exactly as emitted (--json).
import type { Writable } from 'node:stream';
import type { DaemonEvent } from '../daemon/events.js';
import type { EventRenderer } from './renderer.js';

export class JsonRenderer implements EventRenderer {
  readonly #out: Writable;

  constructor(out: Writable) {
    this.#out = out;
  }

  handle(e: DaemonEvent): void {
    this.#out.write(`${JSON.stringify(e)}\n`);
  }

  /** Written as `{"type":"service-output","name":...,"line":...}`. */
  serviceOutput(name: string, line: string): void {
    this.#out.write(`${JSON.stringify({ type: 'service-output', name, line })}\n`);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
