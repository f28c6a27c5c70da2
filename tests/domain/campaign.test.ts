import { describe, expect, it } from 'vitest'
import {
  Campaign,
  CampaignCreate,
  type CampaignTargeting,
  type CampaignVisit,
  campaignFigures,
  campaignHouseholdState,
  ChecklistTemplate,
  checkAnswers,
  countedVisit,
  FloorArea,
  Household,
  isHazardAnswer,
  isStillOpen,
  selectsHousehold,
  Visit,
} from '../../src/domain'
import { MAJOR_MATTER } from '../../src/domain/voteRules'
import { ids, validCampaign, validHousehold, validTemplate, validVisit } from '../support/fixtures'
import { messagesOf } from './messagesOf'

const noTargeting: CampaignTargeting = { gridIds: [], compounds: [], buildingIds: [], units: [], tags: [], attention: [] }
const uuid = (n: number) => `0190a000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`

describe('a campaign record', () => {
  it('is valid as the fixture has it', () => {
    expect(Campaign.safeParse(validCampaign()).success).toBe(true)
  })

  it('needs at least one criterion (or a vote scope), a deadline not before its start, a vote only when it is one', () => {
    expect(messagesOf(Campaign.safeParse(validCampaign({ targeting: noTargeting })))).toEqual(['请至少选一个条件：网格、小区、楼栋、单元、标签或关注程度'])
    expect(messagesOf(Campaign.safeParse(validCampaign({ deadline: '2026-11-19' })))).toEqual(['截止日期不能早于开始日期'])
    const vote = { rule: MAJOR_MATTER, scope: { kind: 'unit' as const, buildingId: ids.building, unit: '1' } }
    expect(messagesOf(Campaign.safeParse(validCampaign({ vote })))).toEqual(['只有表决任务才有表决规则和范围'])
    expect(Campaign.safeParse(validCampaign({ kind: 'vote', vote, targeting: noTargeting })).success, 'a vote’s scope is its targeting').toBe(true)
  })

  it('never targets by a 政法 tag: the workers would read it off the list', () => {
    const r = Campaign.safeParse(validCampaign({ targeting: { ...noTargeting, tags: ['correction'] } }))
    expect(messagesOf(r)).toEqual(['专项任务不能按政法标签选户：网格员会从任务的户里看出这些标签'])
    expect(Campaign.safeParse(validCampaign({ targeting: { ...noTargeting, tags: ['elderly_alone'] } })).success).toBe(true)
  })

  it('a title up to 50 characters; a create fills in what it may leave out', () => {
    expect(messagesOf(Campaign.safeParse(validCampaign({ title: '燃'.repeat(51) })))).toEqual(['任务名称最多50字'])
    const c = CampaignCreate.parse({ title: '排查', kind: 'inspection', templateId: ids.template, startDay: '2026-11-20', deadline: '2026-11-30', targeting: { gridIds: [ids.grid] } })
    expect(c).toMatchObject({ description: '', secondAttempt: true, vote: null, targeting: { ...noTargeting, gridIds: [ids.grid] } })
    expect(CampaignCreate.safeParse({ ...c, createdBy: ids.worker }).success, 'strict: the server decides who made it').toBe(false)
  })
})

describe('a household’s floor area (建筑面积)', () => {
  it('is optional, above 0, at most 10,000 ㎡, in hundredths', () => {
    expect(Household.safeParse(validHousehold()).success).toBe(true)
    for (const area of [0.01, 89.07, 120, 10_000, null]) expect(Household.safeParse(validHousehold({ area })).success, String(area)).toBe(true)
    expect(messagesOf(FloorArea.safeParse(0))).toEqual(['建筑面积要大于0'])
    expect(messagesOf(FloorArea.safeParse(10_000.01))).toEqual(['建筑面积最多10000平方米'])
    expect(messagesOf(FloorArea.safeParse(89.071))).toEqual(['建筑面积最多两位小数'])
  })
})

describe('a visit for a campaign', () => {
  it('names the campaign with its answers; nobody answers at a closed door', () => {
    expect(Visit.safeParse(validVisit({ campaignId: ids.campaign, campaignAnswers: { stance: 'agree' }, respondent: 'owner' })).success).toBe(true)
    expect(messagesOf(Visit.safeParse(validVisit({ campaignAnswers: { x: true } })))).toEqual(['任务的回答要写明是哪个专项任务'])
    const closed = validVisit({ outcome: 'not_home', residentIds: [], campaignId: ids.campaign })
    expect(Visit.safeParse(closed).success).toBe(true)
    expect(Visit.safeParse({ ...closed, campaignAnswers: {} }).success, 'empty answers are none').toBe(true)
    expect(messagesOf(Visit.safeParse({ ...closed, campaignAnswers: { x: true } }))).toEqual(['不在家或拒访时不能填任务的回答'])
    expect(messagesOf(Visit.safeParse({ ...closed, outcome: 'refused', respondent: 'owner' }))).toEqual(['不在家或拒访时没有回答的人'])
    expect(Visit.safeParse(validVisit({ campaignId: ids.campaign, respondent: 'landlord' as never })).success).toBe(false)
  })
})

const stanceTemplate = validTemplate({
  items: [
    { id: 'stance', label: '是否同意加装电梯', kind: 'stance', required: true },
    { id: 'gas', label: '燃气管道完好', kind: 'yesno', required: false, hazardWhen: false },
    { id: 'guard', label: '熄火保护', kind: 'choice', options: ['有', '没有', '不清楚'], required: false, hazardWhen: ['没有'] },
    { id: 'n', label: '灭火器', kind: 'number', min: 0, max: 5, required: false },
  ],
})

describe('表态 items and hazard markers in a checklist', () => {
  it('a stance is one of the four answers; 有条件同意 needs its condition under `<id>_note`, the others none', () => {
    expect(ChecklistTemplate.safeParse(stanceTemplate).success).toBe(true)
    for (const stance of ['agree', 'oppose', 'abstain']) expect(checkAnswers(stanceTemplate, { stance }), stance).toEqual([])
    expect(checkAnswers(stanceTemplate, { stance: 'conditional', stance_note: '一楼要补偿' })).toEqual([])
    expect(checkAnswers(stanceTemplate, { stance: 'yes' }).map((p) => p.message)).toEqual(['「是否同意加装电梯」应选 同意/反对/弃权/有条件同意'])
    expect(checkAnswers(stanceTemplate, { stance: 'conditional' }).map((p) => p.message)).toEqual(['「是否同意加装电梯」选了有条件同意，请写明条件'])
    expect(checkAnswers(stanceTemplate, { stance: 'conditional', stance_note: '  ' }).map((p) => p.itemId)).toEqual(['stance_note'])
    expect(checkAnswers(stanceTemplate, { stance: 'agree', stance_note: '无' }).map((p) => p.message)).toEqual(['「是否同意加装电梯」只有选了有条件同意才写条件'])
    expect(checkAnswers(stanceTemplate, {}).map((p) => p.message)).toEqual(['「是否同意加装电梯」必须填写'])
    expect(checkAnswers(stanceTemplate, { stance: 'agree', gas_note: 'x' }).map((p) => p.itemId), 'only a stance item has a note').toEqual(['gas_note'])
  })

  it('a template refuses a hazard option that is not an option, and an item named like a stance’s note', () => {
    const bad = { ...stanceTemplate, items: stanceTemplate.items.map((i) => (i.id === 'guard' ? { ...i, hazardWhen: ['坏了'] } : i)) }
    expect(messagesOf(ChecklistTemplate.safeParse(bad))).toEqual(['「有隐患」的选项要在这一项的选项里'])
    const clash = { ...stanceTemplate, items: [...stanceTemplate.items, { id: 'stance_note', label: '备注', kind: 'text' as const, required: false }] }
    expect(messagesOf(ChecklistTemplate.safeParse(clash))).toEqual(['表态项的条件说明占用「编号_note」，不能再有同名的项目'])
  })

  it('a hazard is the marked answer: false for a yes/no marked false, a marked option; nothing else', () => {
    const [, gas, guard, n] = stanceTemplate.items
    expect([isHazardAnswer(gas!, false), isHazardAnswer(gas!, true), isHazardAnswer(gas!, undefined)]).toEqual([true, false, false])
    expect([isHazardAnswer(guard!, '没有'), isHazardAnswer(guard!, '有'), isHazardAnswer(n!, 0)]).toEqual([true, false, false])
    const unmarked = { id: 'x', label: 'x', kind: 'yesno' as const, required: false }
    expect([isHazardAnswer(unmarked, true), isHazardAnswer(unmarked, false)]).toEqual([false, false])
  })
})

describe('where a household stands in a campaign', () => {
  const v = (outcome: CampaignVisit['outcome']) => ({ outcome })
  it('reached once is done whatever came after; a refusal is final; a closed door an attempt', () => {
    expect(campaignHouseholdState([])).toBe('not_yet')
    expect(campaignHouseholdState([v('not_home')])).toBe('attempted')
    expect(campaignHouseholdState([v('not_home'), v('refused')])).toBe('refused')
    expect(campaignHouseholdState([v('refused'), v('not_home')])).toBe('refused')
    expect(campaignHouseholdState([v('met'), v('not_home')])).toBe('done')
    expect(campaignHouseholdState([v('refused'), v('phone')])).toBe('done')
  })

  it('a closed door stays open for a second attempt only when the campaign asks for one', () => {
    expect([isStillOpen('attempted', true), isStillOpen('attempted', false)]).toEqual([true, false])
    expect([isStillOpen('not_yet', false), isStillOpen('refused', true), isStillOpen('done', true)]).toEqual([true, false, false])
  })

  it('the answers that count are the latest that reached somebody', () => {
    const visit = (id: number, startedAt: string, outcome: CampaignVisit['outcome']): CampaignVisit => ({ id: uuid(id), householdId: ids.household, startedAt, outcome, workerId: ids.worker })
    const early = visit(1, '2026-11-20T01:00:00.000Z', 'met')
    const late = visit(2, '2026-11-21T09:00:00+08:00', 'phone')
    const after = visit(3, '2026-11-22T01:00:00.000Z', 'not_home')
    expect(countedVisit([late, after, early])?.id).toBe(late.id)
    const sameInstant = visit(4, late.startedAt, 'met')
    expect(countedVisit([sameInstant, late])?.id, 'ties go to the later id').toBe(sameInstant.id)
    expect(countedVisit([after])).toBeNull()
  })
})

describe('who a targeting selects', () => {
  const b1 = uuid(101)
  const b2 = uuid(102)
  const compoundOf = (id: string) => ({ [b1]: '幸福里小区', [b2]: '教师新村' })[id]
  type Target = Parameters<typeof selectsHousehold>[2]
  const h = (over: Partial<Target> = {}): Target => ({ gridId: ids.grid, buildingId: b1, unit: '1', tags: [], attention: 'normal', ...over })
  type Targeting = Parameters<typeof selectsHousehold>[0]
  const t = (over: Partial<Targeting> = {}): Targeting => ({ ...noTargeting, ...over })

  it('places add up; tags and attention narrow', () => {
    expect(selectsHousehold(t({ buildingIds: [b2], units: [{ buildingId: b1, unit: '1' }] }), null, h(), compoundOf)).toBe(true)
    expect(selectsHousehold(t({ buildingIds: [b2], units: [{ buildingId: b1, unit: '2' }] }), null, h(), compoundOf)).toBe(false)
    expect(selectsHousehold(t({ compounds: ['幸福里小区'] }), null, h(), compoundOf)).toBe(true)
    expect(selectsHousehold(t({ compounds: ['教师新村'] }), null, h(), compoundOf)).toBe(false)
    expect(selectsHousehold(t({ gridIds: [ids.grid], tags: ['dibao'] }), null, h(), compoundOf)).toBe(false)
    expect(selectsHousehold(t({ gridIds: [ids.grid], tags: ['dibao', 'disabled'] }), null, h({ tags: ['disabled'] }), compoundOf)).toBe(true)
    expect(selectsHousehold(t({ attention: ['high'] }), null, h({ attention: 'high' }), compoundOf), 'a level alone, anywhere').toBe(true)
    expect(selectsHousehold(t({ attention: ['high', 'key'] }), null, h(), compoundOf)).toBe(false)
    expect(selectsHousehold(t(), null, h(), compoundOf), 'no criterion selects nobody').toBe(false)
    expect(selectsHousehold(t({ buildingIds: [b1] }), null, h({ buildingId: null }), compoundOf)).toBe(false)
  })

  it('a vote’s scope is always targeted: its unit, building or compound', () => {
    expect(selectsHousehold(t(), { kind: 'unit', buildingId: b1, unit: '1' }, h(), compoundOf)).toBe(true)
    expect(selectsHousehold(t(), { kind: 'unit', buildingId: b1, unit: '2' }, h(), compoundOf)).toBe(false)
    expect(selectsHousehold(t(), { kind: 'building', buildingId: b1 }, h({ unit: '3' }), compoundOf)).toBe(true)
    expect(selectsHousehold(t(), { kind: 'compound', compound: '教师新村' }, h({ buildingId: b2 }), compoundOf)).toBe(true)
    expect(selectsHousehold(t({ tags: ['dibao'] }), { kind: 'building', buildingId: b1 }, h(), compoundOf), 'whatever the targeting narrows').toBe(true)
  })
})

describe('what a campaign counts', () => {
  const grid2 = uuid(201)
  const b = uuid(301)
  const hh = (n: number, over: { gridId?: string; unit?: string; area?: number | null } = {}) => ({ householdId: uuid(400 + n), gridId: ids.grid, buildingId: b, unit: '1', area: 100, ...over })
  let seq = 0
  const visit = (n: number, day: number, outcome: CampaignVisit['outcome'], extra: Partial<CampaignVisit> = {}): CampaignVisit => ({
    id: uuid(1000 + ++seq),
    householdId: uuid(400 + n),
    startedAt: `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`,
    outcome,
    workerId: ids.worker,
    ...extra,
  })
  const template = stanceTemplate
  const base = {
    at: '2026-11-25T00:00:00.000Z',
    template,
    grids: new Map([[ids.grid, { code: '001', name: '第一网格' }], [grid2, { code: '002', name: '第二网格' }]]),
    buildings: new Map([[b, { compound: '幸福里小区', number: '3号楼' }]]),
  }

  it('progress per cell, building and unit: done, attempted (refused among them), not yet, open', () => {
    const f = campaignFigures({
      ...base,
      secondAttempt: true,
      vote: null,
      targets: [hh(1), hh(2), hh(3), hh(4, { gridId: grid2, unit: '2' }), hh(5, { gridId: grid2, unit: '2' })],
      visits: [visit(1, 20, 'not_home'), visit(1, 21, 'met', { campaignAnswers: { stance: 'agree' } }), visit(2, 20, 'refused'), visit(4, 22, 'not_home'), visit(9, 22, 'met')],
    })
    expect(f.progress.totals).toEqual({ targets: 5, done: 1, attempted: 2, refused: 1, notYet: 2, open: 3 })
    expect(f.progress.byGrid.map((g) => [g.code, g.targets, g.done, g.attempted, g.notYet])).toEqual([['001', 3, 1, 1, 1], ['002', 2, 0, 1, 1]])
    expect(f.progress.byUnit.map((u) => [u.unit, u.targets])).toEqual([['1', 3], ['2', 2]])
    expect(f.progress.byBuilding.map((x) => [x.number, x.gridId, x.targets])).toEqual([['3号楼', ids.grid, 3], ['3号楼', grid2, 2]])
    const once = campaignFigures({ ...base, secondAttempt: false, vote: null, targets: [hh(1), hh(4)], visits: [visit(4, 22, 'not_home')] })
    expect(once.progress.totals.open, 'without a second attempt a closed door is finished').toBe(1)
  })

  it('items over each household’s latest answer, shares of those who answered, hazards listed', () => {
    const f = campaignFigures({
      ...base,
      secondAttempt: true,
      vote: null,
      targets: [hh(1), hh(2), hh(3)],
      visits: [
        visit(1, 20, 'met', { campaignAnswers: { stance: 'oppose', gas: false } }),
        visit(1, 22, 'met', { campaignAnswers: { stance: 'agree', gas: true, n: 2 } }),
        visit(2, 21, 'phone', { campaignAnswers: { stance: 'agree', guard: '没有', n: 4 } }),
        visit(3, 21, 'met', { campaignAnswers: { stance: 'conditional', stance_note: '补偿', gas: false } }),
        visit(3, 23, 'not_home'),
      ],
    })
    expect(f.answeredHouseholds).toBe(3)
    const stance = f.items.find((i) => i.itemId === 'stance')!
    expect(stance.options.map((o) => [o.value, o.count])).toEqual([['agree', 2], ['oppose', 0], ['abstain', 0], ['conditional', 1]])
    expect(stance.options[0]!.share).toBeCloseTo(2 / 3)
    const gas = f.items.find((i) => i.itemId === 'gas')!
    expect([gas.answered, gas.options.map((o) => [o.label, o.count, o.hazard])]).toEqual([2, [['是', 1, false], ['否', 1, true]]])
    expect(f.items.find((i) => i.itemId === 'n')!.number).toEqual({ min: 2, max: 4, mean: 3, sum: 6 })
    expect(f.hazards.map((x) => [x.householdId, x.items.map((i) => i.item.id)])).toEqual([[uuid(402), ['guard']], [uuid(403), ['gas']]])
    expect(f.hazardHouseholds).toBe(2)
  })

  it('a vote counts the scope’s households by their owner’s latest answer, by number and area', () => {
    const vote = { rule: MAJOR_MATTER, scope: { kind: 'unit' as const, buildingId: b, unit: '1' } }
    const f = campaignFigures({
      ...base,
      secondAttempt: true,
      vote,
      targets: [hh(1, { area: 90 }), hh(2, { area: 110.5 }), hh(3, { area: 80 }), hh(4, { unit: '2', area: 70 })],
      visits: [
        visit(1, 20, 'met', { campaignAnswers: { stance: 'oppose' }, respondent: 'owner' }),
        visit(1, 22, 'met', { campaignAnswers: { stance: 'agree' }, respondent: 'owner' }),
        visit(1, 23, 'met', { campaignAnswers: { stance: 'oppose' }, respondent: 'family' }),
        visit(2, 21, 'met', { campaignAnswers: { stance: 'agree' }, respondent: 'tenant' }),
        visit(3, 21, 'phone', { campaignAnswers: { stance: 'abstain' }, respondent: 'owner' }),
        visit(4, 21, 'met', { campaignAnswers: { stance: 'agree' }, respondent: 'owner' }),
      ],
    })
    const { tally, answeredByOthersOnly } = f.vote!
    expect(answeredByOthersOnly).toBe(1)
    expect([tally.households.total, tally.households.participants, tally.households.agree, tally.households.abstain]).toEqual([3, 2, 1, 1])
    expect([tally.area.total, tally.area.participants, tally.area.agree]).toEqual([280.5, 170, 90])
    // Two of three owners took part, but only 170 of 280.5 ㎡: short of two thirds by area.
    expect([tally.households.participationPassed, tally.area.participationPassed, tally.status]).toEqual([true, false, 'participation_short'])
  })
})

describe('the edges of a targeting, a count and a tally', () => {
  const b1 = uuid(501)
  const b2 = uuid(502)
  const compoundOf = (id: string) => ({ [b1]: '幸福里小区', [b2]: '教师新村' })[id]
  type Target = Parameters<typeof selectsHousehold>[2]
  const h = (over: Partial<Target> = {}): Target => ({ gridId: ids.grid, buildingId: b1, unit: '1', tags: [], attention: 'normal', ...over })
  const t = (over: Partial<CampaignTargeting> = {}): CampaignTargeting => ({ ...noTargeting, ...over })

  it('a household with no building is in no vote scope; a compound scope is that compound only', () => {
    const loose = h({ buildingId: null, unit: null })
    expect(selectsHousehold(t(), { kind: 'compound', compound: '幸福里小区' }, loose, () => '幸福里小区')).toBe(false)
    expect(selectsHousehold(t(), { kind: 'building', buildingId: b1 }, loose, compoundOf)).toBe(false)
    expect(selectsHousehold(t(), { kind: 'compound', compound: '教师新村' }, h(), compoundOf), 'another compound’s household').toBe(false)
  })

  it('a unit names its building: the same unit number in another building is not selected', () => {
    expect(selectsHousehold(t({ units: [{ buildingId: b2, unit: '1' }] }), null, h(), compoundOf)).toBe(false)
  })

  it('a cell and a compound both named: a household in neither is not selected', () => {
    const elsewhere = h({ gridId: uuid(599), buildingId: b2 })
    expect(selectsHousehold(t({ gridIds: [ids.grid], compounds: ['幸福里小区'] }), null, elsewhere, compoundOf)).toBe(false)
    expect(selectsHousehold(t({ gridIds: [ids.grid], compounds: ['幸福里小区'] }), null, h({ gridId: uuid(599) }), compoundOf)).toBe(true)
  })

  it('two visits begun the same instant: the later id counts, whichever order they come in', () => {
    const visit = (id: number, stance: string): CampaignVisit => ({ id: uuid(id), householdId: ids.household, startedAt: '2026-11-21T01:00:00.000Z', outcome: 'met', workerId: ids.worker, campaignAnswers: { stance } })
    const first = visit(1, 'oppose')
    const second = visit(2, 'agree')
    expect(countedVisit([first, second])?.id).toBe(second.id)
    expect(countedVisit([second, first])?.id).toBe(second.id)
    expect(countedVisit([visit(3, 'oppose'), second, first, visit(0, 'oppose')])?.id).toBe(uuid(3))
  })

  // A count over cells, buildings and units given out of order, as the register lists them.
  const g2 = uuid(602)
  const g10 = uuid(610)
  const gUnknown = uuid(699)
  const bA2 = uuid(702) // 幸福里小区 2号楼, in cell G2
  const bA10 = uuid(710) // 幸福里小区 10号楼, in cell G2
  const bB1 = uuid(711) // 教师新村 3号楼, in cell G2
  const bC = uuid(712) // 爱家花园 5号楼, in cell G10: first by compound, last by cell
  const grids = new Map([[g10, { code: 'G10', name: '第十网格' }], [g2, { code: 'G2', name: '第二网格' }]])
  const buildings = new Map([
    [bB1, { compound: '教师新村', number: '3号楼' }],
    [bA10, { compound: '幸福里小区', number: '10号楼' }],
    [bC, { compound: '爱家花园', number: '5号楼' }],
    [bA2, { compound: '幸福里小区', number: '2号楼' }],
  ])
  let n = 0
  const target = (gridId: string, buildingId: string | null, unit: string | null) => ({ householdId: uuid(800 + ++n), gridId, buildingId, unit, area: 100 })
  const figures = (over: Partial<Parameters<typeof campaignFigures>[0]>) =>
    campaignFigures({ at: '2026-11-25T00:00:00.000Z', secondAttempt: true, vote: null, template: stanceTemplate, targets: [], visits: [], grids, buildings, ...over })

  it('cells, buildings and units come in walking order, numbers counted as numbers', () => {
    const targets = [
      target(g10, bC, '1'),
      target(g2, bB1, '1'),
      target(g2, bA10, '2'),
      target(g2, bA10, '10'),
      target(g2, bA10, '1'),
      target(g2, bA2, '1'),
      target(g2, bA2, '1'),
    ]
    const f = figures({ targets })
    expect(f.progress.byGrid.map((g) => [g.code, g.name, g.targets])).toEqual([['G2', '第二网格', 6], ['G10', '第十网格', 1]])
    expect(f.progress.byBuilding.map((b) => [b.compound, b.number, b.targets])).toEqual([
      ['教师新村', '3号楼', 1],
      ['幸福里小区', '2号楼', 2],
      ['幸福里小区', '10号楼', 3],
      ['爱家花园', '5号楼', 1],
    ])
    expect(f.progress.byUnit.map((u) => [buildings.get(u.buildingId!)!.number, u.unit, u.targets])).toEqual([
      ['3号楼', '1', 1],
      ['2号楼', '1', 2],
      ['10号楼', '1', 1],
      ['10号楼', '2', 1],
      ['10号楼', '10', 1],
      ['5号楼', '1', 1],
    ])
  })

  it('a cell or building the register no longer has, and a household with no building, are still counted, with blank names', () => {
    const f = figures({ targets: [target(g2, bA2, '1'), target(gUnknown, null, null), target(gUnknown, uuid(799), '1')] })
    expect(f.progress.byGrid.map(({ gridId, code, name, targets }) => ({ gridId, code, name, targets }))).toEqual([
      { gridId: gUnknown, code: '', name: '', targets: 2 },
      { gridId: g2, code: 'G2', name: '第二网格', targets: 1 },
    ])
    expect(f.progress.byBuilding.map((b) => [b.buildingId, b.compound, b.number, b.targets])).toEqual([
      [null, '', '', 1],
      [uuid(799), '', '', 1],
      [bA2, '幸福里小区', '2号楼', 1],
    ])
    expect(f.progress.totals.targets).toBe(3)
  })

  it('a household’s last visit is its latest, whatever order the visits come in', () => {
    const one = target(g2, bA2, '1')
    const visit = (day: number, outcome: CampaignVisit['outcome']): CampaignVisit => ({ id: uuid(900 + day), householdId: one.householdId, startedAt: `2026-11-${day}T02:00:00.000Z`, outcome, workerId: ids.worker })
    for (const visits of [[visit(20, 'not_home'), visit(22, 'not_home'), visit(21, 'not_home')], [visit(22, 'not_home'), visit(20, 'not_home')]]) {
      const f = figures({ targets: [one], visits })
      expect(f.standing.get(one.householdId)).toMatchObject({ state: 'attempted', visits: visits.length, lastVisitAt: '2026-11-22T02:00:00.000Z', counted: null })
    }
    expect(figures({ targets: [one] }).standing.get(one.householdId)).toEqual({ state: 'not_yet', visits: 0, lastVisitAt: null, counted: null })
  })

  it('a visit that reached somebody but recorded no answers counts as answered, with no hazard and nothing given', () => {
    const one = target(g2, bA2, '1')
    const f = figures({ targets: [one], visits: [{ id: uuid(950), householdId: one.householdId, startedAt: '2026-11-21T02:00:00.000Z', outcome: 'met', workerId: ids.worker }] })
    expect([f.answeredHouseholds, f.hazardHouseholds, f.hazards]).toEqual([1, 0, []])
    expect(f.items.map((i) => i.answered)).toEqual([0, 0, 0, 0])
  })

  it('item results: options of a yes/no, a choice and a stance only; hazards where marked; an empty answer is none', () => {
    const template = validTemplate({
      items: [
        { id: 'stance', label: '是否同意', kind: 'stance', required: false },
        { id: 'guard', label: '熄火保护', kind: 'choice', options: ['有', '没有'], required: false },
        { id: 'n', label: '灭火器', kind: 'number', min: 0, max: 5, required: false },
        { id: 'note', label: '备注', kind: 'text', required: false },
      ],
    })
    const hs = [target(g2, bA2, '1'), target(g2, bA2, '1')]
    const visits: CampaignVisit[] = [
      { id: uuid(960), householdId: hs[0]!.householdId, startedAt: '2026-11-21T02:00:00.000Z', outcome: 'met', workerId: ids.worker, campaignAnswers: { stance: 'agree', guard: '没有', note: '' } },
      { id: uuid(961), householdId: hs[1]!.householdId, startedAt: '2026-11-21T02:00:00.000Z', outcome: 'met', workerId: ids.worker, campaignAnswers: { note: '门口堆物' } },
    ]
    const f = figures({ template, targets: hs, visits })
    const [stance, guard, num, note] = f.items
    expect(stance!.options.map((o) => [o.label, o.count, o.hazard])).toEqual([['同意', 1, false], ['反对', 0, false], ['弃权', 0, false], ['有条件同意', 0, false]])
    expect(guard!.options.map((o) => [o.label, o.count, o.hazard]), 'no option marked: none is a hazard').toEqual([['有', 0, false], ['没有', 1, false]])
    expect([num!.options, num!.number, num!.answered]).toEqual([[], null, 0])
    expect([note!.options, note!.answered], 'an empty text is not an answer').toEqual([[], 1])
    expect(f.hazardHouseholds).toBe(0)
  })

  it('without its template nothing is counted from the answers, and a vote has no tally', () => {
    const one = target(g2, bA2, '1')
    const vote = { rule: MAJOR_MATTER, scope: { kind: 'building' as const, buildingId: bA2 } }
    const f = figures({ template: null, vote, targets: [one], visits: [{ id: uuid(970), householdId: one.householdId, startedAt: '2026-11-21T02:00:00.000Z', outcome: 'met', workerId: ids.worker, campaignAnswers: { stance: 'agree' }, respondent: 'owner' }] })
    expect([f.items, f.answeredHouseholds, f.vote]).toEqual([[], 0, null])
    expect(f.progress.totals.done).toBe(1)
    const noStance = figures({ template: validTemplate(), vote, targets: [one] })
    expect(noStance.vote, 'a checklist with no 表态 item has nothing to tally').toBeNull()
  })

  it('a vote over a compound; a closed door or an answer without a stance is no vote, and not an answer by others', () => {
    const template = validTemplate({ items: [{ id: 'stance', label: '是否同意', kind: 'stance', required: false }, { id: 'note', label: '备注', kind: 'text', required: false }] })
    const vote = { rule: MAJOR_MATTER, scope: { kind: 'compound' as const, compound: '幸福里小区' } }
    const [a, b, c, d, e] = [target(g2, bA2, '1'), target(g2, bA10, '1'), target(g2, bA10, '2'), target(g2, bB1, '1'), target(g2, bA2, '2')]
    const elsewhere = target(g2, uuid(798), '1') // a building the register no longer has: in no compound
    const at = (i: number) => `2026-11-2${i}T02:00:00.000Z`
    const visits: CampaignVisit[] = [
      { id: uuid(980), householdId: a.householdId, startedAt: at(1), outcome: 'met', workerId: ids.worker, campaignAnswers: { stance: 'agree' }, respondent: 'owner' },
      { id: uuid(981), householdId: b.householdId, startedAt: at(1), outcome: 'not_home', workerId: ids.worker },
      { id: uuid(982), householdId: c.householdId, startedAt: at(1), outcome: 'met', workerId: ids.worker, campaignAnswers: { note: '再想想' }, respondent: 'owner' },
      { id: uuid(983), householdId: d.householdId, startedAt: at(1), outcome: 'met', workerId: ids.worker, campaignAnswers: { stance: 'agree' }, respondent: 'owner' },
      // The owner was met and answered nothing at all.
      { id: uuid(984), householdId: e.householdId, startedAt: at(1), outcome: 'met', workerId: ids.worker, respondent: 'owner' },
    ]
    const f = figures({ template, vote, targets: [a, b, c, d, e, elsewhere], visits })
    const { tally, answeredByOthersOnly } = f.vote!
    expect(answeredByOthersOnly).toBe(0)
    expect([tally.households.total, tally.households.participants, tally.households.agree]).toEqual([4, 1, 1])
  })
})
