// The words for what supervisors and the daemon report (deaths, restarts, give-ups, halts, what is wanted): one line each, or nothing.
import { unreachable } from '../core/result.js';
import type { DaemonNotice } from '../daemon/events.js';
import type { HaltOrigin } from '../daemon/types.js';
import type { SupervisorEvent } from '../supervise/types.js';
import { formatDuration, nameList } from './phrases.js';

/** A supervisor's message often starts with the service's name; the line already does. */
const bare = (name: string, message: string): string => (message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message);

const exitText = (code: number | null, signal: string | null): string => (signal ? `killed by ${signal}` : `exit code ${code ?? '?'}`);

/** The line for a supervisor's event; undefined for the routine ones (the engine's lines already say them). */
export function supervisorLine(e: SupervisorEvent): string | undefined {
  const s = e.service;
  switch (e.type) {
    case 'spawned':
      return e.restart ? `${s} restarted (pid ${e.pid})` : undefined;
    case 'exited':
      return e.expected ? undefined : `${s} died (${exitText(e.code, e.signal)})`;
    case 'throttled':
      return `${s} will restart in ${formatDuration(e.delayMs)} (restart throttle)`;
    case 'not-ready':
      return `${s} not ready: ${bare(s, e.message)}`;
    case 'health-changed':
      return healthLine(e);
    case 'permanent-failure':
      return `${s} gave up: ${e.reason}; it stays down until asked up again`;
    case 'exec-failed':
    case 'finish-failed':
    case 'lock-busy':
    case 'lock-failed':
      return `${s}: ${bare(s, e.message)}`;
    case 'finish-timeout':
      return `${s}: ./finish ran out of time (timeout-finish): killed`;
    case 'kill-escalated':
      return `${s} did not stop within timeout-kill: SIGKILL to its process group`;
    case 'leftovers-killed':
      return `${s}: processes left in its group after it exited were killed`;
    case 'wanted':
    case 'ready':
    case 'signalled':
    case 'stopping':
    case 'finish-started':
    case 'finish-done':
    case 'down':
    case 'supervisor-exited':
      return undefined;
    default:
      return unreachable(e, 'supervisor event');
  }
}

/** At most this much of a check's output goes into a line. */
const MAX_CHECK_TEXT = 200;

/** A check's output on one line: its last non-empty line, cut. */
export function checkText(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = lines[lines.length - 1] ?? '';
  return last.length > MAX_CHECK_TEXT ? `${last.slice(0, MAX_CHECK_TEXT)}…` : last;
}

/** "db is healthy", "db is unhealthy (exit 1: connection refused): restarting it". */
function healthLine(e: Extract<SupervisorEvent, { type: 'health-changed' }>): string {
  if (e.health === 'healthy') return `${e.service} is healthy`;
  const why = checkText(e.output);
  const then = e.action === 'restart' ? 'restarting it' : 'left running (health-action none)';
  return `${e.service} is unhealthy${why ? ` (${why})` : ''}: ${then}`;
}

/** "rc halt (pid 12)", "the service api (pid 40)", "SIGTERM"... */
export function describeOrigin(o: HaltOrigin): string {
  const pid = (p: number | null): string => (p === null ? '' : ` (pid ${p})`);
  switch (o.kind) {
    case 'client':
      return `rc halt${pid(o.pid)}`;
    case 'service':
      return `rc halt from the service ${o.name}${pid(o.pid)}`;
    case 'signal':
      return o.signal;
    case 'main-command':
      return `the main command (${o.exit})`;
    case 'boot-failed':
      return `the boot change (${o.message})`;
    case 'daemon':
      return o.reason;
    default:
      return unreachable(o, 'halt origin');
  }
}

const names = (list: string[]): string => nameList(list.map((name) => ({ name })), 10);

/** The line for one of the daemon's own events; undefined for bookkeeping (recorded state). */
export function noticeLine(e: DaemonNotice): string | undefined {
  switch (e.type) {
    case 'daemon-message':
      return e.message;
    case 'halt-requested':
      return `halt requested by ${describeOrigin(e.origin)}, exit code ${e.code}`;
    case 'shutdown-started':
      return 'shutting down: stopping every service';
    case 'daemon-exiting':
      return `every service is down; exiting with code ${e.code}`;
    case 'wanted-changed': {
      const parts = [...(e.up.length > 0 ? [`up ${names(e.up)}`] : []), ...(e.down.length > 0 ? [`down ${names(e.down)}`] : [])];
      return `now wanted (${e.by}): ${parts.join('; ')}`;
    }
    case 'start-cancelled':
      return `${e.service}: start cancelled by ${e.by}`;
    case 'transition-cancelled':
      return `'${e.label}' cancelled: ${e.reason}`;
    case 'recorded':
      return undefined;
    default:
      return unreachable(e, 'daemon notice');
  }
}
