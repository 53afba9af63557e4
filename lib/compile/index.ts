// compile: source directories → checked DbIndex → compiled database directory.
export { compileSources, type CompileOptions, type CompileOutput } from './compile-sources.js';
export { compileToDir, compileExitCode, type CompileToDirOptions, type CompileToDirResult } from './compile-to-dir.js';
export { findCycles } from './cycles.js';
