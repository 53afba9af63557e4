// Layer rules of DESIGN.md §2, checked by dependency-cruiser (`npm run check:layers`).
/** Paths are relative to the repository root; lib/<folder>/ is one layer. */
const lib = (folders) => `^lib/(${folders.join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, between or inside layers.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'lib-not-cli',
      severity: 'error',
      comment: 'Nothing in lib imports cli/: the CLI is the outermost adapter.',
      from: { path: '^lib/' },
      to: { path: '^cli/' },
    },
    {
      name: 'core-imports-nothing',
      severity: 'error',
      comment: 'lib/core is the shared vocabulary; it imports nothing internal.',
      from: { path: lib(['core']) },
      to: { path: '^(lib|cli)/', pathNot: lib(['core']) },
    },
    {
      name: 'sys-imports-core-only',
      severity: 'error',
      comment: 'lib/sys (the OS) imports only lib/core.',
      from: { path: lib(['sys']) },
      to: { path: '^(lib|cli)/', pathNot: lib(['core', 'sys']) },
    },
    {
      name: 'source-imports-core-only',
      severity: 'error',
      from: { path: lib(['source']) },
      to: { path: '^(lib|cli)/', pathNot: lib(['core', 'source']) },
    },
    {
      name: 'db-imports-core-only',
      severity: 'error',
      from: { path: lib(['db']) },
      to: { path: '^(lib|cli)/', pathNot: lib(['core', 'db']) },
    },
    {
      name: 'compile-imports-source-db-core',
      severity: 'error',
      from: { path: lib(['compile']) },
      to: { path: '^(lib|cli)/', pathNot: lib(['core', 'source', 'db', 'compile']) },
    },
    {
      name: 'export-imports-db-core',
      comment: 'rc export is pure: it reads the db and the core vocabulary, and writes YAML.',
      from: { path: lib(['export']) },
      to: { path: '^(lib|cli)/', pathNot: lib(['core', 'db', 'export']) },
    },
    {
      name: 'plan-imports-db-core',
      severity: 'error',
      comment: 'The planner is pure: it reads the db and the core vocabulary only.',
      from: { path: lib(['plan']) },
      to: { path: '^(lib|cli)/', pathNot: lib(['core', 'db', 'plan']) },
    },
    {
      name: 'engine-imports-plan-core-db-types',
      severity: 'error',
      comment: 'The engine drives a ServiceDriver interface; it never knows supervise, daemon or a renderer.',
      from: { path: lib(['engine']) },
      to: { path: '^(lib|cli)/', pathNot: [lib(['core', 'plan', 'engine']), '^lib/db/types\\.ts$'] },
    },
    {
      name: 'engine-no-listr2',
      severity: 'error',
      from: { path: lib(['engine']) },
      to: { path: '(^|/)node_modules/listr2/' },
    },
    {
      name: 'supervise-knows-one-service',
      severity: 'error',
      comment: 'supervise knows one service: core, sys, log and the db types, never the graph (db code, plan, engine, daemon).',
      from: { path: lib(['supervise']) },
      to: { path: '^(lib|cli)/', pathNot: [lib(['core', 'sys', 'log', 'supervise']), '^lib/db/types\\.ts$'] },
    },
    {
      name: 'daemon-no-mode-no-adapter',
      severity: 'error',
      comment: 'Modes (scandir, boot) and adapters (control, http) import the daemon, not the other way round.',
      from: { path: lib(['daemon']) },
      to: { path: lib(['scandir', 'boot', 'control', 'http']) },
    },
    {
      name: 'render-event-types-only',
      severity: 'error',
      comment: 'Renderers see the event vocabulary: core, engine/plan types, the daemon event union (lib/daemon/events.ts) and the types it names, the control protocol types.',
      from: { path: lib(['render']) },
      to: {
        path: '^(lib|cli)/',
        pathNot: [lib(['core', 'engine', 'plan', 'render']), '^lib/control/protocol\\.ts$', '^lib/daemon/(events|types)\\.ts$', '^lib/supervise/types\\.ts$'],
      },
    },
    {
      name: 'render-daemon-types-only',
      severity: 'error',
      comment: 'From the daemon and supervise, renderers import types only, except the event union module (its type guards).',
      from: { path: lib(['render']) },
      to: { path: '^lib/(daemon/types|supervise/types)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'render-no-engine-plan-code',
      severity: 'error',
      comment: 'From the engine, renderers import types only (import type); the pure plan views (planWaves) are allowed.',
      from: { path: lib(['render']) },
      to: { path: lib(['engine']), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'http-adapter-over-daemon-api',
      severity: 'error',
      comment: 'lib/http is an adapter over the typed DaemonApi (like control/serve.ts): it sees the daemon\'s types and events, db types, core; never supervisors, the engine or the wire.',
      from: { path: lib(['http']) },
      to: { path: '^(lib|cli)/', pathNot: [lib(['core', 'http']), '^lib/daemon/(types|events)\\.ts$', '^lib/db/(types|db)\\.ts$', '^lib/(engine|plan|supervise)/(events|types)\\.ts$', '^lib/engine/driver\\.ts$'] },
    },
    {
      name: 'cli-through-index-files',
      severity: 'error',
      comment: 'cli/ imports lib only through folder index files (lib/<folder>/index.ts or lib/index.ts).',
      from: { path: '^cli/' },
      to: { path: '^lib/', pathNot: ['^lib/index\\.ts$', '^lib/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    includeOnly: '^(lib|cli|node_modules)/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
