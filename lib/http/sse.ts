// One Server-Sent Events stream: headers, framed events, a heartbeat, and a bounded buffer (a client that stops reading is dropped).
import type { ServerResponse } from 'node:http';

export interface SseOptions {
  /** Bytes the socket may hold unsent before the client is dropped. */
  maxBufferedBytes: number;
  /** A comment line every so often, so proxies and the idle timeout keep the stream. */
  heartbeatMs: number;
}

export const SSE_DEFAULTS: SseOptions = { maxBufferedBytes: 1 << 20, heartbeatMs: 15_000 };

/** One SSE frame: `event:`, `id:`, and the JSON data on one `data:` line (JSON has no raw newlines). */
export const frame = (event: string, data: string, id?: number): string => `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${data}\n\n`;

export class SseStream {
  readonly #res: ServerResponse;
  readonly #opts: SseOptions;
  readonly #heartbeat: NodeJS.Timeout;
  readonly #closers: (() => void)[] = [];
  #closed = false;

  constructor(res: ServerResponse, opts: SseOptions = SSE_DEFAULTS) {
    this.#res = res;
    this.#opts = opts;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    this.#heartbeat = setInterval(() => this.writeRaw(': ping\n\n'), opts.heartbeatMs);
    this.#heartbeat.unref();
    res.on('close', () => this.#finish());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Called once when the stream ends (client gone, dropped, or closed by the server). */
  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#closers.push(fn);
  }

  /** Write a preformatted frame; false (and the client dropped) when its buffer is full. */
  writeRaw(text: string): boolean {
    if (this.#closed) return false;
    if (this.#res.writableLength > this.#opts.maxBufferedBytes) {
      this.#res.destroy();
      this.#finish();
      return false;
    }
    this.#res.write(text);
    return true;
  }

  send(event: string, data: unknown, id?: number): boolean {
    return this.writeRaw(frame(event, JSON.stringify(data), id));
  }

  /** End the stream from the server side (the daemon shuts down). */
  end(): void {
    if (this.#closed) return;
    this.#res.end();
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const fn of this.#closers.splice(0)) fn();
  }
}
