/**
 * Edges of the engine's rules that the mutation run (`npm run test:mutation`) found untested: each test names the
 * behaviour it pins down. The mutants that cannot change behaviour are listed in stryker.equivalent.md instead.
 */
import { planAutoMap } from 'c/autoMapEngine';
import type { PicklistValueInput, PlanInput, StageInput } from 'c/autoMapEngine';

function leadStatus(values: PicklistValueInput[], stages: StageInput[] = []): PlanInput {
    return { object: 'Lead', field: 'Status', values, stages, mappings: [] };
}

describe('labels: a missing, empty or blank label is the API name', () => {
    it.each([[undefined], [''], ['   '], ['\u00a0\u3000']])(
        'creates the stage for "Nurturing" by its API name when its label is %j',
        (label) => {
            const value: PicklistValueInput =
                label === undefined ? { value: 'Nurturing' } : { value: 'Nurturing', label };
            expect(planAutoMap(leadStatus([value])).outcomes).toEqual([
                expect.objectContaining({
                    value: 'Nurturing',
                    label: 'Nurturing',
                    outcome: 'create-and-map',
                    stageName: 'Nurturing'
                })
            ]);
        }
    );
});

describe('suggestions: ties', () => {
    it.each([[['stg_b', 'stg_a']], [['stg_a', 'stg_b']]])(
        'orders two equally good stages of one name by id, whatever their order in the input (%j)',
        (ids) => {
            const stages = ids.map((id) => ({ id, name: 'Nurturng' }));
            const { suggestions } = planAutoMap(leadStatus([{ value: 'Nurturing' }], stages));
            expect(suggestions.map(({ stageId, stageName, score }) => `${stageId} ${stageName} ${score}`)).toEqual([
                'stg_a Nurturng 0.75',
                'stg_b Nurturng 0.75'
            ]);
        }
    );
});
