// Prepended to every file of the esbuild bundle (package.json `bundle`): `require` for the CommonJS code bundled in (commander).
// commander requires node:child_process at load, for executable subcommands rc does not have; it is loaded on first use instead.
import { createRequire as __rcCreateRequire } from 'node:module';
const __rcRequire = __rcCreateRequire(import.meta.url);
// eslint-disable-next-line no-unused-vars -- the bundled CommonJS code (commander) calls it
const require = (id) => (id === 'node:child_process' ? new Proxy({}, { get: (_, key) => __rcRequire(id)[key] }) : __rcRequire(id));
