// The live-dir lock: the flock helper lives in lib/supervise/flock.ts (a supervisor also locks, for lock-fd).
export { lockFile, tryLockFd, type FileLock, type LockError } from '../sys/flock.js';
