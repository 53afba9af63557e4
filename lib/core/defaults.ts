// Default paths: where the compiled database and the live directory are when no option names them.
export const DEFAULT_COMPILED = '/etc/rc/compiled';
export const DEFAULT_LIVE = '/run/rc';
