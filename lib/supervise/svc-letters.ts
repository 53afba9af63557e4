// s6-svc's one-letter commands mapped onto a Supervisor (the control letters rc accepts).
import type { Supervisor } from './supervisor.js';

/** Letters that send a signal to the service's main process. */
export const SIGNAL_LETTERS: Readonly<Record<string, NodeJS.Signals>> = {
  a: 'SIGALRM',
  b: 'SIGABRT',
  q: 'SIGQUIT',
  h: 'SIGHUP',
  k: 'SIGKILL',
  t: 'SIGTERM',
  i: 'SIGINT',
  '1': 'SIGUSR1',
  '2': 'SIGUSR2',
  p: 'SIGSTOP',
  c: 'SIGCONT',
  y: 'SIGWINCH',
};

/** Every letter `applySvcLetter` understands. */
export const SVC_LETTERS = 'udorx' + Object.keys(SIGNAL_LETTERS).join('');

/** Apply one letter; false when the letter is unknown. `x` starts exit() without waiting for it. */
export function applySvcLetter(supervisor: Supervisor, letter: string): boolean {
  const sig = SIGNAL_LETTERS[letter];
  if (sig) {
    supervisor.signal(sig);
    return true;
  }
  switch (letter) {
    case 'u':
      supervisor.up();
      return true;
    case 'd':
      supervisor.down();
      return true;
    case 'o':
      supervisor.once();
      return true;
    case 'r':
      supervisor.restart();
      return true;
    case 'x':
      void supervisor.exit();
      return true;
    default:
      return false;
  }
}
