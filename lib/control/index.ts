// control: the daemon's socket protocol (v1), its server side and the client the CLI uses.
export * from './protocol.js';
export { ControlClient, connectControl, controlSocketPath, type CallHandlers, type ConnectError, type FinalReply } from './client.js';
export { controlSocket, serveRequest } from './serve.js';
export { ControlServer, errorReply, resultReply, type Connection, type ControlServerOptions, type RequestHandler } from './server.js';
export { parseRequest, type RequestProblem } from './validate.js';
