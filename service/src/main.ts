/**
 * `npm run service`: the stage service on PORT (default 4318), SQLite under DATA_DIR by default or PostgreSQL when
 * DATABASE_URL is set, JSON logs on stdout, and a graceful shutdown on SIGINT/SIGTERM: stop accepting, finish
 * in-flight requests, close the database. It seeds nothing unless asked: `SEED_DEMO=1` (or `--seed-demo`) adds the
 * local demo team on first start and prints its key. Customers' teams and keys come from the admin CLI
 * (`npm run --silent service:admin -- team create NAME`).
 */
import { describeError, jsonLogger } from './logger.ts';
import { DEFAULT_DEMO_API_KEY, seedDemoTeam } from './seed.ts';
import { DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT_MS, startService } from './server.ts';
import { createStore, storeConfigFromEnv } from './store/index.ts';

const DEFAULT_PORT = 4318;

/** A positive integer from the environment, or the default when unset; anything else stops the start. */
function positiveInteger(name: string, fallback: number): number {
    const text = process.env[name];
    if (text === undefined || text === '') {
        return fallback;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
        throw new Error(`${name} must be a positive whole number, got ${JSON.stringify(text)}.`);
    }
    return value;
}

async function main(): Promise<void> {
    const logger = jsonLogger();
    const port = process.env.PORT === undefined || process.env.PORT === '' ? DEFAULT_PORT : Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`PORT must be a port number (0 to 65535), got ${JSON.stringify(process.env.PORT)}.`);
    }
    const config = { ...storeConfigFromEnv(), logger };
    const store = await createStore(config);
    const seedDemo = process.env.SEED_DEMO === '1' || process.argv.includes('--seed-demo');
    const demoKey = process.env.DEMO_API_KEY || DEFAULT_DEMO_API_KEY;
    const demo = seedDemo
        ? await seedDemoTeam(store, demoKey, {
              testDelayMs: Number(process.env.STAGE_SERVICE_TEST_SEED_DELAY_MS ?? 0),
              logger
          })
        : undefined;
    const service = await startService({
        store,
        port,
        host: process.env.HOST || '127.0.0.1',
        logger,
        requestTimeoutMs: positiveInteger('REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS),
        maxConnections: positiveInteger('MAX_CONNECTIONS', DEFAULT_MAX_CONNECTIONS)
    });
    // The one place the service prints a key: the local demo team's, asked for, so the preview and curl can use it.
    process.stdout.write(
        demo
            ? `\nStage service on ${service.url} (${store.kind}).\nDemo team API key: ${demoKey}\n  curl -H 'Authorization: Bearer ${demoKey}' ${service.url}/v1/stages?family=contact\n\n`
            : `\nStage service on ${service.url} (${store.kind}).\nAdd a customer: npm run --silent service:admin -- team create "Customer name"\n\n`
    );
    logger.info('listening', {
        url: service.url,
        storage: store.kind,
        ...(config.kind === 'sqlite' ? { file: config.file } : {}),
        ...(demo ? { demoTeamId: demo.teamId, demoSeeded: demo.seeded } : { demoSeeded: false })
    });
    let stopping = false;
    const stop = (signal: string): void => {
        if (stopping) {
            return;
        }
        stopping = true;
        logger.info('shutting-down', { signal });
        void (async () => {
            try {
                await service.close();
                await store.close();
                logger.info('stopped', {});
                process.exit(0);
            } catch (error) {
                logger.error('shutdown-failed', describeError(error));
                process.exit(1);
            }
        })();
    };
    process.on('SIGINT', () => {
        stop('SIGINT');
    });
    process.on('SIGTERM', () => {
        stop('SIGTERM');
    });
}

main().catch((error: unknown) => {
    jsonLogger().error('start-failed', describeError(error));
    process.exitCode = 1;
});
