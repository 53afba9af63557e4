// ControlServer: the daemon's Unix socket; frames requests, checks them, and isolates every client from the others.
import { chmodSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { err, ok, type Result } from '../core/result.js';
import { ExitCode } from '../core/exit-codes.js';
import { LineSplitter } from './framing.js';
import { MAX_REQUEST_BYTES, PROTOCOL_VERSION, type Op, type Reply, type Request, type ResultDataMap, type StreamEvent } from './protocol.js';
import { parseRequest } from './validate.js';

/** One connected client, as request handlers see it. */
export interface Connection {
  readonly id: number;
  readonly closed: boolean;
  /** Write one reply line; returns false (and drops it) when the client is gone. */
  send(reply: Reply): boolean;
  onClose(fn: () => void): void;
  close(): void;
}

/** Handles one valid request. May reply now or later; exceptions become an error reply. */
export type RequestHandler = (request: Request, conn: Connection) => void | Promise<void>;

export interface ControlServerOptions {
  path: string;
  handler: RequestHandler;
  /** A client that lets this much output pile up unread is disconnected. */
  maxBufferedBytes?: number;
  /** Bugs in handlers are reported here (the daemon logs them) instead of crashing. */
  onInternalError?: (e: unknown) => void;
}

class SocketConnection implements Connection {
  #closeFns: (() => void)[] = [];
  #closed = false;
  #corked = false;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
    private readonly maxBuffered: number,
  ) {
    socket.on('close', () => this.#markClosed());
    socket.on('error', () => this.#markClosed());
  }

  get closed(): boolean {
    return this.#closed;
  }

  send(reply: Reply): boolean {
    if (this.#closed) return false;
    if (this.socket.writableLength > this.maxBuffered) {
      this.close();
      return false;
    }
    // Replies sent in one tick go out in one write (a change streams thousands of events).
    if (!this.#corked) {
      this.#corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        this.socket.uncork();
      });
    }
    this.socket.write(`${JSON.stringify(reply)}\n`);
    return true;
  }

  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#closeFns.push(fn);
  }

  close(): void {
    this.socket.end();
    this.socket.destroySoon();
    this.#markClosed();
  }

  #markClosed(): void {
    if (this.#closed) return;
    this.#closed = true;
    const fns = this.#closeFns;
    this.#closeFns = [];
    for (const fn of fns) fn();
  }
}

export class ControlServer {
  readonly path: string;
  #server: Server | undefined;
  /** The socket file this server created (dev, ino): removed at close only if the path still names it. */
  #file: { dev: number; ino: number } | undefined;
  #connections = new Set<SocketConnection>();
  #nextId = 1;
  readonly #opts: ControlServerOptions;

  constructor(opts: ControlServerOptions) {
    this.path = opts.path;
    this.#opts = opts;
  }

  /**
   * Listen on the socket path (a stale socket file is replaced: the caller holds the live-dir lock).
   * The socket is bound under a temporary name, then renamed into place: Node removes the bound
   * name when the server closes, and that must never be a path another daemon may own by then.
   */
  async listen(): Promise<Result<void, string>> {
    const bound = join(dirname(this.path), `.c${Math.random().toString(36).slice(2, 7)}`);
    unlinkQuietly(bound);
    const server = createServer((socket) => this.#accept(socket));
    const outcome = await new Promise<Error | undefined>((resolve) => {
      server.once('error', resolve);
      server.listen(bound, () => resolve(undefined));
    });
    if (outcome) return err(`unable to listen on ${this.path}: ${outcome.message}`);
    server.on('error', (e) => this.#opts.onInternalError?.(e));
    try {
      chmodSync(bound, 0o600);
      renameSync(bound, this.path);
      const { dev, ino } = statSync(this.path);
      this.#file = { dev, ino };
    } catch (e) {
      server.close();
      return err(`unable to set up ${this.path}: ${(e as Error).message}`);
    }
    this.#server = server;
    return ok(undefined);
  }

  /** Stop accepting, drop every client, remove the socket file if it is still this server's. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const c of this.#connections) c.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (this.#file && isFile(this.path, this.#file)) unlinkQuietly(this.path);
    this.#file = undefined;
  }

  get clientCount(): number {
    return this.#connections.size;
  }

  #accept(socket: Socket): void {
    const conn = new SocketConnection(this.#nextId++, socket, this.#opts.maxBufferedBytes ?? 16 * 1024 * 1024);
    this.#connections.add(conn);
    conn.onClose(() => this.#connections.delete(conn));
    const splitter = new LineSplitter(MAX_REQUEST_BYTES);
    socket.on('data', (chunk: Buffer) => {
      const { lines, overflow } = splitter.push(chunk);
      for (const line of lines) if (line.trim() !== '') this.#dispatch(line, conn);
      if (overflow) {
        conn.send(errorReply(null, ExitCode.usage, `request too long (more than ${MAX_REQUEST_BYTES} bytes)`));
        conn.close();
      }
    });
  }

  #dispatch(line: string, conn: SocketConnection): void {
    const parsed = parseRequest(line);
    if (!parsed.ok) {
      conn.send(errorReply(parsed.error.id, ExitCode.usage, parsed.error.message));
      return;
    }
    const request = parsed.value;
    const fail = (e: unknown) => {
      this.#opts.onInternalError?.(e);
      conn.send(errorReply(request.id, ExitCode.system, `internal error in the daemon: ${(e as Error)?.message ?? String(e)}`));
    };
    try {
      const r = this.#opts.handler(request, conn);
      if (r instanceof Promise) r.catch(fail);
    } catch (e) {
      fail(e);
    }
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // not there: fine
  }
}

/** Does `path` still name the file with this identity? */
function isFile(path: string, id: { dev: number; ino: number }): boolean {
  try {
    const st = statSync(path);
    return st.dev === id.dev && st.ino === id.ino;
  } catch {
    return false;
  }
}

export const errorReply = (id: number | null, exitCode: number, message: string, hint?: string): Reply => ({
  v: PROTOCOL_VERSION,
  id,
  type: 'error',
  exitCode,
  message,
  ...(hint !== undefined ? { hint } : {}),
});

export const resultReply = (id: number, exitCode: number, data: ResultDataMap[Op]): Reply => ({
  v: PROTOCOL_VERSION,
  id,
  type: 'result',
  exitCode,
  data,
});

export const eventReply = (id: number | null, event: StreamEvent): Reply => ({ v: PROTOCOL_VERSION, id, type: 'event', event });

/** The request waits: `position` requests are ahead of it, `running` is being served. */
export const queuedReply = (id: number, position: number, running: string): Reply => ({ v: PROTOCOL_VERSION, id, type: 'queued', position, running });
