// Live introspection: ask a running MCP server (stdio or HTTP) what tools it serves.
export { introspect, checkTool } from './introspect.ts';
export type { IntrospectOptions, IntrospectResult, SkippedTool } from './introspect.ts';
export { ProcessTransport, processGroupAlive, minimalEnv, killAllServers } from './process-transport.ts';
export type { ProcessTransportOptions } from './process-transport.ts';
export { quoteExcerpt } from './text.ts';
