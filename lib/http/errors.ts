// JSON errors of the HTTP API: the CLI's exit-code vocabulary (lib/core/exit-codes.ts) plus the HTTP status that goes with it.
import { ExitCode } from '../core/exit-codes.js';
import type { ApiError } from '../daemon/types.js';
import type { TokenCheck } from './token.js';

/** The body of every error answer: the same fields as the control socket's error reply. */
export interface HttpError extends ApiError {
  status: number;
}

/** The HTTP status for an exit code: unknown name 404, usage 400, the rest 500. */
export function statusOf(exitCode: number): number {
  if (exitCode === ExitCode.unknownName) return 404;
  if (exitCode === ExitCode.usage) return 400;
  if (exitCode === ExitCode.failed || exitCode === ExitCode.timeout) return 200;
  return 500;
}

export const fromApi = (e: ApiError): HttpError => ({ status: statusOf(e.exitCode), ...e });

export const usage = (message: string, hint?: string): HttpError => ({ status: 400, exitCode: ExitCode.usage, message, ...(hint ? { hint } : {}) });

/** Why a changing request was refused (401 without or with a wrong token, 403 when changes are off). */
export function refusal(check: Exclude<TokenCheck, 'ok'>): HttpError {
  switch (check) {
    case 'disabled':
      return { status: 403, exitCode: ExitCode.system, message: 'changing requests are disabled: rc boot runs without --http-token-file', hint: 'start rc boot with --http-token-file FILE and send Authorization: Bearer TOKEN' };
    case 'missing':
      return { status: 401, exitCode: ExitCode.system, message: 'this request changes state and needs a token', hint: 'send the header Authorization: Bearer TOKEN (the token is in the --http-token-file of rc boot)' };
    case 'wrong':
      return { status: 401, exitCode: ExitCode.system, message: 'wrong token', hint: 'send the token of --http-token-file as Authorization: Bearer TOKEN' };
  }
}

export const notFound = (method: string, url: string): HttpError => ({
  status: 404,
  exitCode: ExitCode.usage,
  message: `no route ${method} ${url.split('?')[0]}`,
  hint: 'the API is described at /api/v1/openapi.json',
});

/** What the client gets: the status aside, the body is {exitCode, message, hint?}. */
export const bodyOf = (e: HttpError): ApiError => ({ exitCode: e.exitCode, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
