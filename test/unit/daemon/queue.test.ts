// RequestQueue: jobs one at a time in arrival order, cancelling, closing.
import { expect } from 'chai';
import { RequestQueue, type QueuedJob } from '../../../lib/daemon/queue.js';

/** A job the test finishes by hand. */
function job(label: string, log: string[]): QueuedJob & { finish: () => void } {
  let finish!: () => void;
  return {
    label,
    run: () => {
      log.push(`run ${label}`);
      return new Promise<void>((r) => (finish = r));
    },
    dropped: () => log.push(`dropped ${label}`),
    finish: () => finish(),
  };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('daemon RequestQueue', () => {
  it('runs jobs one at a time in arrival order and reports positions', async () => {
    const log: string[] = [];
    const q = new RequestQueue(() => undefined);
    const a = job('a', log);
    const b = job('b', log);
    const c = job('c', log);
    expect(q.enqueue(a).position).to.equal(0);
    expect(q.enqueue(b).position).to.equal(1);
    expect(q.enqueue(c).position).to.equal(2);
    expect(q.running).to.equal('a');
    expect(q.length).to.equal(2);
    a.finish();
    await tick();
    expect(q.running).to.equal('b');
    b.finish();
    await tick();
    c.finish();
    await q.whenIdle();
    expect(log).to.deep.equal(['run a', 'run b', 'run c']);
    expect(q.busy).to.equal(false);
  });

  it('cancels a waiting job, not a running one', async () => {
    const log: string[] = [];
    const q = new RequestQueue(() => undefined);
    const a = job('a', log);
    const b = job('b', log);
    const ea = q.enqueue(a);
    const eb = q.enqueue(b);
    expect(ea.cancel()).to.equal(false);
    expect(eb.cancel()).to.equal(true);
    a.finish();
    await q.whenIdle();
    expect(log).to.deep.equal(['run a', 'dropped b']);
  });

  it('drops waiting jobs on close and refuses new ones; a failing job does not stop the queue', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const q = new RequestQueue((e) => errors.push(e));
    q.enqueue({ label: 'bad', run: () => Promise.reject(new Error('bug')) });
    const a = job('a', log);
    const b = job('b', log);
    q.enqueue(a);
    q.enqueue(b);
    await tick();
    expect(errors).to.have.length(1);
    q.close();
    q.enqueue(job('c', log));
    a.finish();
    await q.whenIdle();
    expect(log).to.deep.equal(['run a', 'dropped b', 'dropped c']);
  });
});
