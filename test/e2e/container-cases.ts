// The container cases (CMD and its exit code, signals, rc halt from finish, --on-fail, orphans), run on a host or as PID 1.
import { expect } from 'chai';
import { ContainerRig, FIXTURES, type BootMode, type CTree } from './container-harness.js';

/** db ← migrate (oneshot) ← app: the order to check on the way up and down. */
const READY = { 'notification-fd': '3\n' };
const STACK: CTree = {
  db: { type: 'longrun', files: READY },
  migrate: { type: 'oneshot', deps: ['db'] },
  app: { type: 'longrun', deps: ['migrate'], files: READY },
  default: { type: 'bundle', contents: ['app'] },
};
const UP = ['start db', 'up migrate', 'start app'];
/** The events file, in service scripts (the rig exports RC_TEST_EVENTS to rc boot). */
const EV = '"$RC_TEST_EVENTS"';
const DOWN = ['stop app', 'down migrate', 'stop db'];

export function containerCases(mode: BootMode): void {
  // Every rig a test made (some make two): each one's temp dir is removed after the test.
  let rigs: ContainerRig[] = [];
  afterEach(async () => {
    const made = rigs;
    rigs = [];
    for (const r of made) await r.cleanup();
  });

  const make = (tree: CTree): ContainerRig => {
    const r = new ContainerRig(tree);
    rigs.push(r);
    return r;
  };

  /** Boot, wait for the exit, check nothing is left; returns the rig. */
  async function run(tree: CTree, args: string[], cmd: ((r: ContainerRig) => string[]) | null): Promise<{ r: ContainerRig; code: number | null }> {
    const r = make(tree);
    r.boot(mode, args, cmd ? cmd(r) : null);
    const code = await r.exited();
    expect(r.leftovers(), 'processes left behind').to.deep.equal([]);
    return { r, code };
  }

  for (const [what, args, expected] of [
    ['exits 0', ['exit', '0'], 0],
    ['exits 3', ['exit', '3'], 3],
    ['is killed by SIGKILL', ['kill'], 137],
  ] as const) {
    it(`CMD ${what}: runs once the target is up, then everything stops in reverse order; rc exits ${expected}`, async () => {
      const { r, code } = await run(STACK, [], (x) => x.cmd(args[0], ...args.slice(1)));
      expect(code, r.err).to.equal(expected);
      expect(r.lines()).to.deep.equal([...UP, 'cmd run', ...DOWN]);
      expect(r.err).to.include(`rc: every service is down; exiting with code ${expected}`);
    });
  }

  it('CMD has rc boot\'s stdin, stdout and environment (plus RC_LIVE and RC_BIN); not found → 127', async () => {
    const r = make(STACK);
    r.boot(mode, ['--target', 'db'], r.cmd('stdio'), { CONTAINER_MARK: 'here' });
    r.child!.stdin!.end('hello from stdin\n');
    expect(await r.exited(), r.err).to.equal(0);
    expect(r.out).to.include('cmd got: hello from stdin');
    expect(r.out).to.include(`RC_LIVE=${r.live} RC_BIN=set MARK=here`);
    const missing = await run(STACK, ['--target', 'db'], () => ['/nonexistent/cmd']);
    expect(missing.code).to.equal(127);
    expect(missing.r.err).to.include('rc: CMD could not be started (ENOENT');
  });

  it('services and CMD start with no signal ignored or blocked (as PID 1, nothing relies on default dispositions)', async () => {
    const masks = 'grep -E "^Sig(Ign|Blk)" /proc/self/status';
    const tree: CTree = { svc: { type: 'longrun', run: `${masks} | sed "s/^/svc /" >> ${EV}; exec sh ${FIXTURES}/svc.sh svc ${EV} 3`, files: READY } };
    const { r, code } = await run(tree, ['--target', 'svc'], () => ['sh', '-c', `${masks} | sed "s/^/cmd /" >> "$RC_TEST_EVENTS"`]);
    expect(code, r.err).to.equal(0);
    const zero = '0000000000000000';
    expect(r.lines().filter((l) => /Sig(Ign|Blk)/.test(l)).map((l) => l.replace(/\s+/g, ' '))).to.deep.equal([
      `svc SigBlk: ${zero}`,
      `svc SigIgn: ${zero}`,
      `cmd SigBlk: ${zero}`,
      `cmd SigIgn: ${zero}`,
    ]);
  });

  it('SIGTERM goes to CMD first; once it has exited the services stop in reverse order; exit = CMD\'s code', async () => {
    const r = make(STACK);
    r.boot(mode, [], r.cmd('wait', '0'));
    await r.waitFor('cmd run');
    r.signal('SIGTERM');
    expect(await r.exited(), r.err).to.equal(0);
    expect(r.lines()).to.deep.equal([...UP, 'cmd run', 'cmd term', ...DOWN]);
    expect(r.leftovers()).to.deep.equal([]);
  });

  it('a CMD that ignores SIGTERM gets SIGKILL after --kill-grace (exit 137), then the services stop', async () => {
    const r = make(STACK);
    r.boot(mode, ['--kill-grace', '300'], r.cmd('stubborn'));
    await r.waitFor('cmd run');
    const t0 = Date.now();
    r.signal('SIGTERM');
    expect(await r.exited(), r.err).to.equal(137);
    expect(Date.now() - t0).to.be.within(250, 5000);
    expect(r.lines()).to.deep.equal([...UP, 'cmd run', 'cmd term', ...DOWN]);
  });

  it('SIGTERM without CMD: reverse-order shutdown, every process gone, exit 0; SIGQUIT: everything killed at once, exit 131', async () => {
    let r = make(STACK);
    r.boot(mode, [], null);
    await r.waitFor('start app');
    r.signal('SIGTERM');
    expect(await r.exited(), r.err).to.equal(0);
    expect(r.lines()).to.deep.equal([...UP, ...DOWN]);
    expect(r.leftovers()).to.deep.equal([]);
    await r.cleanup();
    r = make(STACK);
    r.boot(mode, [], null);
    await r.waitFor('start app');
    r.signal('SIGQUIT');
    expect(await r.exited(), r.err).to.equal(131);
    // No orderly stop: migrate's down never ran.
    expect(r.lines()).to.not.include('down migrate');
    expect(r.err).to.include('rc: SIGQUIT: killing everything now');
    expect(r.leftovers()).to.deep.equal([]);
  });

  it('a finish script calling `rc halt --code 7` ends the container with 7, without waiting for its own end', async () => {
    const tree: CTree = {
      ...STACK,
      app: {
        type: 'longrun',
        deps: ['migrate'],
        // Dies (exit 3) once CMD runs, so CMD is there to be stopped first.
        run: `echo "start app" >> ${EV}; until grep -q "cmd run" ${EV}; do sleep 0.02; done; exit 3`,
        finish: `exec sh ${FIXTURES}/finish-halt.sh "$1" "$2" 7 ${EV}`,
        files: { 'timeout-finish': '20000\n' },
      },
    };
    const t0 = Date.now();
    const { r, code } = await run(tree, [], (x) => x.cmd('wait', '0'));
    expect(code, r.err).to.equal(7);
    // Well under timeout-finish: rc halt returned at once, the finish script ended, the shutdown went on.
    expect(Date.now() - t0).to.be.below(10_000);
    const lines = r.lines();
    expect(lines).to.include.members(['finish 3', 'halt returned 0', 'cmd term']);
    expect(lines.indexOf('cmd term')).to.be.below(lines.indexOf('down migrate'));
    expect(lines.slice(-2)).to.deep.equal(['down migrate', 'stop db']);
  });

  const FAILING: CTree = { ...STACK, migrate: { type: 'oneshot', deps: ['db'], upCode: 1 } };
  for (const [onFail, code, lines, warned] of [
    ['halt', 1, ['start db', 'up migrate', 'stop db'], false],
    ['warn', 5, ['start db', 'up migrate', 'cmd run', 'stop db'], true],
    ['ignore', 5, ['start db', 'up migrate', 'cmd run', 'stop db'], false],
  ] as const) {
    it(`a failing target with --on-fail ${onFail}: exit ${code}${onFail === 'halt' ? ', CMD never runs' : ', CMD runs anyway'}`, async () => {
      const { r, code: got } = await run(FAILING, ['--on-fail', onFail], (x) => x.cmd('exit', '5'));
      expect(got, r.err).to.equal(code);
      expect(r.lines()).to.deep.equal(lines);
      expect(r.err).to.include('rc: migrate failed to start');
      expect(r.err.includes('rc: warning: bringing up default failed (exit code 1); running CMD anyway (--on-fail warn)')).to.equal(warned);
      if (onFail === 'halt') expect(r.err).to.include('bringing up default failed (exit code 1): halting (--on-fail halt)');
    });
  }

  it('a target that hits --timeout with --on-fail halt: exit 2 (the timeout code), and the message says it timed out', async () => {
    const tree: CTree = { slow: { type: 'longrun', run: 'exec sleep 30', files: READY }, default: { type: 'bundle', contents: ['slow'] } };
    const { r, code } = await run(tree, ['--timeout', '1500', '--on-fail', 'halt'], (x) => x.cmd('exit', '5'));
    expect(code, r.err).to.equal(2);
    expect(r.err).to.include('bringing up default timed out (exit code 2): halting (--on-fail halt)');
    expect(r.lines()).to.not.include('cmd run');
  });

  it('100 orphans of a service that double-forks are reaped: 0 zombies within 2 s of their exit', async () => {
    const tree: CTree = {
      orphans: { type: 'longrun', run: `exec sh ${FIXTURES}/orphans.sh 100 ${EV}`, files: { 'notification-fd': '3\n' } },
    };
    const { r, code } = await run(tree, ['--target', 'orphans'], (x) => x.cmd('zombies', '100'));
    expect(code, r.err).to.equal(0);
    const report = JSON.parse(r.out.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? '{}') as Record<string, number>;
    if (mode === 'pidns') expect(report['rc']).to.equal(1);
    expect(report).to.deep.include({ expected: 100, seen: 100, alive: 0, zombies: 0 });
    expect(report['clearedMs']).to.be.below(2000);
  });
}
