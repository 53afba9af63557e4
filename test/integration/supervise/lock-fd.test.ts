import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../helpers/paths.js';
import { alive, Rig, serviceDir } from './helpers.js';

/** Poll for a pid file (deadline 3 s). */
async function pidFile(path: string): Promise<number> {
  const end = performance.now() + 3000;
  while (performance.now() < end) {
    const text = existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
    if (text) return Number(text);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no pid in ${path}`);
}

describe('supervise/Supervisor lock-fd with real processes', function () {
  this.timeout(15_000);
  let tmp: { path: string; cleanup: () => void };
  let rig: Rig;
  let leftover: number | null = null;
  beforeEach(() => {
    tmp = tempDir('rc-lockfd-');
    rig = new Rig();
    leftover = null;
  });
  afterEach(async () => {
    if (leftover !== null && alive(leftover)) process.kill(leftover, 'SIGKILL');
    await rig.cleanup();
    tmp.cleanup();
  });

  it('the run holds the lock at fd N; a next start waits (lock-busy) until a leftover holder exits', async () => {
    const gcPid = join(tmp.path, 'grandchild.pid');
    // The first run leaves a grandchild in its own session (so the leftover sweep misses it) holding fd 5.
    const dir = serviceDir(
      tmp.path,
      'locky',
      `[ -e ${gcPid} ] || setsid sh -c 'echo $$ > ${gcPid}.tmp && mv ${gcPid}.tmp ${gcPid}; exec sleep 1000' >/dev/null 2>&1 &\nexec sleep 1000`,
    );
    const lockPath = join(tmp.path, 'live', 'locks', 'locky');
    const sup = rig.supervisor(dir, { name: 'locky', lockFd: 5 }, { lockPath });
    sup.up();
    const first = sup.status().pid!;
    expect(readlinkSync(`/proc/${first}/fd/5`)).to.equal(lockPath);
    leftover = await pidFile(gcPid);
    expect(readlinkSync(`/proc/${leftover}/fd/5`)).to.equal(lockPath);
    // The daemon side does not keep the lock: only the service's processes have it open.
    expect(fdsOf(process.pid).includes(lockPath)).to.equal(false);

    const down = rig.events.next('down');
    sup.down();
    await down;
    expect(alive(leftover)).to.equal(true);

    const busy = rig.events.next('lock-busy');
    sup.up();
    const ev = await busy;
    expect(ev.path).to.equal(lockPath);
    expect(sup.status().state).to.equal('starting');
    await new Promise((r) => setTimeout(r, 250)); // a few retries: still blocked, still one event
    expect(rig.events.of('spawned')).to.have.length(1);
    expect(rig.events.of('lock-busy')).to.have.length(1);

    const spawned = rig.events.next('spawned');
    // The retry interval is the fake-clock unit test's (test/unit/supervise/supervisor-lock-fd.test.ts).
    process.kill(leftover, 'SIGKILL');
    const second = await spawned;
    expect(readlinkSync(`/proc/${second.pid}/fd/5`)).to.equal(lockPath);
    expect(sup.status().state).to.equal('up');
  });
});

/** The targets of a process's open fds. */
function fdsOf(pid: number): string[] {
  const dir = `/proc/${pid}/fd`;
  const out: string[] = [];
  for (const fd of readdirSync(dir)) {
    try {
      out.push(readlinkSync(join(dir, fd)));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}
