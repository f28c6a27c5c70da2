import { describe, expect, it } from 'vitest'
import { buildTodayList, groupDueItems, groupTodayList, lateByGrid, type DueItem } from '../../src/domain/duePolicy'
import { intervalDays, visitHistories } from '../../src/domain/householdState'
import { DEFAULT_VISIT_RULES, type Building, type Household, type Tag, type Visit, type VisitRule } from '../../src/domain'
import { validBuilding, validHousehold } from '../support/fixtures'

// "Now" is the morning of Saturday 21 November 2026 in China.
const NOW = Date.parse('2026-11-21T10:00:00+08:00')

let n = 0
/** A household of 3号楼 1单元; ids end in a counter so each one is distinct. */
function home(over: Partial<Household> = {}): Household {
  const id = `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`
  return validHousehold({ id, tags: [], attention: 'normal', ...over })
}
const keyHome = (over: Partial<Household> = {}) => home({ tags: ['dibao'], attention: 'key', ...over })

type VisitFacts = Pick<Visit, 'householdId' | 'startedAt' | 'outcome' | 'followUpDate'>
function visit(h: Household, startedAt: string, outcome: Visit['outcome'] = 'met', followUpDate: string | null = null): VisitFacts {
  return { householdId: h.id, startedAt: new Date(startedAt).toISOString(), outcome, followUpDate }
}
/** A visit `days` days before NOW, at the same time of day. */
function daysAgo(h: Household, days: number, outcome: Visit['outcome'] = 'met', followUpDate: string | null = null): VisitFacts {
  return visit(h, new Date(NOW - days * 86_400_000).toISOString(), outcome, followUpDate)
}

function todayList(households: Household[], visits: VisitFacts[], rules: VisitRule[] = DEFAULT_VISIT_RULES, now = NOW, offset?: number) {
  return buildTodayList(households, visitHistories(visits), rules, now, offset)
}
/** Where a single household lands: which section, and its item. */
function placeOf(h: Household, visits: VisitFacts[], rules?: VisitRule[], now?: number, offset?: number) {
  const list = todayList([h], visits, rules, now, offset)
  for (const section of ['overdue', 'today', 'week'] as const) if (list[section].length) return { section, item: list[section][0]! }
  return { section: 'none' as const, item: null }
}

describe('intervalDays with the default rules', () => {
  it.each<[string, Tag[], Household['attention'], number]>([
    ['高风险 is visited weekly', ['elderly_alone', 'aged_80'], 'high', 7],
    ['重点 monthly', ['dibao'], 'key', 30],
    ['a tagged 一般 household quarterly', ['unemployed'], 'normal', 91],
    ['an ordinary household twice a year', [], 'normal', 182],
  ])('%s', (_what, tags, attention, days) => {
    expect(intervalDays({ tags, attention }, DEFAULT_VISIT_RULES)).toBe(days)
  })

  it('takes the shortest of the rules a household matches', () => {
    const rules: VisitRule[] = [
      { attention: 'any', tag: 'any', days: 60 },
      { attention: 'key', tag: 'any', days: 30 },
      { attention: 'key', tag: 'disabled', days: 45 },
    ]
    expect(intervalDays({ tags: ['disabled'], attention: 'key' }, rules)).toBe(30)
    expect(intervalDays({ tags: ['disabled'], attention: 'normal' }, rules)).toBe(60)
  })

  it('lets a per-tag rule visit 低保 households every two weeks, and nobody else', () => {
    const rules: VisitRule[] = [...DEFAULT_VISIT_RULES, { attention: 'any', tag: 'dibao', days: 14 }]
    expect(intervalDays({ tags: ['dibao'], attention: 'key' }, rules)).toBe(14)
    expect(intervalDays({ tags: ['dibao', 'unemployed'], attention: 'normal' }, rules)).toBe(14)
    expect(intervalDays({ tags: ['disabled'], attention: 'key' }, rules)).toBe(30)
    // A weekly household stays weekly: the shorter rule still wins.
    expect(intervalDays({ tags: ['dibao'], attention: 'high' }, rules)).toBe(7)
  })

  it("tells 'any' (regardless), 'tagged' (at least one) and 'none' (no tag) apart", () => {
    // A high-risk household is weekly even when nobody has tagged it yet.
    expect(intervalDays({ tags: [], attention: 'high' }, DEFAULT_VISIT_RULES)).toBe(7)
    expect(intervalDays({ tags: [], attention: 'key' }, DEFAULT_VISIT_RULES)).toBe(30)
    expect(intervalDays({ tags: [], attention: 'normal' }, DEFAULT_VISIT_RULES)).toBe(182)
    expect(intervalDays({ tags: ['unemployed'], attention: 'normal' }, DEFAULT_VISIT_RULES)).toBe(91)
    expect(intervalDays({ tags: [], attention: 'key' }, [{ attention: 'key', tag: 'tagged', days: 30 }])).toBeNull()
    expect(intervalDays({ tags: ['dibao'], attention: 'normal' }, [{ attention: 'any', tag: 'none', days: 30 }])).toBeNull()
  })

  it('leaves a household no rule matches off the list entirely', () => {
    const rules: VisitRule[] = [{ attention: 'high', tag: 'any', days: 7 }]
    const ordinary = home()
    expect(intervalDays(ordinary, rules)).toBeNull()
    expect(placeOf(ordinary, [], rules).section).toBe('none')
  })
})

describe('what resets the clock', () => {
  it('a met visit 40 days ago leaves a monthly household 10 days overdue', () => {
    const h = keyHome()
    const { section, item } = placeOf(h, [daysAgo(h, 40)])
    expect(section).toBe('overdue')
    expect(item).toMatchObject({ dueDay: '2026-11-11', daysOverdue: 10, intervalDays: 30 })
  })

  it.each(['not_home', 'refused'] as const)('a "%s" attempt does not reset it', (outcome) => {
    const h = keyHome()
    const { section, item } = placeOf(h, [daysAgo(h, 40), daysAgo(h, 2, outcome)])
    expect(section).toBe('overdue')
    expect(item).toMatchObject({ dueDay: '2026-11-11', daysOverdue: 10 })
  })

  it.each(['met', 'phone'] as const)('a "%s" visit does', (outcome) => {
    const h = keyHome()
    // Due again 28 days from now: on nobody's list this week.
    expect(placeOf(h, [daysAgo(h, 40), daysAgo(h, 2, outcome)]).section).toBe('none')
    // And 25 days ago: due in 5 days.
    const { section, item } = placeOf(h, [daysAgo(h, 40), daysAgo(h, 25, outcome)])
    expect(section).toBe('week')
    expect(item).toMatchObject({ dueDay: '2026-11-26', daysOverdue: -5 })
  })

  it('remembers the latest completed visit whatever order visits arrive in', () => {
    const h = keyHome()
    const visits = [daysAgo(h, 3, 'not_home'), daysAgo(h, 10, 'phone'), daysAgo(h, 50, 'met'), daysAgo(h, 5, 'refused')]
    for (const order of [visits, [...visits].reverse()]) expect(visitHistories(order).get(h.id)).toEqual({ lastCompletedAt: visits[1]!.startedAt, lastPromise: null })
  })
})

describe('never visited', () => {
  it('is due at once, and comes first among the overdue', () => {
    const late = keyHome({ address: 'A' })
    const never = home({ address: 'C' })
    const onlyNotHome = keyHome({ address: 'B' })
    const veryLate = home({ address: 'D' })
    const list = todayList([late, never, onlyNotHome, veryLate], [daysAgo(late, 40), daysAgo(onlyNotHome, 3, 'not_home'), daysAgo(veryLate, 400)])
    expect(list.overdue.map((i) => i.household.address)).toEqual(['B', 'C', 'D', 'A'])
    expect(list.overdue.slice(0, 2).map((i) => i.dueDay)).toEqual([null, null])
    expect(list.overdue[0]!.daysOverdue).toBe(Infinity)
    expect(list.overdue[2]).toMatchObject({ dueDay: '2026-04-17', daysOverdue: 218 })
  })
})

describe('a promised follow-up', () => {
  it('makes the household due on that day when it comes before the regular due date', () => {
    const h = keyHome()
    const { section, item } = placeOf(h, [daysAgo(h, 5, 'met', '2026-11-21')])
    expect(section).toBe('today')
    expect(item).toMatchObject({ dueDay: '2026-11-21', daysOverdue: 0 })
  })

  it('counts after a "not at home" attempt too, but never pushes the due date back', () => {
    const h = keyHome()
    expect(placeOf(h, [daysAgo(h, 20), daysAgo(h, 1, 'not_home', '2026-11-24')]).item).toMatchObject({ dueDay: '2026-11-24' })
    // Regular due date 2026-11-11, promised 2026-11-30: still overdue since the 11th.
    expect(placeOf(h, [daysAgo(h, 40, 'met', '2026-11-30')]).item).toMatchObject({ dueDay: '2026-11-11', daysOverdue: 10 })
  })

  it('stands until a completed visit comes after it: a later "not at home" keeps it, a later visit keeps the promise', () => {
    const h = keyHome()
    expect(placeOf(h, [daysAgo(h, 10, 'met', '2026-11-22'), daysAgo(h, 3, 'not_home')]).item).toMatchObject({ state: 'ok', dueDay: '2026-11-22', followUp: true })
    expect(placeOf(h, [daysAgo(h, 10, 'met', '2026-11-22'), daysAgo(h, 3, 'met')]).section).toBe('none')
    // A "follow-up" dated the day of the visit itself.
    expect(placeOf(h, [daysAgo(h, 0, 'met', '2026-11-21')]).section).toBe('none')
  })

  it('once its day has passed, is in the overdue section and says so', () => {
    const h = keyHome()
    const { section, item } = placeOf(h, [daysAgo(h, 15, 'met', '2026-11-10'), daysAgo(h, 12, 'not_home')])
    expect(section).toBe('overdue')
    expect(item).toMatchObject({ state: 'followup_missed', dueDay: '2026-11-10', followUp: true, daysOverdue: 11 })
  })
})

describe('days are China calendar days', () => {
  const weekly = () => home({ tags: ['aged_80'], attention: 'high' })

  it('a visit at 23:30 on the 20th counts for the 20th, one at 00:30 on the 21st for the 21st', () => {
    const a = weekly()
    const b = weekly()
    const list = todayList([a, b], [visit(a, '2026-11-20T23:30:00+08:00'), visit(b, '2026-11-21T00:30:00+08:00')], DEFAULT_VISIT_RULES, Date.parse('2026-11-27T09:00:00+08:00'))
    expect(list.today.map((i) => i.household.id)).toEqual([a.id])
    expect(list.week.map((i) => [i.household.id, i.dueDay])).toEqual([[b.id, '2026-11-28']])
  })

  it('starts a new day at midnight in China, not in UTC', () => {
    const h = weekly()
    const visits = [visit(h, '2026-11-20T23:30:00+08:00')]
    expect(placeOf(h, visits, undefined, Date.parse('2026-11-26T23:50:00+08:00')).section).toBe('week')
    expect(placeOf(h, visits, undefined, Date.parse('2026-11-27T00:10:00+08:00')).section).toBe('today')
    expect(placeOf(h, visits, undefined, Date.parse('2026-11-28T00:10:00+08:00')).item).toMatchObject({ daysOverdue: 1 })
    // In UTC the visit was on the 20th too, but "now" is still the 26th there.
    expect(placeOf(h, visits, undefined, Date.parse('2026-11-27T00:10:00+08:00'), 0).section).toBe('week')
  })

  it('reads visit times written with an offset as the same instant', () => {
    const h = weekly()
    const last = visitHistories([
      { householdId: h.id, startedAt: '2026-11-20T23:30:00+08:00', outcome: 'met', followUpDate: null },
      { householdId: h.id, startedAt: '2026-11-20T15:00:00.000Z', outcome: 'met', followUpDate: null },
    ]).get(h.id)
    expect(last?.lastCompletedAt).toBe('2026-11-20T15:30:00.000Z')
  })
})

describe('the today list, in the order a worker walks it', () => {
  const b3 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0003', number: '3号楼' })
  const b12 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0012', number: '12号楼' })
  const buildings = new Map<string, Building>([b3, b12].map((b) => [b.id, b]))
  const at = (building: Building | null, unit: string | null, room: string | null, over: Partial<Household> = {}) =>
    keyHome({
      buildingId: building?.id ?? null,
      unit,
      room,
      floor: room ? Number(room.slice(0, -2)) : null,
      address: building ? `${building.compound}${building.number}${unit}单元${room}` : `幸福里东巷${room ?? 7}号`,
      ...over,
    })

  it('puts each household in one section: overdue, today, or the next seven days', () => {
    const hs = [0, 1, 29, 30, 31, 36, 37, 38].map((d) => [at(b3, '1', `${d + 1}01`), d] as const)
    const list = todayList(
      hs.map(([h]) => h),
      hs.map(([h, d]) => daysAgo(h, d)),
    )
    const ages = (items: DueItem[]) => items.map((i) => hs.find(([h]) => h === i.household)![1])
    expect(ages(list.overdue)).toEqual([38, 37, 36, 31])
    expect(ages(list.today)).toEqual([30])
    // Due tomorrow (29 days ago) … due in 7 days (23 days ago) would be in; 1 and 0 days ago are not.
    expect(ages(list.week)).toEqual([29])
    expect(list.week[0]!.dueDay).toBe('2026-11-22')
    const edge = at(b3, '1', '901')
    expect(todayList([edge], [daysAgo(edge, 23)]).week).toHaveLength(1)
    expect(todayList([edge], [daysAgo(edge, 22)]).week).toHaveLength(0)
  })

  it('groups by building then unit, buildings in number order, rooms floor by floor', () => {
    const hs = [
      at(b12, '1', '301'),
      at(b3, '2', '101'),
      at(b3, '1', '1202'),
      at(null, null, null),
      at(b3, '1', '502'),
      at(b3, '1', '902'),
      at(b3, '10', '201'),
    ]
    const list = todayList(hs, [])
    const groups = groupDueItems(list.overdue, buildings)
    expect(groups.map((g) => g.title)).toEqual(['', '幸福里小区3号楼', '幸福里小区12号楼'])
    expect(groups[1]!.units.map((u) => u.unit)).toEqual(['1', '2', '10'])
    expect(groups.flatMap((g) => g.units.flatMap((u) => u.items.map((i) => i.household.room)))).toEqual([null, '502', '902', '1202', '101', '201', '301'])
    expect(groups[0]!.building).toBeNull()
    expect(groups[2]!.building).toBe(b12)
  })

  it('groups the three sections and counts them', () => {
    const hs = [at(b3, '1', '101'), at(b3, '1', '201'), at(b12, '1', '301'), at(b12, '2', '401')]
    const list = todayList(hs, [daysAgo(hs[1]!, 30), daysAgo(hs[2]!, 27), daysAgo(hs[3]!, 45)])
    const g = groupTodayList(list, buildings)
    expect(g.counts).toEqual({ overdue: 2, today: 1, week: 1 })
    expect(g.overdue.map((x) => x.title)).toEqual(['幸福里小区3号楼', '幸福里小区12号楼'])
    expect(g.today[0]!.units[0]!.items[0]!.household).toBe(hs[1])
    expect(g.week[0]!.units[0]!.items[0]!.dueDay).toBe('2026-11-24')
  })
})

describe('late households per grid cell (the home page, like the dashboard)', () => {
  it('counts the overdue section by cell, never visited apart; due today and this week are not late', () => {
    const g2 = '0190a000-0000-7000-8000-0000000000e2'
    const [a, b, c, d, e] = [keyHome(), keyHome(), keyHome({ gridId: g2 }), keyHome({ gridId: g2 }), keyHome({ gridId: g2 })]
    // a: never; b: promise missed; c: overdue by the rule; d: due today; e: due in 5 days.
    const list = todayList([a!, b!, c!, d!, e!], [daysAgo(b!, 5, 'met', '2026-11-19'), daysAgo(c!, 40), daysAgo(d!, 30), daysAgo(e!, 25)])
    expect([...lateByGrid(list)]).toEqual([
      [a!.gridId, { overdue: 2, never: 1 }],
      [g2, { overdue: 1, never: 0 }],
    ])
  })
})

describe('households that share an attention level but not their tags', () => {
  it('each gets its own interval, whichever comes first in the list', () => {
    const plain = home({ address: 'A' })
    const laidOff = home({ tags: ['unemployed'], address: 'B' })
    // Both last met 100 days ago: the quarterly one is 9 days late, the twice-a-year one not due.
    for (const order of [
      [plain, laidOff],
      [laidOff, plain],
    ]) {
      const list = todayList(order, order.map((h) => daysAgo(h, 100)))
      expect(list.overdue.map((i) => [i.household.address, i.intervalDays, i.daysOverdue])).toEqual([['B', 91, 9]])
      expect(list.week).toEqual([])
    }
  })

  it('and two tagged households with different tags do not share one either', () => {
    const rules: VisitRule[] = [...DEFAULT_VISIT_RULES, { attention: 'any', tag: 'dibao', days: 14 }]
    const dibao = home({ tags: ['dibao'], address: 'A' })
    const laidOff = home({ tags: ['unemployed'], address: 'B' })
    for (const order of [
      [dibao, laidOff],
      [laidOff, dibao],
    ]) {
      const list = todayList(order, order.map((h) => daysAgo(h, 20)), rules)
      expect(list.overdue.map((i) => [i.household.address, i.intervalDays])).toEqual([['A', 14]])
    }
  })
})

describe('the order within each section', () => {
  it('equally late households are listed by address, with numbers in number order', () => {
    const hs = ['幸福里东巷12号', '幸福里东巷2号', '幸福里东巷9号'].map((address) => keyHome({ address }))
    const list = todayList(hs, hs.map((h) => daysAgo(h, 35)))
    expect(list.overdue.map((i) => i.household.address)).toEqual(['幸福里东巷2号', '幸福里东巷9号', '幸福里东巷12号'])
  })

  it('addresses sort by pinyin, as a Chinese reader expects (阿 before 中)', () => {
    const hs = [keyHome({ address: '中山路1号' }), keyHome({ address: '阿里巷1号' })]
    expect(todayList(hs, []).overdue.map((i) => i.household.address)).toEqual(['阿里巷1号', '中山路1号'])
  })

  it('households due today are listed by address', () => {
    const hs = ['C', 'A', 'B'].map((address) => keyHome({ address }))
    expect(todayList(hs, hs.map((h) => daysAgo(h, 30))).today.map((i) => i.household.address)).toEqual(['A', 'B', 'C'])
  })

  it('this week: soonest first, and by address on the same day', () => {
    const [c, d, a, b] = ['C', 'D', 'A', 'B'].map((address) => keyHome({ address }))
    const list = todayList([c!, d!, a!, b!], [daysAgo(c!, 29), daysAgo(d!, 25), daysAgo(a!, 29), daysAgo(b!, 25)])
    expect(list.week.map((i) => [i.household.address, i.daysOverdue])).toEqual([
      ['A', -1],
      ['C', -1],
      ['B', -5],
      ['D', -5],
    ])
  })
})

describe('grouping a due list for walking, whatever order it comes in', () => {
  const b3 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0003', compound: '幸福里小区', number: '3号楼' })
  const b12 = validBuilding({ id: '0190a000-0000-7000-8000-0000000b0012', compound: '幸福里小区', number: '12号楼' })
  const buildings = new Map<string, Building>([b3, b12].map((b) => [b.id, b]))
  const item = (over: Partial<Household>): DueItem => ({ household: keyHome(over), state: 'never', dueDay: null, followUp: false, daysOverdue: Infinity, intervalDays: 30, lastCompletedAt: null })
  const rooms = (groups: ReturnType<typeof groupDueItems>) => groups.map((g) => [g.title, g.units.map((u) => [u.unit, u.items.map((i) => i.household.room ?? i.household.address)])])

  it('buildings in number order, units in number order, rooms floor by floor', () => {
    const items = [
      item({ buildingId: b12.id, unit: '2', floor: 1, room: '101' }),
      item({ buildingId: b3.id, unit: '10', floor: 2, room: '201' }),
      item({ buildingId: b3.id, unit: '2', floor: 12, room: '1201' }),
      item({ buildingId: b3.id, unit: '2', floor: 9, room: '902' }),
      item({ buildingId: b3.id, unit: '2', floor: 9, room: '901' }),
      item({ buildingId: b12.id, unit: '1', floor: 3, room: '301' }),
    ]
    expect(rooms(groupDueItems(items, buildings))).toEqual([
      [
        '幸福里小区3号楼',
        [
          ['2', ['901', '902', '1201']],
          ['10', ['201']],
        ],
      ],
      [
        '幸福里小区12号楼',
        [
          ['1', ['301']],
          ['2', ['101']],
        ],
      ],
    ])
  })

  it('walks floors before doors: a basement first, a room with no floor as the ground floor', () => {
    const items = [
      item({ buildingId: b3.id, unit: '1', floor: 2, room: 'A' }),
      item({ buildingId: b3.id, unit: '1', floor: 1, room: 'C' }),
      item({ buildingId: b3.id, unit: '1', floor: null, room: 'B' }),
      item({ buildingId: b3.id, unit: '1', floor: -1, room: 'D' }),
      item({ buildingId: b3.id, unit: '1', floor: null, room: 'A' }),
    ]
    expect(rooms(groupDueItems(items, buildings))).toEqual([['幸福里小区3号楼', [['1', ['D', 'A', 'B', 'C', 'A']]]]])
  })

  it('a 平房 with no building comes first, under key "none", ordered by its address', () => {
    const items = [
      item({ buildingId: b3.id, unit: '1', floor: 1, room: '101' }),
      item({ buildingId: null, unit: null, floor: null, room: null, address: '幸福里东巷12号' }),
      item({ buildingId: null, unit: null, floor: null, room: null, address: '幸福里东巷2号' }),
    ]
    const groups = groupDueItems(items, buildings)
    expect(groups.map((g) => [g.key, g.title, g.building])).toEqual([
      ['none', '', null],
      [b3.id, '幸福里小区3号楼', b3],
    ])
    expect(rooms(groups)[0]).toEqual(['', [[null, ['幸福里东巷2号', '幸福里东巷12号']]]])
  })

  it('households of a building with no unit come before its numbered units', () => {
    const items = [
      item({ buildingId: b3.id, unit: '2', floor: 1, room: '101' }),
      item({ buildingId: b3.id, unit: null, floor: 1, room: '102' }),
      item({ buildingId: b3.id, unit: '1', floor: 1, room: '103' }),
    ]
    expect(groupDueItems(items, buildings)[0]!.units.map((u) => u.unit)).toEqual([null, '1', '2'])
    expect(groupDueItems([items[2]!, items[1]!], buildings)[0]!.units.map((u) => u.unit)).toEqual([null, '1'])
  })

  it('a building the device does not know yet still groups its households, untitled', () => {
    const unknown = '0190a000-0000-7000-8000-0000000b0099'
    const groups = groupDueItems([item({ buildingId: unknown, unit: '1', room: '101' })], buildings)
    expect(groups.map((g) => [g.key, g.title, g.building])).toEqual([[unknown, '', null]])
  })
})
