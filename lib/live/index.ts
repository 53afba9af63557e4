// live: the live directory (lock, paths), the recorded state, the spawn journal, recovery after an unclean death.
export { DEFAULT_LIVE, livePaths, openLiveDir, type LivePaths, type LiveDir, type LiveDirError } from './live-dir.js';
export { readPreviousState, LiveStateStore, type LiveStateFile, type ServiceRecord } from './live-state.js';
