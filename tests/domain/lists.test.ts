import { describe, expect, it } from 'vitest'
import {
  buildingSpan,
  capacityLeft,
  DEFAULT_POINT_RULES,
  isNeedCategory,
  listFigures,
  listIssueCode,
  median,
  Need,
  NEED_CATEGORIES,
  NeedCreate,
  needCategoryZh,
  needLine,
  offerPeriodOf,
  offerPeriodZh,
  Offer,
  pointRulesOf,
  pointsFor,
  pointsTable,
  Project,
  ProjectCreate,
  ProjectPatch,
  Resource,
  ServiceRecord,
  ServiceRecordCreate,
  summarizeNeeds,
  UNNAMED_VOLUNTEER,
  volunteerCopy,
} from '../../src/domain'
import { ids, validNeed, validOffer, validProject, validResource, validServiceRecord, validVolunteer } from '../support/fixtures'
import { messagesOf } from './messagesOf'

const id = (n: number) => `0190a000-0000-7000-8000-${n.toString(16).padStart(12, '0')}`

describe('the category list', () => {
  it('is the issue’s thirteen, each with a Chinese and an English label, ids never repeated', () => {
    expect(NEED_CATEGORIES.map((c) => c.zh)).toEqual(['养老照护', '助餐', '助医', '助残', '就业', '法律咨询', '心理疏导', '儿童托管', '加装电梯', '停车', '环境整治', '文体活动', '其他'])
    expect(new Set(NEED_CATEGORIES.map((c) => c.id)).size).toBe(13)
    for (const c of NEED_CATEGORIES) expect(c.en).toMatch(/^[A-Z][a-z ]+$/)
    expect(needCategoryZh('meals')).toBe('助餐')
    expect(isNeedCategory('meals')).toBe(true)
    expect(isNeedCategory('gardening')).toBe(false)
  })

  it('an unknown category is told apart from other mistakes, wherever it is', () => {
    const need = NeedCreate.safeParse({ ...validNeed(), category: 'gardening' })
    expect(listIssueCode(need.error!.issues)).toBe('UNKNOWN_CATEGORY')
    expect(messagesOf(need)).toContain('需求类别「gardening」不在类别表里')
    const offer = Resource.safeParse(validResource({ offers: [{ ...validOffer(), category: 'gardening' as 'meals' }] }))
    expect(listIssueCode(offer.error!.issues)).toBe('UNKNOWN_CATEGORY')
    expect(listIssueCode(NeedCreate.safeParse({ ...validNeed(), description: 'x'.repeat(501) }).error!.issues)).toBeNull()
  })
})

describe('a need', () => {
  it('names at least one household, each once; an order is for one household', () => {
    expect(NeedCreate.safeParse(validNeed()).success).toBe(true)
    expect(messagesOf(NeedCreate.safeParse(validNeed({ householdIds: [] })))).toContain('请选这条需求涉及的户')
    expect(messagesOf(NeedCreate.safeParse(validNeed({ householdIds: [ids.household, ids.household] })))).toContain('同一户选了两次')
    const order = { kind: 'order' as const, offerId: ids.offer, visitId: null }
    expect(NeedCreate.safeParse(validNeed({ source: order })).success).toBe(true)
    expect(messagesOf(NeedCreate.safeParse(validNeed({ source: order, householdIds: [ids.household, ids.visit] })))).toContain('服务菜单一次为一户点单')
  })

  it('comes from a visit (naming it), a campaign, the office or the menu (naming the offer)', () => {
    expect(NeedCreate.safeParse(validNeed({ source: { kind: 'office' } })).success).toBe(true)
    expect(NeedCreate.parse(validNeed({ source: { kind: 'campaign', campaignId: ids.campaign } as Need['source'] })).source).toEqual({ kind: 'campaign', campaignId: ids.campaign, visitId: null })
    expect(NeedCreate.safeParse({ ...validNeed(), source: { kind: 'visit' } }).success).toBe(false)
    expect(NeedCreate.safeParse({ ...validNeed(), source: { kind: 'order' } }).success).toBe(false)
    expect(NeedCreate.safeParse({ ...validNeed(), source: { kind: 'rumour' } }).success).toBe(false)
  })

  it('carries what its state says: a matched one a resource or project, a closed one its reason', () => {
    expect(Need.safeParse(validNeed({ status: 'matched', matchedAt: '2026-11-20T03:00:00.000Z' })).success).toBe(false)
    expect(Need.safeParse(validNeed({ status: 'matched', matchedAt: '2026-11-20T03:00:00.000Z', resourceId: ids.resource })).success).toBe(true)
    expect(messagesOf(Need.safeParse(validNeed({ status: 'closed', closedAt: '2026-11-20T03:00:00.000Z' })))).toContain('无法解决要写明原因')
    expect(Need.safeParse(validNeed({ resourceId: ids.resource })).success, 'an open need has nobody').toBe(false)
  })
})

describe('a resource and its offers', () => {
  it('a volunteer has a volunteer part, a unit a type, a team its handling team', () => {
    expect(Resource.safeParse(validResource()).success).toBe(true)
    expect(Resource.safeParse(validVolunteer()).success).toBe(true)
    expect(messagesOf(Resource.safeParse(validVolunteer({ volunteer: null })))).toContain('志愿者要填志愿者信息，单位和团队不填')
    expect(messagesOf(Resource.safeParse(validResource({ kind: 'team' })))).toContain('只有驻区单位有单位类型')
    expect(messagesOf(Resource.safeParse(validResource({ teamId: ids.team })))).toContain('只有服务团队能关联处置团队')
  })

  it('capacity and period come together; offer ids are the resource’s own', () => {
    expect(Offer.safeParse(validOffer({ capacity: null, period: null })).success).toBe(true)
    expect(messagesOf(Offer.safeParse(validOffer({ capacity: 20, period: null })))).toContain('份数和周期要一起填（如每月20份），不限量就都不填')
    expect(messagesOf(Resource.safeParse(validResource({ offers: [validOffer(), validOffer()] })))).toContain('两项服务用了同一个编号')
  })

  it('a worker’s copy of a volunteer has the name masked, no phone (masked beside it), no register link; units stay as they are', () => {
    const v = validVolunteer()
    const copy = volunteerCopy(v)
    expect(copy).toMatchObject({ name: '王*华', contactName: '王*华', contactPhone: null, contactPhoneMasked: '138****5678', volunteer: { residentId: null, skills: ['理发'], partyMember: true } })
    expect(JSON.stringify(copy)).not.toContain('13812345678')
    expect(JSON.stringify(copy)).not.toContain(ids.resident)
    expect(Resource.safeParse(copy).success, 'the copy is still a resource').toBe(true)
    expect(volunteerCopy(validResource())).toEqual(validResource())
  })
})

describe('a project', () => {
  it('without needs is refused with its own code, on create and on edit', () => {
    const made = ProjectCreate.safeParse(validProject({ needIds: [] }))
    expect(listIssueCode(made.error!.issues)).toBe('PROJECT_NO_NEEDS')
    expect(listIssueCode(ProjectPatch.safeParse({ needIds: [] }).error!.issues)).toBe('PROJECT_NO_NEEDS')
    expect(ProjectPatch.safeParse({ title: '改名' }).success).toBe(true)
    expect(Project.safeParse(validProject({ needIds: [] })).success).toBe(false)
    expect(messagesOf(ProjectCreate.safeParse(validProject({ endDay: '2026-11-01' })))).toContain('结束日期不能早于开始日期')
  })
})

describe('service hours', () => {
  it('go by half hours, up to a day, on a project or a need', () => {
    expect(ServiceRecordCreate.safeParse(validServiceRecord({ hours: 1.5 })).success).toBe(true)
    expect(messagesOf(ServiceRecordCreate.safeParse(validServiceRecord({ hours: 1.2 })))).toContain('工时按半小时计（如1.5）')
    expect(ServiceRecordCreate.safeParse(validServiceRecord({ hours: 24.5 })).success).toBe(false)
    expect(ServiceRecordCreate.safeParse(validServiceRecord({ hours: 0 })).success).toBe(false)
    expect(messagesOf(ServiceRecordCreate.safeParse(validServiceRecord({ projectId: null, needId: null })))).toContain('工时要记在一个项目或一条需求（含点单）上')
  })

  it('have points exactly when confirmed', () => {
    expect(ServiceRecord.safeParse(validServiceRecord({ points: 25 })).success).toBe(false)
    expect(ServiceRecord.safeParse(validServiceRecord({ status: 'confirmed', points: 25, pointsPerHour: 10, confirmedBy: ids.worker, confirmedAt: '2026-11-21T02:00:00.000Z' })).success).toBe(true)
    expect(ServiceRecord.safeParse(validServiceRecord({ status: 'confirmed' })).success).toBe(false)
  })
})

describe('points from the rule table', () => {
  const rules = [{ category: null, pointsPerHour: 10 }, { category: 'elderly_care' as const, pointsPerHour: 15 }]

  it('a category’s own rule wins over the default; others get the default', () => {
    expect(pointsFor(rules, 'elderly_care', 2.5)).toEqual({ points: 37.5, pointsPerHour: 15 })
    expect(pointsFor(rules, 'meals', 2.5)).toEqual({ points: 25, pointsPerHour: 10 })
    expect(pointsFor(rules, null, 0.5)).toEqual({ points: 5, pointsPerHour: 10 })
  })

  it('a settings record without rules gets the default table', () => {
    expect(pointRulesOf({})).toEqual(DEFAULT_POINT_RULES)
    expect(pointsFor(pointRulesOf({}), 'legal', 3)).toEqual({ points: 30, pointsPerHour: 10 })
    expect(pointRulesOf({ pointRules: rules })).toBe(rules)
  })

  it('the points table counts only confirmed hours of the period, names only those who agreed', () => {
    const named = validVolunteer()
    const shy = validVolunteer({ id: id(900), name: '李秀英', volunteer: { ...validVolunteer().volunteer!, pointsConsent: false } })
    const confirmed = (n: number, resourceId: string, day: string, hours: number, points: number) =>
      validServiceRecord({ id: id(n), resourceId, day, hours, status: 'confirmed', points, pointsPerHour: 10, confirmedBy: ids.worker, confirmedAt: '2026-11-21T02:00:00.000Z' })
    const records = [
      confirmed(1, named.id, '2026-11-02', 2, 20),
      confirmed(2, named.id, '2026-11-20', 1.5, 15),
      confirmed(3, shy.id, '2026-11-10', 4, 40),
      confirmed(4, shy.id, '2026-10-31', 8, 80), // before the period
      validServiceRecord({ id: id(5), resourceId: named.id, day: '2026-11-15', hours: 6 }), // not confirmed
      validServiceRecord({ id: id(6), resourceId: named.id, day: '2026-11-15', hours: 3, status: 'rejected', rejectReason: '改期' }),
    ]
    const t = pointsTable({ from: '2026-11-01', to: '2026-11-30', records, resources: [named, shy] })
    expect(t.volunteers).toEqual([
      { resourceId: null, name: UNNAMED_VOLUNTEER, named: false, partyMember: null, records: 1, hours: 4, points: 40 },
      { resourceId: named.id, name: '王建华', named: true, partyMember: true, records: 2, hours: 3.5, points: 35 },
    ])
    expect(t.total).toEqual({ volunteers: 2, records: 3, hours: 7.5, points: 75 })
    expect(JSON.stringify(t)).not.toContain('李秀英')
  })
})

describe('an offer’s capacity', () => {
  it('counts by China-time week (from Monday) or calendar month', () => {
    // 2026-11-22 is a Sunday; 23:30 China time on the 30th is still November.
    expect(offerPeriodOf('2026-11-22T15:00:00.000Z', 'week')).toEqual({ start: '2026-11-15T16:00:00.000Z', end: '2026-11-22T16:00:00.000Z' })
    expect(offerPeriodOf('2026-11-22T16:30:00.000Z', 'week').start).toBe('2026-11-22T16:00:00.000Z')
    expect(offerPeriodOf('2026-11-30T15:30:00.000Z', 'month')).toEqual({ start: '2026-10-31T16:00:00.000Z', end: '2026-11-30T16:00:00.000Z' })
    expect(offerPeriodOf('2026-12-31T17:00:00.000Z', 'month')).toEqual({ start: '2026-12-31T16:00:00.000Z', end: '2027-01-31T16:00:00.000Z' })
    expect(offerPeriodZh('month', '2026-10-31T16:00:00.000Z')).toBe('11月')
    expect(offerPeriodZh('week', '2026-11-15T16:00:00.000Z')).toBe('11月16日起的一周')
  })

  it('has places left until it is full; no limit is no limit', () => {
    expect(capacityLeft({ capacity: 20 }, 19)).toBe(1)
    expect(capacityLeft({ capacity: 20 }, 20)).toBe(0)
    expect(capacityLeft({ capacity: 20 }, 25)).toBe(0)
    expect(capacityLeft({ capacity: null }, 1000)).toBeNull()
  })
})

describe('where the needs are', () => {
  it('joins runs of building numbers per compound, the compound with most households first', () => {
    expect(buildingSpan([{ compound: '教师新村', number: '2号楼' }, { compound: '教师新村', number: '4号楼' }, { compound: '教师新村', number: '3号楼' }])).toBe('教师新村2–4号楼')
    expect(buildingSpan([{ compound: '教师新村', number: '2号楼' }, { compound: '教师新村', number: '3号楼' }, { compound: '教师新村', number: '7号楼' }])).toBe('教师新村2–3、7号楼')
    expect(buildingSpan([{ compound: 'A', number: '1号楼', households: 1 }, { compound: 'B', number: '5号楼', households: 9 }, { compound: '', number: '', households: 30 }])).toBe('B5号楼、A1号楼、其他地址')
    expect(buildingSpan(['A', 'B', 'C', 'D'].map((c) => ({ compound: c, number: '1号楼' })))).toBe('A1号楼、B1号楼、C1号楼等4处')
    expect(buildingSpan([{ compound: '前进街平房', number: '3号' }, { compound: '前进街平房', number: '4号' }])).toBe('前进街平房3–4号')
  })

  it('says it in one line', () => {
    const b = (compound: string, number: string, households: number) => ({ compound, number, households })
    expect(needLine('meals', 23, [b('教师新村', '2号楼', 9), b('教师新村', '3号楼', 8), b('教师新村', '4号楼', 6)])).toBe('23 户在教师新村2–4号楼需要助餐')
    expect(needLine('meals', 35, [b('教师新村', '2号楼', 14), b('教师新村', '3号楼', 10), b('建设里小区', '1号楼', 11)])).toBe('35 户需要助餐，其中 24 户在教师新村2–3号楼')
    expect(needLine('parking', 4, [b('A', '1号楼', 1), b('B', '1号楼', 1), b('C', '1号楼', 1), b('D', '1号楼', 1)])).toBe('4 户在A1号楼、B1号楼、C1号楼等4处需要停车')
    expect(needLine('legal', 0, [])).toBe('0 户需要法律咨询')
  })

  it('groups by category, building and cell, a household once per group', () => {
    const g1 = id(1)
    const g2 = id(2)
    const b2 = { id: id(12), gridId: g1, compound: '教师新村', number: '2号楼' }
    const b3 = { id: id(13), gridId: g1, compound: '教师新村', number: '3号楼' }
    const b9 = { id: id(19), gridId: g2, compound: '机床厂宿舍', number: '9号楼' }
    const h = (n: number, building: { id: string; gridId: string }) => ({ id: id(100 + n), gridId: building.gridId, buildingId: building.id })
    const hs = [h(1, b2), h(2, b2), h(3, b3), h(4, b9), { id: id(105), gridId: g2, buildingId: null }]
    const need = (n: number, category: Need['category'], householdIds: string[], gridId = g1) => validNeed({ id: id(200 + n), category, householdIds, gridId })
    const summary = summarizeNeeds({
      needs: [need(1, 'meals', [hs[0]!.id]), need(2, 'meals', [hs[0]!.id]), need(3, 'meals', [hs[1]!.id, hs[2]!.id]), need(4, 'legal', [hs[3]!.id], g2), need(5, 'meals', [hs[4]!.id], g2)],
      households: new Map(hs.map((x) => [x.id, x])),
      buildings: new Map([b2, b3, b9].map((x) => [x.id, x])),
      grids: new Map([
        [g1, { id: g1, code: '001', name: '第一网格' }],
        [g2, { id: g2, code: '002', name: '第二网格' }],
      ]),
    })
    expect(summary.needs).toBe(5)
    expect(summary.households).toBe(5)
    const meals = summary.byCategory[0]!
    expect(meals).toMatchObject({ category: 'meals', label: '助餐', needs: 4, households: 4, line: '4 户需要助餐，其中 3 户在教师新村2–3号楼' })
    expect(meals.buildings.map((x) => [x.number, x.households])).toEqual([['', 1], ['2号楼', 2], ['3号楼', 1]])
    expect(meals.grids.map((x) => [x.code, x.households])).toEqual([['001', 3], ['002', 1]])
    expect(summary.byBuilding.find((x) => x.buildingId === b2.id)).toMatchObject({ needs: 3, households: 2, categories: [{ category: 'meals', households: 2 }] })
    expect(summary.byGrid.map((x) => [x.code, x.needs, x.households])).toEqual([['001', 3, 3], ['002', 2, 2]])
  })
})

describe('the dashboard’s figures', () => {
  it('the median of an even count is the mean of the middle two', () => {
    expect(median([])).toBeNull()
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('counts states now, and the period’s matches, meets, hours and completions', () => {
    const r = validResource()
    const v = validVolunteer({ id: id(50) })
    const raised = '2026-11-02T00:00:00.000Z'
    const needs = [
      validNeed({ id: id(1), raisedAt: raised }),
      validNeed({ id: id(2), raisedAt: raised, status: 'matched', resourceId: r.id, matchedAt: '2026-11-02T10:00:00.000Z' }),
      validNeed({ id: id(3), raisedAt: raised, status: 'met', resourceId: r.id, matchedAt: '2026-11-03T00:00:00.000Z', metAt: '2026-11-05T00:00:00.000Z', householdIds: [id(90), id(91)] }),
      // An order: matched when raised, left out of the time to match.
      validNeed({ id: id(4), raisedAt: raised, status: 'matched', resourceId: r.id, matchedAt: raised, source: { kind: 'order', offerId: ids.offer, visitId: null } }),
      // Raised and matched before the period: counts in its state only.
      validNeed({ id: id(5), raisedAt: '2026-10-01T00:00:00.000Z', status: 'matched', resourceId: v.id, matchedAt: '2026-10-02T00:00:00.000Z', category: 'legal' }),
    ]
    const f = listFigures({
      from: '2026-11-01',
      to: '2026-11-30',
      at: '2026-11-21T00:00:00.000Z',
      needs,
      resources: [r, v],
      projects: [validProject(), validProject({ id: id(60), status: 'done', doneAt: '2026-11-10T00:00:00.000Z' }), validProject({ id: id(61), status: 'evaluated', doneAt: '2026-10-10T00:00:00.000Z' })],
      serviceRecords: [validServiceRecord({ resourceId: v.id, status: 'confirmed', points: 30, pointsPerHour: 10, confirmedAt: raised, confirmedBy: ids.worker, hours: 3 }), validServiceRecord({ id: id(70), resourceId: v.id, hours: 5 })],
      grids: new Map([[ids.grid, { id: ids.grid, code: '001', name: '第一网格' }]]),
    })
    expect(f.needs).toEqual({ open: 1, matched: 3, met: 1, closed: 0, raised: 4, metInPeriod: 1 })
    expect(f.openByCategory).toEqual([
      { category: 'meals', open: 1, matched: 2, households: 1 },
      { category: 'legal', open: 0, matched: 1, households: 1 },
    ])
    expect(f.openByGrid).toEqual([{ gridId: ids.grid, code: '001', name: '第一网格', open: 1, matched: 3, households: 1 }])
    expect(f.toMatch).toEqual({ count: 2, medianHours: 17 })
    expect(f.toMet).toEqual({ count: 1, medianHours: 48 })
    expect(f.resources).toEqual([
      { resourceId: r.id, kind: 'unit', name: r.name, matched: 3, orders: 1, met: 1, households: 2, hours: 0 },
      { resourceId: v.id, kind: 'volunteer', name: '王建华', matched: 0, orders: 0, met: 0, households: 0, hours: 3 },
    ])
    expect(f.projects).toEqual({ planning: 1, doing: 0, done: 1, evaluated: 1, doneInPeriod: 1 })
  })
})
