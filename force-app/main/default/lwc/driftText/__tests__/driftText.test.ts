import { driftReport } from 'c/autoMapEngine';
import type { DriftFinding, DriftInput, DriftKind } from 'c/autoMapEngine';
import {
    blockingStageName,
    driftKindLabel,
    driftReason,
    findingStageText,
    fixAction,
    fixRequestsOf,
    isFixable
} from 'c/driftText';

// In Jest a Custom Label import evaluates to its path ('c.AutoMap_X'), which shows which label is used. The labels that
// take arguments are mocked with short templates naming each argument, to check what fills them.
jest.mock('@salesforce/label/c.AutoMap_Value_Name', () => ({ default: '"{0}"' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_Value_NameWithLabel', () => ({ default: '"{0}" (label "{1}")' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_List_Separator', () => ({ default: ',' }), { virtual: true });
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_ProbableRename',
    () => ({ default: 'rename: {0} became {1}, recorded "{2}"' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_DriftReason_ValueRemoved', () => ({ default: 'removed: {0}, recorded "{1}"' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_ValueRemovedCandidates',
    () => ({ default: 'removed: {0}, {1} like "{2}": {3}' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_ValueRemovedShared',
    () => ({ default: 'removed: {0}, shared {1} like "{2}"' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_DriftReason_ValueDeactivated', () => ({ default: 'inactive: {0}' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_LabelChangedRename',
    () => ({ default: 'relabel: {0} "{1}"→"{2}", stage "{3}" renamed' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_LabelChangedBlocked',
    () => ({ default: 'relabel: {0} "{1}"→"{2}", stage "{3}" cannot become "{4}"' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_LabelChangedBlockedBy',
    () => ({ default: 'relabel: {0} "{1}"→"{2}", stage "{3}" cannot become "{4}": "{5}" has or gets it' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_LabelChangedOwnName',
    () => ({ default: 'relabel: {0} "{1}"→"{2}", stage "{3}" keeps its name' }),
    { virtual: true }
);
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_LabelChangedStageMissing',
    () => ({ default: 'relabel: {0} "{1}"→"{2}", stage gone' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_DriftReason_NewMapExisting', () => ({ default: 'new: {0} maps to "{1}"' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_DriftReason_NewCreate', () => ({ default: 'new: {0} creates "{1}"' }), {
    virtual: true
});
jest.mock(
    '@salesforce/label/c.AutoMap_DriftReason_NewStageTaken',
    () => ({ default: 'new: {0} skipped, "{1}" taken' }),
    { virtual: true }
);
jest.mock('@salesforce/label/c.AutoMap_DriftReason_NewAmbiguous', () => ({ default: 'new: {0} skipped, ambiguous' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_DriftFix_MoveMapping', () => ({ default: 'move {0} to {1}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_DriftFix_RemoveMapping', () => ({ default: 'remove {0}' }), { virtual: true });
jest.mock('@salesforce/label/c.AutoMap_DriftFix_RenameStage', () => ({ default: 'rename "{0}" to "{1}" for {2}' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_DriftFix_MapExisting', () => ({ default: 'map {0} to "{1}"' }), {
    virtual: true
});
jest.mock('@salesforce/label/c.AutoMap_DriftFix_CreateAndMap', () => ({ default: 'create "{1}" for {0}' }), {
    virtual: true
});

/** Today's labels of the values, as the page has them from the UI API. */
const LABELS: Readonly<Record<string, string>> = {
    Working_Contacted: 'Working - Contacted',
    Nurturing: 'Nurture',
    Qualified: 'Qualified',
    Hot: 'Hot',
    'Hot Lead': 'Hot'
};
const labelOf = (value: string): string | undefined => LABELS[value];

/** The engine's report on a Lead Status scope (the engine decides; these tests check only the words). */
function findingsOf(input: Omit<DriftInput, 'object' | 'field'>): DriftFinding[] {
    return driftReport({ object: 'Lead', field: 'Status', ...input }).findings;
}

function findingOf(findings: readonly DriftFinding[], value: string): DriftFinding {
    const finding = findings.find((candidate) => candidate.value === value);
    if (!finding) {
        throw new Error(`no finding for ${value}`);
    }
    return finding;
}

describe('c/driftText', () => {
    it('names every drift kind with its own label, and "value-removed" as removed or deactivated', () => {
        const kinds: DriftKind[] = [
            'probable-rename',
            'value-removed',
            'value-deactivated',
            'label-changed',
            'new-value'
        ];
        expect(kinds.map(driftKindLabel)).toEqual([
            'c.AutoMap_DriftKind_ProbableRename',
            'c.AutoMap_DriftKind_ValueRemoved',
            'c.AutoMap_DriftKind_ValueDeactivated',
            'c.AutoMap_DriftKind_LabelChanged',
            'c.AutoMap_DriftKind_NewValue'
        ]);
    });

    it('words a probable rename and its fix from the finding: the gone value, the value it became, the recorded label', () => {
        const [finding] = findingsOf({
            values: [{ value: 'Working_Contacted', label: 'Working - Contacted' }],
            stages: [{ id: 'stg-working', name: 'Working - Contacted' }],
            mappings: [{ value: 'Working - Contacted', stageId: 'stg-working', label: 'Working - Contacted' }]
        });
        if (!finding) {
            throw new Error('expected a finding');
        }

        expect(finding.kind).toBe('probable-rename');
        expect(driftReason(finding, labelOf)).toBe(
            'rename: "Working - Contacted" became "Working_Contacted" (label "Working - Contacted"), recorded "Working - Contacted"'
        );
        expect(fixAction(finding, labelOf)).toBe(
            'move "Working - Contacted" to "Working_Contacted" (label "Working - Contacted")'
        );
        // The engine's English never reaches the page.
        expect(driftReason(finding, labelOf)).not.toContain(finding.reason);
    });

    it('words a removed value with a fix (no look-alike), and names the stage it stays on', () => {
        const [finding] = findingsOf({
            values: [],
            stages: [{ id: 'stg-interested', name: 'Interested' }],
            mappings: [{ value: 'Interested', stageId: 'stg-interested', label: 'Interested' }]
        });
        if (!finding) {
            throw new Error('expected a finding');
        }

        expect(finding.kind).toBe('value-removed');
        expect(driftReason(finding, labelOf)).toBe('removed: "Interested", recorded "Interested"');
        expect(fixAction(finding, labelOf)).toBe('remove "Interested"');
        expect(findingStageText(finding)).toBe('Interested');
    });

    it('lists the look-alike values of a removed value that has several, and offers no fix', () => {
        const [finding] = findingsOf({
            values: [
                { value: 'Hot', label: 'Hot' },
                { value: 'Hot Lead', label: 'Hot' }
            ],
            stages: [{ id: 'stg-hot', name: 'Hot' }],
            mappings: [{ value: 'Hot_Old', stageId: 'stg-hot', label: 'Hot' }]
        });
        if (!finding) {
            throw new Error('expected a finding');
        }

        expect(finding.candidates).toEqual(['Hot', 'Hot Lead']);
        expect(driftReason(finding, labelOf)).toBe('removed: "Hot_Old", 2 like "Hot": "Hot", "Hot Lead" (label "Hot")');
        expect(fixAction(finding, labelOf)).toBe('');
        expect(isFixable(finding)).toBe(false);
    });

    it('says a single look-alike is shared when two gone values were labelled alike', () => {
        const findings = findingsOf({
            values: [{ value: 'Hot', label: 'Hot' }],
            stages: [
                { id: 'stg-a', name: 'Hot A' },
                { id: 'stg-b', name: 'Hot B' }
            ],
            mappings: [
                { value: 'Hot_A', stageId: 'stg-a', label: 'Hot' },
                { value: 'Hot_B', stageId: 'stg-b', label: 'Hot' }
            ]
        });

        expect(driftReason(findingOf(findings, 'Hot_A'), labelOf)).toBe('removed: "Hot_A", shared "Hot" like "Hot"');
    });

    it('says an inactive mapped value stays mapped (only when inactive values are passed)', () => {
        const [finding] = findingsOf({
            values: [{ value: 'Meeting Booked', label: 'Meeting Booked', active: false }],
            stages: [{ id: 'stg-meeting', name: 'Meeting Booked' }],
            mappings: [{ value: 'Meeting Booked', stageId: 'stg-meeting', label: 'Meeting Booked' }]
        });
        if (!finding) {
            throw new Error('expected a finding');
        }

        expect(finding.kind).toBe('value-deactivated');
        expect(driftReason(finding, labelOf)).toBe('inactive: "Meeting Booked"');
        expect(fixAction(finding, labelOf)).toBe('');
    });

    it('words each relabel: a stage named after the old label, one that cannot take the name, one of its own, one gone', () => {
        const findings = findingsOf({
            values: [
                { value: 'Nurturing', label: 'Nurture' },
                { value: 'Cold', label: 'Frozen' },
                { value: 'Warm', label: 'Tepid' },
                { value: 'Gone', label: 'Vanished' }
            ],
            stages: [
                { id: 'stg-nurturing', name: 'Nurturing' },
                { id: 'stg-cold', name: 'Cold' },
                { id: 'stg-frozen', name: 'Frozen' },
                { id: 'stg-warm', name: 'Warm Leads' }
            ],
            mappings: [
                { value: 'Nurturing', stageId: 'stg-nurturing', label: 'Nurturing' },
                { value: 'Cold', stageId: 'stg-cold', label: 'Cold' },
                { value: 'Warm', stageId: 'stg-warm', label: 'Warm' },
                { value: 'Gone', stageId: 'stg-deleted', label: 'Gone' }
            ]
        });

        const renamed = findingOf(findings, 'Nurturing');
        expect(driftReason(renamed, labelOf)).toBe(
            'relabel: "Nurturing" "Nurturing"→"Nurture", stage "Nurturing" renamed'
        );
        expect(fixAction(renamed, labelOf)).toBe('rename "Nurturing" to "Nurture" for "Nurturing"');
        // Another stage already has the new name: no fix, and the name it cannot take is said.
        const blocked = findingOf(findings, 'Cold');
        expect(blocked.fix).toBe(false);
        expect(driftReason(blocked, labelOf)).toBe(
            'relabel: "Cold" "Cold"→"Frozen", stage "Cold" cannot become "Frozen"'
        );
        expect(driftReason(findingOf(findings, 'Warm'), labelOf)).toBe(
            'relabel: "Warm" "Warm"→"Tepid", stage "Warm Leads" keeps its name'
        );
        const gone = findingOf(findings, 'Gone');
        expect(driftReason(gone, labelOf)).toBe('relabel: "Gone" "Gone"→"Vanished", stage gone');
        expect(findingStageText(gone)).toBe('c.AutoMap_Mappings_StageMissing');
    });

    it('names the stage that stops a rename: the one with the name today, else the one another fix would rename to it', () => {
        const input: Omit<DriftInput, 'object' | 'field'> = {
            values: [
                { value: 'Cold', label: 'Frozen' },
                { value: 'Hot', label: 'Blazing' },
                { value: 'Warm', label: 'Blazing' },
                { value: 'Mild', label: 'Balmy' }
            ],
            stages: [
                { id: 'stg-cold', name: 'Cold' },
                { id: 'stg-frozen', name: 'frozen ' },
                { id: 'stg-hot', name: 'Hot' },
                { id: 'stg-warm', name: 'Warm' },
                { id: 'stg-mild', name: 'Mild' }
            ],
            mappings: [
                { value: 'Cold', stageId: 'stg-cold', label: 'Cold' },
                { value: 'Hot', stageId: 'stg-hot', label: 'Hot' },
                { value: 'Warm', stageId: 'stg-warm', label: 'Warm' },
                { value: 'Mild', stageId: 'stg-mild', label: 'Mild' }
            ]
        };
        const findings = findingsOf(input);
        const stages = input.stages.map((stage) => ({ id: stage.id, name: stage.name }));

        // Held today, by a name that differs only in case and spacing.
        const cold = findingOf(findings, 'Cold');
        expect(blockingStageName(cold, stages, findings)).toBe('frozen ');
        expect(driftReason(cold, labelOf, 'frozen ')).toBe(
            'relabel: "Cold" "Cold"→"Frozen", stage "Cold" cannot become "Frozen": "frozen " has or gets it'
        );
        // Two renames into one name: each names the other's stage.
        expect(blockingStageName(findingOf(findings, 'Hot'), stages, findings)).toBe('Warm');
        expect(blockingStageName(findingOf(findings, 'Warm'), stages, findings)).toBe('Hot');
        // An offered rename, and a finding of another kind, name none.
        const mild = findingOf(findings, 'Mild');
        expect(mild.fix).toBe(true);
        expect(blockingStageName(mild, stages, findings)).toBeUndefined();
        expect(driftReason(mild, labelOf, undefined)).toBe(driftReason(mild, labelOf));
    });

    it('says what auto-map would do with a new value: map, create, or skip (stage taken, ambiguous)', () => {
        const findings = findingsOf({
            values: [
                { value: 'Replied', label: 'Replied' },
                { value: 'Qualified', label: 'Qualified' },
                { value: 'Cold Lead', label: 'Cold' },
                { value: 'Bad Data', label: 'Bad Data' },
                { value: 'Cold', label: 'Cold' }
            ],
            stages: [
                { id: 'stg-replied', name: 'Replied' },
                { id: 'stg-cold', name: 'Cold' },
                { id: 'stg-bad-1', name: 'Bad Data' },
                { id: 'stg-bad-2', name: 'bad  data' }
            ],
            mappings: [{ value: 'Cold', stageId: 'stg-cold', label: 'Cold' }]
        });

        const mapped = findingOf(findings, 'Replied');
        expect(driftReason(mapped, labelOf)).toBe('new: "Replied" maps to "Replied"');
        expect(fixAction(mapped, labelOf)).toBe('map "Replied" to "Replied"');
        expect(findingStageText(mapped)).toBe('c.AutoMap_Mappings_NotMapped');
        const created = findingOf(findings, 'Qualified');
        expect(driftReason(created, labelOf)).toBe('new: "Qualified" creates "Qualified"');
        expect(fixAction(created, labelOf)).toBe('create "Qualified" for "Qualified"');
        const taken = findingOf(findings, 'Cold Lead');
        expect(taken.outcome).toBe('skip-stage-taken');
        expect(driftReason(taken, labelOf)).toBe('new: "Cold Lead" (label "Cold") skipped, "Cold" taken');
        expect(fixAction(taken, labelOf)).toBe('');
        const ambiguous = findingOf(findings, 'Bad Data');
        expect(ambiguous.outcome).toBe('skip-ambiguous');
        expect(driftReason(ambiguous, labelOf)).toBe('new: "Bad Data" skipped, ambiguous');
    });

    it('sends only the findings with a fix, as value and kind', () => {
        const findings = findingsOf({
            values: [
                { value: 'Qualified', label: 'Qualified' },
                { value: 'Meeting Booked', label: 'Meeting Booked', active: false }
            ],
            stages: [{ id: 'stg-meeting', name: 'Meeting Booked' }],
            mappings: [{ value: 'Meeting Booked', stageId: 'stg-meeting', label: 'Meeting Booked' }]
        });

        expect(findings.map((finding) => finding.kind)).toEqual(['value-deactivated', 'new-value']);
        expect(fixRequestsOf(findings)).toEqual([{ value: 'Qualified', kind: 'new-value' }]);
    });

    it('never offers a fix for an advice-only kind, even if a finding said it had one', () => {
        const advice: DriftFinding = { value: 'Old', kind: 'value-deactivated', fix: true, reason: '' };

        expect(isFixable(advice)).toBe(false);
        expect(fixRequestsOf([advice])).toEqual([]);
    });
});
