// Checks, before `npm test` installs or runs anything, that this machine has the programs the tests run for real:
// Chromium (browser tests), PostgreSQL (the stage service on PostgreSQL), ShellCheck (the org scripts) and a Java
// runtime (PMD). Where one is missing it installs Debian's package when it can (root with apt-get, as .ci/run does);
// otherwise it stops within seconds saying exactly what to install. It never waits on anything without a bound.
//
// Plain JavaScript: it runs before the project's dependencies are installed.
// Environment: STAGE_AUTOMAP_PG_ROOT replaces /usr/lib/postgresql (for its own test); PG_BIN_DIR names PostgreSQL's
// bin folder; TEST_DATABASE_URL or DATABASE_URL name a running server instead (then no binaries are needed).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const APT_TIMEOUT_MS = 10 * 60 * 1000;

/** The full path of an executable found on PATH, or undefined. */
function onPath(name) {
    for (const dir of (process.env.PATH ?? '').split(delimiter)) {
        if (!dir) {
            continue;
        }
        const candidate = join(dir, name);
        try {
            accessSync(candidate, constants.X_OK);
            return candidate;
        } catch {
            // Not here.
        }
    }
    return undefined;
}

function hasPostgres() {
    if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) {
        return true;
    }
    if (process.env.PG_BIN_DIR && existsSync(join(process.env.PG_BIN_DIR, 'postgres'))) {
        return true;
    }
    const root = process.env.STAGE_AUTOMAP_PG_ROOT ?? '/usr/lib/postgresql';
    let versions = [];
    try {
        versions = readdirSync(root);
    } catch {
        return false;
    }
    return versions.some(
        (version) =>
            existsSync(join(root, version, 'bin', 'initdb')) && existsSync(join(root, version, 'bin', 'postgres'))
    );
}

/** What the tests need: a check, the Debian package that provides it, and why. */
const REQUIREMENTS = [
    { name: 'Chromium', found: () => onPath('chromium') !== undefined, pkg: 'chromium', why: 'the browser tests' },
    {
        name: 'PostgreSQL',
        found: hasPostgres,
        pkg: 'postgresql',
        why: 'the stage service tests on PostgreSQL (or set TEST_DATABASE_URL)'
    },
    { name: 'ShellCheck', found: () => onPath('shellcheck') !== undefined, pkg: 'shellcheck', why: 'the org scripts' },
    { name: 'Java', found: () => onPath('java') !== undefined, pkg: 'default-jre-headless', why: 'PMD on the Apex' }
];

function missing() {
    return REQUIREMENTS.filter((requirement) => !requirement.found());
}

function runApt(args) {
    const result = spawnSync('apt-get', ['-o', 'DPkg::Lock::Timeout=120', ...args], {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        timeout: APT_TIMEOUT_MS
    });
    return result.status === 0;
}

function tryInstall(packages) {
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (!isRoot) {
        return 'not root';
    }
    if (!onPath('apt-get')) {
        return 'apt-get is not on PATH';
    }
    console.log(`preflight: installing ${packages.join(', ')} from Debian's packages (apt-get)...`);
    if (!runApt(['update', '-qq']) || !runApt(['install', '-y', '-qq', '--no-install-recommends', ...packages])) {
        return 'apt-get failed (see above)';
    }
    return undefined;
}

let absent = missing();
if (absent.length > 0) {
    const whyNot = tryInstall(absent.map((requirement) => requirement.pkg));
    absent = missing();
    if (absent.length > 0) {
        const lines = absent.map(
            (requirement) => `  - ${requirement.name} (Debian package ${requirement.pkg}), for ${requirement.why}`
        );
        console.error(
            [
                'npm test needs programs this machine lacks:',
                ...lines,
                `Install them with:  sudo apt-get install -y ${absent.map((requirement) => requirement.pkg).join(' ')}`,
                whyNot
                    ? `(npm test did not install them itself: ${whyNot}.)`
                    : '(they are still missing after apt-get.)'
            ].join('\n')
        );
        process.exit(1);
    }
}
