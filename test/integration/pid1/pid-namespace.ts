// Test helper: run a built fixture as PID 1 of a new PID namespace (unshare), or say why that is impossible here.
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { outRoot } from '../../helpers/paths.js';

/** Null when `unshare --pid --fork --mount-proc` works here, else the reason to skip. */
export function namespaceUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'PID-namespace tests need root (unshare --pid); skipped';
  const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { stdio: 'ignore' });
  if (probe.error) return `unshare not available (${probe.error.message}); skipped`;
  if (probe.status !== 0) return `unshare --pid --fork --mount-proc failed (exit ${probe.status}); skipped`;
  return null;
}

/** Null when a PID namespace with its own network (unshare --net + `ip link set lo up`) works here, else the reason to skip. */
export function netNamespaceUnavailable(): string | null {
  const ns = namespaceUnavailable();
  if (ns) return ns;
  if (spawnSync('ip', ['-V'], { stdio: 'ignore' }).error) return '`ip` (iproute2) not installed; skipped';
  return null;
}

export const fixture = (name: string): string => join(outRoot, 'test', 'fixtures', 'pid1', name);

/** Run `node FIXTURE ARGS` (as PID 1 when `inNamespace`) and parse the JSON line it prints last. */
export function runFixture(name: string, args: string[], inNamespace: boolean, timeoutMs = 20_000): Promise<Record<string, unknown>> {
  const node = process.execPath;
  const [cmd, argv] = inNamespace
    ? ['unshare', ['--pid', '--fork', '--mount-proc', node, fixture(name), ...args]]
    : [node, [fixture(name), ...args]];
  return new Promise((resolve, reject) => {
    execFile(cmd, argv, { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(last) as Record<string, unknown>);
      } catch {
        reject(new Error(`fixture ${name} ${args.join(' ')} printed no JSON (${error?.message ?? 'exit 0'}):\n${stdout}\n${stderr}`));
      }
    });
  });
}
