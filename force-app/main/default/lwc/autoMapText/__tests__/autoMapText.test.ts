import { planAutoMap } from 'c/autoMapEngine';
import type { PlannedOutcome } from 'c/autoMapEngine';
import {
    NO_CATEGORY,
    SKIP_KINDS,
    WIZARD_OUTCOME_KINDS,
    categoryCountsText,
    categoryFromOption,
    categoryLabel,
    categoryOption,
    categoryOptions,
    formatCount,
    formatLabel,
    isSkip,
    labelLookup,
    outcomeLabel,
    outcomeReason,
    planToCsv,
    reasonContext,
    resultOutcomeLabel,
    staleReasonLabel,
    valueName
} from 'c/autoMapText';
import type * as AutoMapTextModule from 'c/autoMapText';

type AutoMapText = typeof AutoMapTextModule;

// In Jest a Custom Label import evaluates to its path ('c.AutoMap_X'), which shows which label is used. The reason
// labels are mocked with their English templates (CustomLabels.labels-meta.xml) to check the arguments filled in.
jest.mock('@salesforce/label/c.AutoMap_Reason_AlreadyMapped', () => ({ default: 'Already mapped to "{0}".' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Reason_MapExisting', () => ({ default: 'Maps to the stage "{0}".' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_Reason_CreateAndMap', () => ({ default: 'Creates the stage "{0}".' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_Reason_MapExistingShared',
    () => ({ default: 'Maps to the stage "{0}", also mapped in {1}.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_Reason_OtherFieldValue', () => ({ default: '{0} in {1}' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.AutoMap_Reason_SkipStageTaken',
    () => ({ default: 'The stage "{0}" is already mapped to {1}.' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_Reason_SkipStagePlanned',
    () => ({ default: 'The stage "{0}" is planned for {1} in this run.' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_Value_Name', () => ({ default: '"{0}"' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Value_NameWithLabel', () => ({ default: '"{0}" (label "{1}")' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_Reason_SkipAmbiguous',
    () => ({ default: '{0} stages share this name ({1}).' }),
    {
        virtual: true
    }
);
// The separator as the package ships it: a comma without the space, which the platform may trim from a label.
jest.mock('@salesforce/label/c.AutoMap_List_Separator', () => ({ default: ',' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_List_NamedCount', () => ({ default: '{0}: {1}' }), { virtual: true });

describe('c/autoMapText', () => {
    it('fills numbered placeholders and leaves a placeholder without an argument visible', () => {
        expect(formatLabel('{0} of {1} values mapped.', 3, 10)).toBe('3 of 10 values mapped.');
        expect(formatLabel('"{0}" → {1}', 'Cold')).toBe('"Cold" → {1}');
        expect(formatLabel('{1} before {0}', 'a', 'b')).toBe('b before a');
    });

    it('names every outcome kind with its own label and knows which kinds are skips', () => {
        expect(outcomeLabel('already-mapped')).toBe('c.AutoMap_Outcome_AlreadyMapped');
        expect(outcomeLabel('map-existing')).toBe('c.AutoMap_Outcome_MapExisting');
        expect(outcomeLabel('create-and-map')).toBe('c.AutoMap_Outcome_CreateAndMap');
        expect(outcomeLabel('skip-stage-taken')).toBe('c.AutoMap_Outcome_SkipStageTaken');
        expect(outcomeLabel('skip-ambiguous')).toBe('c.AutoMap_Outcome_SkipAmbiguous');
        expect(outcomeLabel('skip-inactive')).toBe('c.AutoMap_Outcome_SkipInactive');
        expect(SKIP_KINDS).toEqual(['skip-stage-taken', 'skip-ambiguous', 'skip-inactive']);
        expect(isSkip('create-and-map')).toBe(false);
        expect(isSkip('skip-ambiguous')).toBe(true);
    });

    it('builds each reason from a label, the stage and the value that holds it, never from the engine English', () => {
        // Step 1: the real engine plans one value of every kind (German labels, as a German admin sees them).
        const plan = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: [
                { value: 'Cold', label: 'Kalt' },
                { value: 'Interested', label: 'Interessiert' },
                { value: 'New', label: 'Neu' },
                { value: 'Unresponsive', label: 'Keine Antwort' },
                { value: 'Bad Data', label: 'Fehlerhafte Daten' },
                { value: 'Recycled', label: 'Wiederverwertet', active: false }
            ],
            stages: [
                { id: 'stg-cold', name: 'Cold' },
                { id: 'stg-interested', name: 'Interested' },
                { id: 'stg-unresponsive', name: 'Unresponsive' },
                { id: 'stg-bad-1', name: 'Bad Data' },
                { id: 'stg-bad-2', name: 'bad data' }
            ],
            mappings: [
                { value: 'Cold', stageId: 'stg-cold' },
                { value: 'Nurture', stageId: 'stg-unresponsive' }
            ]
        });
        const byValue = new Map(plan.outcomes.map((outcome) => [outcome.value, outcome] as const));
        const reason = (value: string): string => {
            const outcome = byValue.get(value);
            if (!outcome) {
                throw new Error(`no outcome for ${value}`);
            }
            return outcomeReason(outcome, reasonContext(plan.outcomes));
        };

        // Step 2: each reason names the stage (a new one is named by the label) and the value that holds it.
        expect(reason('Cold')).toBe('Already mapped to "Cold".');
        expect(reason('Interested')).toBe('Maps to the stage "Interested".');
        expect(reason('New')).toBe('Creates the stage "Neu".');
        // "Nurture" holds the stage by an existing mapping and is not among the values: named by its API name.
        expect(reason('Unresponsive')).toBe('The stage "Unresponsive" is already mapped to "Nurture".');
        expect(reason('Bad Data')).toBe('2 stages share this name (Bad Data, bad data).');
        expect(reason('Recycled')).toBe('c.AutoMap_Reason_SkipInactive');
    });

    it('says a stage planned in this run is planned for the other value, and names values by API name', () => {
        // Step 1: value "Qualified" (label "Closed") and value "Closed": the API-name match takes the stage "Closed"
        // in pass 1, so the label match of "Qualified" finds it planned for "Closed" earlier in this run. "Open" is
        // held by an existing mapping of "Neu" (label "New").
        const plan = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: [
                { value: 'Qualified', label: 'Closed' },
                { value: 'Closed', label: 'Geschlossen' },
                { value: 'Neu', label: 'New' },
                { value: 'Offen', label: 'Open' }
            ],
            stages: [
                { id: 'stg-closed', name: 'Closed' },
                { id: 'stg-open', name: 'Open' }
            ],
            mappings: [{ value: 'Neu', stageId: 'stg-open' }]
        });
        const context = reasonContext(plan.outcomes);
        const [qualified, , , offen] = plan.outcomes;
        if (!qualified || !offen) {
            throw new Error('the plan lists every value');
        }

        // Step 2: never "taken by" for a stage this run plans; the value is its API name, its label beside it.
        expect(qualified.outcome).toBe('skip-stage-taken');
        expect(outcomeReason(qualified, context)).toBe(
            'The stage "Closed" is planned for "Closed" (label "Geschlossen") in this run.'
        );
        // Step 3: a stage an existing mapping holds is "already mapped to" that value.
        expect(offen.outcome).toBe('skip-stage-taken');
        expect(outcomeReason(offen, context)).toBe('The stage "Open" is already mapped to "Neu" (label "New").');
    });

    it('names a value by its API name, with the label beside it only when it differs', () => {
        expect(valueName('Interested', 'Interested')).toBe('"Interested"');
        expect(valueName('Interested', '')).toBe('"Interested"');
        expect(valueName('LS_KEEN', 'Interested')).toBe('"LS_KEEN" (label "Interested")');
    });

    it('says which other fields map a stage a value is planned to, instead of "not mapped yet"', () => {
        const plan = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: [{ value: 'Interested', label: 'Interested' }],
            stages: [{ id: 'stg-interested', name: 'Interested' }],
            mappings: []
        });
        const [interested] = plan.outcomes;
        if (!interested) {
            throw new Error('the plan lists every value');
        }
        const others = [
            { object: 'Contact', field: 'Contact_Status__c', value: 'Keen', stageId: 'stg-interested' },
            { object: 'Contact', field: 'LeadSource', value: 'Web', stageId: 'stg-other' }
        ];

        expect(outcomeReason(interested, reasonContext(plan.outcomes, others))).toBe(
            'Maps to the stage "Interested", also mapped in "Keen" in Contact.Contact_Status__c.'
        );
        expect(outcomeReason(interested, reasonContext(plan.outcomes))).toBe('Maps to the stage "Interested".');
    });

    it('formats every number of a label with grouping, in the user locale (en-US in Jest: 1,000)', () => {
        expect(formatLabel('{0} of {1} values mapped.', 1000, 1234567)).toBe('1,000 of 1,234,567 values mapped.');
        expect(formatLabel('{0} stages', 7)).toBe('7 stages');
        // Text arguments are left as they are, digits and all.
        expect(formatLabel('Value {0}', '1000')).toBe('Value 1000');
        expect(formatCount(12500)).toBe('12,500');
    });

    it('groups numbers the way a German locale does when the user has one', () => {
        jest.isolateModules(() => {
            jest.doMock('@salesforce/i18n/locale', () => ({ default: 'de-DE' }), { virtual: true });
            // A fresh copy of the module, loaded in isolation with the German locale.
            const german = jest.requireActual<AutoMapText>('c/autoMapText');
            expect(german.formatLabel('{0} of {1}', 1000, 1234567)).toBe('1.000 of 1.234.567');
        });
    });

    it('falls back to en-US grouping when the platform hands over a locale Intl does not know', () => {
        jest.isolateModules(() => {
            jest.doMock('@salesforce/i18n/locale', () => ({ default: 'not a locale!' }), { virtual: true });
            const fallback = jest.requireActual<AutoMapText>('c/autoMapText');
            expect(fallback.formatCount(1000)).toBe('1,000');
        });
    });

    it('names the outcomes of a finished run in the past tense', () => {
        expect(resultOutcomeLabel('already-mapped')).toBe('c.AutoMap_ResultTile_AlreadyMapped');
        expect(resultOutcomeLabel('map-existing')).toBe('c.AutoMap_ResultTile_MapExisting');
        expect(resultOutcomeLabel('create-and-map')).toBe('c.AutoMap_ResultTile_CreateAndMap');
        expect(resultOutcomeLabel('skip-stage-taken')).toBe('c.AutoMap_ResultTile_SkipStageTaken');
        expect(resultOutcomeLabel('skip-ambiguous')).toBe('c.AutoMap_ResultTile_SkipAmbiguous');
    });

    it('leaves "skipped: inactive" out of what the wizard shows: the UI API lists active values only', () => {
        expect(WIZARD_OUTCOME_KINDS).toEqual([
            'already-mapped',
            'map-existing',
            'create-and-map',
            'skip-stage-taken',
            'skip-ambiguous'
        ]);
    });

    it('says when an existing mapping points at a stage that is gone', () => {
        const gone: PlannedOutcome = {
            value: 'Old',
            label: 'Old',
            outcome: 'already-mapped',
            stageId: 'stg-gone',
            reason: 'English, for logs'
        };

        expect(outcomeReason(gone)).toBe('c.AutoMap_Reason_AlreadyMappedStageMissing');
    });

    it('looks labels up by value and falls back to the API name', () => {
        const labelOf = labelLookup([{ value: 'Nurture', label: 'Pflegen', outcome: 'already-mapped', reason: '' }]);

        expect(labelOf('Nurture')).toBe('Pflegen');
        expect(labelOf('Unknown')).toBe('Unknown');
    });

    it('names each kind of stale mapping', () => {
        expect(staleReasonLabel('value-missing')).toBe('c.AutoMap_Stale_ValueMissing');
        expect(staleReasonLabel('value-inactive')).toBe('c.AutoMap_Stale_ValueInactive');
        expect(staleReasonLabel('stage-missing')).toBe('c.AutoMap_Stale_StageMissing');
    });

    it('exports the plan as CSV that spreadsheets read safely: BOM, quoting, CRLF and no formulas', () => {
        // Step 1: values with commas, quotes, umlauts and a formula-looking label.
        const plan = planAutoMap({
            object: 'Lead',
            field: 'Status',
            values: [
                { value: 'Open, New', label: 'Offen "neu"' },
                { value: 'Formula', label: '=HYPERLINK("http://evil")' },
                { value: 'Kalt', label: 'Kält' }
            ],
            stages: [],
            mappings: []
        });

        // Step 2: a header row from labels, then one row per value, CRLF line ends, a byte order mark first.
        const csv = planToCsv(plan.outcomes);
        expect(csv.startsWith('\uFEFF')).toBe(true);
        const lines = csv.slice(1).split('\r\n');
        expect(lines).toHaveLength(5);
        expect(lines[0]).toBe(
            'c.AutoMap_Column_Value,c.AutoMap_Column_Label,c.AutoMap_Column_Outcome,c.AutoMap_Column_Stage,c.AutoMap_Column_Reason'
        );
        expect(lines[1]).toBe(
            [
                '"Open, New"',
                '"Offen ""neu"""',
                'c.AutoMap_Outcome_CreateAndMap',
                '"Offen ""neu"""',
                '"Creates the stage ""Offen ""neu""""."'
            ].join(',')
        );
        // Step 3: a cell that starts with "=" is neutralised with an apostrophe.
        expect(lines[2]).toContain(`"'=HYPERLINK(""http://evil"")"`);
        expect(lines[3]).toBe('Kalt,Kält,c.AutoMap_Outcome_CreateAndMap,Kält,"Creates the stage ""Kält""."');
        expect(lines[4]).toBe('');
    });

    describe('stage categories', () => {
        it('names each category with its own label, None for no category', () => {
            expect(categoryLabel('in_progress')).toBe('c.AutoMap_Category_InProgress');
            expect(categoryLabel('succeeded')).toBe('c.AutoMap_Category_Succeeded');
            expect(categoryLabel('failed')).toBe('c.AutoMap_Category_Failed');
            expect(categoryLabel(null)).toBe('c.AutoMap_Category_None');
            // Apex may leave a null member out of what it returns.
            expect(categoryLabel(undefined)).toBe('c.AutoMap_Category_None');
        });

        it('offers the four choices in order, None last, and reads a choice back', () => {
            expect(categoryOptions()).toEqual([
                { label: 'c.AutoMap_Category_InProgress', value: 'in_progress' },
                { label: 'c.AutoMap_Category_Succeeded', value: 'succeeded' },
                { label: 'c.AutoMap_Category_Failed', value: 'failed' },
                { label: 'c.AutoMap_Category_None', value: NO_CATEGORY }
            ]);
            expect(categoryFromOption('in_progress')).toBe('in_progress');
            expect(categoryFromOption('succeeded')).toBe('succeeded');
            expect(categoryFromOption('failed')).toBe('failed');
            expect(categoryFromOption(NO_CATEGORY)).toBeNull();
            // Anything else is no category, never passed on as one.
            expect(categoryFromOption('won')).toBeNull();
            expect(categoryFromOption(undefined)).toBeNull();
            expect(categoryOption(null)).toBe(NO_CATEGORY);
            expect(categoryOption('failed')).toBe('failed');
        });

        it('lists the categories a run created stages in, with counts, zeros left out', () => {
            expect(categoryCountsText({ in_progress: 2, succeeded: 0, failed: 1, none: 1200 })).toBe(
                'c.AutoMap_Category_InProgress: 2, c.AutoMap_Category_Failed: 1, c.AutoMap_Category_None: 1,200'
            );
            expect(categoryCountsText({ in_progress: 0, succeeded: 1, failed: 0, none: 0 })).toBe(
                'c.AutoMap_Category_Succeeded: 1'
            );
            expect(categoryCountsText({ in_progress: 0, succeeded: 0, failed: 0, none: 0 })).toBe('');
        });
    });
});
