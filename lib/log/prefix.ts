// Line prefixes: service names padded to a common width, one colour per service, timestamps.
import { Chalk, type ChalkInstance } from 'chalk';
import type { LogStream } from './types.js';

const PALETTE = ['cyan', 'green', 'yellow', 'blue', 'magenta', 'cyanBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright'] as const;

/**
 * Knows every service name seen so far: the padding width (longest name) and each service's
 * colour (assigned in the order names become known; `setNames` assigns them in sorted order).
 * Prefix buffers are cached and rebuilt when the width changes.
 */
export class LinePrefixer {
  readonly #chalk: ChalkInstance;
  readonly #colors = new Map<string, number>();
  readonly #cache = new Map<string, Buffer>();
  #width = 0;

  constructor(readonly color: boolean) {
    this.#chalk = new Chalk({ level: color ? 1 : 0 });
  }

  /** Declare every name up front: fixes the width and gives colours in sorted order. */
  setNames(names: Iterable<string>): void {
    for (const name of [...names].sort()) this.register(name);
  }

  /** Make a name known (idempotent). */
  register(name: string): void {
    if (this.#colors.has(name)) return;
    this.#colors.set(name, this.#colors.size % PALETTE.length);
    if (name.length > this.#width) {
      this.#width = name.length;
      this.#cache.clear();
    }
  }

  get width(): number {
    return this.#width;
  }

  /** `name<padding> | `, coloured when colour is on. */
  prefix(name: string): string {
    this.register(name);
    const label = `${name.padEnd(this.#width)} |`;
    const paint = this.#chalk[PALETTE[this.#colors.get(name) ?? 0]!];
    return `${this.color ? paint(label) : label} `;
  }

  /** The prefix as a cached Buffer (hot path of the multiplexer). */
  prefixBuffer(name: string): Buffer {
    let buf = this.#cache.get(name);
    if (buf === undefined) {
      buf = Buffer.from(this.prefix(name));
      this.#cache.set(name, buf);
    }
    return buf;
  }
}

/** ISO-8601 UTC timestamp with milliseconds, e.g. 2024-05-01T12:00:00.000Z. */
export function isoTime(wallMs: number): string {
  return new Date(wallMs).toISOString();
}

/** TAI - UTC since 2017 (the offset skalibs applies to the system clock). */
const TAI_OFFSET_S = 37n;
const TAI64_BASE = 1n << 62n;

/** A TAI64N label as s6 writes it: `@` + 16 hex digits of seconds + 8 hex digits of nanoseconds. */
export function tai64n(wallMs: number, extraNs = 0): string {
  const ms = Math.floor(wallMs);
  const secs = BigInt(Math.floor(ms / 1000)) + TAI64_BASE + TAI_OFFSET_S;
  const nanos = (ms % 1000) * 1_000_000 + extraNs;
  return `@${secs.toString(16).padStart(16, '0')}${nanos.toString(16).padStart(8, '0')}`;
}

/** One JSON object (without the newline) for a log line, as `--log-format json` writes it. */
export function jsonLine(service: string, stream: LogStream, time: string, line: string): string {
  return `{"service":${JSON.stringify(service)},"stream":"${stream}","time":"${time}","line":${JSON.stringify(line)}}`;
}
