// `rc status [--json] [NAME...]`: the daemon's view of every service, as a table or JSON (a spec: it has the fast path).
import type { Command } from 'commander';
import { registerSpec, type CommandSpec } from '../spec.js';
import { LIVE_OPTION } from './daemon-client.js';
import { runStatus, type StatusOptions } from './daemon-client-queries.js';

export const statusSpec: CommandSpec<StatusOptions> = {
  name: 'status',
  description: 'show every service (or the NAMEs given): type, state, pid, uptime, readiness, health, restarts, last exit',
  argument: ['[names...]', 'services or bundles to show (default: all)'],
  options: [{ name: 'json', description: 'print JSON: {"daemon": {...}, "services": [...]}' }, LIVE_OPTION],
  help: `
STATE is rc's view: up/down for a oneshot, the supervisor's state for a longrun
(down, starting, up, ready, stopping, finishing, failed); a longrun with readiness
reporting is "starting" until it is ready (or recorded up); "(wanted up)" marks a
service that the last request wants up but that is not up (nor starting); "(recorded up)" a longrun
that rc records up but that is not running (rc svc -d, or it failed for good):
rc up NAME (or rc restart NAME) starts it again. While a request runs, the first lines say
what the daemon is busy with and what it waits for, and since when.
HEALTH (shown when some service has a health check running): starting, healthy or
unhealthy, with the time since the last check; JSON: "health" and "healthCheckedAt"
(epoch ms), null for a service without a check or not running.

Exit codes: 0 ok, 3 unknown name, 111 no daemon.

Examples:
  rc status
  rc status --json api db | jq '.services[].pid'`,
  run: (names, opts) => runStatus(names, opts),
};

export const registerStatus = (program: Command): Command => registerSpec(program, statusSpec);
