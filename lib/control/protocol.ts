// Control protocol v1: the JSON-lines requests, replies and streamed events between the CLI and the daemon.
//
// One request per line, one reply object per line. Every request carries `v` (protocol version)
// and a client-chosen numeric `id`; every reply echoes it. A request gets zero or more `queued`
// and `event` replies, then exactly one `result` or `error` (except `subscribe`, which streams
// until the client hangs up).

export const PROTOCOL_VERSION = 1;
/** Longest accepted request line (bytes, newline excluded). Longer: error reply, then close. */
export const MAX_REQUEST_BYTES = 1024 * 1024;
export { CONTROL_SOCKET } from '../live/live-dir.js';

import type {
  ListFilter,
  ListResultData,
  LogsResultData,
  HaltResultData,
  ScanResultData,
  StatusResultData,
  StreamEvent,
  SvcCommand,
  TransitionFlags,
  TransitionOp,
  TransitionResultData,
  UpdateResultData,
  WaitCondition,
  WaitResultData,
} from '../daemon/types.js';

export type {
  DaemonInfo,
  ListFilter,
  ListResultData,
  LogLine,
  LogsResultData,
  HaltResultData,
  ScanResultData,
  StatusResultData,
  StatusRow,
  StreamEvent,
  SvcCommand,
  TransitionFlags,
  TransitionOp,
  TransitionResultData,
  UpdateResultData,
  WaitCondition,
  WaitResultData,
} from '../daemon/types.js';

interface Base {
  v: number;
  id: number;
}

export type Request =
  | (Base & { op: 'change'; targets: string[] } & TransitionFlags)
  | (Base & { op: 'up'; names: string[] } & TransitionFlags)
  | (Base & { op: 'down'; names: string[] } & TransitionFlags)
  | (Base & { op: 'restart'; names: string[]; deps: boolean } & TransitionFlags)
  | (Base & { op: 'status'; names: string[] })
  | (Base & { op: 'list'; names: string[]; filter: ListFilter })
  | (Base & { op: 'wait'; names: string[]; until: WaitCondition; timeoutMs: number })
  | (Base & { op: 'svc'; names: string[]; commands: SvcCommand[] })
  /** `wait`: reply once everything is down (default), or as soon as the shutdown is accepted. */
  | (Base & { op: 'halt'; code: number; wait: boolean; pid?: number })
  | (Base & { op: 'logs'; names: string[]; lines: number; follow: boolean })
  | (Base & { op: 'subscribe' })
  /** Scandir mode: read the scan directory again (queued like a transition). */
  | (Base & { op: 'scan'; timeoutMs: number })
  /** DB mode: switch to a new compiled db (`compiled`), or compile `source` first; absolute paths. */
  | (Base & { op: 'update'; compiled?: string; source?: string[]; convfile?: string; dryRun: boolean; timeoutMs: number; jobs: number; noWait: boolean });

export type Op = Request['op'];
export type TransitionRequest = Extract<Request, { op: TransitionOp }>;

export type Reply =
  | { v: number; id: number | null; type: 'result'; exitCode: number; data: ResultDataMap[Op] }
  | { v: number; id: number | null; type: 'error'; exitCode: number; message: string; hint?: string }
  | { v: number; id: number | null; type: 'event'; event: StreamEvent }
  /** The request waits behind others: `position` requests are ahead, `running` is being served. */
  | { v: number; id: number | null; type: 'queued'; position: number; running: string };

/** The data of each op's result reply. */
export interface ResultDataMap {
  change: TransitionResultData;
  up: TransitionResultData;
  down: TransitionResultData;
  restart: TransitionResultData;
  status: StatusResultData;
  list: ListResultData;
  wait: WaitResultData;
  svc: null;
  halt: HaltResultData;
  logs: LogsResultData;
  subscribe: null;
  scan: ScanResultData;
  update: UpdateResultData;
}

/** A request as a caller writes it: the op and its fields (the client adds `v` and `id`; the daemon fills defaults). */
export type RequestBody<O extends Op> = { op: O } & Partial<Omit<Extract<Request, { op: O }>, 'v' | 'id' | 'op'>>;

export const TRANSITION_OPS: readonly TransitionOp[] = ['change', 'up', 'down', 'restart'];
export const isTransition = (r: Request): r is TransitionRequest => (TRANSITION_OPS as readonly string[]).includes(r.op);
