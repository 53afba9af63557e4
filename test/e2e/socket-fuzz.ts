// Malformed control-socket frames for the socket fuzzer, each with the reply it must get; and a raw socket session.
import fc from 'fast-check';
import { connect } from 'node:net';
import { join } from 'node:path';

/** One line sent to the daemon (no newline inside) and the reply it must get: an error naming `id`, or none (a blank line). */
export interface Frame {
  bytes: Buffer;
  /** The error reply: its id and exit code (100, a malformed request, unless said). */
  reply: { id: number | null; exitCode?: number } | 'none';
}

const line = (text: string, id: number | null): Frame => ({ bytes: Buffer.from(text), reply: { id } });
const json = (value: unknown, id: number | null): Frame => line(JSON.stringify(value), id);

/** What the server answers for raw bytes: nothing for a blank line, else an error without an id. */
function rawFrame(b: Uint8Array): Frame {
  const bytes = Buffer.from(b.filter((x) => x !== 0x0a));
  const text = bytes.toString('utf8');
  return { bytes, reply: (text.endsWith('\r') ? text.slice(0, -1) : text).trim() === '' ? 'none' : { id: idOf(text) } };
}

/** The id the server reads back from a line (an object with a safe-integer id), as validate.ts does. */
function idOf(text: string): number | null {
  try {
    const v = JSON.parse(text) as { id?: unknown } | null;
    return typeof v === 'object' && v !== null && !Array.isArray(v) && Number.isSafeInteger(v.id) ? (v.id as number) : null;
  } catch {
    return null;
  }
}

const id = fc.integer({ min: -1_000_000, max: 1_000_000 });
/** Values that are never a non-empty array of non-empty strings. */
const badList = fc.constantFrom<unknown>('x', 5, [], [1], [''], ['ok', 2], null, {}, true);
const badOptionalList = fc.constantFrom<unknown>('x', 5, [1], [''], null, {}, true);

/** A request of a known op with one field of a wrong type or missing: always refused, never run. */
const wrongTypes: fc.Arbitrary<Frame> = fc.tuple(id, fc.nat({ max: 9 }), badList, badOptionalList).map(([i, which, bad, badOpt]) => {
  const base = { v: 1, id: i };
  const cases: Record<string, unknown>[] = [
    { ...base, op: 'change', targets: bad },
    { ...base, op: 'up', names: bad },
    { ...base, op: 'down', names: bad, force: true },
    { ...base, op: 'restart', names: ['svc'], deps: 'yes' },
    { ...base, op: 'wait', names: ['svc'], until: 'forever' },
    { ...base, op: 'svc', names: ['svc'], commands: bad },
    { ...base, op: 'halt', code: [-1, 256, 1.5, '0', null][Math.abs(i) % 5] },
    { ...base, op: 'logs', names: ['svc'], lines: -1 },
    { ...base, op: 'status', names: badOpt },
    { ...base, op: 'list', filter: 'none' },
  ];
  return json(cases[which], i);
});

/** Missing or wrong id, v, op; unknown ops. */
const badEnvelope: fc.Arbitrary<Frame> = fc.tuple(id, fc.string({ maxLength: 12 }), fc.nat({ max: 6 })).map(([i, word, which]) => {
  const cases: Frame[] = [
    json({ v: 1, op: 'status' }, null),
    json({ v: 1, id: i + 0.5, op: 'status' }, null),
    json({ v: 1, id: String(i), op: 'status' }, null),
    json({ id: i, op: 'status' }, i),
    json({ v: 2, id: i, op: 'status' }, i),
    json({ v: 1, id: i }, i),
    json({ v: 1, id: i, op: `zz-${word}` }, i),
  ];
  return cases[which]!;
});

/** Text that is not JSON, JSON that is not an object, random objects. */
const notARequest: fc.Arbitrary<Frame> = fc.oneof(
  fc.string({ minLength: 1, maxLength: 60 }).map((s) => rawFrame(Buffer.from(`{${s}`))),
  fc.jsonValue({ maxDepth: 2 }).map((v) => json([v], null)),
  fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.string({ maxLength: 20 }), fc.constant(null)).map((v) => json(v, null)),
  // Without an 'op' a random object is never a request that would run.
  fc.object({ maxDepth: 1 }).map((o) => rawFrame(Buffer.from(JSON.stringify({ ...o, op: undefined })))),
);

/** Well-formed requests naming services that do not exist: refused with exit 3 (unknown name), nothing runs. */
const unknownNames: fc.Arbitrary<Frame> = fc.tuple(id, fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), fc.nat({ max: 8 })).map(([i, word, which]) => {
  const names = [`nope-${word}`];
  const cases: Record<string, unknown>[] = [
    { op: 'change', targets: names },
    { op: 'up', names },
    { op: 'down', names },
    { op: 'restart', names },
    { op: 'status', names },
    { op: 'wait', names, until: 'up' },
    { op: 'svc', names, commands: ['d'] },
    { op: 'logs', names },
    { op: 'list', names },
  ];
  return { bytes: Buffer.from(JSON.stringify({ v: 1, id: i, ...cases[which] })), reply: { id: i, exitCode: 3 } };
});

/** Any malformed frame. */
export const badFrame: fc.Arbitrary<Frame> = fc.oneof(
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 200 }).map(rawFrame) },
  { weight: 2, arbitrary: notARequest },
  { weight: 3, arbitrary: wrongTypes },
  { weight: 3, arbitrary: badEnvelope },
  { weight: 2, arbitrary: unknownNames },
);

export type Reply = Record<string, unknown> & { type?: string; id?: number | null; exitCode?: number };

/**
 * Connect to LIVE/control, write `chunks` (one write each), then either end our side or keep it
 * open; collect reply lines until `count` arrived or the daemon closed the connection.
 */
export function session(live: string, chunks: Buffer[], count: number, opts: { end?: boolean; timeoutMs?: number } = {}): Promise<{ replies: Reply[]; closedByDaemon: boolean }> {
  return new Promise((resolve, reject) => {
    const s = connect(join(live, 'control'));
    let buf = '';
    const replies: Reply[] = [];
    let settled = false;
    const timer = setTimeout(() => finish(new Error(`no ${count} replies within ${opts.timeoutMs ?? 30_000} ms (got ${replies.length})`)), opts.timeoutMs ?? 30_000);
    const finish = (e?: Error, closedByDaemon = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      if (e) reject(e);
      else resolve({ replies, closedByDaemon });
    };
    s.on('data', (c) => {
      buf += c.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        replies.push(JSON.parse(buf.slice(0, nl)) as Reply);
        buf = buf.slice(nl + 1);
      }
      if (replies.length >= count && !opts.end) finish();
    });
    s.on('close', () => finish(undefined, true));
    s.on('error', () => undefined);
    s.on('connect', () => {
      for (const c of chunks) s.write(c);
      if (opts.end) s.end();
    });
  });
}
