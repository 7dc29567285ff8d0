/**
 * Edges of the planner (its index and rules), the housekeeping report and the validation that the mutation run
 * (`npm run test:mutation`) left untested: each test names the behaviour it pins down. The mutants of these modules
 * that cannot change behaviour are listed in stryker.equivalent.md instead.
 */
import { applyPlanToState, housekeepingReport, planAutoMap, validatePlanInput, validateText } from 'c/autoMapEngine';
import type { Plan, PicklistValueInput, PlanInput, PlannedOutcome, StageInput } from 'c/autoMapEngine';

function leadStatus(values: PicklistValueInput[], stages: StageInput[] = [], mappings: PlanInput['mappings'] = []) {
    const input: PlanInput = { object: 'Lead', field: 'Status', values, stages, mappings };
    return input;
}

function outcomeOf(plan: Plan, value: string): PlannedOutcome {
    const outcome = plan.outcomes.find((each) => each.value === value);
    if (outcome === undefined) {
        throw new Error(`no outcome for ${value}`);
    }
    return outcome;
}

/** The tail every skip-stage-taken reason ends with. */
const TAKEN_TAIL = 'a stage maps to one value per field, and no duplicate stage is created.';

describe('the stage pass: odd arrays and repeated ids', () => {
    test('a hole in the stages array (a length set ahead of the items) is passed over, not read', () => {
        // StageInput[] admits holes (`new Array(n)`, `length = n`): the pass skips them as the suggestions do.
        const stages: StageInput[] = [{ id: 'stg_1', name: 'Working' }];
        stages.length = 3;
        stages[2] = { id: 'stg_2', name: 'Nurturng' };
        const plan = planAutoMap(leadStatus([{ value: 'Working' }, { value: 'Nurturing' }], stages));
        expect(plan.outcomes.map(({ value, outcome, stageId }) => `${value} ${outcome} ${stageId}`)).toEqual([
            'Working map-existing stg_1',
            'Nurturing create-and-map undefined'
        ]);
        expect(plan.suggestions.map(({ value, stageId }) => `${value} ${stageId}`)).toEqual(['Nurturing stg_2']);
    });

    test('with a stage id listed twice, an already-mapped value is reported with the first stage of that id', () => {
        // Against the invariant (validation refuses it), the first stage of an id wins, as the first mapping does.
        const stages = [
            { id: 'stg_1', name: 'First' },
            { id: 'stg_1', name: 'Second' }
        ];
        const plan = planAutoMap(leadStatus([{ value: 'Open' }], stages, [{ value: 'Open', stageId: 'stg_1' }]));
        expect(plan.outcomes[0]).toEqual(
            expect.objectContaining({ outcome: 'already-mapped', stageId: 'stg_1', stageName: 'First' })
        );
    });

    test.each([['ASAP'], ['Awaiting Data'], ['Needs QA']])(
        'a stage named "%s", a capital A at either end, matches the value written in lower case',
        (name) => {
            // The stage pass tells likely keys by a signature that folds ASCII capitals, A to Z both included.
            const value = name.toLowerCase();
            const plan = planAutoMap(leadStatus([{ value }], [{ id: 'stg_1', name }]));
            expect(plan.outcomes[0]).toEqual(
                expect.objectContaining({ outcome: 'map-existing', stageId: 'stg_1', stageName: name })
            );
        }
    );

    test('a plan of a hundred values with suggestions sizes its look-up tables to them and finishes', () => {
        // More than 64 keys looked up: the tables grow past their first size (a loop that must end).
        const values = Array.from({ length: 100 }, (_, index) => ({ value: `Status ${index}` }));
        const stages = Array.from({ length: 100 }, (_, index) => ({
            id: `stg_${index}`,
            name: index % 2 === 0 ? `status ${index}` : `Statsu ${index}`
        }));
        const plan = planAutoMap(leadStatus(values, stages));
        expect(plan.summary.counts['map-existing']).toBe(50);
        expect(plan.summary.counts['create-and-map']).toBe(50);
        expect(outcomeOf(plan, 'Status 42')).toEqual(expect.objectContaining({ stageId: 'stg_42' }));
        expect(plan.suggestions.length).toBe(50);
    });
});

describe('the rules: repeated mappings', () => {
    test('with two mappings for one value, the first one is the mapping reported', () => {
        const stages = [
            { id: 'stg_1', name: 'Working' },
            { id: 'stg_2', name: 'Contacted' }
        ];
        const mappings = [
            { value: 'Working', stageId: 'stg_1' },
            { value: 'Working', stageId: 'stg_2' }
        ];
        const plan = planAutoMap(leadStatus([{ value: 'Working' }], stages, mappings));
        expect(plan.outcomes[0]).toEqual(
            expect.objectContaining({ outcome: 'already-mapped', stageId: 'stg_1', stageName: 'Working' })
        );
    });

    test('with two mappings of one stage, the first value is the one that holds it', () => {
        const mappings = [
            { value: 'Working', stageId: 'stg_1' },
            { value: 'Contacted', stageId: 'stg_1' }
        ];
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Working' }, { value: 'Contacted' }, { value: 'Open' }],
                [{ id: 'stg_1', name: 'Open' }],
                mappings
            )
        );
        expect(outcomeOf(plan, 'Open')).toEqual(
            expect.objectContaining({ outcome: 'skip-stage-taken', stageId: 'stg_1', heldBy: 'Working' })
        );
    });
});

describe('the rules: reasons', () => {
    test('an ambiguous value lists every duplicate stage by name and id, sorted by id', () => {
        const stages = [
            { id: 'stg_b', name: 'Open' },
            { id: 'stg_a', name: 'open' }
        ];
        const plan = planAutoMap(leadStatus([{ value: 'Open' }], stages));
        expect(plan.outcomes[0]?.reason).toBe(
            '2 stages match the value "Open": "open" (stg_a), "Open" (stg_b); nothing is mapped or created until the duplicates are merged.'
        );
    });

    test('a stage an earlier value takes in this run is "planned for the value", with its id', () => {
        // Pass 1 gives the stage to "Open" by its API name; pass 2 finds it by the label of "Opened".
        const plan = planAutoMap(
            leadStatus([{ value: 'Open' }, { value: 'Opened', label: 'Open' }], [{ id: 'stg_1', name: 'Open' }])
        );
        expect(outcomeOf(plan, 'Opened')).toEqual({
            value: 'Opened',
            label: 'Open',
            outcome: 'skip-stage-taken',
            stageId: 'stg_1',
            stageName: 'Open',
            heldBy: 'Open',
            reason: `Stage "Open" matches the label "Open" but is planned for the value "Open" earlier in this run; ${TAKEN_TAIL}`
        });
    });

    test('a stage planned for creation earlier is matched by the label, and the skip has no stage id', () => {
        const plan = planAutoMap(
            leadStatus([
                { value: 'A', label: 'Hot' },
                { value: 'B', label: 'HOT' }
            ])
        );
        const taken = outcomeOf(plan, 'B');
        expect(taken).toEqual({
            value: 'B',
            label: 'HOT',
            outcome: 'skip-stage-taken',
            stageName: 'Hot',
            heldBy: 'A',
            reason: `Stage "Hot" matches the label "HOT" but is planned for creation for the value "A" earlier in this run; ${TAKEN_TAIL}`
        });
        // Not even an undefined stageId: the stage has no id yet, and `'stageId' in outcome` must say so.
        expect('stageId' in taken).toBe(false);
    });

    test('with stages named by API name, a stage planned earlier is matched by the value', () => {
        const plan = planAutoMap(
            leadStatus([
                { value: 'Hot', label: 'Warm' },
                { value: 'HOT', label: 'Cold' }
            ]),
            { newStageNames: 'apiName' }
        );
        expect(outcomeOf(plan, 'HOT').reason).toBe(
            `Stage "Hot" matches the value "HOT" but is planned for creation for the value "Hot" earlier in this run; ${TAKEN_TAIL}`
        );
    });

    test('a created stage for a value without a label names the value once', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Nurturing' }, { value: 'Cold', label: 'Cold Lead' }]));
        expect(plan.outcomes.map((outcome) => outcome.reason)).toEqual([
            'No stage matches "Nurturing"; a stage "Nurturing" will be created and mapped to it.',
            'No stage matches the value "Cold" or its label "Cold Lead"; a stage "Cold Lead" will be created and mapped to it.'
        ]);
    });
});

describe('applyPlanToState: outcomes without what they act on', () => {
    test('a hand-built map-existing without a stage id and a create-and-map without a name change nothing', () => {
        // Plan admits both (stageId and stageName are optional): a mapping to no stage must never be written.
        const input = leadStatus([{ value: 'Working' }, { value: 'Open' }], [{ id: 'stg_1', name: 'Old' }]);
        const plan: Plan = {
            object: 'Lead',
            field: 'Status',
            family: 'contact',
            outcomes: [
                { value: 'Working', label: 'Working', outcome: 'map-existing', reason: 'hand-built' },
                { value: 'Open', label: 'Open', outcome: 'create-and-map', reason: 'hand-built' }
            ],
            suggestions: [],
            summary: { total: 0, counts: { ...planAutoMap(leadStatus([])).summary.counts } }
        };
        const newIds: string[] = [];
        const state = applyPlanToState(input, plan, (name, index) => {
            newIds.push(`${name} ${index}`);
            return `stg_new_${index}`;
        });
        expect(state).toEqual({ stages: [{ id: 'stg_1', name: 'Old' }], mappings: [] });
        expect(newIds).toEqual([]);
    });
});

describe('housekeeping: repeated stage ids', () => {
    test('a stale mapping of a stage id listed twice names the first stage of that id', () => {
        const report = housekeepingReport(
            leadStatus(
                [],
                [
                    { id: 'stg_1', name: 'First' },
                    { id: 'stg_1', name: 'Second' }
                ],
                [{ value: 'Gone', stageId: 'stg_1' }]
            )
        );
        expect(report.staleMappings).toEqual([
            { value: 'Gone', stageId: 'stg_1', stageName: 'First', reason: 'value-missing' }
        ]);
    });
});

describe('validation: messages', () => {
    const scope = { object: 'Lead', field: 'Status', values: [], stages: [], mappings: [] };

    test.each([
        [
            { ...scope, values: ['Open'] },
            'values[0]: must be an object with value, label and active, got the string "Open"'
        ],
        [{ ...scope, stages: [42] }, 'stages[0]: must be an object with id and name, got number 42'],
        [
            { ...scope, mappings: [null] },
            'mappings[0]: must be an object with value, stageId, label and labelLanguage, got null'
        ]
    ])('an item that is not an object is told what it must be (%j)', (input, error) => {
        expect(validatePlanInput(input)).toEqual(expect.objectContaining({ ok: false, error }));
    });

    test.each([
        [true, 'boolean true'],
        [false, 'boolean false'],
        [7, 'number 7'],
        [undefined, 'undefined'],
        [() => 'Open', 'function'],
        [{}, 'an object']
    ])('a text that is not a string is described by its type and, when short, its value (%p)', (value, got) => {
        expect(validateText(value, 'body.name')).toEqual({
            ok: false,
            error: `body.name: must be a string, got ${got}`,
            path: 'body.name'
        });
    });

    test.each([
        ['lone low surrogates', '\udc00'.repeat(61)],
        ['letters each before a lone low surrogate', 'a\udc00'.repeat(31)],
        ['lone high surrogates each before a letter', '\ud800a'.repeat(31)],
        ['lone high surrogates each before a private-use character', '\ud800\ue000'.repeat(31)]
    ])('a bad item of %s counts each lone surrogate as one character when it is cut', (_, text) => {
        // Only a high surrogate followed by a low one is a pair: each of these 61 or 62 code units is one character
        // (none is a pair), so the quote is cut after 57 code units.
        const cut = JSON.stringify(`${text.slice(0, 57)}...`);
        expect(validatePlanInput({ ...scope, values: [text] })).toEqual({
            ok: false,
            error: `values[0]: must be an object with value, label and active, got the string ${cut}`,
            path: 'values[0]'
        });
    });
});

describe('validation: failures that are not problems of the input', () => {
    test('an error thrown while reading the input (a failing getter) is thrown, not reported as invalid input', () => {
        const input = {
            get object(): string {
                throw new Error('the getter failed');
            },
            field: 'Status',
            values: [],
            stages: [],
            mappings: []
        };
        expect(() => validatePlanInput(input)).toThrow('the getter failed');
    });

    test('an error thrown while checking a text (a revoked proxy) is thrown, not reported as invalid input', () => {
        const { proxy, revoke } = Proxy.revocable({}, {});
        revoke();
        expect(() => validateText(proxy, 'body.name')).toThrow(TypeError);
    });
});
