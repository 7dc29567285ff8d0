/**
 * Drift (issue 12, "The rules"): one named test per rule and per branch, on real-looking Lead Status and Account Type
 * picklists that admins renamed, relabelled, deactivated, trimmed and extended after mapping them. The invariants
 * under generated data are in autoMapEngine.properties.test.ts.
 */
import { DRIFT_KINDS, driftReport, validateDriftInput, validatePlanInput } from 'c/autoMapEngine';
import type { DriftFinding, DriftInput, MappingInput, PicklistValueInput, StageInput } from 'c/autoMapEngine';

/** Contact stages a team built from the standard Lead Status, one per value, named after the labels. */
const LEAD_STAGES: StageInput[] = [
    { id: 'stg_open', name: 'Open - Not Contacted' },
    { id: 'stg_working', name: 'Working - Contacted' },
    { id: 'stg_converted', name: 'Closed - Converted' },
    { id: 'stg_not_converted', name: 'Closed - Not Converted' }
];

/** The standard Lead Status as it was mapped: each mapping recorded the label it had. */
const LEAD_MAPPINGS: MappingInput[] = [
    { value: 'Open - Not Contacted', stageId: 'stg_open', label: 'Open - Not Contacted' },
    { value: 'Working - Contacted', stageId: 'stg_working', label: 'Working - Contacted' },
    { value: 'Closed - Converted', stageId: 'stg_converted', label: 'Closed - Converted' },
    { value: 'Closed - Not Converted', stageId: 'stg_not_converted', label: 'Closed - Not Converted' }
];

const LEAD_VALUES: PicklistValueInput[] = [
    { value: 'Open - Not Contacted', label: 'Open - Not Contacted' },
    { value: 'Working - Contacted', label: 'Working - Contacted' },
    { value: 'Closed - Converted', label: 'Closed - Converted' },
    { value: 'Closed - Not Converted', label: 'Closed - Not Converted' }
];

function leadStatus(
    values: PicklistValueInput[],
    stages: StageInput[] = LEAD_STAGES,
    mappings: MappingInput[] = LEAD_MAPPINGS
): DriftInput {
    return { object: 'Lead', field: 'Status', values, stages, mappings };
}

/** The standard Lead Status with one value replaced (or removed, with no replacement). */
function leadStatusWith(replace: string, ...replacements: PicklistValueInput[]): PicklistValueInput[] {
    return LEAD_VALUES.flatMap((value) => (value.value === replace ? replacements : [value]));
}

function findings(input: DriftInput): DriftFinding[] {
    return driftReport(input).findings;
}

function findingFor(input: DriftInput, value: string): DriftFinding {
    const finding = findings(input).find((entry) => entry.value === value);
    if (!finding) {
        throw new Error(`no finding for ${value}`);
    }
    return finding;
}

describe('driftReport: in sync', () => {
    it('reports nothing for a scope whose picklist has not moved', () => {
        expect(driftReport(leadStatus(LEAD_VALUES))).toEqual({ object: 'Lead', field: 'Status', findings: [] });
    });

    it('compares labels by key: a label that only changed case or spacing has not drifted', () => {
        const values = leadStatusWith('Working - Contacted', {
            value: 'Working - Contacted',
            label: '  WORKING   - contacted '
        });
        expect(findings(leadStatus(values))).toEqual([]);
    });

    it('reports no inactive value that is not mapped: nothing maps it, nothing drifted', () => {
        expect(findings(leadStatus([...LEAD_VALUES, { value: 'Nurturing', active: false }]))).toEqual([]);
    });
});

describe('driftReport: a mapping whose value is gone (rule 1)', () => {
    it('probable-rename: the one active, unmapped value labelled like the gone one; fix: move the mapping', () => {
        const values = leadStatusWith('Working - Contacted', {
            value: 'Working_Contacted',
            label: 'Working - Contacted'
        });
        expect(findings(leadStatus(values))).toEqual([
            {
                value: 'Working - Contacted',
                kind: 'probable-rename',
                stageId: 'stg_working',
                stageName: 'Working - Contacted',
                recordedLabel: 'Working - Contacted',
                renamedTo: 'Working_Contacted',
                fix: true,
                reason: '"Working - Contacted" is no longer in the picklist, and "Working_Contacted" is the one active, unmapped value labelled like it ("Working - Contacted"): it was probably renamed. Fix: move the mapping to "Working_Contacted"; stage "Working - Contacted" stays.'
            }
        ]);
    });

    it('probable-rename compares keys: the new value may spell the label in another case or width', () => {
        const values = leadStatusWith('Closed - Converted', {
            value: 'Converted',
            label: 'ＣＬＯＳＥＤ － ＣＯＮＶＥＲＴＥＤ'
        });
        expect(findingFor(leadStatus(values), 'Closed - Converted')).toMatchObject({
            kind: 'probable-rename',
            renamedTo: 'Converted'
        });
    });

    it('probable-rename for old data: a mapping without a recorded label is compared by its value', () => {
        const mappings = LEAD_MAPPINGS.map(({ value, stageId }) => ({ value, stageId }));
        const values = leadStatusWith('Open - Not Contacted', {
            value: 'Open_Not_Contacted',
            label: 'Open - Not Contacted'
        });
        expect(findingFor(leadStatus(values, LEAD_STAGES, mappings), 'Open - Not Contacted')).toMatchObject({
            kind: 'probable-rename',
            recordedLabel: 'Open - Not Contacted',
            renamedTo: 'Open_Not_Contacted',
            fix: true
        });
    });

    it('the rename target is claimed: it is not reported again as a new value', () => {
        const values = leadStatusWith('Working - Contacted', {
            value: 'Working_Contacted',
            label: 'Working - Contacted'
        });
        expect(findings(leadStatus(values)).map((finding) => finding.value)).toEqual(['Working - Contacted']);
    });

    it('value-removed with no candidate; fix: remove the mapping (the stage and its records stay)', () => {
        expect(findings(leadStatus(leadStatusWith('Closed - Not Converted')))).toEqual([
            {
                value: 'Closed - Not Converted',
                kind: 'value-removed',
                stageId: 'stg_not_converted',
                stageName: 'Closed - Not Converted',
                recordedLabel: 'Closed - Not Converted',
                fix: true,
                reason: '"Closed - Not Converted" is no longer in the picklist, and no active, unmapped value is labelled like it ("Closed - Not Converted"). Fix: remove the mapping; stage "Closed - Not Converted" and its records stay.'
            }
        ]);
    });

    it('an inactive value labelled like the gone one is no candidate (inactive values are never mapped)', () => {
        const values = leadStatusWith('Closed - Not Converted', {
            value: 'Closed_Lost',
            label: 'Closed - Not Converted',
            active: false
        });
        expect(findings(leadStatus(values))).toEqual([
            expect.objectContaining({ value: 'Closed - Not Converted', kind: 'value-removed', fix: true })
        ]);
    });

    it('a mapped value labelled like the gone one is no candidate (it has its stage)', () => {
        const values = leadStatusWith('Working - Contacted');
        values[0] = { value: 'Open - Not Contacted', label: 'Working - Contacted' };
        expect(findingFor(leadStatus(values), 'Working - Contacted')).toMatchObject({
            kind: 'value-removed',
            fix: true
        });
    });

    it('value-removed with the candidates, sorted, and no fix when several values are labelled like the gone one', () => {
        const values = leadStatusWith(
            'Working - Contacted',
            { value: 'Working_Phone', label: 'Working - Contacted' },
            { value: 'Working_Email', label: 'working - contacted' }
        );
        expect(findings(leadStatus(values))).toEqual([
            {
                value: 'Working - Contacted',
                kind: 'value-removed',
                stageId: 'stg_working',
                stageName: 'Working - Contacted',
                recordedLabel: 'Working - Contacted',
                candidates: ['Working_Email', 'Working_Phone'],
                fix: false,
                reason: '"Working - Contacted" is no longer in the picklist; 2 active, unmapped values are labelled like it ("Working - Contacted"): "Working_Email", "Working_Phone". No fix: move the mapping to the value it became, or remove it.'
            }
        ]);
    });

    it("a value two gone mappings would each take as their only rename target is nobody's: no fix for either", () => {
        const stages: StageInput[] = [
            { id: 'stg_customer', name: 'Customer' },
            { id: 'stg_customer_old', name: 'Customer (old)' }
        ];
        const mappings: MappingInput[] = [
            { value: 'Customer - Direct', stageId: 'stg_customer', label: 'Customer' },
            { value: 'Customer - Channel', stageId: 'stg_customer_old', label: 'CUSTOMER' }
        ];
        const input: DriftInput = {
            object: 'Account',
            field: 'Type',
            values: [{ value: 'Customer', label: 'Customer' }, { value: 'Prospect' }],
            stages,
            mappings
        };
        expect(findings(input)).toEqual([
            {
                value: 'Customer - Channel',
                kind: 'value-removed',
                stageId: 'stg_customer_old',
                stageName: 'Customer (old)',
                recordedLabel: 'CUSTOMER',
                candidates: ['Customer'],
                fix: false,
                reason: '"Customer - Channel" is no longer in the picklist; "Customer" is labelled like it ("CUSTOMER"), but so were "Customer - Direct", also gone, so which one it replaced is unclear. No fix: move the mapping to the value it became, or remove it.'
            },
            expect.objectContaining({ value: 'Customer - Direct', kind: 'value-removed', candidates: ['Customer'] }),
            expect.objectContaining({ value: 'Prospect', kind: 'new-value' })
        ]);
    });

    it("names a gone mapping's stage by id when the stage is gone too", () => {
        const stages = LEAD_STAGES.filter((stage) => stage.id !== 'stg_not_converted');
        expect(findings(leadStatus(leadStatusWith('Closed - Not Converted'), stages))).toEqual([
            expect.objectContaining({
                stageId: 'stg_not_converted',
                reason: expect.stringContaining(
                    'Fix: remove the mapping; stage stg_not_converted (which no longer exists) and its records stay.'
                ) as unknown
            })
        ]);
        expect(findings(leadStatus(leadStatusWith('Closed - Not Converted'), stages))[0]).not.toHaveProperty(
            'stageName'
        );
    });
});

describe('driftReport: a mapped value now inactive (rule 2)', () => {
    it('value-deactivated: advice only, the mapping stays (old records may still use the value)', () => {
        const values = leadStatusWith('Closed - Not Converted', {
            value: 'Closed - Not Converted',
            label: 'Closed - Not Converted',
            active: false
        });
        expect(findings(leadStatus(values))).toEqual([
            {
                value: 'Closed - Not Converted',
                kind: 'value-deactivated',
                stageId: 'stg_not_converted',
                stageName: 'Closed - Not Converted',
                label: 'Closed - Not Converted',
                recordedLabel: 'Closed - Not Converted',
                fix: false,
                reason: '"Closed - Not Converted" is inactive but still mapped to stage "Closed - Not Converted"; old records may still use it, so the mapping stays (remove it by hand once no record does).'
            }
        ]);
    });

    it('is decided before a label change: a value is the subject of one finding', () => {
        const values = leadStatusWith('Closed - Not Converted', {
            value: 'Closed - Not Converted',
            label: 'Lost',
            active: false
        });
        expect(findings(leadStatus(values))).toEqual([
            expect.objectContaining({ value: 'Closed - Not Converted', kind: 'value-deactivated' })
        ]);
    });
});

describe('driftReport: a mapped value whose label key changed (rule 3)', () => {
    it('label-changed on a stage named after the old label; fix: rename the stage (trimmed, spacing collapsed)', () => {
        const values = leadStatusWith('Working - Contacted', {
            value: 'Working - Contacted',
            label: '  Working –  In Progress '
        });
        expect(findings(leadStatus(values))).toEqual([
            {
                value: 'Working - Contacted',
                kind: 'label-changed',
                stageId: 'stg_working',
                stageName: 'Working - Contacted',
                label: '  Working –  In Progress ',
                recordedLabel: 'Working - Contacted',
                newStageName: 'Working – In Progress',
                fix: true,
                reason: 'The label of "Working - Contacted" changed from "Working - Contacted" to "  Working –  In Progress ", and its stage "Working - Contacted" was named after the old label. Fix: rename the stage to "Working – In Progress".'
            }
        ]);
    });

    it('no fix when another stage of the family already has the new name, and the reason names it', () => {
        const stages = [...LEAD_STAGES, { id: 'stg_qualified', name: 'QUALIFIED' }];
        const values = leadStatusWith('Working - Contacted', { value: 'Working - Contacted', label: 'Qualified' });
        expect(findingFor(leadStatus(values, stages), 'Working - Contacted')).toEqual(
            expect.objectContaining({
                kind: 'label-changed',
                newStageName: 'Qualified',
                fix: false,
                reason: 'The label of "Working - Contacted" changed from "Working - Contacted" to "Qualified", and its stage "Working - Contacted" was named after the old label. No fix: stage "QUALIFIED" already has that name (merge the two, or rename it first).'
            })
        );
    });

    it('information only when the stage has a name of its own', () => {
        const stages = LEAD_STAGES.map((stage) => (stage.id === 'stg_open' ? { ...stage, name: 'New lead' } : stage));
        const values = leadStatusWith('Open - Not Contacted', { value: 'Open - Not Contacted', label: 'Open' });
        expect(findings(leadStatus(values, stages))).toEqual([
            {
                value: 'Open - Not Contacted',
                kind: 'label-changed',
                stageId: 'stg_open',
                stageName: 'New lead',
                label: 'Open',
                recordedLabel: 'Open - Not Contacted',
                fix: false,
                reason: 'The label of "Open - Not Contacted" changed from "Open - Not Contacted" to "Open"; its stage "New lead" has a name of its own, so nothing needs to change.'
            }
        ]);
    });

    it("information only, naming the stage by id, when the mapping's stage is gone", () => {
        const stages = LEAD_STAGES.filter((stage) => stage.id !== 'stg_open');
        const values = leadStatusWith('Open - Not Contacted', { value: 'Open - Not Contacted', label: 'Open' });
        expect(findingFor(leadStatus(values, stages), 'Open - Not Contacted')).toEqual(
            expect.objectContaining({
                fix: false,
                reason: 'The label of "Open - Not Contacted" changed from "Open - Not Contacted" to "Open"; its stage stg_open no longer exists (see the housekeeping report).'
            })
        );
    });

    it('a blank recorded label is no label: the value stands for it, as for old data', () => {
        const mappings = LEAD_MAPPINGS.map((mapping) => ({ ...mapping, label: '   ' }));
        expect(findings(leadStatus(LEAD_VALUES, LEAD_STAGES, mappings))).toEqual([]);
    });

    it('for old data the value stands for the recorded label (a relabelled value named its stage by the value)', () => {
        const mappings: MappingInput[] = [{ value: 'Technology Partner', stageId: 'stg_tech' }];
        const input: DriftInput = {
            object: 'Account',
            field: 'Type',
            values: [{ value: 'Technology Partner', label: 'Technologiepartner' }],
            stages: [{ id: 'stg_tech', name: 'Technology Partner' }],
            mappings
        };
        expect(findings(input)).toEqual([
            expect.objectContaining({
                kind: 'label-changed',
                recordedLabel: 'Technology Partner',
                newStageName: 'Technologiepartner',
                fix: true
            })
        ]);
    });

    it('offers a rename into the name another offered rename frees, and says which goes first', () => {
        // "Working" became "Qualified" and "Qualified" became "Sales Ready": the second rename frees the name.
        const stages: StageInput[] = [
            { id: 'stg_working', name: 'Working' },
            { id: 'stg_qualified', name: 'Qualified' }
        ];
        const mappings: MappingInput[] = [
            { value: 'Working', stageId: 'stg_working', label: 'Working' },
            { value: 'Qualified', stageId: 'stg_qualified', label: 'Qualified' }
        ];
        const values = [
            { value: 'Working', label: 'Qualified' },
            { value: 'Qualified', label: 'Sales Ready' }
        ];
        expect(findings(leadStatus(values, stages, mappings))).toEqual([
            expect.objectContaining({ value: 'Qualified', newStageName: 'Sales Ready', fix: true }),
            expect.objectContaining({
                value: 'Working',
                newStageName: 'Qualified',
                fix: true,
                reason: expect.stringContaining(
                    'Fix: rename the stage to "Qualified", once stage "Qualified" is renamed to "Sales Ready" (which frees the name).'
                ) as unknown
            })
        ]);
    });

    it('offers neither of two renames into one name', () => {
        const stages: StageInput[] = [
            { id: 'stg_open', name: 'Open' },
            { id: 'stg_new', name: 'New' }
        ];
        const mappings: MappingInput[] = [
            { value: 'Open', stageId: 'stg_open', label: 'Open' },
            { value: 'New', stageId: 'stg_new', label: 'New' }
        ];
        const values = [
            { value: 'Open', label: 'Not Contacted' },
            { value: 'New', label: 'not contacted' }
        ];
        const result = findings(leadStatus(values, stages, mappings));
        expect(result.map(({ value, fix }) => ({ value, fix }))).toEqual([
            { value: 'New', fix: false },
            { value: 'Open', fix: false }
        ]);
        expect(result[0]?.reason).toContain('No fix: stage "Open" would get the name "not contacted" too (for "Open")');
        expect(result[1]?.reason).toContain('No fix: stage "New" would get that name too (for "New")');
        // Neither is offered later either: no reason goes on to say how to fix it.
        expect(result.filter((finding) => finding.reason.includes('Fix: rename'))).toEqual([]);
    });

    it('offers neither of two renames that swap names: no order of renames gets there', () => {
        const stages: StageInput[] = [
            { id: 'stg_hot', name: 'Hot' },
            { id: 'stg_cold', name: 'Cold' }
        ];
        const mappings: MappingInput[] = [
            { value: 'A', stageId: 'stg_hot', label: 'Hot' },
            { value: 'B', stageId: 'stg_cold', label: 'Cold' }
        ];
        const values = [
            { value: 'A', label: 'Cold' },
            { value: 'B', label: 'Hot' }
        ];
        const result = findings(leadStatus(values, stages, mappings));
        expect(result.map(({ value, fix }) => ({ value, fix }))).toEqual([
            { value: 'A', fix: false },
            { value: 'B', fix: false }
        ]);
        expect(result[0]?.reason).toContain(
            'No fix: stage "Cold" has that name and is itself to be renamed to "Hot"; the renames wait on each other'
        );
    });
});

describe("driftReport: labels recorded in another language than today's (rule 3)", () => {
    /** Lead Status as a German admin reads it: the API names the English admin mapped, German labels. */
    const GERMAN_VALUES: PicklistValueInput[] = [
        { value: 'Open - Not Contacted', label: 'Offen - Nicht kontaktiert' },
        { value: 'Working - Contacted', label: 'In Bearbeitung - Kontaktiert' },
        { value: 'Closed - Converted', label: 'Geschlossen - Konvertiert' },
        { value: 'Closed - Not Converted', label: 'Geschlossen - Nicht konvertiert' }
    ];
    const inEnglish = LEAD_MAPPINGS.map((mapping) => ({ ...mapping, labelLanguage: 'en_US' }));

    it("compares no label recorded in English with a German reader's labels: in sync", () => {
        expect(driftReport(leadStatus(GERMAN_VALUES, LEAD_STAGES, inEnglish), { language: 'de' }).findings).toEqual([]);
    });

    it('compares them when the reader reads English, however the language is spelt (en-US is en_US)', () => {
        const relabelled = leadStatusWith('Working - Contacted', { value: 'Working - Contacted', label: 'Working' });
        for (const language of ['en_US', 'en-US', 'EN_us']) {
            expect(
                driftReport(leadStatus(relabelled, LEAD_STAGES, inEnglish), { language }).findings.map(
                    ({ value, kind }) => `${kind} ${value}`
                )
            ).toEqual(['label-changed Working - Contacted']);
        }
    });

    it('compares them, as the rules say, when either language is unknown (old data, a caller that does not say)', () => {
        const unknownReader = driftReport(leadStatus(GERMAN_VALUES, LEAD_STAGES, inEnglish)).findings;
        const unknownRecord = driftReport(leadStatus(GERMAN_VALUES), { language: 'de' }).findings;
        for (const result of [unknownReader, unknownRecord]) {
            expect(result.map(({ kind }) => kind)).toEqual(Array(4).fill('label-changed'));
        }
    });

    it('still tells a gone value from its recorded label: a rename keeping a label both languages share', () => {
        const renamed = { value: 'Working_Contacted', label: 'Working - Contacted' };
        const values = GERMAN_VALUES.map((value) => (value.value === 'Working - Contacted' ? renamed : value));
        expect(findingFor({ ...leadStatus(values, LEAD_STAGES, inEnglish) }, 'Working - Contacted')).toMatchObject({
            kind: 'probable-rename',
            renamedTo: 'Working_Contacted'
        });
    });
});

describe('driftReport: stage renames, more than one cycle', () => {
    it('offers none of the renames of two separate swaps: each pair waits on itself', () => {
        const stages = [
            { id: 'stg_hot', name: 'Hot' },
            { id: 'stg_cold', name: 'Cold' },
            { id: 'stg_early', name: 'Early' },
            { id: 'stg_late', name: 'Late' }
        ];
        const mappings: MappingInput[] = [
            { value: 'A', stageId: 'stg_hot', label: 'Hot' },
            { value: 'B', stageId: 'stg_cold', label: 'Cold' },
            { value: 'C', stageId: 'stg_early', label: 'Early' },
            { value: 'D', stageId: 'stg_late', label: 'Late' }
        ];
        const values = [
            { value: 'A', label: 'Cold' },
            { value: 'B', label: 'Hot' },
            { value: 'C', label: 'Late' },
            { value: 'D', label: 'Early' }
        ];
        expect(findings(leadStatus(values, stages, mappings)).map(({ value, fix }) => `${value} ${fix}`)).toEqual([
            'A false',
            'B false',
            'C false',
            'D false'
        ]);
    });
});

describe('driftReport: stage renames through a name two stages share', () => {
    // A family that already has two stages of one name ("Hot" and "HOT", as housekeeping's duplicates list shows):
    // "Cold" is to take that name, and both holders are renamed away, one of them into "Cold". The first holder leads
    // nowhere, the second back to "Cold": a cycle, found only by following every holder, not just the first.
    it('finds the cycle through the second holder of the name, and offers neither of its renames', () => {
        const stages = [
            { id: 'stg_a_hot', name: 'Hot' },
            { id: 'stg_b_hot', name: 'HOT' },
            { id: 'stg_cold', name: 'Cold' }
        ];
        const mappings: MappingInput[] = [
            { value: 'Warm', stageId: 'stg_a_hot', label: 'Hot' },
            { value: 'Boiling', stageId: 'stg_b_hot', label: 'HOT' },
            { value: 'Chilly', stageId: 'stg_cold', label: 'Cold' }
        ];
        const values = [
            { value: 'Warm', label: 'Warm' },
            { value: 'Boiling', label: 'Cold' },
            { value: 'Chilly', label: 'Hot' }
        ];
        const result = findings(leadStatus(values, stages, mappings));
        expect(result.map(({ value, kind, fix }) => `${kind} ${value} ${fix}`)).toEqual([
            'label-changed Boiling false',
            'label-changed Chilly false',
            'label-changed Warm true'
        ]);
        expect(result.find((finding) => finding.value === 'Chilly')?.reason).toContain('rename one of them by hand');
    });
});

describe('driftReport: an active value nobody maps (rule 4)', () => {
    it('new-value that auto-map maps to a free stage with its name; fix: auto-map', () => {
        const stages = [...LEAD_STAGES, { id: 'stg_nurturing', name: 'Nurturing' }];
        expect(findings(leadStatus([...LEAD_VALUES, { value: 'Nurturing' }], stages))).toEqual([
            {
                value: 'Nurturing',
                kind: 'new-value',
                stageId: 'stg_nurturing',
                stageName: 'Nurturing',
                label: 'Nurturing',
                outcome: 'map-existing',
                fix: true,
                reason: '"Nurturing" is new: active and not mapped yet. Fix: auto-map it. Stage "Nurturing" matches the value "Nurturing"; the value will be mapped to it.'
            }
        ]);
    });

    it('new-value that auto-map creates a stage for, named by the label', () => {
        const values = [...LEAD_VALUES, { value: 'Nurturing', label: 'Nurturing – Long Term' }];
        expect(findingFor(leadStatus(values), 'Nurturing')).toEqual({
            value: 'Nurturing',
            kind: 'new-value',
            stageName: 'Nurturing – Long Term',
            label: 'Nurturing – Long Term',
            outcome: 'create-and-map',
            fix: true,
            reason: '"Nurturing" is new: active and not mapped yet. Fix: auto-map it. No stage matches the value "Nurturing" or its label "Nurturing – Long Term"; a stage "Nurturing – Long Term" will be created and mapped to it.'
        });
    });

    it('names the new stage by API name when told to', () => {
        const values = [...LEAD_VALUES, { value: 'Nurturing', label: 'En maturation' }];
        const report = driftReport(leadStatus(values), { newStageNames: 'apiName' });
        expect(report.findings).toEqual([
            expect.objectContaining({ stageName: 'Nurturing', outcome: 'create-and-map' })
        ]);
    });

    it('new-value with no fix when auto-map would skip it, and the reason says why', () => {
        const values = [...LEAD_VALUES, { value: 'Contacted', label: 'Working - Contacted' }];
        expect(findingFor(leadStatus(values), 'Contacted')).toEqual({
            value: 'Contacted',
            kind: 'new-value',
            stageId: 'stg_working',
            stageName: 'Working - Contacted',
            label: 'Working - Contacted',
            outcome: 'skip-stage-taken',
            fix: false,
            reason: '"Contacted" is new: active and not mapped yet. No fix: auto-map skips it. Stage "Working - Contacted" matches the label "Working - Contacted" but is already mapped to the value "Working - Contacted"; a stage maps to one value per field, and no duplicate stage is created.'
        });
    });

    it("plans against the stages a removal frees: the removed mapping's stage goes to a new value", () => {
        const mappings = LEAD_MAPPINGS.map((mapping) => ({
            ...mapping,
            label: mapping.value === 'Closed - Not Converted' ? 'Lost (old)' : mapping.label
        }));
        const values = [
            ...leadStatusWith('Closed - Not Converted'),
            { value: 'Closed - Not Converted 2', label: 'closed - not converted' }
        ];
        expect(findings(leadStatus(values, LEAD_STAGES, mappings))).toEqual([
            expect.objectContaining({ value: 'Closed - Not Converted', kind: 'value-removed', fix: true }),
            expect.objectContaining({
                value: 'Closed - Not Converted 2',
                kind: 'new-value',
                outcome: 'map-existing',
                stageId: 'stg_not_converted',
                fix: true
            })
        ]);
    });

    it("plans against the renamed stages: a new value named like a stage's new name does not duplicate it", () => {
        const values = [
            ...leadStatusWith('Working - Contacted', { value: 'Working - Contacted', label: 'Qualified' }),
            { value: 'Qualified' }
        ];
        expect(findings(leadStatus(values))).toEqual([
            expect.objectContaining({ value: 'Working - Contacted', kind: 'label-changed', fix: true }),
            expect.objectContaining({
                value: 'Qualified',
                kind: 'new-value',
                outcome: 'skip-stage-taken',
                stageId: 'stg_working',
                stageName: 'Qualified',
                fix: false
            })
        ]);
    });

    it("plans against the renamed stages: a new value labelled like a stage's old name gets a stage of its own", () => {
        const values = [
            ...leadStatusWith('Working - Contacted', { value: 'Working - Contacted', label: 'In Progress' }),
            { value: 'Contacted', label: 'Working - Contacted' }
        ];
        expect(findingFor(leadStatus(values), 'Contacted')).toMatchObject({
            kind: 'new-value',
            outcome: 'create-and-map',
            stageName: 'Working - Contacted',
            fix: true
        });
    });

    it('plans the new values without the candidates left to the admin: those take no stage from a new value', () => {
        // "Qualified" (one of two values labelled like the gone "Working - Contacted") is named like the free stage
        // "Qualified"; left to the admin, it must not claim that stage from the new value labelled "Qualified".
        const stages = [...LEAD_STAGES, { id: 'stg_qualified', name: 'Qualified' }];
        const values = [
            ...leadStatusWith(
                'Working - Contacted',
                { value: 'Qualified', label: 'Working - Contacted' },
                { value: 'Working_Email', label: 'Working - Contacted' }
            ),
            { value: 'Qualified_Lead', label: 'Qualified' }
        ];
        expect(findings(leadStatus(values, stages))).toEqual([
            expect.objectContaining({
                value: 'Working - Contacted',
                kind: 'value-removed',
                candidates: ['Qualified', 'Working_Email'],
                fix: false
            }),
            expect.objectContaining({
                value: 'Qualified_Lead',
                kind: 'new-value',
                outcome: 'map-existing',
                stageId: 'stg_qualified',
                fix: true
            })
        ]);
    });

    it('plans the new values with the rename target mapped: it takes no stage from a new value', () => {
        // "Qualified" is what "Working - Contacted" became; named like the free stage "Qualified", it must not be
        // planned as unmapped and take that stage from the new value labelled "Qualified".
        const stages = [...LEAD_STAGES, { id: 'stg_qualified', name: 'Qualified' }];
        const values = [
            ...leadStatusWith('Working - Contacted', { value: 'Qualified', label: 'Working - Contacted' }),
            { value: 'Qualified_Lead', label: 'Qualified' }
        ];
        expect(findings(leadStatus(values, stages))).toEqual([
            expect.objectContaining({ value: 'Working - Contacted', kind: 'probable-rename', renamedTo: 'Qualified' }),
            expect.objectContaining({
                value: 'Qualified_Lead',
                kind: 'new-value',
                outcome: 'map-existing',
                stageId: 'stg_qualified',
                fix: true
            })
        ]);
    });

    it('carries no stageId or stageName key at all when auto-map gives none (as JSON omits them)', () => {
        const stages = [...LEAD_STAGES, { id: 'stg_n1', name: 'Nurturing' }, { id: 'stg_n2', name: 'nurturing' }];
        const values = [...LEAD_VALUES, { value: 'Nurturing' }, { value: 'Recycled', label: 'Recycled' }];
        const report = findings(leadStatus(values, stages));
        expect(report.map(({ value, outcome }) => `${value} ${outcome ?? ''}`)).toEqual([
            'Nurturing skip-ambiguous',
            'Recycled create-and-map'
        ]);
        expect(report.map((finding) => Object.keys(finding).filter((key) => key.startsWith('stage')))).toEqual([
            [],
            ['stageName']
        ]);
    });

    it('leaves the candidates of an undecided removal to the admin: they are not new values', () => {
        const values = leadStatusWith(
            'Working - Contacted',
            { value: 'Working_Phone', label: 'Working - Contacted' },
            { value: 'Working_Email', label: 'Working - Contacted' }
        );
        expect(findings(leadStatus(values)).filter((finding) => finding.kind === 'new-value')).toEqual([]);
    });
});

describe('driftReport: the report', () => {
    it('sorts by kind in the order of the rules (probable-rename before value-removed), then by value, ordinal', () => {
        const values: PicklistValueInput[] = [
            { value: 'Open - Not Contacted', label: 'Open - Not Contacted', active: false },
            { value: 'Working - Contacted', label: 'In Progress' },
            { value: 'attempted', label: 'Attempted' },
            { value: 'Nurturing' },
            { value: 'Lost', label: 'Closed - Not Converted' }
        ];
        expect(findings(leadStatus(values)).map(({ kind, value }) => `${kind} ${value}`)).toEqual([
            'probable-rename Closed - Not Converted',
            'value-removed Closed - Converted',
            'value-deactivated Open - Not Contacted',
            'label-changed Working - Contacted',
            'new-value Nurturing',
            'new-value attempted'
        ]);
    });

    it('lists the kinds in the documented order', () => {
        expect(DRIFT_KINDS).toEqual([
            'probable-rename',
            'value-removed',
            'value-deactivated',
            'label-changed',
            'new-value'
        ]);
    });

    it('does not modify its input', () => {
        const input = leadStatus([
            ...leadStatusWith('Working - Contacted', { value: 'Working - Contacted', label: 'Qualified' }),
            { value: 'Nurturing' }
        ]);
        const copy = JSON.parse(JSON.stringify(input)) as DriftInput;
        driftReport(input);
        expect(input).toEqual(copy);
    });

    it('refuses an object auto-map does not support and a value listed twice, like planAutoMap', () => {
        expect(() => driftReport({ ...leadStatus(LEAD_VALUES), object: 'Opportunity' })).toThrow(
            'Auto-map does not support the object "Opportunity": use Contact, Lead or Account.'
        );
        expect(() => driftReport(leadStatus([...LEAD_VALUES, { value: 'Working - Contacted' }]))).toThrow(
            'The picklist value "Working - Contacted" appears twice in Lead.Status.'
        );
    });

    it('against the invariant, a second mapping of one value or one stage is ignored (the first wins)', () => {
        const mappings = [
            ...LEAD_MAPPINGS,
            { value: 'Working - Contacted', stageId: 'stg_open', label: 'Other' },
            { value: 'Gone', stageId: 'stg_open', label: 'Gone' }
        ];
        expect(findings(leadStatus(LEAD_VALUES, LEAD_STAGES, mappings))).toEqual([]);
    });
});

describe('validateDriftInput', () => {
    const valid = (): Record<string, unknown> => ({
        object: 'Lead',
        field: 'Status',
        values: [{ value: 'Working_Contacted', label: 'Working - Contacted' }],
        stages: [{ id: 'stg_working', name: 'Working - Contacted' }],
        mappings: [{ value: 'Working - Contacted', stageId: 'stg_working', label: 'Working - Contacted' }]
    });

    function errorOf(input: unknown): string {
        const result = validateDriftInput(input, { path: 'scenario[1]' });
        if (result.ok) {
            throw new Error('expected a validation error');
        }
        return result.error;
    }

    it('accepts a scope whose mappings carry their recorded labels, and returns a clean copy', () => {
        const input = valid();
        const result = validateDriftInput(input);
        expect(result).toEqual({ ok: true, value: input });
        expect(result.ok && result.value).not.toBe(input);
    });

    it('accepts a mapping without a label, or with null (old data), and drops null', () => {
        const result = validateDriftInput({
            ...valid(),
            mappings: [
                { value: 'Working - Contacted', stageId: 'stg_working', label: null },
                { value: 'Open', stageId: 'stg_open' }
            ]
        });
        expect(result).toEqual({
            ok: true,
            value: expect.objectContaining({
                mappings: [
                    { value: 'Working - Contacted', stageId: 'stg_working' },
                    { value: 'Open', stageId: 'stg_open' }
                ]
            }) as unknown
        });
    });

    it('rejects a recorded label that is blank, not a string or over 255 characters, naming its path', () => {
        const withLabel = (label: unknown): unknown => ({
            ...valid(),
            mappings: [{ value: 'Working - Contacted', stageId: 'stg_working', label }]
        });
        expect(errorOf(withLabel(' \u00a0'))).toBe('scenario[1].mappings[0].label: must not be empty or blank');
        expect(errorOf(withLabel(7))).toBe('scenario[1].mappings[0].label: must be a string, got number 7');
        expect(errorOf(withLabel('x'.repeat(256)))).toBe(
            'scenario[1].mappings[0].label: longer than 255 characters (256)'
        );
    });

    it('accepts the language a label was recorded in, as Apex or the LWC spells it, and rejects anything else', () => {
        const withLanguage = (labelLanguage: unknown): unknown => ({
            ...valid(),
            mappings: [{ value: 'Working - Contacted', stageId: 'stg_working', label: 'Working', labelLanguage }]
        });
        for (const language of ['en_US', 'de', 'pt-BR', 'zh_CN']) {
            expect(validateDriftInput(withLanguage(language)).ok).toBe(true);
        }
        for (const language of ['', 'english', 'de_', 7, 'en_US; DROP']) {
            expect(errorOf(withLanguage(language))).toBe(
                'scenario[1].mappings[0].labelLanguage: must be a language code such as en_US or de'
            );
        }
    });

    it('rejects an unknown mapping property and lists the allowed ones', () => {
        expect(
            errorOf({ ...valid(), mappings: [{ value: 'Working - Contacted', stageId: 'stg_working', lable: 'x' }] })
        ).toBe('scenario[1].mappings[0].lable: unknown property (allowed: value, stageId, label, labelLanguage)');
    });

    it('reads the same scenario format as plan: validatePlanInput accepts the recorded labels too', () => {
        expect(validatePlanInput(valid())).toEqual(validateDriftInput(valid()));
    });
});
