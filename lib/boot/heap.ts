// The daemon's V8 heap: a long-lived process that mostly waits keeps its young generation at its smallest.
import { setFlagsFromString } from 'node:v8';

/** The flag set here, and the one that sizes the young generation: either chosen by the user, nothing is changed. */
const FLAG = 'semi-space-growth-factor';
const USER_FLAGS = [FLAG, 'max-semi-space-size'];

/**
 * Keep V8's new space at its initial 1 MiB semi-spaces. By default V8 doubles them (up to 16 MiB
 * each) when many objects survive scavenges, as they do while 1,000 longruns are spawned, and
 * never gives the pages back while the daemon is idle: 16 MiB of PSS for a burst that is over.
 * Scavenges stay cheap (the daemon's live young objects are few); the figures are in
 * docs/supervise.md. Runtime-settable because V8 reads the factor each time it would grow.
 * Returns false, changing nothing, when the user sized the young generation (node's arguments, or
 * NODE_OPTIONS for --max-semi-space-size, the one of the two that NODE_OPTIONS accepts).
 */
export function keepYoungGenerationSmall(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env['NODE_OPTIONS'] ?? ''): boolean {
  const chosen = (s: string): boolean => USER_FLAGS.some((f) => s.includes(f) || s.includes(f.replaceAll('-', '_')));
  if (execArgv.some(chosen) || chosen(nodeOptions)) return false;
  setFlagsFromString(`--${FLAG}=1`);
  return true;
}
