import { planAutoMap } from 'c/autoMapEngine';
import { unmappedAfterRun } from '../unmappedValues';

// Lead Status: "Partner Accepted" only in the Partner Referral record type; "Cold" mapped before; "Interested"
// and "Keen" both match the stage "Interested", so the second is skipped.
const FIELD = [
    { value: 'Open', label: 'Open' },
    { value: 'Cold', label: 'Kalt' },
    { value: 'Interested', label: 'Interested' },
    { value: 'Keen', label: 'Interested' },
    { value: 'Partner Accepted', label: 'Partner Accepted' }
];

function planOf(values: { value: string; label: string }[]) {
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

describe('unmappedAfterRun', () => {
    it('names the skipped values of a run over every value, with their outcome', () => {
        const unmapped = unmappedAfterRun(FIELD, planOf(FIELD), new Set(['Cold']));

        expect(unmapped.map((entry) => [entry.value, entry.why])).toEqual([['Keen', 'skipped']]);
    });

    it('names the values a narrowed run left out, except those mapped before', () => {
        const narrowed = FIELD.filter((entry) => entry.value !== 'Partner Accepted' && entry.value !== 'Cold');

        const unmapped = unmappedAfterRun(FIELD, planOf(narrowed), new Set(['Cold']));

        expect(unmapped.map((entry) => [entry.value, entry.why])).toEqual([
            ['Keen', 'skipped'],
            ['Partner Accepted', 'not-in-record-type']
        ]);
    });

    it('still names a skipped value when the field list lacks it (the list could not be read)', () => {
        const unmapped = unmappedAfterRun([], planOf(FIELD), new Set(['Cold']));

        expect(unmapped.map((entry) => entry.value)).toEqual(['Keen']);
    });
});
