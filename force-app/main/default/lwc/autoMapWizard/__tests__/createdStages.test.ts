import { planAutoMap } from 'c/autoMapEngine';
import type { Plan } from 'c/autoMapEngine';
import { categoriesToApply, createdPositions, createdValues, defaultCategory, stageCategories } from '../createdStages';
import type { Category } from '../createdStages';

// Lead Status with two stages today: "Cold" is mapped already, "Interested" matches a stage, and the other three
// values get new stages, "Closed - Converted" being the status that converts a lead (UI API attributes.converted).
const VALUES = ['Open', 'Cold', 'Interested', 'Closed - Converted', '__proto__'].map((value) => ({
    value,
    label: value
}));
const CONVERTED: ReadonlySet<string> = new Set(['Closed - Converted']);

function plan(values = VALUES): Plan {
    return planAutoMap({
        object: 'Lead',
        field: 'Status',
        values,
        stages: [
            { id: 'stg-cold', name: 'Cold' },
            { id: 'stg-interested', name: 'Interested' }
        ],
        mappings: [{ value: 'Cold', stageId: 'stg-cold' }]
    });
}

describe('createdStages', () => {
    it('lists the values that get a new stage, in picklist order, and none without a plan', () => {
        expect(createdValues(plan())).toEqual(['Open', 'Closed - Converted', '__proto__']);
        expect(createdValues(undefined)).toEqual([]);
    });

    it('starts a stage as succeeded for a converting Lead Status and as none otherwise', () => {
        expect(defaultCategory('Closed - Converted', CONVERTED)).toBe('succeeded');
        expect(defaultCategory('Open', CONVERTED)).toBeNull();
        expect(defaultCategory('Closed - Converted', new Set())).toBeNull();
    });

    it('gives every created stage its default until the admin chooses', () => {
        const categories = stageCategories(plan(), CONVERTED, new Map());

        expect(categories).toEqual({ Open: null, 'Closed - Converted': 'succeeded', ['__proto__']: null });
        // A value named "__proto__" is an own key like any other, not the object's prototype.
        expect(Object.keys(categories)).toEqual(['Open', 'Closed - Converted', '__proto__']);
    });

    it("keeps the admin's choice over the default, an explicit None included, and ignores values no longer created", () => {
        const chosen = new Map<string, Category>([
            ['Open', 'in_progress'],
            ['Closed - Converted', null],
            ['Interested', 'failed']
        ]);

        expect(stageCategories(plan(), CONVERTED, chosen)).toEqual({
            Open: 'in_progress',
            'Closed - Converted': null,
            ['__proto__']: null
        });
    });

    it('sends only the stages that have a category', () => {
        expect(categoriesToApply({ Open: null, 'Closed - Converted': 'succeeded', Lost: 'failed' })).toEqual({
            'Closed - Converted': 'succeeded',
            Lost: 'failed'
        });
        expect(categoriesToApply({ Open: null })).toEqual({});
    });

    it('puts created stages after the existing ones, one position each in picklist order', () => {
        expect(createdPositions(plan(), 2)).toEqual({ first: 3, last: 5, existing: 2 });
        expect(createdPositions(plan(), 0)).toEqual({ first: 1, last: 3, existing: 0 });
        expect(createdPositions(plan(VALUES.slice(0, 1)), 2)).toEqual({ first: 3, last: 3, existing: 2 });
    });

    it('gives no positions when the plan creates no stage', () => {
        expect(createdPositions(plan(VALUES.slice(1, 3)), 2)).toBeUndefined();
        expect(createdPositions(undefined, 2)).toBeUndefined();
    });
});
