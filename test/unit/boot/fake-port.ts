// Test double: rc boot's port over an EventEmitter (signals), captured streams, a fake libc and a temp source tree.
import { EventEmitter } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { BootOptions, BootPort } from '../../../lib/boot/index.js';
import { formatDiagnostic } from '../../../lib/core/diagnostics.js';
import type { Result } from '../../../lib/core/result.js';
import type { ProcessLibc } from '../../../lib/sys/index.js';
import { FakeLibc, FakeProc } from './fake-proc.js';

/** A stream that keeps what was written (as text). */
export class Captured extends Writable {
  text = '';
  readonly isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** The port: signals go through `signals.emit`, `held` is what the CLI caught before runBoot. */
export class FakePort extends EventEmitter implements BootPort {
  readonly env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] };
  readonly pid = process.pid;
  readonly execPath = process.execPath;
  readonly entryScript = '/usr/lib/rc/cli/rc.js';
  readonly stdout = new Captured();
  readonly stderr = new Captured();
  held: NodeJS.Signals[] = [];
  libc: Result<ProcessLibc, string> = { ok: true, value: new FakeLibc(new FakeProc(process.pid)) };

  releaseHeldSignals(): NodeJS.Signals[] {
    return this.held.splice(0);
  }
  loadLibc(): Result<ProcessLibc, string> {
    return this.libc;
  }
  formatDiagnostics(list: Parameters<BootPort['formatDiagnostics']>[0]): string {
    return list.map((d) => `${formatDiagnostic(d)}\n`).join('');
  }
  /** Listeners on a signal (0 once runBoot has returned). */
  listening(signal: NodeJS.Signals): number {
    return this.listenerCount(signal);
  }
}

/** A source tree: oneshot `a` (an empty up: no process), and the bundle `default` = a unless `withDefault` is false. */
export function writeSource(root: string, withDefault = true): string {
  const src = join(root, 'src');
  const files: Record<string, string> = { 'a/type': 'oneshot\n', 'a/up': '' };
  if (withDefault) Object.assign(files, { 'default/type': 'bundle\n', 'default/contents': 'a\n' });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), text);
  }
  return src;
}

/** rc boot's options for a temp root: compile `src` at boot, live dir under root. */
export function bootOptions(root: string, src: string, extra: Partial<BootOptions> = {}): BootOptions {
  return { live: join(root, 'live'), source: [src], timeout: 0, killGrace: 1000, jobs: 0, logFormat: 'plain', onFail: 'warn', command: [], ...extra };
}
