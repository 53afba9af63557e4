// Milliseconds as the engines write them: compose durations ("1500ms", "10s") and whole seconds.

/** A compose duration: whole seconds as "Ns", anything else as "Nms". */
export const composeDuration = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** Whole seconds, rounded up, at least `min`. */
export const seconds = (ms: number, min = 1): number => Math.max(min, Math.ceil(ms / 1000));

/** How often readiness is checked when the service has no probe interval of its own (notification-fd, ready-log). */
export const DEFAULT_CHECK_MS = 1000;
