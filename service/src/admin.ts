/**
 * `npm run --silent service:admin -- <command>`: the operator's CLI for teams and API keys (see admin/cli.ts),
 * against the database the service is configured for (DATABASE_URL, or the SQLite file under DATA_DIR).
 */
import { runAdmin } from './admin/cli.ts';
import { createStore, storeConfigFromEnv } from './store/index.ts';

const code = await runAdmin(
    process.argv.slice(2),
    {
        out: (text) => {
            process.stdout.write(`${text}\n`);
        },
        err: (text) => {
            process.stderr.write(`${text}\n`);
        }
    },
    () => createStore(storeConfigFromEnv())
);
process.exitCode = code;
