// ControlClient: connects to a daemon's control socket and runs requests, streaming their events to callbacks.
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { LineSplitter } from './framing.js';
import { CONTROL_SOCKET } from '../live/live-dir.js';
import { PROTOCOL_VERSION, type Op, type Reply, type RequestBody, type ResultDataMap, type StreamEvent } from './protocol.js';

/** The final reply to a request of op `O`: its result (with the op's data) or an error. */
export type FinalReply<O extends Op = Op> =
  | { v: number; id: number | null; type: 'result'; exitCode: number; data: ResultDataMap[O] }
  | Extract<Reply, { type: 'error' }>;

export interface CallHandlers {
  onEvent?: (event: StreamEvent) => void;
  onQueued?: (position: number, running: string) => void;
}

export type ConnectError = { kind: 'no-daemon'; message: string } | { kind: 'system'; message: string };

interface Pending {
  resolve: (r: FinalReply) => void;
  handlers: CallHandlers;
}

export const controlSocketPath = (live: string): string => join(live, CONTROL_SOCKET);

export class ControlClient {
  #pending = new Map<number, Pending>();
  #nextId = 1;
  #splitter = new LineSplitter(256 * 1024 * 1024);
  #closed = false;

  constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const line of this.#splitter.push(chunk).lines) this.#receive(line);
    });
    const lost = () => this.#lost();
    socket.on('close', lost);
    socket.on('error', lost);
  }

  /** Send a request; resolves with its result or error reply (a lost connection is an error reply, exit 111). */
  call<O extends Op>(body: RequestBody<O>, handlers: CallHandlers = {}): Promise<FinalReply<O>> {
    const id = this.#nextId++;
    if (this.#closed) return Promise.resolve(lostReply(id) as FinalReply<O>);
    return new Promise((resolve) => {
      // The daemon answers request `id` with the reply of that request's op.
      this.#pending.set(id, { resolve: (r) => resolve(r as FinalReply<O>), handlers });
      this.socket.write(`${JSON.stringify({ ...body, v: PROTOCOL_VERSION, id })}\n`);
    });
  }

  close(): void {
    this.#closed = true;
    this.socket.end();
    this.socket.destroy();
  }

  #receive(line: string): void {
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch {
      return;
    }
    const pending = reply.id === null ? undefined : this.#pending.get(reply.id);
    if (pending === undefined) {
      // An error about a request the daemon could not read: fail every call waiting.
      if (reply.type === 'error' && reply.id === null) for (const [id] of this.#pending) this.#finish(id, { ...reply, id });
      return;
    }
    switch (reply.type) {
      case 'event':
        pending.handlers.onEvent?.(reply.event);
        return;
      case 'queued':
        pending.handlers.onQueued?.(reply.position, reply.running);
        return;
      case 'result':
      case 'error':
        this.#finish(reply.id!, reply);
        return;
    }
  }

  #finish(id: number, reply: FinalReply): void {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    p.resolve(reply);
  }

  #lost(): void {
    if (this.#closed && this.#pending.size === 0) return;
    this.#closed = true;
    for (const [id] of this.#pending) this.#finish(id, lostReply(id));
  }
}

const lostReply = (id: number): FinalReply => ({
  v: PROTOCOL_VERSION,
  id,
  type: 'error',
  exitCode: 111,
  message: 'the connection to the rc daemon was lost',
});

/** Connect to the daemon of a live directory. */
export function connectControl(live: string): Promise<Result<ControlClient, ConnectError>> {
  const path = controlSocketPath(live);
  return new Promise((resolve) => {
    const socket = connect(path);
    const onError = (e: NodeJS.ErrnoException) => {
      socket.destroy();
      if (e.code === 'ENOENT' || e.code === 'ECONNREFUSED' || e.code === 'ENOTDIR') {
        resolve(err({ kind: 'no-daemon', message: `no rc daemon on ${live} (start one with \`rc boot\`)` }));
      } else {
        resolve(err({ kind: 'system', message: `unable to connect to the rc daemon on ${path}: ${e.message}` }));
      }
    };
    socket.once('error', onError);
    socket.once('connect', () => {
      socket.off('error', onError);
      resolve(ok(new ControlClient(socket)));
    });
  });
}
