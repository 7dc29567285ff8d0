/**
 * The operator's admin CLI: teams and API keys on the database the service is configured for (the same
 * `DATABASE_URL` or `DATA_DIR`). `npm run --silent service:admin -- <command>`; `--help` on every command, `--json`
 * for scripts. A key is printed once, when issued; nothing else ever prints a key.
 *
 * Exit codes: 0 done; 1 refused (an unknown team or key, a bad name); 2 the command line is wrong (unknown command
 * or option, a missing or extra argument, a bad duration); 3 the database could not be reached or failed.
 */
import { DEFAULT_GRACE_MS, MAX_GRACE_MS, OperatorError, Operators } from '../store/operators.ts';
import type { KeySummary, TeamSummary } from '../store/operators.ts';
import type { SqlStore } from '../store/sql-store.ts';

export const EXIT = { ok: 0, refused: 1, usage: 2, database: 3 } as const;

const RUN = 'npm run --silent service:admin --';

const HELP: Record<string, string> = {
    '': `Usage: ${RUN} <command> [options]

Teams and API keys of the stage service, on the database the service uses: DATABASE_URL (PostgreSQL) when set,
else the SQLite file in DATA_DIR (default .data/).

Commands:
  team create NAME     Create a team (a customer) and its first API key, printed once.
  team list            List the teams: id, name, created, working keys.
  key add TEAM_ID      Add an API key to a team, printed once; its other keys keep working.
  key rotate TEAM_ID   Add a new key; the team's other keys stop after a grace period (--grace, default 24h).
  key revoke KEY_ID    Stop a key at once, on every instance of the service.
  key list TEAM_ID     List a team's keys: id, created, last used, expiry, revocation. Never the key itself.

Options:
  --json               Print JSON, for scripts (errors too, on stderr).
  -h, --help           Help; "${RUN} key rotate --help" for one command.

Exit codes: 0 done, 1 refused (unknown team or key, bad name), 2 wrong command line, 3 database error.`,
    'team create': `Usage: ${RUN} team create NAME [--json]

Creates a team and its first API key. The key is printed once: give it to the customer's Salesforce admin for the
External Credential's principal (see docs/install-into-an-org.md). Only its SHA-256 is stored.
--json prints {"teamId", "keyId", "apiKey"}.`,
    'team list': `Usage: ${RUN} team list [--json]

Lists every team: id, name, when it was created and how many of its keys work now.
--json prints {"teams": [{"teamId", "name", "createdAt", "activeKeys"}]}.`,
    'key add': `Usage: ${RUN} key add TEAM_ID [--json]

Adds an API key to the team, printed once. The team's other keys keep working (use key rotate to retire them).
--json prints {"teamId", "keyId", "apiKey"}.`,
    'key rotate': `Usage: ${RUN} key rotate TEAM_ID [--grace DURATION] [--json]

Adds a new API key, printed once, and gives the team's other working keys a grace period: they keep working until
it ends, so the customer can switch without an outage. DURATION is 0 (stop them now), or a number with s, m, h or
d: 90s, 30m, 24h, 7d; at most 30d. Default 24h. A key that already ends sooner keeps its earlier end.
--json prints {"teamId", "keyId", "apiKey", "graceUntil", "expiringKeyIds"}.`,
    'key revoke': `Usage: ${RUN} key revoke KEY_ID [--json]

Stops the key at once: every instance of the service checks keys on every request. Revoking a revoked key
changes nothing. --json prints {"keyId", "teamId", "revokedAt", "alreadyRevoked", "activeKeysLeft"}.`,
    'key list': `Usage: ${RUN} key list TEAM_ID [--json]

Lists the team's keys, oldest first: id, created, last used (to the minute), when its grace period ends, when it
was revoked, and its status (active, expiring, expired, revoked). Never the key itself.
--json prints {"teamId", "keys": [{"keyId", "createdAt", "lastUsedAt", "expiresAt", "revokedAt", "status"}]}.`
};

/** Where the CLI writes: stdout for results, stderr for errors. */
export interface Io {
    out(text: string): void;
    err(text: string): void;
}

class UsageError extends Error {}

interface Parsed {
    command: string;
    args: string[];
    json: boolean;
    help: boolean;
    grace: string | undefined;
}

function parse(argv: readonly string[]): Parsed {
    const words: string[] = [];
    let json = false;
    let help = false;
    let grace: string | undefined;
    for (let index = 0; index < argv.length; index += 1) {
        const word = argv[index] ?? '';
        if (word === '--json') {
            json = true;
        } else if (word === '--help' || word === '-h') {
            help = true;
        } else if (word === '--grace' || word.startsWith('--grace=')) {
            grace = word === '--grace' ? argv[(index += 1)] : word.slice('--grace='.length);
            if (grace === undefined || grace === '') {
                throw new UsageError('--grace needs a duration, e.g. --grace 24h.');
            }
        } else if (word.startsWith('-') && word !== '-') {
            throw new UsageError(`Unknown option ${word}.`);
        } else {
            words.push(word);
        }
    }
    const command = words.slice(0, 2).join(' ');
    return { command, args: words.slice(2), json, help, grace };
}

/** `0`, `90s`, `30m`, `24h`, `7d` → milliseconds. */
export function parseDuration(text: string): number {
    const match = /^(\d{1,7})([smhd]?)$/.exec(text);
    if (!match || (match[2] === '' && match[1] !== '0')) {
        throw new UsageError(
            `--grace ${JSON.stringify(text)} is not a duration: use 0, or a number with s, m, h or d (24h).`
        );
    }
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, '': 0 }[match[2] as 's' | 'm' | 'h' | 'd' | ''];
    const ms = Number(match[1]) * unit;
    if (ms > MAX_GRACE_MS) {
        throw new UsageError(`--grace ${text} is longer than 30 days.`);
    }
    return ms;
}

function table(rows: string[][]): string {
    const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
    return rows
        .map((row) =>
            row
                .map((cell, column) => cell.padEnd(widths[column] ?? 0))
                .join('  ')
                .trimEnd()
        )
        .join('\n');
}

function teamsText(teams: TeamSummary[]): string {
    if (teams.length === 0) {
        return `No teams yet. Create one with: ${RUN} team create NAME`;
    }
    return table([
        ['TEAM ID', 'NAME', 'CREATED', 'WORKING KEYS'],
        ...teams.map((team) => [team.teamId, team.name, team.createdAt, String(team.activeKeys)])
    ]);
}

function keysText(keys: KeySummary[]): string {
    return table([
        ['KEY ID', 'STATUS', 'CREATED', 'LAST USED', 'EXPIRES', 'REVOKED'],
        ...keys.map((key) => [
            key.keyId,
            key.status,
            key.createdAt,
            key.lastUsedAt ?? '-',
            key.expiresAt ?? '-',
            key.revokedAt ?? '-'
        ])
    ]);
}

function issuedText(what: string, issued: { teamId: string; keyId: string; apiKey: string }): string {
    return `${what}\nAPI key (shown this once; only its hash is kept, so store it now):\n${issued.apiKey}`;
}

function one(args: string[], name: string, command: string): string {
    if (args.length !== 1 || (args[0] ?? '') === '') {
        throw new UsageError(
            args.length === 0
                ? `${command} needs ${name}.`
                : `${command} takes one ${name}, got ${args.length} arguments.`
        );
    }
    return args[0] ?? '';
}

/** Runs one command; resolves with its exit code. `openStore` is called only when the command needs the database. */
export async function runAdmin(argv: readonly string[], io: Io, openStore: () => Promise<SqlStore>): Promise<number> {
    let parsed: Parsed;
    const json = argv.includes('--json');
    const fail = (code: number, message: string): number => {
        io.err(json ? JSON.stringify({ error: message, exitCode: code }) : message);
        return code;
    };
    try {
        parsed = parse(argv);
        if (parsed.help || parsed.command === '' || parsed.command === 'help') {
            io.out(HELP[parsed.command] ?? HELP[''] ?? '');
            return EXIT.ok;
        }
        if (HELP[parsed.command] === undefined || parsed.command === '') {
            throw new UsageError(`Unknown command ${JSON.stringify(parsed.command)}.`);
        }
        if (parsed.grace !== undefined && parsed.command !== 'key rotate') {
            throw new UsageError('--grace is an option of key rotate only.');
        }
    } catch (error) {
        if (error instanceof UsageError) {
            return fail(EXIT.usage, `${error.message} See: ${RUN} --help`);
        }
        throw error;
    }
    const { command, args } = parsed;
    const print = (value: unknown, text: string): void => {
        io.out(parsed.json ? JSON.stringify(value, null, 2) : text);
    };
    let store: SqlStore | undefined;
    try {
        const argument =
            command === 'team create'
                ? args.join(' ')
                : command === 'team list'
                  ? ''
                  : one(args, command === 'key revoke' ? 'KEY_ID' : 'TEAM_ID', command);
        if (command === 'team list' && args.length > 0) {
            throw new UsageError('team list takes no argument.');
        }
        if (command === 'team create' && argument.trim() === '') {
            throw new UsageError('team create needs a NAME (quote it when it has spaces).');
        }
        const grace = command === 'key rotate' ? parseDuration(parsed.grace ?? '24h') : DEFAULT_GRACE_MS;
        try {
            store = await openStore();
        } catch (error) {
            return fail(
                EXIT.database,
                `Cannot open the database: ${error instanceof Error ? error.message : String(error)}`
            );
        }
        const operators = new Operators(store);
        switch (command) {
            case 'team create': {
                const issued = await operators.createTeam(argument);
                print(
                    { teamId: issued.teamId, keyId: issued.keyId, apiKey: issued.apiKey },
                    issuedText(
                        `Created team ${issued.teamId} (${JSON.stringify(argument.trim())}) with key ${issued.keyId}.`,
                        issued
                    )
                );
                break;
            }
            case 'team list': {
                const teams = await operators.listTeams();
                print({ teams }, teamsText(teams));
                break;
            }
            case 'key add': {
                const issued = await operators.addKey(argument);
                print(
                    { teamId: issued.teamId, keyId: issued.keyId, apiKey: issued.apiKey },
                    issuedText(
                        `Added key ${issued.keyId} to team ${issued.teamId}; its other keys keep working.`,
                        issued
                    )
                );
                break;
            }
            case 'key rotate': {
                const rotation = await operators.rotateKey(argument, grace);
                const count = rotation.expiringKeyIds.length;
                const verb = count === 1 ? 'keeps' : 'keep';
                const ending =
                    grace === 0
                        ? `${count === 1 ? 'stops' : 'stop'} working now`
                        : `${verb} working until ${rotation.graceUntil}`;
                const others =
                    count === 0
                        ? 'The team had no other working key.'
                        : `Key${count === 1 ? '' : 's'} ${rotation.expiringKeyIds.join(', ')} ${ending}.`;
                print(
                    rotation,
                    issuedText(`Added key ${rotation.keyId} to team ${rotation.teamId}. ${others}`, rotation)
                );
                break;
            }
            case 'key revoke': {
                const revocation = await operators.revokeKey(argument);
                const left =
                    revocation.activeKeysLeft === 0
                        ? ` Team ${revocation.teamId} has no working key now: add one with ${RUN} key add ${revocation.teamId}`
                        : '';
                print(
                    revocation,
                    `${revocation.alreadyRevoked ? `Key ${revocation.keyId} was already revoked at ${revocation.revokedAt}.` : `Revoked key ${revocation.keyId} of team ${revocation.teamId}: it stops working now, on every instance.`}${left}`
                );
                break;
            }
            case 'key list': {
                const keys = await operators.listKeys(argument);
                print({ teamId: argument, keys }, keysText(keys));
                break;
            }
        }
        return EXIT.ok;
    } catch (error) {
        if (error instanceof UsageError) {
            return fail(EXIT.usage, `${error.message} See: ${RUN} ${command} --help`);
        }
        if (error instanceof OperatorError) {
            return fail(EXIT.refused, error.message);
        }
        return fail(EXIT.database, `The database failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
        await store?.close();
    }
}
