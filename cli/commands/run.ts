// `rc run [-c COMPILED] NAME` and `rc probe [-c COMPILED] NAME`: one service as a container's command, and its health check.
import type { Command } from 'commander';
import { DEFAULT_COMPILED } from '../../lib/core/index.js';
import { action } from '../run-action.js';
import type { RunCliOptions } from './run-service.js';

const READY_DIR_HELP = 'where readiness files are kept (default: $RC_READY_DIR, else TMPDIR/rc-ready)';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description("run one service in the foreground, as a container's command: a oneshot's up, or a longrun's run then its finish")
    .argument('<name>', 'the atomic service')
    .option('-c, --compiled <dir>', 'the compiled database', DEFAULT_COMPILED)
    .option('--ready-dir <dir>', READY_DIR_HELP)
    .option('--subreaper', 'reap the orphans the service leaves as a child subreaper (prctl PR_SET_CHILD_SUBREAPER); automatic as PID 1')
    .addHelpText(
      'after',
      `
The service runs in its compiled folder with rc boot's environment (RC_NAME, RC_BIN); its output
is rc run's. A longrun's readiness (notification-fd, ready-*, ready-log, else at once) writes the readiness
file that \`rc probe NAME\` reads. SIGTERM and SIGINT become the service's down-signal (then
SIGKILL after timeout-kill); other signals are passed on. Its dependencies are not started: this
is the entrypoint of one container of \`rc export\`. As PID 1 (or with --subreaper) rc run also reaps
the orphans the service leaves behind (double forks, daemons), as rc boot does; the service's own
exit status is never taken.

Exit codes: a oneshot: up's exit code (128+N when killed by signal N, 2 after timeout-up,
126/127 when it cannot be run). A longrun: run's exit code, 0 when it stopped because it was
asked to. rc's own: 3 unknown name, 4 invalid database, 100 usage, 111 system error.

Examples:
  rc run migrate
  rc run -c /etc/rc/compiled store
  rc run --subreaper worker        # not PID 1 (e.g. under tini), reap orphans anyway`,
    )
    .action(
      action(async (name: string, opts: RunCliOptions) => {
        const { runService } = await import('./run-service.js');
        return runService(name, opts);
      }),
    );
}

export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description('exit 0 when a service started by rc run is ready: its ready-* probe run once, else its readiness file')
    .argument('<name>', 'the atomic service')
    .option('-c, --compiled <dir>', 'the compiled database', DEFAULT_COMPILED)
    .option('--ready-dir <dir>', READY_DIR_HELP)
    .option('--health', 'when ready, also run its health check (health-tcp/-http/-cmd) once: 0 only if it passes')
    .addHelpText(
      'after',
      `
For engines that check health by running a command (docker compose healthcheck, a Kubernetes exec
probe). ready-tcp, ready-http and ready-cmd are tried once; notification-fd, ready-log (and a
service without readiness) are ready once \`rc run NAME\` wrote the readiness file, while that
process runs. --health adds the service's health check, tried once (rc export uses it for
services with a health check).

Exit codes: 0 ready, 1 not ready, 3 unknown name, 4 invalid database, 100 usage, 111 system error.

Examples:
  rc probe store
  rc probe --health -c /etc/rc/compiled api`,
    )
    .action(
      action(async (name: string, opts: RunCliOptions) => {
        const { probeService } = await import('./run-service.js');
        return probeService(name, opts);
      }),
    );
}
