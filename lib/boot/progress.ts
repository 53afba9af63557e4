// The progress rc boot prints: the daemon's engine events (every change: boot, clients' requests, shutdown) on stderr.
import type { Writable } from 'node:stream';
import type { StreamEvent } from '../control/protocol.js';
import type { EngineEvent } from '../engine/events.js';
import { PlainRenderer } from '../render/plain.js';

const QUIET_TYPES = new Set<EngineEvent['type']>(['service-failed', 'service-skipped', 'timeout', 'change-done']);

/** A daemon subscriber printing engine events plainly; with `quiet`, only failures and summaries. */
export function bootRenderer(quiet: boolean, stderr: Writable): (e: StreamEvent) => void {
  const plain = new PlainRenderer(stderr);
  return (e) => {
    if (e.kind === 'engine') {
      const ev = e.event as EngineEvent;
      if (!quiet || QUIET_TYPES.has(ev.type)) plain.handle(ev);
    }
  };
}
