// source: reading s6-rc source directories into definitions, and the execline lexer.
export * from './types.js';
export { lexExecline, type LexError } from './lexer.js';
export { parseList } from './list-file.js';
export { readSources, type SourceTree } from './read-sources.js';
export { DiagnosticSink } from './sink.js';
export { parseConvfile, type Convfile, type ConvLine } from './convfile.js';
