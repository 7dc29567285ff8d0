/** What the preview, the tests and the benches embed: the server, the stores, the demo seed. */
export { startService } from './server.ts';
export * from './limits.ts';
export type { RunningService, ServiceOptions } from './server.ts';
export { createStore, defaultSqliteFile, storeConfigFromEnv, SqlStore } from './store/index.ts';
export type { StoreConfig } from './store/index.ts';
export { seedDemoTeam, DEFAULT_DEMO_API_KEY, DEMO_STAGES } from './seed.ts';
export { jsonLogger, silentLogger, memoryLogger } from './logger.ts';
export type { Logger } from './logger.ts';
export type * from './types.ts';
