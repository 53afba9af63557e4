// Test helpers for rc boot --http: boot a DaemonRig with the HTTP adapter, plain requests (no keep-alive), SSE streams read frame by frame.
import { request } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonRig, until } from './daemon-harness.js';

export const TOKEN = 'test-token-0123456789';

/** Boot `rig` with `--http 127.0.0.1:0` (and the token file unless `token: false`); resolves with the base URL. */
export async function bootHttp(rig: DaemonRig, args: string[], o: { token?: boolean } = {}): Promise<string> {
  const extra = ['--http', '127.0.0.1:0'];
  if (o.token !== false) {
    const file = join(rig.root, 'token');
    writeFileSync(file, `${TOKEN}\n`, { mode: 0o600 });
    extra.push('--http-token-file', file);
  }
  await rig.boot([...args, ...extra]);
  return until(`the http address (stderr: ${rig.err})`, () => /http: listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(rig.err)?.[1]);
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: unknown;
}

export interface Req {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A raw body (sent as is). */
  raw?: string;
}

/** One request on its own connection (`agent: false`), so no socket outlives the test. */
export function http(url: string, r: Req = {}): Promise<HttpAnswer> {
  const body = r.raw ?? (r.body === undefined ? undefined : JSON.stringify(r.body));
  const headers = { ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers };
  return new Promise((resolve, reject) => {
    const req = request(url, { method: r.method ?? 'GET', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        let json: unknown = undefined;
        try {
          json = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const post = (url: string, body?: unknown, token: string | null = TOKEN): Promise<HttpAnswer> =>
  http(url, { method: 'POST', ...(body !== undefined ? { body } : {}), headers: token === null ? {} : { authorization: `Bearer ${token}` } });

export interface SseFrame {
  id: number | null;
  event: string;
  data: unknown;
}

/** An open SSE stream: the frames so far, a wait for a condition on them, and close. */
export class SseClient {
  readonly frames: SseFrame[] = [];
  status = 0;
  contentType = '';
  #buffer = '';
  #close: () => void = () => undefined;
  readonly opened: Promise<void>;

  constructor(url: string) {
    this.opened = new Promise((resolve, reject) => {
      const req = request(url, { agent: false }, (res) => {
        this.status = res.statusCode ?? 0;
        this.contentType = String(res.headers['content-type']);
        res.setEncoding('utf8');
        res.on('data', (c: string) => this.#push(c));
        res.on('error', () => undefined);
        resolve();
      });
      req.on('error', reject);
      req.end();
      this.#close = () => req.destroy();
    });
  }

  #push(chunk: string): void {
    this.#buffer += chunk;
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
      if (fields['event'] === undefined) continue;
      this.frames.push({ id: fields['id'] === undefined ? null : Number(fields['id']), event: fields['event'], data: JSON.parse(fields['data'] ?? 'null') });
    }
  }

  /** The daemon events received (frames `event`), in order. */
  events(): { type: string; name?: string; service?: string; [k: string]: unknown }[] {
    return this.frames.filter((f) => f.event === 'event').map((f) => (f.data as { event: { type: string } }).event);
  }

  waitFor<T>(what: string, pred: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
    return until(what, pred, timeoutMs);
  }

  close(): void {
    this.#close();
  }
}
