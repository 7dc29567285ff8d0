/** The demo team `npm run service` seeds on first start: the stages sales-engagement platforms ship, and records. */
import type { Logger } from './logger.ts';
import type { SqlStore } from './store/sql-store.ts';
import type { Actor, Category, Family } from './types.ts';

/** The local demo's well-known key. Local use only; override with DEMO_API_KEY. */
export const DEFAULT_DEMO_API_KEY = 'sam_demo_local_only_key';

const SEED_ACTOR: Actor = { id: 'seed', name: 'Demo seed' };

export const DEMO_STAGES: Record<Family, { name: string; category: Category; records: number }[]> = {
    contact: [
        { name: 'Cold', category: 'in_progress', records: 14 },
        { name: 'Approaching', category: 'in_progress', records: 9 },
        { name: 'Replied', category: 'in_progress', records: 6 },
        { name: 'Interested', category: 'succeeded', records: 5 },
        { name: 'Not Interested', category: 'failed', records: 4 },
        { name: 'Unresponsive', category: 'failed', records: 7 },
        { name: 'Do Not Contact', category: 'failed', records: 2 },
        { name: 'Bad Data', category: 'failed', records: 3 },
        { name: 'Changed Job', category: 'failed', records: 2 }
    ],
    account: [
        { name: 'Prospect', category: 'in_progress', records: 6 },
        { name: 'Active Opportunity', category: 'in_progress', records: 3 },
        { name: 'Customer', category: 'succeeded', records: 4 },
        { name: 'Churned', category: 'failed', records: 1 },
        { name: 'Cold', category: null, records: 2 }
    ]
};

/**
 * Creates the demo team (key `apiKey`) with its stages and records in one transaction, unless a team already has
 * that key: a crash during the seed leaves nothing, so the next start seeds it whole. Returns whether it seeded.
 * `testDelayMs` (honoured only when NODE_ENV is `test`) pauses inside the transaction, halfway, for the crash test.
 */
export async function seedDemoTeam(
    store: SqlStore,
    apiKey: string,
    options: { testDelayMs?: number; logger?: Logger } = {}
): Promise<{ teamId: string; seeded: boolean }> {
    const existing = await store.authenticate(apiKey);
    if (existing !== null) {
        return { teamId: existing, seeded: false };
    }
    const testDelayMs = process.env.NODE_ENV === 'test' ? (options.testDelayMs ?? 0) : 0;
    const stages = (['contact', 'account'] as const).flatMap((family) => {
        let serial = 0;
        return DEMO_STAGES[family].map((spec) => ({
            family,
            name: spec.name,
            category: spec.category,
            recordIds: Array.from({ length: spec.records }, () => {
                serial += 1;
                return `demo-${family}-${String(serial).padStart(4, '0')}`;
            })
        }));
    });
    const halfway = DEMO_STAGES.contact.length - 1;
    const { teamId } = await store.createTeamWithStages('Demo team', apiKey, SEED_ACTOR, stages, async (index) => {
        if (index === halfway && testDelayMs > 0) {
            options.logger?.info('test-seed-delay', { ms: testDelayMs });
            await new Promise((resolve) => setTimeout(resolve, testDelayMs));
        }
    });
    return { teamId, seeded: true };
}
