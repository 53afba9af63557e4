// PID-1 signal policy with real processes: on a host and as PID 1 of a namespace.
import { expect } from 'chai';
import { namespaceUnavailable, runFixture } from './pid-namespace.js';

const allDelivered = { hup: true, usr1: true, usr2: true, term: true, int: true, quit: true };

describe('pid1/signals (real processes)', function () {
  this.timeout(30_000);
  const skipReason = namespaceUnavailable();

  it('on a host: every policy signal reaches its handler, children start with clean masks', async () => {
    const r = await runFixture('signal-harness.js', [], false);
    expect(r.delivered).to.deep.equal(allDelivered);
    expect(r.childMasks).to.deep.equal({ ignored: [], blocked: [], caught: [] });
    // Node ignores SIGPIPE itself; the child must not inherit that.
    expect((r.parentMasks as { ignored: number[] }).ignored).to.include(13);
    expect(r.inspector, 'SIGUSR1 must not open the inspector').to.equal(null);
  });

  it('as PID 1: unhandled SIGTERM is dropped by the kernel; with the policy installed all arrive', async function () {
    if (skipReason) {
      console.log(`      ${skipReason}`);
      this.skip();
    }
    const r = await runFixture('signal-harness.js', [], true);
    expect(r).to.deep.include({ pid: 1, survivedUnhandled: true, inspector: null });
    expect(r.delivered).to.deep.equal(allDelivered);
    expect(r.events).to.deep.equal([
      'rescan:SIGHUP',
      'ignored:SIGUSR1',
      'ignored:SIGUSR2',
      'shutdown:SIGTERM',
      'escalate:SIGINT:2',
      'kill-all:SIGQUIT',
    ]);
    expect(r.childMasks).to.deep.equal({ ignored: [], blocked: [], caught: [] });
  });
});
