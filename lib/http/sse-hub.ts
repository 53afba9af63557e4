// The fan-out of the daemon's events: one subscription, every SSE client of /api/v1/events, each event serialized once.
import type { StreamEvent } from '../daemon/types.js';
import { frame, SseStream } from './sse.js';

export class SseHub {
  readonly #clients = new Set<SseStream>();
  readonly #max: number;
  #seq = 0;

  constructor(maxClients: number) {
    this.#max = maxClients;
  }

  get size(): number {
    return this.#clients.size;
  }

  /** No room for another client. */
  get full(): boolean {
    return this.#clients.size >= this.#max;
  }

  /** Add a client, sending it `first` (the snapshot); false when there are too many clients already. */
  add(stream: SseStream, first: StreamEvent): boolean {
    if (this.full) return false;
    this.#clients.add(stream);
    stream.onClose(() => this.#clients.delete(stream));
    stream.send(first.kind, first, this.#seq);
    return true;
  }

  /** Send one event to every client, in the order the daemon emitted them (ids increase). */
  publish(e: StreamEvent): void {
    this.#seq += 1;
    if (this.#clients.size === 0) return;
    const text = frame(e.kind, JSON.stringify(e), this.#seq);
    for (const c of [...this.#clients]) c.writeRaw(text);
  }

  closeAll(): void {
    for (const c of [...this.#clients]) c.end();
  }
}
