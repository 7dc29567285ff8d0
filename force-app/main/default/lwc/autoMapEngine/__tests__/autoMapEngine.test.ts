/**
 * The auto-map engine's rules, one named test per rule and per outcome, on real-looking Salesforce data: Lead
 * Status, Account Type and contact statuses in English, German, French, Japanese, Turkish and Greek.
 * The invariants under generated data are in autoMapEngine.properties.test.ts.
 */
import {
    MAX_SUGGESTIONS_PER_VALUE,
    MAX_TEXT_LENGTH,
    OUTCOME_KINDS,
    applyPlanToState,
    boundedEditDistance,
    familyOf,
    housekeepingReport,
    looseKey,
    planAutoMap,
    stageKey,
    stageNameFromLabel,
    summarize,
    validatePlanInput,
    validateText
} from 'c/autoMapEngine';
import type {
    MappingInput,
    PicklistValueInput,
    Plan,
    PlanInput,
    PlannedOutcome,
    StageInput,
    Suggestion
} from 'c/autoMapEngine';
import accountTypeGerman from './data/accountTypeGerman.json';
import leadStatusFrench from './data/leadStatusFrench.json';

/** A Lead.Status scope: the most common auto-map in practice. */
function leadStatus(values: PicklistValueInput[], stages: StageInput[], mappings: MappingInput[] = []): PlanInput {
    return { object: 'Lead', field: 'Status', values, stages, mappings };
}

function outcomeOf(plan: Plan, value: string): PlannedOutcome {
    const outcome = plan.outcomes.find((entry) => entry.value === value);
    if (!outcome) {
        throw new Error(`no outcome for ${value}`);
    }
    return outcome;
}

function suggestionsFor(plan: Plan, value: string): Suggestion[] {
    return plan.suggestions.filter((suggestion) => suggestion.value === value);
}

/** The stage names suggested for a value, best first. */
function suggestedNames(input: PlanInput, value: string): string[] {
    return suggestionsFor(planAutoMap(input), value).map((suggestion) => suggestion.stageName);
}

const STANDARD_LEAD_STATUS: PicklistValueInput[] = [
    { value: 'Open - Not Contacted' },
    { value: 'Working - Contacted' },
    { value: 'Closed - Converted' },
    { value: 'Closed - Not Converted' }
];

describe('stageKey', () => {
    it('lower-cases, trims and collapses white space', () => {
        expect(stageKey('  Working   -  Contacted ')).toBe('working - contacted');
    });

    it('collapses tabs, new lines, no-break and ideographic spaces to one space', () => {
        expect(stageKey('\tWorking\u00a0-\u3000 Contacted \n')).toBe('working - contacted');
    });

    it('applies NFKC: full-width Latin typed on a Japanese keyboard matches ASCII', () => {
        expect(stageKey('Ｏｐｅｎ － Ｎｏｔ Ｃｏｎｔａｃｔｅｄ')).toBe(stageKey('Open - Not Contacted'));
    });

    it('applies NFKC: half-width katakana match full-width katakana', () => {
        expect(stageKey('ｺﾝﾀｸﾄ済')).toBe(stageKey('コンタクト済'));
        expect(stageKey('ｺﾝﾀｸﾄ済')).toBe('コンタクト済');
    });

    it('applies NFKC: ligatures and compatibility characters are spelled out', () => {
        expect(stageKey('Ofﬁce Visit')).toBe('office visit');
        expect(stageKey('Tier Ⅱ')).toBe('tier ii');
    });

    it('keeps accents: "Résilié" and "Resilie" are different keys (a suggestion, never a match)', () => {
        expect(stageKey('Résilié')).not.toBe(stageKey('Resilie'));
    });

    it('uses toLowerCase without a locale: Turkish "İ" keeps its combining dot', () => {
        expect(stageKey('İPTAL EDİLDİ')).toBe('i\u0307ptal edi\u0307ldi\u0307');
        expect(stageKey('İptal Edildi')).not.toBe(stageKey('iptal edildi'));
        expect(stageKey('IPTAL')).toBe('iptal');
    });

    it('lower-cases a Greek capital sigma at the end of a word to a final sigma', () => {
        expect(stageKey('ΚΛΕΙΣΤΟΣ')).toBe('κλειστος');
        expect(stageKey('ΚΛΕΙΣΤΟΣ')).toBe(stageKey('Κλειστος'));
    });

    it('does not case-fold: German "STRASSE" and "Straße" stay different', () => {
        expect(stageKey('STRASSE')).not.toBe(stageKey('Straße'));
    });

    it('matches the definition (invisible folded, NFKC, toLowerCase, trim, collapse) for every character of the BMP', () => {
        const reference = (text: string): string =>
            text
                .replace(/\p{Default_Ignorable_Code_Point}/gu, '')
                .replace(/\u2800/g, ' ')
                .normalize('NFKC')
                .toLowerCase()
                .trim()
                .replace(/\s+/g, ' ');
        const mismatches: string[] = [];
        for (let code = 0; code <= 0xffff; code += 1) {
            if (code >= 0xd800 && code <= 0xdfff) {
                continue;
            }
            const character = String.fromCharCode(code);
            for (const text of [`A${character}b`, ` ${character}${character} `, `${character}Σ ${character}`]) {
                if (stageKey(text) !== reference(text)) {
                    mismatches.push(code.toString(16));
                }
            }
        }
        expect(mismatches).toEqual([]);
    });

    it('folds before NFKC safely: no character becomes one the key folds under NFKC or toLowerCase', () => {
        const folds = /[\p{Default_Ignorable_Code_Point}\u2800]/u;
        const makers: string[] = [];
        for (let code = 0; code <= 0x10ffff; code += 1) {
            if (code >= 0xd800 && code <= 0xdfff) {
                continue;
            }
            const character = String.fromCodePoint(code);
            if (!folds.test(character) && folds.test(character.normalize('NFKC').toLowerCase())) {
                makers.push(code.toString(16));
            }
        }
        expect(makers).toEqual([]);
    });
});

describe('stageKey and invisible characters', () => {
    // Each class the contract names, with the character it is usually met as.
    const folded: [string, string][] = [
        ['zero-width space', '\u200b'],
        ['zero-width non-joiner', '\u200c'],
        ['zero-width joiner', '\u200d'],
        ['word joiner', '\u2060'],
        ['byte order mark (zero-width no-break space)', '\ufeff'],
        ['left-to-right mark', '\u200e'],
        ['right-to-left mark', '\u200f'],
        ['Arabic letter mark', '\u061c'],
        ['soft hyphen', '\u00ad'],
        ['combining grapheme joiner', '\u034f'],
        ['Hangul choseong filler', '\u115f'],
        ['Hangul jungseong filler', '\u1160'],
        ['Hangul filler', '\u3164'],
        ['half-width Hangul filler', '\uffa0'],
        ['Mongolian vowel separator', '\u180e'],
        ['variation selector 16', '\ufe0f'],
        ['right-to-left override (refused by validation, folded by the key)', '\u202e']
    ];

    it.each(folded)('folds the %s: "Cold" with it is the stage "Cold"', (_name, character) => {
        expect(stageKey(`Cold${character}`)).toBe('cold');
        expect(stageKey(`Co${character}ld`)).toBe('cold');
        expect(stageKey(`${character}${character}`)).toBe('');
    });

    it('reads the Braille pattern blank as a space', () => {
        expect(stageKey('Cold\u2800Call')).toBe('cold call');
        expect(stageKey('\u2800Cold\u2800')).toBe('cold');
        expect(stageKey('\u2800')).toBe('');
    });

    it('keeps joiners from making two stages of one emoji or Persian word, and keeps real letters apart', () => {
        expect(stageKey('\u0645\u06cc\u200c\u062e\u0648\u0627\u0645')).toBe(
            stageKey('\u0645\u06cc\u062e\u0648\u0627\u0645')
        );
        expect(stageKey('Hot \u2764\ufe0f')).toBe(stageKey('Hot \u2764'));
        expect(stageKey('Cold')).not.toBe(stageKey('Col'));
    });

    it('plans "Cold\u200b" and "Co\u00adld" onto the existing stage "Cold", with or without suggestions', () => {
        for (const suggestions of [true, false]) {
            const plan = planAutoMap(
                {
                    object: 'Lead',
                    field: 'Status',
                    values: [{ value: 'Cold\u200b' }, { value: 'Warm', label: 'Co\u00adld' }],
                    stages: [{ id: 'stg_cold', name: 'Cold' }],
                    mappings: []
                },
                { suggestions }
            );
            expect(plan.outcomes.map((outcome) => [outcome.outcome, outcome.stageId])).toEqual([
                ['map-existing', 'stg_cold'],
                ['skip-stage-taken', 'stg_cold']
            ]);
        }
    });

    it('finds a stage whose name carries a soft hyphen from a plain value (the Latin fast path folds it too)', () => {
        const plan = planAutoMap({
            object: 'Account',
            field: 'Type',
            values: [{ value: 'Kundenbetreuung' }],
            stages: [{ id: 'stg_kb', name: 'Kunden\u00adbetreuung' }],
            mappings: []
        });
        expect(plan.outcomes[0]).toMatchObject({ outcome: 'map-existing', stageId: 'stg_kb' });
    });
});

describe('stageNameFromLabel', () => {
    it('trims and collapses white space but keeps case, accents and width', () => {
        expect(stageNameFromLabel('  Fermé \t–  Non converti ')).toBe('Fermé – Non converti');
        expect(stageNameFromLabel('Ｏｐｅｎ')).toBe('Ｏｐｅｎ');
    });

    it('returns a clean label unchanged', () => {
        expect(stageNameFromLabel('Kunde – Direkt')).toBe('Kunde – Direkt');
    });

    it('trims and collapses no-break, ideographic and other Unicode spaces at the ends and in runs', () => {
        expect(stageNameFromLabel('\u00a0Kunde\u2007\u2007– Direkt\u3000')).toBe('Kunde – Direkt');
        expect(stageNameFromLabel('\ufeffOffen\u202f\u205fKontaktiert\u1680')).toBe('Offen Kontaktiert');
        expect(stageNameFromLabel('Won\u2028\u2029Lost')).toBe('Won Lost');
    });

    it('keeps characters that only look like space: zero-width space and the Mongolian vowel separator', () => {
        expect(stageNameFromLabel('Kunde\u200bDirekt\u180e')).toBe('Kunde\u200bDirekt\u180e');
    });

    it('matches its definition (trim, then collapse white space) for every character of the BMP', () => {
        const reference = (text: string): string => text.trim().replace(/\s+/g, ' ');
        const mismatches: string[] = [];
        for (let code = 0; code <= 0xffff; code += 1) {
            const character = String.fromCharCode(code);
            // Alone inside a word, at both ends, in a run of two, and next to a plain space.
            for (const text of [
                `A${character}b`,
                `${character}A${character}`,
                `A${character}${character}b`,
                `A ${character}b`
            ]) {
                if (stageNameFromLabel(text) !== reference(text)) {
                    mismatches.push(code.toString(16));
                }
            }
        }
        expect(mismatches).toEqual([]);
    });
});

describe('familyOf', () => {
    it('maps Contact and Lead to contact stages and Account to account stages', () => {
        expect(familyOf('Contact')).toBe('contact');
        expect(familyOf('Lead')).toBe('contact');
        expect(familyOf('Account')).toBe('account');
    });

    it('supports no other object, and API names are case-sensitive', () => {
        expect(familyOf('Opportunity')).toBeUndefined();
        expect(familyOf('lead')).toBeUndefined();
        expect(familyOf('toString')).toBeUndefined();
    });
});

describe('planAutoMap: already-mapped', () => {
    it('reports a mapped value with its stage and never changes it, even when a better-named stage exists', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Open - Not Contacted' }],
                [
                    { id: 'stg_cold', name: 'Cold' },
                    { id: 'stg_open', name: 'Open - Not Contacted' }
                ],
                [{ value: 'Open - Not Contacted', stageId: 'stg_cold' }]
            )
        );
        expect(plan.outcomes).toEqual([
            {
                value: 'Open - Not Contacted',
                label: 'Open - Not Contacted',
                outcome: 'already-mapped',
                stageId: 'stg_cold',
                stageName: 'Cold',
                reason: '"Open - Not Contacted" is already mapped to stage "Cold"; auto-map never changes an existing mapping.'
            }
        ]);
    });

    it('keeps a mapping whose stage no longer exists, and says so', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Working - Contacted' }],
                [{ id: 'stg_working', name: 'Working - Contacted' }],
                [{ value: 'Working - Contacted', stageId: 'stg_deleted' }]
            )
        );
        const outcome = outcomeOf(plan, 'Working - Contacted');
        expect(outcome.outcome).toBe('already-mapped');
        expect(outcome.stageId).toBe('stg_deleted');
        expect(outcome.stageName).toBeUndefined();
        expect(outcome.reason).toContain('no longer exists');
    });

    it('wins over inactive: an inactive value that is mapped stays already-mapped', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Nurturing', active: false }],
                [{ id: 'stg_nurture', name: 'Nurturing' }],
                [{ value: 'Nurturing', stageId: 'stg_nurture' }]
            )
        );
        expect(outcomeOf(plan, 'Nurturing').outcome).toBe('already-mapped');
    });
});

describe('planAutoMap: skip-inactive', () => {
    it('skips an unmapped inactive value even when a stage matches it', () => {
        const plan = planAutoMap(
            leadStatus([{ value: 'Recycled', active: false }], [{ id: 'stg_recycled', name: 'Recycled' }])
        );
        const outcome = outcomeOf(plan, 'Recycled');
        expect(outcome.outcome).toBe('skip-inactive');
        expect(outcome.stageId).toBeUndefined();
        expect(outcome.reason).toContain('inactive');
    });

    it('treats a missing active flag as active', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Recycled' }], [{ id: 'stg_recycled', name: 'Recycled' }]));
        expect(outcomeOf(plan, 'Recycled').outcome).toBe('map-existing');
    });
});

describe('planAutoMap: map-existing', () => {
    it('maps a value to the stage with the same key (case and spacing ignored)', () => {
        const plan = planAutoMap(
            leadStatus([{ value: 'Working - Contacted' }], [{ id: 'stg_working', name: ' working  -  contacted' }])
        );
        expect(outcomeOf(plan, 'Working - Contacted')).toEqual({
            value: 'Working - Contacted',
            label: 'Working - Contacted',
            outcome: 'map-existing',
            stageId: 'stg_working',
            stageName: ' working  -  contacted',
            reason: 'Stage " working  -  contacted" matches the value "Working - Contacted"; the value will be mapped to it.'
        });
    });

    it('falls back to the label when no stage matches the API name (German labels)', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Working - Contacted', label: 'In Bearbeitung – Kontaktiert' }],
                [{ id: 'stg_bearbeitung', name: 'In Bearbeitung – Kontaktiert' }]
            )
        );
        const outcome = outcomeOf(plan, 'Working - Contacted');
        expect(outcome.outcome).toBe('map-existing');
        expect(outcome.stageId).toBe('stg_bearbeitung');
        expect(outcome.reason).toContain('the label "In Bearbeitung – Kontaktiert"');
    });

    it('tries the API name first: the label is only used when no stage matches the API name', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Working - Contacted', label: 'In Bearbeitung – Kontaktiert' }],
                [
                    { id: 'stg_bearbeitung', name: 'In Bearbeitung – Kontaktiert' },
                    { id: 'stg_working', name: 'Working - Contacted' }
                ]
            )
        );
        expect(outcomeOf(plan, 'Working - Contacted').stageId).toBe('stg_working');
    });

    it('matches full-width Japanese input through NFKC', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Open - Not Contacted', label: 'Ｏｐｅｎ － Ｎｏｔ Ｃｏｎｔａｃｔｅｄ' }],
                [{ id: 'stg_open', name: 'open - not contacted' }]
            )
        );
        expect(outcomeOf(plan, 'Open - Not Contacted').outcome).toBe('map-existing');
    });

    it('matches a half-width katakana label to a full-width katakana stage', () => {
        const plan = planAutoMap(
            leadStatus([{ value: 'Contacted', label: 'ｺﾝﾀｸﾄ済' }], [{ id: 'stg_jp', name: 'コンタクト済' }])
        );
        expect(outcomeOf(plan, 'Contacted')).toMatchObject({ outcome: 'map-existing', stageId: 'stg_jp' });
    });

    it('maps a Greek capitalised label to the lower-case stage (final sigma)', () => {
        const plan = planAutoMap(
            leadStatus([{ value: 'Closed', label: 'ΚΛΕΙΣΤΟΣ' }], [{ id: 'stg_gr', name: 'Κλειστος' }])
        );
        expect(outcomeOf(plan, 'Closed').stageId).toBe('stg_gr');
    });

    it('only looks at the mappings of this scope: a stage another scope uses is free here', () => {
        // The Contact scope's "Interested" also maps to stg_interested, but mappings are 1:1 per scope only.
        const plan = planAutoMap(leadStatus([{ value: 'Interested' }], [{ id: 'stg_interested', name: 'Interested' }]));
        expect(outcomeOf(plan, 'Interested').outcome).toBe('map-existing');
    });
});

describe('planAutoMap: create-and-map', () => {
    it('creates a stage named by the label, trimmed and white space collapsed', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Closed - Converted', label: '  Fermé   –  Converti ' }],
                [{ id: 'stg_cold', name: 'Cold' }]
            )
        );
        expect(outcomeOf(plan, 'Closed - Converted')).toEqual({
            value: 'Closed - Converted',
            label: '  Fermé   –  Converti ',
            outcome: 'create-and-map',
            stageName: 'Fermé – Converti',
            reason: 'No stage matches the value "Closed - Converted" or its label "  Fermé   –  Converti "; a stage "Fermé – Converti" will be created and mapped to it.'
        });
    });

    it('names the stage by the API name when the label is missing', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Closed - Converted' }], []));
        expect(outcomeOf(plan, 'Closed - Converted')).toMatchObject({
            outcome: 'create-and-map',
            label: 'Closed - Converted',
            stageName: 'Closed - Converted'
        });
    });

    it('keeps the Japanese label as written (width included) for the new stage name', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Meeting', label: 'ﾐｰﾃｨﾝｸﾞ設定済' }], []));
        expect(outcomeOf(plan, 'Meeting').stageName).toBe('ﾐｰﾃｨﾝｸﾞ設定済');
    });

    it('never creates a stage whose key another stage has, even when trimming changes the lower case', () => {
        // U+FEFF counts as white space for trim() but not for Greek final-sigma casing, so the label's key
        // ("ασ β") and the new name's key ("ας β") differ; the existing "ας β" stage must be found, not duplicated.
        const plan = planAutoMap(
            leadStatus([{ value: 'Greek', label: 'ΑΣ\ufeffΒ' }], [{ id: 'stg_as', name: 'ας β' }])
        );
        expect(outcomeOf(plan, 'Greek')).toMatchObject({ outcome: 'map-existing', stageId: 'stg_as' });
        expect(outcomeOf(plan, 'Greek').reason).toContain('the stage that would be created');
    });
});

describe('planAutoMap: skip-ambiguous', () => {
    it('skips a value that matches duplicate stages, creates nothing and lists them sorted by id', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Closed - Not Converted' }],
                [
                    { id: 'stg_lost_b', name: 'Closed -  Not Converted' },
                    { id: 'stg_lost_a', name: 'closed - not converted' }
                ]
            )
        );
        const outcome = outcomeOf(plan, 'Closed - Not Converted');
        expect(outcome.outcome).toBe('skip-ambiguous');
        expect(outcome.candidates).toEqual([
            { id: 'stg_lost_a', name: 'closed - not converted' },
            { id: 'stg_lost_b', name: 'Closed -  Not Converted' }
        ]);
        expect(outcome.stageId).toBeUndefined();
        expect(outcome.reason).toContain('2 stages match');
        expect(plan.summary.counts['create-and-map']).toBe(0);
    });

    it('is decided by the API name first: duplicates of the API name skip even when the label has one match', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Customer', label: 'Kunde' }],
                [
                    { id: 'stg_a', name: 'Customer' },
                    { id: 'stg_b', name: 'CUSTOMER' },
                    { id: 'stg_kunde', name: 'Kunde' }
                ]
            )
        );
        expect(outcomeOf(plan, 'Customer').outcome).toBe('skip-ambiguous');
    });

    it('also skips duplicates found by the label', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Customer - Direct', label: 'Kunde – Direkt' }],
                [
                    { id: 'stg_a', name: 'Kunde – Direkt' },
                    { id: 'stg_b', name: 'kunde – direkt' }
                ]
            )
        );
        expect(outcomeOf(plan, 'Customer - Direct').outcome).toBe('skip-ambiguous');
    });
});

describe('planAutoMap: skip-stage-taken', () => {
    it('skips when the matching stage is mapped to another value of the scope, and names both', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Unqualified' }, { value: 'Closed - Not Converted', label: 'Lost' }],
                [{ id: 'stg_lost', name: 'Lost' }],
                [{ value: 'Unqualified', stageId: 'stg_lost' }]
            )
        );
        expect(outcomeOf(plan, 'Closed - Not Converted')).toEqual({
            value: 'Closed - Not Converted',
            label: 'Lost',
            outcome: 'skip-stage-taken',
            stageId: 'stg_lost',
            stageName: 'Lost',
            heldBy: 'Unqualified',
            reason: 'Stage "Lost" matches the label "Lost" but is already mapped to the value "Unqualified"; a stage maps to one value per field, and no duplicate stage is created.'
        });
        expect(plan.summary.counts['create-and-map']).toBe(0);
    });

    it('counts a mapping whose value no longer exists in the picklist: the stage stays taken', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Closed - Not Converted', label: 'Fermé – Non converti' }],
                [{ id: 'stg_lost', name: 'Fermé – Non converti' }],
                [{ value: 'Deleted Status', stageId: 'stg_lost' }]
            )
        );
        expect(outcomeOf(plan, 'Closed - Not Converted')).toMatchObject({
            outcome: 'skip-stage-taken',
            heldBy: 'Deleted Status'
        });
    });

    it('skips when another value of this run took the stage through its API name', () => {
        const plan = planAutoMap(
            leadStatus(
                [
                    { value: 'Working - Contacted', label: 'Contacted' },
                    { value: 'Contacted', label: 'Kontaktiert' }
                ],
                [{ id: 'stg_contacted', name: 'Contacted' }]
            )
        );
        // "Contacted" is the stage's name exactly: its API-name match comes first, whatever the picklist order.
        expect(outcomeOf(plan, 'Contacted')).toMatchObject({ outcome: 'map-existing', stageId: 'stg_contacted' });
        const other = outcomeOf(plan, 'Working - Contacted');
        expect(other).toMatchObject({ outcome: 'skip-stage-taken', stageId: 'stg_contacted', heldBy: 'Contacted' });
        expect(other.reason).toContain('earlier in this run');
    });

    it('skips when an earlier value of this run took the stage through its label', () => {
        const plan = planAutoMap(
            leadStatus(
                [
                    { value: 'Working', label: 'In Bearbeitung' },
                    { value: 'In Progress', label: 'In Bearbeitung' }
                ],
                [{ id: 'stg_bearbeitung', name: 'In Bearbeitung' }]
            )
        );
        expect(outcomeOf(plan, 'Working')).toMatchObject({ outcome: 'map-existing', stageId: 'stg_bearbeitung' });
        expect(outcomeOf(plan, 'In Progress')).toMatchObject({ outcome: 'skip-stage-taken', heldBy: 'Working' });
    });

    it('counts a stage planned for creation earlier in the run as a stage, taken by the value that planned it', () => {
        const plan = planAutoMap(
            leadStatus(
                [
                    { value: 'Closed - Converted', label: 'Fermé – Converti' },
                    { value: 'Converted', label: 'fermé  –  CONVERTI' }
                ],
                []
            )
        );
        expect(outcomeOf(plan, 'Closed - Converted')).toMatchObject({
            outcome: 'create-and-map',
            stageName: 'Fermé – Converti'
        });
        const later = outcomeOf(plan, 'Converted');
        expect(later).toMatchObject({
            outcome: 'skip-stage-taken',
            stageName: 'Fermé – Converti',
            heldBy: 'Closed - Converted'
        });
        expect(later.stageId).toBeUndefined();
        expect(later.reason).toContain('planned for creation');
        expect(plan.summary.counts['create-and-map']).toBe(1);
    });

    it('processes label matches in picklist order: the first value whose label matches takes the stage', () => {
        const values = [
            { value: 'Working', label: 'Contacted' },
            { value: 'Reached', label: 'Contacted' }
        ];
        const stages = [{ id: 'stg_contacted', name: 'Contacted' }];
        const forward = planAutoMap(leadStatus(values, stages));
        const backward = planAutoMap(leadStatus([...values].reverse(), stages));
        expect(outcomeOf(forward, 'Working').outcome).toBe('map-existing');
        expect(outcomeOf(forward, 'Reached').outcome).toBe('skip-stage-taken');
        expect(outcomeOf(backward, 'Reached').outcome).toBe('map-existing');
        expect(outcomeOf(backward, 'Working').outcome).toBe('skip-stage-taken');
    });
});

describe('planAutoMap: precedence (API names, then labels, then creations)', () => {
    it('an API-name match beats an earlier label match (value "Qualified" labelled "Closed")', () => {
        const plan = planAutoMap(
            leadStatus(
                [
                    { value: 'Qualified', label: 'Closed' },
                    { value: 'Closed', label: 'Closed' }
                ],
                [{ id: 'stg_closed', name: 'Closed' }]
            )
        );
        expect(outcomeOf(plan, 'Closed')).toMatchObject({ outcome: 'map-existing', stageId: 'stg_closed' });
        expect(outcomeOf(plan, 'Qualified')).toMatchObject({
            outcome: 'skip-stage-taken',
            stageId: 'stg_closed',
            heldBy: 'Closed'
        });
        expect(plan.summary.counts['create-and-map']).toBe(0);
    });

    it('decides API-name matches the same way whatever the picklist order', () => {
        const values = [
            { value: 'Qualified', label: 'Closed' },
            { value: 'Open', label: 'Neu' },
            { value: 'Closed', label: 'Geschlossen' }
        ];
        const stages = [
            { id: 'stg_closed', name: 'Closed' },
            { id: 'stg_open', name: 'OPEN' }
        ];
        const forward = planAutoMap(leadStatus(values, stages));
        const backward = planAutoMap(leadStatus([...values].reverse(), stages));
        for (const value of ['Closed', 'Open']) {
            expect(outcomeOf(backward, value)).toEqual(outcomeOf(forward, value));
            expect(outcomeOf(forward, value).outcome).toBe('map-existing');
        }
        expect(outcomeOf(backward, 'Qualified')).toEqual(outcomeOf(forward, 'Qualified'));
    });

    it('lists the outcomes in picklist order though they are decided in three passes', () => {
        const plan = planAutoMap(
            leadStatus(
                [
                    { value: 'New', label: 'Brand New' },
                    { value: 'Qualified', label: 'Closed' },
                    { value: 'Retired', active: false },
                    { value: 'Closed' }
                ],
                [{ id: 'stg_closed', name: 'Closed' }]
            )
        );
        expect(plan.outcomes.map((outcome) => [outcome.value, outcome.outcome])).toEqual([
            ['New', 'create-and-map'],
            ['Qualified', 'skip-stage-taken'],
            ['Retired', 'skip-inactive'],
            ['Closed', 'map-existing']
        ]);
    });

    it('an API-name match to a stage another value holds is a skip; the label is not tried', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Unqualified' }, { value: 'Lost', label: 'Verloren' }],
                [
                    { id: 'stg_lost', name: 'Lost' },
                    { id: 'stg_verloren', name: 'Verloren' }
                ],
                [{ value: 'Unqualified', stageId: 'stg_lost' }]
            )
        );
        expect(outcomeOf(plan, 'Lost')).toMatchObject({ outcome: 'skip-stage-taken', heldBy: 'Unqualified' });
    });

    it('matches by API name and label only existing stages: a stage planned for creation is not a match', () => {
        const plan = planAutoMap(
            leadStatus(
                [
                    { value: 'Done', label: 'Closed' },
                    { value: 'Closed', label: 'Geschlossen' }
                ],
                []
            )
        );
        expect(outcomeOf(plan, 'Done')).toMatchObject({ outcome: 'create-and-map', stageName: 'Closed' });
        expect(outcomeOf(plan, 'Closed')).toMatchObject({ outcome: 'create-and-map', stageName: 'Geschlossen' });
    });
});

describe('planAutoMap: naming new stages by API name', () => {
    it('names a created stage by the API name instead of the (translated) label', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Partner Accepted', label: 'Vom Partner angenommen' }], []), {
            newStageNames: 'apiName'
        });
        expect(outcomeOf(plan, 'Partner Accepted')).toMatchObject({
            outcome: 'create-and-map',
            stageName: 'Partner Accepted'
        });
    });

    it('still matches by label: only the names of new stages change', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Working - Contacted', label: 'In Bearbeitung' }],
                [{ id: 'stg_bearbeitung', name: 'In Bearbeitung' }]
            ),
            { newStageNames: 'apiName' }
        );
        expect(outcomeOf(plan, 'Working - Contacted')).toMatchObject({
            outcome: 'map-existing',
            stageId: 'stg_bearbeitung'
        });
    });

    it('trims the API name like a label, and skips a second value whose new name has the same key', () => {
        const plan = planAutoMap(
            leadStatus(
                [
                    { value: 'Closed  Won', label: 'Gewonnen' },
                    { value: 'CLOSED WON', label: 'Abgeschlossen' }
                ],
                []
            ),
            { newStageNames: 'apiName' }
        );
        expect(outcomeOf(plan, 'Closed  Won')).toMatchObject({ outcome: 'create-and-map', stageName: 'Closed Won' });
        expect(outcomeOf(plan, 'CLOSED WON')).toMatchObject({ outcome: 'skip-stage-taken', heldBy: 'Closed  Won' });
    });

    it('names by label when not told otherwise', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Partner Accepted', label: 'Vom Partner angenommen' }], []));
        expect(outcomeOf(plan, 'Partner Accepted').stageName).toBe('Vom Partner angenommen');
    });
});

describe('planAutoMap: whole scopes', () => {
    it('plans the standard Lead Status against a typical contact stage list', () => {
        const plan = planAutoMap(
            leadStatus(
                [...STANDARD_LEAD_STATUS, { value: 'Nurturing' }, { value: 'Recycled', active: false }],
                [
                    { id: 'stg_cold', name: 'Cold' },
                    { id: 'stg_open', name: 'Open - Not Contacted' },
                    { id: 'stg_working', name: 'working - contacted' },
                    { id: 'stg_nurturing', name: 'Nurturing' },
                    { id: 'stg_lost_1', name: 'Closed - Not Converted' },
                    { id: 'stg_lost_2', name: 'CLOSED - NOT CONVERTED' }
                ],
                [{ value: 'Nurturing', stageId: 'stg_cold' }]
            )
        );
        expect(plan.object).toBe('Lead');
        expect(plan.field).toBe('Status');
        expect(plan.family).toBe('contact');
        expect(
            plan.outcomes.map((outcome) => [outcome.value, outcome.outcome, outcome.stageId ?? outcome.stageName])
        ).toEqual([
            ['Open - Not Contacted', 'map-existing', 'stg_open'],
            ['Working - Contacted', 'map-existing', 'stg_working'],
            ['Closed - Converted', 'create-and-map', 'Closed - Converted'],
            ['Closed - Not Converted', 'skip-ambiguous', undefined],
            ['Nurturing', 'already-mapped', 'stg_cold'],
            ['Recycled', 'skip-inactive', undefined]
        ]);
    });

    it('plans the standard Account Type with German labels', () => {
        const plan = planAutoMap(accountTypeGerman);
        expect(plan.family).toBe('account');
        expect(plan.outcomes.map((outcome) => [outcome.value, outcome.outcome])).toEqual([
            ['Prospect', 'map-existing'],
            ['Customer - Direct', 'map-existing'],
            ['Customer - Channel', 'create-and-map'],
            ['Channel Partner / Reseller', 'create-and-map'],
            ['Installation Partner', 'already-mapped'],
            ['Technology Partner', 'skip-ambiguous'],
            ['Other', 'create-and-map'],
            ['Former Customer', 'skip-inactive']
        ]);
        expect(outcomeOf(plan, 'Prospect').stageId).toBe('stg_acc_prospect');
        expect(outcomeOf(plan, 'Customer - Channel').stageName).toBe('Kunde – Vertriebspartner');
        expect(outcomeOf(plan, 'Channel Partner / Reseller').stageName).toBe('Vertriebspartner / Wiederverkäufer');
        expect(outcomeOf(plan, 'Installation Partner').stageName).toBe('Installationspartner');
        expect(plan.summary).toEqual({
            total: 8,
            counts: {
                'already-mapped': 1,
                'map-existing': 2,
                'create-and-map': 3,
                'skip-stage-taken': 0,
                'skip-ambiguous': 1,
                'skip-inactive': 1
            }
        });
    });

    it('plans a French Lead Status where a stale mapping holds a stage', () => {
        const plan = planAutoMap(leadStatusFrench);
        expect(plan.outcomes.map((outcome) => [outcome.value, outcome.outcome])).toEqual([
            ['Open - Not Contacted', 'map-existing'],
            ['Working - Contacted', 'map-existing'],
            ['Closed - Converted', 'create-and-map'],
            ['Closed - Not Converted', 'skip-stage-taken'],
            ['Nurturing', 'create-and-map']
        ]);
        expect(outcomeOf(plan, 'Closed - Not Converted').heldBy).toBe('Unqualified');
        // "Fermé – Converti" must never be offered "Fermé – Non converti" (taken, and a negation anyway).
        expect(suggestionsFor(plan, 'Closed - Converted')).toEqual([]);
    });

    it('gives every outcome an English reason', () => {
        const plan = planAutoMap(accountTypeGerman);
        for (const outcome of plan.outcomes) {
            expect(outcome.reason.length).toBeGreaterThan(20);
        }
    });

    it('does not modify its input', () => {
        const input = JSON.parse(JSON.stringify(accountTypeGerman)) as PlanInput;
        const frozen = deepFreeze(JSON.parse(JSON.stringify(input)) as PlanInput);
        expect(() => planAutoMap(frozen)).not.toThrow();
        expect(frozen).toEqual(input);
    });

    it('refuses an object auto-map does not support, with a clear message', () => {
        expect(() => planAutoMap({ ...leadStatus([], []), object: 'Opportunity' })).toThrow(
            'Auto-map does not support the object "Opportunity": use Contact, Lead or Account.'
        );
    });

    it('refuses a value listed twice (validate untrusted input first)', () => {
        expect(() => planAutoMap(leadStatus([{ value: 'Open' }, { value: 'Open' }], []))).toThrow(
            'The picklist value "Open" appears twice in Lead.Status.'
        );
    });

    it('plans a Contact scope against contact stages', () => {
        const plan = planAutoMap({
            object: 'Contact',
            field: 'Contact_Status__c',
            values: [{ value: 'Replied' }, { value: 'Bounced' }],
            stages: [{ id: 'stg_replied', name: 'Replied' }],
            mappings: []
        });
        expect(plan.family).toBe('contact');
        expect(plan.outcomes.map((outcome) => outcome.outcome)).toEqual(['map-existing', 'create-and-map']);
    });
});

describe('summary', () => {
    it('lists the outcome kinds in the documented order', () => {
        expect(OUTCOME_KINDS).toEqual([
            'already-mapped',
            'map-existing',
            'create-and-map',
            'skip-stage-taken',
            'skip-ambiguous',
            'skip-inactive'
        ]);
    });

    it('counts every kind, zeros included, and the total', () => {
        expect(summarize([])).toEqual({
            total: 0,
            counts: {
                'already-mapped': 0,
                'map-existing': 0,
                'create-and-map': 0,
                'skip-stage-taken': 0,
                'skip-ambiguous': 0,
                'skip-inactive': 0
            }
        });
        const plan = planAutoMap(leadStatusFrench);
        expect(plan.summary.total).toBe(5);
        expect(plan.summary.counts).toMatchObject({ 'map-existing': 2, 'create-and-map': 2, 'skip-stage-taken': 1 });
    });
});

describe('suggestions', () => {
    it('never suggests "Not Interested" (or "Uninterested") for "Interested": no plain substring matches', () => {
        const input = leadStatus(
            [{ value: 'Interested' }],
            [
                { id: 'stg_not', name: 'Not Interested' },
                { id: 'stg_un', name: 'Uninterested' },
                { id: 'stg_dis', name: 'Disinterested' },
                { id: 'stg_very', name: 'Very Interested' }
            ]
        );
        expect(outcomeOf(planAutoMap(input), 'Interested').outcome).toBe('create-and-map');
        expect(suggestedNames(input, 'Interested')).toEqual([]);
    });

    it('suggests the singular for a plural ("Customers" → "Customer")', () => {
        const plan = planAutoMap({
            object: 'Account',
            field: 'Type',
            values: [{ value: 'Customers' }],
            stages: [{ id: 'stg_customer', name: 'Customer' }],
            mappings: []
        });
        expect(suggestionsFor(plan, 'Customers')).toEqual([
            {
                value: 'Customers',
                stageId: 'stg_customer',
                stageName: 'Customer',
                score: 0.85,
                why: 'the value "Customers" and the stage name differ only in a plural "s" (and perhaps accents or punctuation)'
            }
        ]);
    });

    it('suggests a stage that differs only in accents (French "Clôturé" → "Cloture")', () => {
        const plan = planAutoMap(
            leadStatus([{ value: 'Closed', label: 'Clôturé' }], [{ id: 'stg_cl', name: 'Cloture' }])
        );
        expect(suggestionsFor(plan, 'Closed')).toEqual([
            expect.objectContaining({
                stageId: 'stg_cl',
                score: 0.95,
                why: 'the label "Clôturé" and the stage name differ only in accents'
            })
        ]);
    });

    it('suggests a stage that differs only in punctuation, "-" or "_" ("Closed_Won" → "Closed - Won")', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Closed_Won' }], [{ id: 'stg_won', name: 'Closed - Won' }]));
        expect(suggestionsFor(plan, 'Closed_Won')).toEqual([
            expect.objectContaining({ stageId: 'stg_won', score: 0.9 })
        ]);
    });

    it('suggests a stage one letter away ("Qualifed" → "Qualified")', () => {
        const plan = planAutoMap(leadStatus([{ value: 'Qualifed' }], [{ id: 'stg_q', name: 'Qualified' }]));
        expect(suggestionsFor(plan, 'Qualifed')).toEqual([
            expect.objectContaining({
                stageId: 'stg_q',
                score: 0.75,
                why: 'the value "Qualifed" is 1 letter away from the stage name (a likely typo)'
            })
        ]);
    });

    it('suggests a long stage two letters away, swapped letters counting as one', () => {
        const names = suggestedNames(
            leadStatus(
                [{ value: 'Apointment Sheduled' }, { value: 'Negotaition' }],
                [
                    { id: 'stg_appt', name: 'Appointment Scheduled' },
                    { id: 'stg_neg', name: 'Negotiation' }
                ]
            ),
            'Apointment Sheduled'
        );
        expect(names).toEqual(['Appointment Scheduled']);
        const swapped = planAutoMap(leadStatus([{ value: 'Negotaition' }], [{ id: 'stg_neg', name: 'Negotiation' }]));
        expect(suggestionsFor(swapped, 'Negotaition')[0]).toMatchObject({ stageId: 'stg_neg', score: 0.75 });
    });

    it('does not suggest by edit distance for short names ("Won" → "Wont")', () => {
        expect(suggestedNames(leadStatus([{ value: 'Won' }], [{ id: 'stg_wont', name: 'Wont' }]), 'Won')).toEqual([]);
    });

    it('does not suggest a stage whose number differs ("Tier 1" → "Tier 2")', () => {
        const input = leadStatus([{ value: 'Priority Tier 1' }], [{ id: 'stg_t2', name: 'Priority Tier 2' }]);
        expect(suggestedNames(input, 'Priority Tier 1')).toEqual([]);
    });

    it('does not suggest across a negation word ("Now Contacted" → "Not Contacted")', () => {
        const input = leadStatus([{ value: 'Now Contacted' }], [{ id: 'stg_not', name: 'Not Contacted' }]);
        expect(suggestedNames(input, 'Now Contacted')).toEqual([]);
    });

    it('does not suggest "Nicht kontaktiert" for "Kontaktiert" (German negation)', () => {
        const input = leadStatus(
            [{ value: 'Contacted', label: 'Kontaktiert' }],
            [{ id: 'stg_nicht', name: 'Nicht kontaktiert' }]
        );
        expect(suggestedNames(input, 'Contacted')).toEqual([]);
    });

    it('does not suggest 接触 for 未接触 (Japanese "not contacted" / "contacted")', () => {
        const input = leadStatus([{ value: 'Contacted', label: '接触' }], [{ id: 'stg_mi', name: '未接触' }]);
        expect(suggestedNames(input, 'Contacted')).toEqual([]);
    });

    it('suggests a Greek stage that differs only in accents ("Κλειστός" → "ΚΛΕΙΣΤΟΣ")', () => {
        const input = leadStatus([{ value: 'Closed', label: 'Κλειστός' }], [{ id: 'stg_gr', name: 'ΚΛΕΙΣΤΟΣ' }]);
        expect(suggestedNames(input, 'Closed')).toEqual(['ΚΛΕΙΣΤΟΣ']);
    });

    it('suggests the Turkish dotted-İ stage, whose key keeps a combining dot, as an accent difference', () => {
        const plan = planAutoMap(
            leadStatus([{ value: 'Cancelled', label: 'iptal edildi' }], [{ id: 'stg_tr', name: 'İptal Edildi' }])
        );
        expect(outcomeOf(plan, 'Cancelled').outcome).toBe('create-and-map');
        expect(suggestionsFor(plan, 'Cancelled')).toEqual([
            expect.objectContaining({ stageId: 'stg_tr', score: 0.95 })
        ]);
    });

    it('suggests nothing for mapped values (already-mapped, map-existing)', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Contacted' }, { value: 'Qualified' }],
                [
                    { id: 'stg_contacted', name: 'Contacted' },
                    { id: 'stg_contacteds', name: 'Contacteds' },
                    { id: 'stg_q', name: 'Qualified' },
                    { id: 'stg_q2', name: 'Qualifed' }
                ],
                [{ value: 'Qualified', stageId: 'stg_q' }]
            )
        );
        expect(plan.suggestions).toEqual([]);
    });

    it('only suggests stages that are free in the scope after the plan', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Customer', label: 'Customer' }, { value: 'Customers' }],
                [
                    { id: 'stg_customer', name: 'Customer' },
                    { id: 'stg_client', name: 'Customer_' },
                    { id: 'stg_held', name: 'customer.' }
                ],
                [{ value: 'Old Customer', stageId: 'stg_held' }]
            )
        );
        // "Customer" takes stg_customer in this run; stg_held is mapped: only stg_client is free.
        expect(suggestionsFor(plan, 'Customers').map((suggestion) => suggestion.stageId)).toEqual(['stg_client']);
    });

    it('offers the duplicate stages of a skip-ambiguous value with score 1, for the admin to pick', () => {
        const plan = planAutoMap(accountTypeGerman);
        const suggestions = suggestionsFor(plan, 'Technology Partner');
        expect(suggestions.map((suggestion) => [suggestion.stageId, suggestion.score])).toEqual([
            ['stg_acc_partner_b', 1],
            ['stg_acc_partner_a', 1]
        ]);
        expect(suggestions[0]?.why).toContain('2 stages share this name');
    });

    it('offers the matching stage for an inactive value (old records may still use it)', () => {
        const plan = planAutoMap(accountTypeGerman);
        expect(suggestionsFor(plan, 'Former Customer')).toEqual([
            {
                value: 'Former Customer',
                stageId: 'stg_acc_former',
                stageName: 'Ehemaliger Kunde',
                score: 1,
                why: 'the label "Ehemaliger Kunde" has the same name as the stage'
            }
        ]);
    });

    it('gives at most three per value, best score first, then by stage name', () => {
        const plan = planAutoMap(
            leadStatus(
                [{ value: 'Meetings Booked' }],
                [
                    { id: 'stg_5', name: 'Meetings Bookd' },
                    { id: 'stg_4', name: 'Meeting Booked!' },
                    { id: 'stg_3', name: 'meeting_booked' },
                    { id: 'stg_2', name: 'Meetings-Booked' },
                    { id: 'stg_1', name: 'Meetings Böoked' }
                ]
            )
        );
        const suggestions = suggestionsFor(plan, 'Meetings Booked');
        expect(suggestions).toHaveLength(MAX_SUGGESTIONS_PER_VALUE);
        expect(suggestions.map((suggestion) => [suggestion.stageName, suggestion.score])).toEqual([
            ['Meetings Böoked', 0.95],
            ['Meetings-Booked', 0.9],
            ['Meeting Booked!', 0.85]
        ]);
    });

    it('keeps every score in (0, 1]', () => {
        const plan = planAutoMap(accountTypeGerman);
        for (const suggestion of plan.suggestions) {
            expect(suggestion.score).toBeGreaterThan(0);
            expect(suggestion.score).toBeLessThanOrEqual(1);
        }
    });

    it('can be turned off for speed; the outcomes stay the same', () => {
        const input = accountTypeGerman;
        const withSuggestions = planAutoMap(input);
        const without = planAutoMap(input, { suggestions: false });
        expect(without.suggestions).toEqual([]);
        expect(withSuggestions.suggestions.length).toBeGreaterThan(0);
        expect(without.outcomes).toEqual(withSuggestions.outcomes);
    });
});

describe('suggestions: the guards that keep near matches meaningful', () => {
    /** The stages suggested for one value (API name and optional label) against the given stage names. */
    function suggested(value: string, stageNames: string[], label?: string): Suggestion[] {
        const stages = stageNames.map((name, i) => ({ id: `stg_${i}`, name }));
        const values = [label === undefined ? { value } : { value, label }];
        return planAutoMap(leadStatus(values, stages)).suggestions;
    }

    /**
     * Each negation word beside a word one letter away from it: the pair is the same shape (first letter, words,
     * length) and one edit apart, so only the negation word keeps it from being suggested.
     */
    const NEGATION_PAIRS: [string, string][] = [
        ['not', 'nox'],
        ['no', 'nx'],
        ['non', 'nox'],
        ['never', 'nevex'],
        ['none', 'nonx'],
        ['nicht', 'nichx'],
        ['kein', 'keix'],
        ['keine', 'keinx'],
        ['ohne', 'ohnx'],
        ['nie', 'nix'],
        ['pas', 'pax'],
        ['sans', 'sanx'],
        ['jamais', 'jamaix'],
        ['ne', 'nx'],
        ['não', 'nax'],
        ['ni', 'nx']
    ];

    it.each(NEGATION_PAIRS)(
        'does not suggest "%s Kontakt" for "%s Kontakt": a negation word on one side only',
        (negation, other) => {
            expect(boundedEditDistance(looseKey(`${negation} Kontakt`), looseKey(`${other} Kontakt`), 2)).toBe(1);
            expect(suggested(`${other} Kontakt`, [`${negation} Kontakt`])).toEqual([]);
            // The same pair without the negation word is suggested: nothing else keeps it out.
            const twin = `${other.slice(0, -1)}y Kontakt`;
            expect(suggested(`${other} Kontakt`, [twin]).map((suggestion) => suggestion.stageName)).toEqual([twin]);
        }
    );

    it('suggests a typo from five letters of loose key ("Trial" → "Triad"), never below ("Cold" → "Colt")', () => {
        expect(suggested('Trial', ['Triad'])).toEqual([expect.objectContaining({ stageName: 'Triad', score: 0.75 })]);
        expect(suggested('Cold', ['Colt'])).toEqual([]);
        // A stage one letter longer than a four-letter value: the shorter one decides.
        expect(suggested('Demo', ['Demon'])).toEqual([]);
        expect(suggested('Demon', ['Demo'])).toEqual([]);
    });

    it('allows two edits from nine letters of loose key ("Contacted" → "Cantakted"), one below', () => {
        expect(boundedEditDistance('contacted', 'cantakted', 2)).toBe(2);
        expect(suggested('Contacted', ['Cantakted'])).toEqual([
            expect.objectContaining({
                stageName: 'Cantakted',
                score: 0.6,
                why: 'the value "Contacted" is 2 letters away from the stage name (a likely typo)'
            })
        ]);
        expect(boundedEditDistance('prospect', 'prozpekt', 2)).toBe(2);
        expect(suggested('Prospect', ['Prozpekt'])).toEqual([]);
        expect(suggested('Prospect', ['Prospekt'])).toEqual([expect.objectContaining({ score: 0.75 })]);
        // Nine letters against eleven: two letters longer is still two edits ("Interview" → "Interviewed").
        expect(suggested('Interview', ['Interviewed'])).toEqual([expect.objectContaining({ score: 0.6 })]);
        expect(suggested('Interviewed', ['Interview'])).toEqual([expect.objectContaining({ score: 0.6 })]);
        // Nine letters against eight: the shorter one decides, so two edits are too many.
        expect(boundedEditDistance('qualified', 'qalifide', 2)).toBe(2);
        expect(suggested('Qualified', ['Qalifide'])).toEqual([]);
        expect(suggested('Qalifide', ['Qualified'])).toEqual([]);
    });

    it('does not suggest a stage of the same shape three letters away', () => {
        expect(looseKey('Negotiatxyz')).toHaveLength(looseKey('Negotiation').length);
        expect(boundedEditDistance('negotiation', 'negotiatxyz', 3)).toBe(3);
        expect(suggested('Negotiation', ['Negotiatxyz'])).toEqual([]);
    });

    it('keeps the best score per stage when both the API name and the label are close to it', () => {
        // The API name differs in punctuation only (0.9), the label by a letter (0.75): one suggestion, the best.
        expect(suggested('Closed_Won', ['Closed - Won'], 'Closd Won')).toEqual([
            {
                value: 'Closed_Won',
                stageId: 'stg_0',
                stageName: 'Closed - Won',
                score: 0.9,
                why: 'the value "Closed_Won" and the stage name differ only in punctuation, spaces, "-" or "_"'
            }
        ]);
        expect(suggested('Closd Won', ['Closed - Won'], 'Closed_Won')).toEqual([
            expect.objectContaining({ score: 0.9, why: expect.stringContaining('the label "Closed_Won"') as unknown })
        ]);
    });

    it('keeps the first of two equal scores for a stage: the API name before the label', () => {
        expect(suggested('Qualifed', ['Qualified'], 'Qualifyed')).toEqual([
            expect.objectContaining({ score: 0.75, why: expect.stringContaining('the value "Qualifed"') as unknown })
        ]);
    });
});

describe('looseKey and boundedEditDistance', () => {
    it('drops accents, punctuation, spaces, "-", "_" and a plural "s" per word', () => {
        expect(looseKey('Customers - Direct')).toBe('customerdirect');
        expect(looseKey('customer_direct')).toBe('customerdirect');
        expect(looseKey('Clôturés')).toBe('cloture');
        expect(looseKey('Address')).toBe('address');
        expect(looseKey('Not Interested')).toBe('notinterested');
    });

    it('counts insertions, deletions, replacements and swaps of neighbours up to the bound', () => {
        expect(boundedEditDistance('qualified', 'qualified', 2)).toBe(0);
        expect(boundedEditDistance('qualifed', 'qualified', 2)).toBe(1);
        expect(boundedEditDistance('negotaition', 'negotiation', 2)).toBe(1);
        expect(boundedEditDistance('apointmentsheduled', 'appointmentscheduled', 2)).toBe(2);
        expect(boundedEditDistance('interested', 'notinterested', 2)).toBe(3);
    });
});

describe('housekeepingReport', () => {
    const input = leadStatus(
        [{ value: 'Open - Not Contacted' }, { value: 'Working - Contacted' }, { value: 'Recycled', active: false }],
        [
            { id: 'stg_open', name: 'Open - Not Contacted' },
            { id: 'stg_working', name: 'Working - Contacted' },
            { id: 'stg_recycled', name: 'Recycled' },
            { id: 'stg_old', name: 'Old Status' },
            { id: 'stg_cold_1', name: 'Cold' },
            { id: 'stg_cold_2', name: 'COLD ' },
            { id: 'stg_spare', name: 'Spare' }
        ],
        [
            { value: 'Open - Not Contacted', stageId: 'stg_open' },
            { value: 'Working - Contacted', stageId: 'stg_deleted' },
            { value: 'Recycled', stageId: 'stg_recycled' },
            { value: 'Retired Status', stageId: 'stg_old' }
        ]
    );

    it('lists a mapping whose value no longer exists in the picklist (value-missing)', () => {
        expect(housekeepingReport(input).staleMappings).toContainEqual({
            value: 'Retired Status',
            stageId: 'stg_old',
            stageName: 'Old Status',
            reason: 'value-missing'
        });
    });

    it('lists a mapping whose value is inactive (value-inactive)', () => {
        expect(housekeepingReport(input).staleMappings).toContainEqual({
            value: 'Recycled',
            stageId: 'stg_recycled',
            stageName: 'Recycled',
            reason: 'value-inactive'
        });
    });

    it('lists a mapping whose stage no longer exists (stage-missing), without a stage name', () => {
        expect(housekeepingReport(input).staleMappings).toContainEqual({
            value: 'Working - Contacted',
            stageId: 'stg_deleted',
            reason: 'stage-missing'
        });
    });

    it('reports each stale mapping once, with the value problem first', () => {
        const report = housekeepingReport(leadStatus([], [], [{ value: 'Gone', stageId: 'stg_gone' }]));
        expect(report.staleMappings).toEqual([{ value: 'Gone', stageId: 'stg_gone', reason: 'value-missing' }]);
        expect(housekeepingReport(input).staleMappings).toHaveLength(3);
    });

    it('lists the stages of the family no mapping of this scope uses', () => {
        expect(housekeepingReport(input).unusedStages).toEqual([
            { id: 'stg_working', name: 'Working - Contacted' },
            { id: 'stg_cold_1', name: 'Cold' },
            { id: 'stg_cold_2', name: 'COLD ' },
            { id: 'stg_spare', name: 'Spare' }
        ]);
    });

    it('groups duplicate stages (same key) with their key', () => {
        expect(housekeepingReport(input).duplicateStages).toEqual([
            {
                key: 'cold',
                stages: [
                    { id: 'stg_cold_1', name: 'Cold' },
                    { id: 'stg_cold_2', name: 'COLD ' }
                ]
            }
        ]);
    });

    it('reports nothing for a tidy scope', () => {
        const tidy = leadStatus(
            [{ value: 'Open' }],
            [{ id: 'stg_open', name: 'Open' }],
            [{ value: 'Open', stageId: 'stg_open' }]
        );
        expect(housekeepingReport(tidy)).toEqual({ staleMappings: [], unusedStages: [], duplicateStages: [] });
    });
});

describe('applyPlanToState', () => {
    it('adds a mapping per map-existing and a stage plus mapping per create-and-map, keeping the rest', () => {
        const input = leadStatus(
            [
                { value: 'Open' },
                { value: 'Working' },
                { value: 'Closed', label: 'Geschlossen' },
                { value: 'Old', active: false }
            ],
            [
                { id: 'stg_open', name: 'Open' },
                { id: 'stg_cold', name: 'Cold' }
            ],
            [{ value: 'Open', stageId: 'stg_open' }]
        );
        const plan = planAutoMap(input);
        const names: string[] = [];
        const state = applyPlanToState(input, plan, (name, index) => {
            names.push(name);
            return `stg_new_${index}`;
        });
        expect(names).toEqual(['Working', 'Geschlossen']);
        expect(state.stages).toEqual([
            { id: 'stg_open', name: 'Open' },
            { id: 'stg_cold', name: 'Cold' },
            { id: 'stg_new_0', name: 'Working' },
            { id: 'stg_new_1', name: 'Geschlossen' }
        ]);
        expect(state.mappings).toEqual([
            { value: 'Open', stageId: 'stg_open' },
            { value: 'Working', stageId: 'stg_new_0' },
            { value: 'Closed', stageId: 'stg_new_1' }
        ]);
        expect(input.mappings).toHaveLength(1);
    });

    it('makes a second plan a no-op', () => {
        const input = accountTypeGerman;
        const state = applyPlanToState(input, planAutoMap(input), (_, index) => `stg_created_${index}`);
        const again = planAutoMap({ ...input, ...state });
        expect(again.summary.counts['map-existing'] + again.summary.counts['create-and-map']).toBe(0);
    });
});

describe('validatePlanInput', () => {
    const valid = (): Record<string, unknown> => ({
        object: 'Lead',
        field: 'Status',
        values: [{ value: 'Open - Not Contacted', label: 'Offen', active: true }, { value: 'Working - Contacted' }],
        stages: [{ id: 'stg_open', name: 'Offen' }],
        mappings: [{ value: 'Working - Contacted', stageId: 'stg_open' }]
    });

    /** The validation message; with `orEmpty`, '' for valid input instead of a failed test. */
    function errorOf(input: unknown, options?: { path?: string; maxValues?: number }, orEmpty = false): string {
        const result = validatePlanInput(input, options);
        if (result.ok) {
            if (orEmpty) {
                return '';
            }
            throw new Error('expected a validation error');
        }
        return result.error;
    }

    it('accepts a valid scope and returns a clean copy', () => {
        const input = valid();
        const result = validatePlanInput(input);
        expect(result).toEqual({ ok: true, value: input });
        expect(result.ok && result.value).not.toBe(input);
    });

    it('accepts null for the optional label and active (as Apex serializes unset fields) and drops them', () => {
        const result = validatePlanInput({ ...valid(), values: [{ value: 'Open', label: null, active: null }] });
        expect(result).toMatchObject({ ok: true, value: { values: [{ value: 'Open' }] } });
    });

    it('rejects a non-object input', () => {
        expect(errorOf([])).toBe(
            'the input must be a scenario object with object, field, values, stages and mappings, got an array'
        );
        expect(errorOf(null)).toContain('got null');
        expect(errorOf('Lead.Status')).toContain('got the string "Lead.Status"');
    });

    it('rejects an unknown property and names it', () => {
        expect(errorOf({ ...valid(), colour: 'red' })).toBe(
            'colour: unknown property (allowed: object, field, values, stages, mappings)'
        );
        const values = [{ value: 'Open', isDefault: true }];
        expect(errorOf({ ...valid(), values })).toBe(
            'values[0].isDefault: unknown property (allowed: value, label, active)'
        );
    });

    it.each(['object', 'field', 'values', 'stages', 'mappings'])('rejects a missing %s', (name) => {
        const input = Object.fromEntries(Object.entries(valid()).filter(([key]) => key !== name));
        const result = validatePlanInput(input);
        expect(result).toMatchObject({ ok: false, path: name });
        expect(errorOf(input)).toMatch(new RegExp(`^${name}: missing`));
    });

    it('rejects an object auto-map does not support', () => {
        expect(errorOf({ ...valid(), object: 'Opportunity' })).toBe(
            'object: "Opportunity" is not supported (use Contact, Lead or Account)'
        );
    });

    it('rejects a blank field', () => {
        expect(errorOf({ ...valid(), field: '  ' })).toBe('field: must not be empty or blank');
    });

    it('rejects values that are not an array', () => {
        expect(errorOf({ ...valid(), values: { value: 'Open' } })).toBe('values: must be an array, got an object');
    });

    it('rejects a value that is not a string, empty or blank', () => {
        expect(errorOf({ ...valid(), values: [{ value: 42 }] })).toBe(
            'values[0].value: must be a string, got number 42'
        );
        expect(errorOf({ ...valid(), values: [{ value: '' }] })).toBe('values[0].value: must not be empty or blank');
        expect(errorOf({ ...valid(), values: [{ value: '\u3000' }] })).toBe(
            'values[0].value: must not be empty or blank'
        );
    });

    it('rejects a value, label or stage name of nothing but invisible characters as blank', () => {
        expect(errorOf({ ...valid(), values: [{ value: '\u200b' }] })).toBe(
            'values[0].value: must not be empty or blank'
        );
        expect(errorOf({ ...valid(), values: [{ value: 'Open', label: '\u3164\u2800' }] })).toBe(
            'values[0].label: must not be empty or blank'
        );
        expect(errorOf({ ...valid(), stages: [{ id: 'stg_x', name: '\u00ad\u034f' }] })).toBe(
            'stages[0].name: must not be empty or blank'
        );
    });

    it.each([
        ['NUL', '\u0000', '0000'],
        ['a newline', '\n', '000A'],
        ['DEL', '\u007f', '007F'],
        ['a C1 control', '\u0080', '0080'],
        ['NEL (next line)', '\u0085', '0085'],
        ['the last C1 control', '\u009f', '009F'],
        ['a left-to-right embedding', '\u202a', '202A'],
        ['a right-to-left override', '\u202e', '202E'],
        ['a left-to-right isolate', '\u2066', '2066'],
        ['a pop directional isolate', '\u2069', '2069'],
        ['a lone high surrogate', '\ud800', 'D800'],
        ['a lone low surrogate', '\udc00', 'DC00']
    ])('rejects %s in a value, a label or a stage name, naming it and where', (_name, character, code) => {
        const message = `must not contain control characters or bidirectional formatting characters (U+${code} at character 4)`;
        expect(errorOf({ ...valid(), values: [{ value: `Ope${character}n` }] })).toBe(`values[0].value: ${message}`);
        expect(errorOf({ ...valid(), values: [{ value: 'Open', label: `Off${character}en` }] })).toBe(
            `values[0].label: ${message}`
        );
        expect(errorOf({ ...valid(), stages: [{ id: 'stg_x', name: `Off${character}en` }] })).toBe(
            `stages[0].name: ${message}`
        );
    });

    it('accepts the invisible characters it folds, the neighbours of the refused ranges and emoji', () => {
        for (const value of [
            'Cold\u200b',
            'Kunden\u00adbetreuung',
            '\u00a0Open',
            'Open\u00a1',
            '\u2029x',
            'A\u206a',
            '🚀'
        ]) {
            expect(validatePlanInput({ ...valid(), values: [{ value }] }).ok).toBe(true);
        }
    });

    it('rejects a value over 255 characters, counting characters not UTF-16 units', () => {
        const emoji = '🚀'.repeat(MAX_TEXT_LENGTH);
        expect(validatePlanInput({ ...valid(), values: [{ value: emoji }] }).ok).toBe(true);
        expect(errorOf({ ...valid(), values: [{ value: 'x'.repeat(256) }] })).toBe(
            'values[0].value: longer than 255 characters (256)'
        );
    });

    it('rejects a label over 255 characters, blank, or not a string', () => {
        expect(errorOf({ ...valid(), values: [{ value: 'Open', label: 'é'.repeat(256) }] })).toBe(
            'values[0].label: longer than 255 characters (256)'
        );
        expect(errorOf({ ...valid(), values: [{ value: 'Open', label: ' ' }] })).toBe(
            'values[0].label: must not be empty or blank'
        );
        expect(errorOf({ ...valid(), values: [{ value: 'Open', label: ['Offen'] }] })).toBe(
            'values[0].label: must be a string, got an array'
        );
    });

    it('rejects an active flag that is not a boolean', () => {
        expect(errorOf({ ...valid(), values: [{ value: 'Open', active: 'yes' }] })).toBe(
            'values[0].active: must be true or false, got the string "yes"'
        );
    });

    it('rejects a duplicate value (exact API name) and says where the first one is', () => {
        const values = [{ value: 'Open' }, { value: 'open' }, { value: 'Working' }, { value: 'Open' }];
        const result = validatePlanInput({ ...valid(), values });
        expect(result).toEqual({
            ok: false,
            path: 'values[3].value',
            error: 'values[3].value: duplicate value "Open" (already at values[0])'
        });
    });

    it('rejects bad stages: duplicate id, missing or over-long name', () => {
        const twice = [
            { id: 'stg_a', name: 'Cold' },
            { id: 'stg_a', name: 'Warm' }
        ];
        expect(errorOf({ ...valid(), stages: twice })).toBe(
            'stages[1].id: duplicate stage id "stg_a" (already at stages[0])'
        );
        expect(errorOf({ ...valid(), stages: [{ id: 'stg_a' }] })).toBe('stages[0].name: missing (a text is required)');
        expect(errorOf({ ...valid(), stages: [{ id: 'stg_a', name: 'n'.repeat(300) }] })).toBe(
            'stages[0].name: longer than 255 characters (300)'
        );
    });

    it('rejects mappings that break 1:1: a value or a stage mapped twice', () => {
        const sameValue = [
            { value: 'Open', stageId: 'stg_a' },
            { value: 'Open', stageId: 'stg_b' }
        ];
        expect(errorOf({ ...valid(), mappings: sameValue })).toBe(
            'mappings[1].value: duplicate mapping for value "Open" (already at mappings[0]); a value maps to at most one stage'
        );
        const sameStage = [
            { value: 'Open', stageId: 'stg_a' },
            { value: 'Working', stageId: 'stg_a' }
        ];
        expect(errorOf({ ...valid(), mappings: sameStage })).toBe(
            'mappings[1].stageId: stage "stg_a" is already mapped at mappings[0]; a stage maps to at most one value per field'
        );
        expect(errorOf({ ...valid(), mappings: [{ value: 'Open' }] })).toBe(
            'mappings[0].stageId: missing (a text is required)'
        );
    });

    it('refuses more values than maxValues', () => {
        expect(errorOf(valid(), { maxValues: 1 })).toBe('values: too many values (2, at most 1)');
    });

    it('accepts exactly maxValues values', () => {
        expect(validatePlanInput(valid(), { maxValues: 2 }).ok).toBe(true);
    });

    it('quotes a value of up to 60 characters whole in a message, and cuts a longer one to 57 and "..."', () => {
        const duplicate = (value: string): string => errorOf({ ...valid(), values: [{ value }, { value }] });
        const sixty = 'Closed - Not Converted (duplicate of an older status) -- 60!';
        expect(sixty).toHaveLength(60);
        expect(duplicate(sixty)).toBe(`values[1].value: duplicate value "${sixty}" (already at values[0])`);
        expect(duplicate(`${sixty}x`)).toBe(
            `values[1].value: duplicate value "${sixty.slice(0, 57)}..." (already at values[0])`
        );
    });

    it('counts characters, not UTF-16 units, when it cuts a quoted value', () => {
        const duplicate = (value: string): string => errorOf({ ...valid(), values: [{ value }, { value }] });
        expect(duplicate('🚀'.repeat(60))).toBe(
            `values[1].value: duplicate value "${'🚀'.repeat(60)}" (already at values[0])`
        );
        expect(duplicate('🚀'.repeat(61))).toBe(
            `values[1].value: duplicate value "${'🚀'.repeat(57)}..." (already at values[0])`
        );
    });

    it('counts a high-low pair as one character, and refuses a lone or reversed surrogate where it stands', () => {
        // 86 groups of a pair and a letter: 172 characters, within the limit.
        expect(errorOf({ ...valid(), values: [{ value: '\ud800\udc00a'.repeat(86) }] }, undefined, true)).toBe('');
        expect(errorOf({ ...valid(), values: [{ value: '\udbff\udfffa'.repeat(86) }] }, undefined, true)).toBe('');
        const refusedAt = (value: string): string => errorOf({ ...valid(), values: [{ value }] });
        const message = (code: string, at: number): string =>
            `values[0].value: must not contain control characters or bidirectional formatting characters (U+${code} at character ${at})`;
        // The position counts a pair before it as one character.
        expect(refusedAt('🚀🚀\udc00\ud800')).toBe(message('DC00', 3)); // reversed: a lone low one first
        expect(refusedAt('a\ud7ff\udc00')).toBe(message('DC00', 3)); // below the high range, then a lone low one
        expect(refusedAt('a\ud800\ue000')).toBe(message('D800', 2)); // a lone high one, then above the low range
        expect(refusedAt('\udbff\ud800\udc00')).toBe(message('DBFF', 1)); // a high one before a pair
        expect(refusedAt('\udc00\udfff')).toBe(message('DC00', 1)); // two low ones
        expect(refusedAt(`${'a'.repeat(254)}\ud83d`)).toBe(message('D83D', 255)); // a lone high one at the very end
        expect(errorOf({ ...valid(), values: [{ value: '🚀'.repeat(255) }] }, undefined, true)).toBe('');
        expect(errorOf({ ...valid(), values: [{ value: '🚀'.repeat(256) }] })).toBe(
            'values[0].value: longer than 255 characters (256)'
        );
    });

    it('prefixes every path with the given path', () => {
        const values = [{ value: 'Open' }, { value: 'Open' }];
        expect(validatePlanInput({ ...valid(), values }, { path: 'scenario[2]' })).toEqual({
            ok: false,
            path: 'scenario[2].values[1].value',
            error: 'scenario[2].values[1].value: duplicate value "Open" (already at scenario[2].values[0])'
        });
        expect(errorOf(7, { path: 'scenario[0]' })).toBe(
            'scenario[0]: must be a scenario object with object, field, values, stages and mappings, got number 7'
        );
    });

    it('accepts every scope the fixtures hold', () => {
        expect(validatePlanInput(accountTypeGerman).ok).toBe(true);
        expect(validatePlanInput(leadStatusFrench).ok).toBe(true);
    });
});

function deepFreeze<T>(value: T): T {
    if (typeof value === 'object' && value !== null) {
        for (const child of Object.values(value)) {
            deepFreeze(child);
        }
        Object.freeze(value);
    }
    return value;
}

describe('validateText', () => {
    it('returns a text that passes, unchanged', () => {
        expect(validateText('Cold\u200b', 'body.value')).toEqual({ ok: true, value: 'Cold\u200b' });
    });

    it('names the path and the problem as validatePlanInput does', () => {
        expect(validateText('   ', 'body.value')).toEqual({
            ok: false,
            path: 'body.value',
            error: 'body.value: must not be empty or blank'
        });
        expect(validateText('\u200b', 'body.name')).toMatchObject({ ok: false, path: 'body.name' });
        expect(validateText('Bad\u0085', 'body.name')).toEqual({
            ok: false,
            path: 'body.name',
            error: 'body.name: must not contain control characters or bidirectional formatting characters (U+0085 at character 4)'
        });
        expect(validateText(42, 'body.name')).toMatchObject({
            ok: false,
            error: 'body.name: must be a string, got number 42'
        });
        expect(validateText('x'.repeat(256), 'body.name')).toMatchObject({ ok: false });
    });
});
