// Glue between commander and exit codes: option parsers whose errors are commander's (exit 100); actions come from ./action.js.
import { InvalidArgumentError } from 'commander';

export { action, UsageError } from './action.js';

/**
 * Parse a non-negative integer option (ms, counts). A bad value is a commander parse error
 * (InvalidArgumentError), which runCli (program.ts) turns into exit 100 with commander's message.
 */
export function parseUint(option: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${option} expects a non-negative integer, got '${value}'`);
    return Number(value);
  };
}
