// The work of `rc compile` and `rc check` once arguments are parsed (shared by commander and the fast entry).
import { compileExitCode, compileSources, compileToDir } from '../../lib/compile/index.js';
import { countDiagnostics } from '../../lib/core/index.js';
import { countLine, diagnosticsJson, renderDiagnostics, wantColor, write } from './print-diagnostics.js';

export interface CompileRunOptions {
  verbosity: number;
  force?: boolean;
  json?: boolean;
  strict?: boolean;
}

const plural = (k: number, w: string): string => `${k} ${w}${k === 1 ? '' : 's'}`;

export async function runCompile(compiled: string, sources: string[], opts: CompileRunOptions): Promise<number> {
  const result = compileToDir(compiled, sources, { force: opts.force === true, strict: opts.strict === true });
  const code = compileExitCode(result.diagnostics);
  if (opts.json) {
    await write(process.stdout, diagnosticsJson(result.diagnostics, { ok: result.ok, exitCode: code, compiled }));
    return code;
  }
  let text = renderDiagnostics(result.diagnostics, opts.verbosity, wantColor(process.stderr));
  if (code !== 0) text += `rc compile: ${countLine(result.diagnostics, opts.verbosity)}: nothing written to ${compiled}\n`;
  else if (opts.verbosity >= 2 && result.ok) {
    text += `rc compile: ${plural(result.index.services.length, 'service')} and ${plural(result.index.bundles.length, 'bundle')} written to ${compiled}\n`;
  }
  await write(process.stderr, text);
  return code;
}

export async function runCheck(sources: string[], opts: CompileRunOptions): Promise<number> {
  const result = compileSources(sources, { strict: opts.strict === true });
  const code = compileExitCode(result.diagnostics);
  const services = result.index?.services.length ?? 0;
  const bundles = result.index?.bundles.length ?? 0;
  if (opts.json) {
    await write(process.stdout, diagnosticsJson(result.diagnostics, { ok: code === 0, exitCode: code, services, bundles }));
    return code;
  }
  await write(process.stderr, renderDiagnostics(result.diagnostics, opts.verbosity, wantColor(process.stderr)));
  if (code !== 0) {
    await write(process.stderr, `rc check: ${countLine(result.diagnostics, opts.verbosity)}\n`);
    return code;
  }
  const oneshots = result.index!.services.filter((s) => s.type === 'oneshot').length;
  const what = `${plural(services, 'service')} (${plural(oneshots, 'oneshot')}, ${plural(services - oneshots, 'longrun')}) and ${plural(bundles, 'bundle')}`;
  const warnings = opts.verbosity >= 1 ? countDiagnostics(result.diagnostics).warning : 0;
  await write(process.stdout, `ok: ${what}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}\n`);
  return code;
}
