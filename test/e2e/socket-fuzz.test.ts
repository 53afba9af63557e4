// Socket fuzzer against a real rc boot: garbage, huge and partial frames, wrong types, many clients at once.
// RC_FUZZ_RUNS=N scales it, RC_FUZZ_SEED=N reproduces a failure (the seed is printed when one fails).
import { expect } from 'chai';
import fc from 'fast-check';
import { MAX_REQUEST_BYTES } from '../../lib/control/protocol.js';
import { assertWithSeed, fuzzParams } from '../integration/compile/fuzz-trees.js';
import { DaemonRig } from './daemon-harness.js';
import { badFrame, session, type Frame, type Reply } from './socket-fuzz.js';

const NL = Buffer.from('\n');
const STATUS = (id: number) => Buffer.from(`${JSON.stringify({ v: 1, id, op: 'status' })}\n`);

/**
 * The replies answer the frames: one error each (blank lines get none), with the frame's id and
 * exit code (100 for a malformed request, 3 for an unknown name). Malformed ones are answered at
 * once and requests that reach the daemon a little later, so they are compared as a multiset.
 */
function expectAnswers(frames: readonly Frame[], replies: readonly Reply[]): void {
  const key = (id: unknown, code: unknown) => `${String(id)}:${String(code)}`;
  const expected = frames.flatMap((f) => (f.reply === 'none' ? [] : [key(f.reply.id, f.reply.exitCode ?? 100)])).sort();
  for (const r of replies) {
    expect(r.type, JSON.stringify(r)).to.equal('error');
    const says = r.exitCode === 3 ? /unknown service name 'nope-/ : /^(malformed request|bad request|unsupported protocol version)/;
    expect(r['message'], JSON.stringify(r)).to.be.a('string').and.match(says);
  }
  expect(replies.map((r) => key(r.id, r.exitCode)).sort(), JSON.stringify(replies).slice(0, 500)).to.deep.equal(expected);
}

describe('e2e daemon: control socket fuzzing', function () {
  this.timeout(120_000);
  let rig: DaemonRig;
  let svcPid: number;

  before(async () => {
    rig = new DaemonRig({ svc: { type: 'longrun' }, once: { type: 'oneshot' } });
    await rig.boot();
    const up = await rig.rc(['up', 'svc', 'once']);
    expect(up.code, up.stderr).to.equal(0);
    svcPid = (await rig.row('svc')).pid!;
  });
  after(async () => rig?.cleanup());

  /** The daemon is alive, answers a valid status, and its service was never touched. */
  async function expectHealthy(): Promise<void> {
    expect(rig.running, `rc boot died: ${rig.err}`).to.equal(true);
    const { replies } = await session(rig.live, [STATUS(7)], 1);
    expect(replies[0], JSON.stringify(replies)).to.include({ type: 'result', exitCode: 0, id: 7 });
    expect((await rig.row('svc')).pid).to.equal(svcPid);
    expect(await rig.upNames()).to.deep.equal(['once', 'svc']);
  }

  it('answers every malformed frame (exit 100) or unknown name (exit 3) with an error naming its id, from many clients at once, split anywhere', async () => {
    const params = fuzzParams(40);
    // One client: frames, sent in arbitrary pieces, then a valid status.
    const client = fc.record({ frames: fc.array(badFrame, { minLength: 1, maxLength: 12 }), cuts: fc.array(fc.nat(), { maxLength: 4 }) });
    await assertWithSeed(
      fc.asyncProperty(fc.array(client, { minLength: 1, maxLength: 24 }), async (clients) => {
        const sessions = clients.map(({ frames, cuts }, c) => {
          const stream = Buffer.concat([...frames.flatMap((f) => [f.bytes, NL]), STATUS(1000 + c)]);
          const at = [...new Set(cuts.map((k) => k % stream.length))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, k) => stream.subarray(from, [...at, stream.length][k])).filter((b) => b.length > 0);
          const count = frames.filter((f) => f.reply !== 'none').length + 1;
          return session(rig.live, chunks, count).then(({ replies }) => {
            const status = replies.findIndex((r) => r.type === 'result');
            expect(replies[status], JSON.stringify(replies)).to.include({ type: 'result', exitCode: 0, id: 1000 + c });
            expectAnswers(frames, replies.filter((_, k) => k !== status));
          });
        });
        await Promise.all(sessions);
        expect(rig.running, `rc boot died: ${rig.err}`).to.equal(true);
      }),
      params,
    );
    await expectHealthy();
  });

  it('a line over 1 MiB gets one error (exit 100) and the connection is closed; the next client is served', async () => {
    const huge = Buffer.alloc(MAX_REQUEST_BYTES + 4096, 0x61);
    const { replies, closedByDaemon } = await session(rig.live, [Buffer.from('{"v":1,"id":3,"op":'), huge], 2, { timeoutMs: 60_000 });
    expect(closedByDaemon).to.equal(true);
    expect(replies).to.have.length(1);
    expect(replies[0]).to.include({ type: 'error', exitCode: 100, id: null });
    expect(replies[0]!['message']).to.match(/request too long/);
    await expectHealthy();
  });

  it('partial frames then close, and clients that vanish mid-reply, leave the daemon serving', async () => {
    const partials = ['{"v":1,"id":1,"op":"sta', '{', '\u00ff\u00fe', '{"v":1,"id":2,"op":"status"}'];
    await Promise.all(
      Array.from({ length: 60 }, (_, k) => session(rig.live, [Buffer.from(partials[k % partials.length]!)], 0, { end: true })),
    );
    // Clients that send a request and close at once (the reply goes to a closed socket).
    await Promise.all(Array.from({ length: 60 }, (_, k) => session(rig.live, [STATUS(k), Buffer.from('garbage\n')], 0, { end: true })));
    await expectHealthy();
  });

  it('200 concurrent connections, each with a bad frame and a status, are all answered', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, k) => session(rig.live, [Buffer.from(`{"v":1,"id":${k},"op":"zz"}\n`), STATUS(k)], 2, { timeoutMs: 60_000 })),
    );
    results.forEach(({ replies }, k) => {
      expect(replies[0]).to.include({ type: 'error', exitCode: 100, id: k });
      expect(replies[1]).to.include({ type: 'result', exitCode: 0, id: k });
    });
    await expectHealthy();
  });

  it('halts cleanly afterwards: exit 0, nothing left running', async () => {
    const halt = await rig.rc(['halt']);
    expect(halt.code, halt.stderr).to.equal(0);
    expect(await rig.exited()).to.equal(0);
    expect(rig.leftovers()).to.deep.equal([]);
  });
});
