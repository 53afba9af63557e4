// lib/http: the HTTP adapter (`rc boot --http`): JSON API, SSE events, Prometheus metrics, the dashboard.
export { httpAdapter, type HttpAdapterOptions } from './adapter.js';
export { parseHttpAddress, urlOf, type HttpAddress } from './address.js';
