// boot/runBoot with a fake process: early signals, the default target rule, an unknown --target, libc missing.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runBoot } from '../../../lib/boot/index.js';
import { tempDir } from '../../helpers/paths.js';
import { bootOptions, FakePort, writeSource } from './fake-port.js';

describe('boot/runBoot (fake process)', function () {
  this.timeout(20_000);
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir('rc-boot-')));
  afterEach(() => tmp.cleanup());

  for (const [signal, code] of [['SIGTERM', 0], ['SIGINT', 0], ['SIGQUIT', 131]] as const) {
    it(`${signal} held before the container exists is served once it does: exit ${code}, nothing started`, async () => {
      const port = new FakePort();
      port.held = [signal];
      const exit = await runBoot(bootOptions(tmp.path, writeSource(tmp.path), { command: ['true'] }), port);
      expect(exit, port.stderr.text).to.equal(code);
      expect(port.stderr.text).to.include(`rc: ${signal} during start-up: stopping as soon as the daemon is set up`);
      expect(port.stderr.text).not.to.include('running CMD');
      expect(port.stderr.text).not.to.include('starting a');
      expect(port.listening('SIGTERM')).to.equal(0);
    });
  }

  it('a signal during start-up (after the handlers exist) is remembered the same way', async () => {
    const port = new FakePort();
    // runBoot installs its handlers before its first await: the signal comes while the daemon is being opened.
    const running = runBoot(bootOptions(tmp.path, writeSource(tmp.path)), port);
    port.emit('SIGTERM', 'SIGTERM');
    expect(await running).to.equal(0);
    expect(port.stderr.text).to.include('SIGTERM during start-up');
  });

  it('brings up the bundle default when it exists, then runs CMD; exit = CMD\'s code', async () => {
    const port = new FakePort();
    const exit = await runBoot(bootOptions(tmp.path, writeSource(tmp.path), { command: ['sh', '-c', 'exit 4'] }), port);
    expect(exit, port.stderr.text).to.equal(4);
    expect(port.stderr.text).not.to.include('nothing to bring up');
    expect(port.stderr.text).to.include('rc: a started');
    expect(port.stderr.text).to.include('running CMD');
  });

  it('without --target and without a bundle default brings nothing up, and says so', async () => {
    const port = new FakePort();
    const exit = await runBoot(bootOptions(tmp.path, writeSource(tmp.path, false), { command: ['true'] }), port);
    expect(exit, port.stderr.text).to.equal(0);
    expect(port.stderr.text).to.include('rc: no --target and no bundle named default: nothing to bring up');
    expect(port.stderr.text).not.to.include('starting a');
  });

  it('an unknown --target exits 3 at once with a did-you-mean hint; CMD never runs', async () => {
    const port = new FakePort();
    const exit = await runBoot(bootOptions(tmp.path, writeSource(tmp.path), { target: ['defualt'], command: ['true'] }), port);
    expect(exit).to.equal(3);
    expect(port.stderr.text).to.match(/defualt/);
    expect(port.stderr.text).to.match(/ {2}hint: .*default/);
    expect(port.stderr.text).not.to.include('running CMD');
  });

  it('without libc rc boot exits 111 with one message naming koffi, before opening anything', async () => {
    const port = new FakePort();
    port.libc = { ok: false, error: 'cannot load koffi (FFI): No native build was found' };
    const exit = await runBoot(bootOptions(tmp.path, writeSource(tmp.path)), port);
    expect(exit).to.equal(111);
    expect(port.stderr.text.trim().split('\n')).to.deep.equal([
      'rc: cannot boot: cannot load koffi (FFI): No native build was found (rc calls libc through koffi for flock, mkfifo, waitpid and prctl)',
    ]);
    expect(existsSync(join(tmp.path, 'live'))).to.equal(false);
  });
});
