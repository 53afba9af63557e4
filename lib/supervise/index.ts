// The supervision core (DESIGN.md §3.6–3.7): one Supervisor per longrun, the OneshotRunner, the spawner.
export * from './types.js';
export * from './spawner.js';
export * from './output-sink.js';
export * from './supervisor.js';
export * from './oneshot.js';
export * from './probes.js';
export * from './readiness.js';
export * from './throttle.js';
export * from './death-tally.js';
export * from './exec-errors.js';
export * from './svc-letters.js';
export * from './finish.js';
export * from './history.js';
export * from './lock-fd.js';
export * from './oneshot-waiter.js';
