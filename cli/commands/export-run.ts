// The action of `rc export`: open the db, export, print the diagnostics (stderr) and the YAML (stdout).
import { ExitCode } from '../../lib/core/index.js';
import { EXPORT_NAME, exportDb, strictly } from '../../lib/export/index.js';
import { UsageError } from '../action.js';
import { openDb } from './db-run.js';
import { renderDiagnostics, wantColor, write } from './print-diagnostics.js';

export interface ExportCliOptions {
  format: 'compose' | 'kubernetes';
  compiled: string;
  image: string;
  target?: string[];
  name: string;
  imageCompiled: string;
  strict?: boolean;
}

export async function runExport(opts: ExportCliOptions): Promise<number> {
  if (!EXPORT_NAME.test(opts.name)) {
    throw new UsageError(`--name ${JSON.stringify(opts.name)}: use lowercase letters, digits and '-' (at most 63, starting and ending with a letter or digit)`);
  }
  const db = await openDb(opts.compiled);
  if (typeof db === 'number') return db;
  const r = exportDb(db, { format: opts.format, image: opts.image, targets: opts.target ?? [], name: opts.name, imageCompiled: opts.imageCompiled });
  if (!r.ok) {
    await write(process.stderr, `rc: ${r.error.message}\n${r.error.hint ? `  hint: ${r.error.hint}\n` : ''}`);
    return r.error.code;
  }
  const diagnostics = opts.strict ? strictly(r.value.diagnostics) : r.value.diagnostics;
  await write(process.stderr, renderDiagnostics(diagnostics, 2, wantColor(process.stderr)));
  if (diagnostics.some((d) => d.severity === 'error')) {
    await write(process.stderr, `rc: export refused (--strict): ${diagnostics.filter((d) => d.severity === 'error').length} item(s) cannot be exported\n`);
    return ExitCode.failed;
  }
  await write(process.stdout, r.value.yaml);
  return ExitCode.ok;
}
