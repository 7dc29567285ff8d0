import { fixTotal, isDriftFix, runDetails } from '../runDetails';

// The labels evaluate to their own name in Jest ('c.AutoMap_X'); the two that join the parts are mocked.
jest.mock('@salesforce/label/c.AutoMap_List_NamedCount', () => ({ default: '{0}: {1}' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_List_Separator', () => ({ default: ',' }), { virtual: true });

const NO_FIXES = { 'probable-rename': 0, 'value-removed': 0, 'label-changed': 0, 'new-value': 0 };
const NO_STAGES = { in_progress: 0, succeeded: 0, failed: 0, none: 0 };

describe('runDetails', () => {
    it('reads a run without a kind as an auto-map (recorded before runs had kinds)', () => {
        expect(isDriftFix({})).toBe(false);
        expect(isDriftFix({ kind: 'auto-map' })).toBe(false);
        expect(isDriftFix({ kind: 'drift-fix' })).toBe(true);
        expect(runDetails({})).toEqual([]);
    });

    it('adds up the fixes of every kind, and counts none when the service sent no counts', () => {
        expect(fixTotal({ fixCounts: { ...NO_FIXES, 'probable-rename': 2, 'new-value': 3 } })).toBe(5);
        expect(fixTotal({ kind: 'drift-fix' })).toBe(0);
    });

    it('says an auto-map that created no stage nothing more than its counts', () => {
        expect(runDetails({ kind: 'auto-map', createdCategories: NO_STAGES, fixCounts: NO_FIXES })).toEqual([]);
    });

    it('lists the kinds a drift fix applied in the drift report order, zeros left out', () => {
        const lines = runDetails({
            kind: 'drift-fix',
            createdCategories: NO_STAGES,
            fixCounts: { 'probable-rename': 0, 'value-removed': 2, 'label-changed': 0, 'new-value': 1 }
        });

        expect(lines).toEqual([
            'c.AutoMap_History_DriftFixed',
            'c.AutoMap_History_FixRemoved: 2, c.AutoMap_History_FixNewValue: 1'
        ]);
    });

    it('still names a drift fix when the service sent no counts', () => {
        expect(runDetails({ kind: 'drift-fix' })).toEqual(['c.AutoMap_History_DriftFixed']);
    });

    it('gives the categories of created stages their own line, for both kinds of run', () => {
        const categories = { ...NO_STAGES, failed: 3 };

        expect(runDetails({ kind: 'auto-map', createdCategories: categories })).toEqual([
            'c.AutoMap_History_CreatedCategories'
        ]);
        expect(
            runDetails({ kind: 'drift-fix', fixCounts: { ...NO_FIXES, 'new-value': 3 }, createdCategories: categories })
        ).toHaveLength(3);
    });
});
