import { describe, expect, it } from 'vitest'
import {
  aggregateVisits,
  chinaDay,
  computeHouseholdStats,
  isVulnerable,
  periodBounds,
  summarizeByGrid,
  weekStarts,
  type VisitAggregate,
} from '../../src/domain/coverage'
import { DEFAULT_VISIT_RULES, type Household, type HouseholdStat, type Visit, type VisitRule } from '../../src/domain'
import { validHousehold } from '../support/fixtures'

// The period: November 2026, China time. A 重点 household (monthly, 30 days) unless said otherwise.
const FROM = '2026-11-01'
const TO = '2026-11-30'
const grid2 = '0190a000-0000-7000-8000-0000000000e2'

let n = 0
function home(over: Partial<Household> = {}): Household {
  return validHousehold({ id: `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`, tags: ['dibao'], attention: 'key', ...over })
}
type Facts = Pick<Visit, 'householdId' | 'startedAt' | 'outcome' | 'followUpDate'>
/** A visit at a China-time wall clock ("2026-11-03 10:00"). */
const at = (h: Household, china: string, outcome: Visit['outcome'] = 'met', followUpDate: string | null = null): Facts => ({
  householdId: h.id,
  startedAt: new Date(`${china.replace(' ', 'T')}:00+08:00`).toISOString(),
  outcome,
  followUpDate,
})

function statsOf(households: Household[], visits: Facts[], rules: VisitRule[] = DEFAULT_VISIT_RULES, from = FROM, to = TO, now?: number) {
  const list = computeHouseholdStats(households, aggregateVisits(visits, from, to), rules, from, to, now)
  return new Map(list.map((s) => [s.id, s]))
}
const one = (h: Household, visits: Facts[], rules?: VisitRule[], from?: string, to?: string, now?: number) => statsOf([h], visits, rules, from, to, now).get(h.id)!

describe('computeHouseholdStats', () => {
  it('a household never visited needed a visit and is "never"', () => {
    const h = home()
    expect(one(h, [])).toEqual({ id: h.id, gridId: h.gridId, state: 'never', dueDay: null, followUp: false, visited: false, lastCompletedAt: null, visitsInPeriod: 0, needed: true })
  })

  it('not-at-home and refused attempts are visits in the period but do not complete one', () => {
    const h = home()
    const s = one(h, [at(h, '2026-11-03 10:00', 'not_home'), at(h, '2026-11-10 10:00', 'refused')])
    expect(s).toMatchObject({ state: 'never', visitsInPeriod: 2, lastCompletedAt: null, needed: true })
  })

  it('a completed visit in the period (met or by phone) makes it visited, and not due again until a month later', () => {
    const h = home()
    const p = home()
    expect(one(h, [at(h, '2026-10-01 09:00'), at(h, '2026-11-05 09:00')])).toMatchObject({ state: 'ok', dueDay: '2026-12-05', visited: true, needed: true, visitsInPeriod: 1 })
    expect(one(p, [at(p, '2026-11-05 09:00', 'phone')])).toMatchObject({ state: 'ok', visited: true, needed: true })
    expect(one(h, [at(h, '2026-11-05 09:00')]).lastCompletedAt).toBe('2026-11-05T01:00:00.000Z')
  })

  it('overdue: the due date (last visit + 30 days) fell before the period ended', () => {
    const h = home()
    // 10-15 + 30 days = 11-14, before 11-30.
    const s = one(h, [at(h, '2026-10-15 16:00'), at(h, '2026-11-20 10:00', 'not_home')])
    expect(s).toMatchObject({ state: 'overdue', needed: true, visitsInPeriod: 1, lastCompletedAt: '2026-10-15T08:00:00.000Z' })
  })

  it('due: falls due on the period\'s last day, not yet late', () => {
    const h = home()
    // 10-31 + 30 = 11-30 = `to`. Late at night China time is still 10-31 (UTC is 10-31 15:30).
    expect(one(h, [at(h, '2026-10-31 23:30')])).toMatchObject({ state: 'due', needed: true })
    // Half an hour later it is 11-01 in China: inside the period, so visited (due again 12-01).
    expect(one(h, [at(h, '2026-11-01 00:10')])).toMatchObject({ state: 'ok', visited: true, needed: true })
  })

  it('ok: a visit before the period keeps it from falling due within it', () => {
    const h = home()
    // 10-31 + 30 = 11-30: due on the last day of November, but not yet in a period ending 11-29.
    expect(one(h, [at(h, '2026-10-31 08:00')], undefined, FROM, '2026-11-29')).toMatchObject({ state: 'ok', needed: false })
  })

  it('an ordinary household visited in the summer is ok and not needed', () => {
    const h = home({ tags: [], attention: 'normal' })
    expect(one(h, [at(h, '2026-08-01 08:00')])).toMatchObject({ state: 'ok', needed: false, lastCompletedAt: '2026-08-01T00:00:00.000Z' })
  })

  it('no rule: never needed and ok, even if never visited; visited still shows', () => {
    const rules: VisitRule[] = [{ attention: 'high', tag: 'any', days: 7 }]
    const h = home()
    expect(one(h, [], rules)).toMatchObject({ state: 'ok', needed: false })
    expect(one(h, [at(h, '2026-11-02 08:00')], rules)).toMatchObject({ state: 'ok', visited: true, needed: false, visitsInPeriod: 1 })
  })

  it('ignores visits after the period', () => {
    const h = home()
    expect(one(h, [at(h, '2026-12-01 00:00')])).toMatchObject({ state: 'never', visitsInPeriod: 0, lastCompletedAt: null })
  })

  it('with now inside the period, judges on today: due later in the period is due, not overdue', () => {
    const h = home()
    // 10-20 + 30 = 11-19. On 11-10 that is still ahead; on 11-30 it is overdue.
    const visits = [at(h, '2026-10-20 09:00')]
    expect(one(h, visits, undefined, FROM, TO, Date.parse('2026-11-10T10:00:00+08:00'))).toMatchObject({ state: 'due', needed: true })
    expect(one(h, visits, undefined, FROM, TO)).toMatchObject({ state: 'overdue', needed: true })
  })

  it('visited in the period and late again by its end is overdue: a visit does not hide that', () => {
    const h = home({ tags: ['aged_80', 'elderly_alone'], attention: 'high' })
    // Weekly: visited 11-02, due 11-09, nothing since.
    expect(one(h, [at(h, '2026-11-02 09:00')])).toMatchObject({ state: 'overdue', dueDay: '2026-11-09', visited: true, needed: true })
  })
})

describe('promised follow-ups count as the today list counts them', () => {
  it('a missed promise is followup_missed before the rule falls due, with the promised day', () => {
    const h = home()
    // Met 10-25 (rule: due 11-24), promising 11-05. On 11-20 only the promise has passed.
    const visits = [at(h, '2026-10-25 10:00', 'met', '2026-11-05'), at(h, '2026-11-06 10:00', 'not_home')]
    expect(one(h, visits, undefined, FROM, TO, Date.parse('2026-11-20T10:00:00+08:00'))).toMatchObject({ state: 'followup_missed', dueDay: '2026-11-05', followUp: true, visited: false, needed: true })
    // A visit that reached them after it keeps the promise.
    expect(one(h, [...visits, at(h, '2026-11-07 10:00', 'phone')], undefined, FROM, TO, Date.parse('2026-11-20T10:00:00+08:00'))).toMatchObject({ state: 'ok', followUp: false, visited: true })
  })

  it('a promise made before the period and falling in it makes a visit needed', () => {
    const h = home({ tags: [], attention: 'normal' })
    // Twice a year: met 09-01, not due by the rule until 03-02.
    expect(one(h, [at(h, '2026-09-01 10:00')])).toMatchObject({ state: 'ok', needed: false })
    expect(one(h, [at(h, '2026-09-01 10:00', 'met', '2026-11-10')])).toMatchObject({ state: 'followup_missed', dueDay: '2026-11-10', needed: true })
    // Promised for after the period: not needed in it.
    expect(one(h, [at(h, '2026-09-01 10:00', 'met', '2026-12-10')])).toMatchObject({ state: 'ok', dueDay: '2026-12-10', needed: false })
  })

  it('a promise made within the period does not make the period need a visit, but is late by its end', () => {
    const h = home({ tags: [], attention: 'normal' })
    const s = one(h, [at(h, '2026-09-01 10:00'), at(h, '2026-11-03 10:00', 'not_home', '2026-11-06')])
    expect(s).toMatchObject({ state: 'followup_missed', dueDay: '2026-11-06', needed: false, visited: false })
  })
})

describe('summarizeByGrid', () => {
  it('counts per grid cell, coverage over the households that needed a visit', () => {
    const stat = (gridId: string, state: HouseholdStat['state'], visited: boolean, needed: boolean, visitsInPeriod = 0): HouseholdStat => ({
      id: `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
      gridId,
      state,
      dueDay: null,
      followUp: state === 'followup_missed',
      visited,
      lastCompletedAt: null,
      visitsInPeriod,
      needed,
    })
    const g1 = validHousehold().gridId
    const rows = summarizeByGrid(
      [
        stat(g1, 'ok', true, true, 2),
        stat(g1, 'ok', true, false, 1),
        stat(g1, 'overdue', false, true, 1),
        stat(g1, 'never', false, true),
        stat(g1, 'ok', false, false),
        // Visited, and late again by the end; and a promise missed: both overdue.
        stat(g1, 'overdue', true, true, 1),
        stat(g1, 'followup_missed', false, false),
        stat(g1, 'due', false, true),
      ],
      [g1, grid2],
    )
    expect(rows).toEqual([
      { gridId: g1, households: 8, needed: 5, neededVisited: 2, coverage: 2 / 5, visitsInPeriod: 5, overdue: 3, never: 1 },
      { gridId: grid2, households: 0, needed: 0, neededVisited: 0, coverage: null, visitsInPeriod: 0, overdue: 0, never: 0 },
    ])
  })
})

describe('helpers', () => {
  it('a period runs from midnight China time of `from` to midnight after `to`', () => {
    expect(periodBounds('2026-11-01', '2026-11-30')).toEqual({ start: '2026-10-31T16:00:00.000Z', end: '2026-11-30T16:00:00.000Z' })
  })

  it('twelve Mondays ending with the week holding `to`, oldest first', () => {
    // 2026-11-21 is a Saturday; its Monday is 11-16.
    const weeks = weekStarts('2026-11-21')
    expect(weeks).toHaveLength(12)
    expect(weeks[11]).toBe('2026-11-16')
    expect(weeks[0]).toBe('2026-08-31')
    expect(weekStarts('2026-11-16')[11]).toBe('2026-11-16')
    expect(weekStarts('2026-11-22')[11]).toBe('2026-11-16')
    for (const w of weeks) expect(new Date(w).getUTCDay()).toBe(1)
  })

  it('vulnerable: any tag, or attention 重点 / 高风险', () => {
    expect(isVulnerable({ tags: [], attention: 'normal' })).toBe(false)
    expect(isVulnerable({ tags: ['rental'], attention: 'normal' })).toBe(true)
    expect(isVulnerable({ tags: [], attention: 'key' })).toBe(true)
    expect(isVulnerable({ tags: [], attention: 'high' })).toBe(true)
  })

  it('the aggregate keeps the latest completed visit before and up to the period apart', () => {
    const h = home()
    const a = aggregateVisits([at(h, '2026-10-02 08:00'), at(h, '2026-10-20 08:00', 'phone'), at(h, '2026-11-02 08:00', 'not_home'), at(h, '2026-11-04 08:00')], FROM, TO)
    expect(a.get(h.id)).toEqual<VisitAggregate>({
      lastCompletedBefore: '2026-10-20T00:00:00.000Z',
      lastCompletedAt: '2026-11-04T00:00:00.000Z',
      completedInPeriod: 1,
      visitsInPeriod: 2,
      promiseBefore: null,
      promise: null,
    })
  })

  it('the aggregate keeps the latest promise before the period and up to its end apart', () => {
    const h = home()
    const visits = [at(h, '2026-10-02 08:00', 'met', '2026-10-09'), at(h, '2026-10-20 08:00', 'not_home', '2026-10-25'), at(h, '2026-11-02 08:00', 'met', '2026-11-09'), at(h, '2026-11-04 08:00'), at(h, '2026-12-01 08:00', 'met', '2026-12-05')]
    for (const order of [visits, [...visits].reverse()])
      expect(aggregateVisits(order, FROM, TO).get(h.id)).toMatchObject({
        promiseBefore: { day: '2026-10-25', at: '2026-10-20T00:00:00.000Z' },
        promise: { day: '2026-11-09', at: '2026-11-02T00:00:00.000Z' },
      })
  })
})

describe('the edges of a period', () => {
  it('a visit at midnight China time on the first day is in the period; a minute before it is not', () => {
    const h = home()
    const p = home()
    expect(one(h, [at(h, '2026-11-01 00:00')])).toMatchObject({ state: 'ok', visited: true, visitsInPeriod: 1, lastCompletedAt: '2026-10-31T16:00:00.000Z' })
    // 10-31 23:59 + 30 days = 11-30: due on the period's last day, and not visited in it.
    expect(one(p, [at(p, '2026-10-31 23:59')])).toMatchObject({ state: 'due', visitsInPeriod: 0, needed: true })
  })

  it('a visit in the last minute of the last day counts; one at midnight after it does not', () => {
    const h = home()
    expect(one(h, [at(h, '2026-11-30 23:59')])).toMatchObject({ state: 'ok', visited: true, visitsInPeriod: 1 })
    expect(one(h, [at(h, '2026-12-01 00:00', 'not_home')])).toMatchObject({ state: 'never', visitsInPeriod: 0 })
  })

  it('due the day after the period ends: not needed in it, ok', () => {
    const h = home()
    // The period is 11-02 … 11-30; the last visit, on 11-01, makes it due on 12-01.
    expect(one(h, [at(h, '2026-11-01 10:00')], undefined, '2026-11-02', TO)).toMatchObject({ state: 'ok', needed: false })
    // Due on the last day: needed, and due.
    expect(one(h, [at(h, '2026-10-31 10:00')], undefined, '2026-11-02', TO)).toMatchObject({ state: 'due', needed: true })
    // Due the day before the last: needed, and overdue by the end.
    expect(one(h, [at(h, '2026-10-30 10:00')], undefined, '2026-11-02', TO)).toMatchObject({ state: 'overdue', needed: true })
  })

  it('looking back at a past period, a household due on its last day is due, not overdue', () => {
    const h = home()
    const later = Date.parse('2027-01-15T10:00:00+08:00')
    expect(one(h, [at(h, '2026-10-31 08:00')], undefined, FROM, TO, later)).toMatchObject({ state: 'due', needed: true })
    expect(one(h, [at(h, '2026-10-30 08:00')], undefined, FROM, TO, later)).toMatchObject({ state: 'overdue', needed: true })
  })

  it('with now inside the period, due today is due and due yesterday overdue', () => {
    const h = home()
    const now = Date.parse('2026-11-19T10:00:00+08:00')
    // 10-20 + 30 = 11-19 (today); 10-19 + 30 = 11-18 (yesterday).
    expect(one(h, [at(h, '2026-10-20 09:00')], undefined, FROM, TO, now)).toMatchObject({ state: 'due' })
    expect(one(h, [at(h, '2026-10-19 09:00')], undefined, FROM, TO, now)).toMatchObject({ state: 'overdue' })
    // Today in China starts at midnight China time: at 00:10 on the 19th, 11-18 is already yesterday.
    expect(one(h, [at(h, '2026-10-19 09:00')], undefined, FROM, TO, Date.parse('2026-11-19T00:10:00+08:00'))).toMatchObject({ state: 'overdue' })
    expect(one(h, [at(h, '2026-10-19 09:00')], undefined, FROM, TO, Date.parse('2026-11-18T23:50:00+08:00'))).toMatchObject({ state: 'due' })
  })
})

describe('whatever order the visits come in', () => {
  it('the aggregate keeps the latest completed visit before the period and the latest overall', () => {
    const h = home()
    const visits = [at(h, '2026-11-04 08:00'), at(h, '2026-10-20 08:00', 'phone'), at(h, '2026-11-02 08:00'), at(h, '2026-10-02 08:00'), at(h, '2026-11-03 08:00', 'refused')]
    for (const order of [visits, [...visits].reverse()])
      expect(aggregateVisits(order, FROM, TO).get(h.id)).toEqual<VisitAggregate>({
        lastCompletedBefore: '2026-10-20T00:00:00.000Z',
        lastCompletedAt: '2026-11-04T00:00:00.000Z',
        completedInPeriod: 2,
        visitsInPeriod: 3,
        promiseBefore: null,
        promise: null,
      })
  })

  it('reads visit times written with an offset', () => {
    const h = home()
    const a = aggregateVisits([{ householdId: h.id, startedAt: '2026-11-01T00:30:00+08:00', outcome: 'met', followUpDate: null }], FROM, TO)
    expect(a.get(h.id)).toMatchObject({ lastCompletedAt: '2026-10-31T16:30:00.000Z', completedInPeriod: 1 })
  })
})

describe('a community of different households', () => {
  it('gives one stat per household, in order, each by its own rule', () => {
    const plain = home({ tags: [], attention: 'normal' })
    const laidOff = home({ tags: ['unemployed'], attention: 'normal' })
    const dibao = home({ tags: ['dibao'], attention: 'normal' })
    const rules: VisitRule[] = [...DEFAULT_VISIT_RULES, { attention: 'any', tag: 'dibao', days: 14 }]
    // All last met on 10-01: 182 days (ok), 91 days (ok), 14 days (overdue).
    const hs = [plain, laidOff, dibao]
    for (const order of [hs, [...hs].reverse()]) {
      const list = computeHouseholdStats(order, aggregateVisits(order.map((h) => at(h, '2026-10-01 09:00')), FROM, TO), rules, FROM, TO)
      expect(list.map((s) => [s.id, s.state])).toEqual(order.map((h) => [h.id, h === dibao ? 'overdue' : 'ok']))
    }
  })
})

describe('summarizeByGrid, more', () => {
  const stat = (gridId: string, state: HouseholdStat['state'] | 'visited', needed: boolean): HouseholdStat => ({
    id: `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    gridId,
    state: state === 'visited' ? 'ok' : state,
    dueDay: null,
    followUp: false,
    visited: state === 'visited',
    lastCompletedAt: null,
    visitsInPeriod: 1,
    needed,
  })
  const g1 = validHousehold().gridId

  it('leaves out grid cells that were not asked for', () => {
    const rows = summarizeByGrid([stat(g1, 'visited', true), stat(grid2, 'overdue', true)], [grid2])
    expect(rows).toEqual([{ gridId: grid2, households: 1, needed: 1, neededVisited: 0, coverage: 0, visitsInPeriod: 1, overdue: 1, never: 0 }])
  })

  it('without a list, reports the cells the stats mention, in order of first appearance', () => {
    const rows = summarizeByGrid([stat(grid2, 'never', true), stat(g1, 'visited', true), stat(grid2, 'visited', true)])
    expect(rows.map((r) => [r.gridId, r.households, r.coverage, r.never])).toEqual([
      [grid2, 2, 0.5, 1],
      [g1, 1, 1, 0],
    ])
  })
})

describe('China days', () => {
  it('an instant belongs to the China calendar day it falls on', () => {
    expect(chinaDay(Date.parse('2026-11-20T15:59:59.999Z'))).toBe('2026-11-20')
    expect(chinaDay(Date.parse('2026-11-20T16:00:00.000Z'))).toBe('2026-11-21')
    expect(chinaDay(Date.parse('2026-11-21T00:30:00+08:00'))).toBe('2026-11-21')
  })

  it('a one-day period is that day, midnight to midnight China time', () => {
    expect(periodBounds('2026-11-21', '2026-11-21')).toEqual({ start: '2026-11-20T16:00:00.000Z', end: '2026-11-21T16:00:00.000Z' })
  })

  it('asks for as many weeks as wanted, each seven days after the last', () => {
    expect(weekStarts('2026-11-21', 3)).toEqual(['2026-11-02', '2026-11-09', '2026-11-16'])
    expect(weekStarts('2026-11-15', 1)).toEqual(['2026-11-09']) // a Sunday ends the week that began on Monday the 9th
  })
})
