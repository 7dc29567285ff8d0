/** The demo team `npm run service` seeds on first start: the stages sales-engagement platforms ship, and records. */
import type { Actor, Category, Family, Store } from './types.ts';

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
 * Creates the demo team (key `apiKey`) with its stages and records, unless a team already has that key.
 * Returns whether it seeded.
 */
export async function seedDemoTeam(store: Store, apiKey: string): Promise<{ teamId: string; seeded: boolean }> {
    const existing = await store.authenticate(apiKey);
    if (existing !== null) {
        return { teamId: existing, seeded: false };
    }
    const { teamId } = await store.createTeam('Demo team', { apiKey });
    for (const family of ['contact', 'account'] as const) {
        let serial = 0;
        for (const spec of DEMO_STAGES[family]) {
            const stage = await store.createStage(teamId, SEED_ACTOR, {
                family,
                name: spec.name,
                category: spec.category
            });
            const records = Array.from({ length: spec.records }, () => {
                serial += 1;
                return { recordId: `demo-${family}-${String(serial).padStart(4, '0')}`, family, stageId: stage.id };
            });
            if (records.length > 0) {
                await store.upsertRecords(teamId, SEED_ACTOR, records);
            }
        }
    }
    return { teamId, seeded: true };
}
