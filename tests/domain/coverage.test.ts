import { describe, expect, it } from 'vitest'
import {
  aggregateVisits,
  computeHouseholdStats,
  isVulnerable,
  periodBounds,
  summarizeByGrid,
  weekStarts,
  type VisitAggregate,
} from '../../src/domain/coverage'
import { DEFAULT_VISIT_RULES, type Household, type HouseholdStat, type Visit, type VisitRule } from '../../src/domain'
import { validHousehold } from './fixtures'

// The period: November 2026, China time. A 重点 household (monthly, 30 days) unless said otherwise.
const FROM = '2026-11-01'
const TO = '2026-11-30'
const grid2 = '0190a000-0000-7000-8000-0000000000e2'

let n = 0
function home(over: Partial<Household> = {}): Household {
  return validHousehold({ id: `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`, tags: ['dibao'], attention: 'key', ...over })
}
type Facts = Pick<Visit, 'householdId' | 'startedAt' | 'outcome'>
/** A visit at a China-time wall clock ("2026-11-03 10:00"). */
const at = (h: Household, china: string, outcome: Visit['outcome'] = 'met'): Facts => ({
  householdId: h.id,
  startedAt: new Date(`${china.replace(' ', 'T')}:00+08:00`).toISOString(),
  outcome,
})

function statsOf(households: Household[], visits: Facts[], rules: VisitRule[] = DEFAULT_VISIT_RULES, from = FROM, to = TO, now?: number) {
  const list = computeHouseholdStats(households, aggregateVisits(visits, from, to), rules, from, to, now)
  return new Map(list.map((s) => [s.id, s]))
}
const one = (h: Household, visits: Facts[], rules?: VisitRule[], from?: string, to?: string, now?: number) => statsOf([h], visits, rules, from, to, now).get(h.id)!

describe('computeHouseholdStats', () => {
  it('a household never visited needed a visit and is "never"', () => {
    const h = home()
    expect(one(h, [])).toEqual({ id: h.id, gridId: h.gridId, state: 'never', lastCompletedAt: null, visitsInPeriod: 0, needed: true })
  })

  it('not-at-home and refused attempts are visits in the period but do not complete one', () => {
    const h = home()
    const s = one(h, [at(h, '2026-11-03 10:00', 'not_home'), at(h, '2026-11-10 10:00', 'refused')])
    expect(s).toMatchObject({ state: 'never', visitsInPeriod: 2, lastCompletedAt: null, needed: true })
  })

  it('a completed visit in the period (met or by phone) makes it visited', () => {
    const h = home()
    const p = home()
    expect(one(h, [at(h, '2026-10-01 09:00'), at(h, '2026-11-05 09:00')])).toMatchObject({ state: 'visited', needed: true, visitsInPeriod: 1 })
    expect(one(p, [at(p, '2026-11-05 09:00', 'phone')])).toMatchObject({ state: 'visited', needed: true })
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
    // Half an hour later it is 11-01 in China: inside the period, so visited.
    expect(one(h, [at(h, '2026-11-01 00:10')])).toMatchObject({ state: 'visited', needed: true })
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
    expect(one(h, [at(h, '2026-11-02 08:00')], rules)).toMatchObject({ state: 'visited', needed: false, visitsInPeriod: 1 })
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
})

describe('summarizeByGrid', () => {
  it('counts per grid cell, coverage over the households that needed a visit', () => {
    const stat = (gridId: string, state: HouseholdStat['state'], needed: boolean, visitsInPeriod = 0): HouseholdStat => ({
      id: `0190a000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
      gridId,
      state,
      lastCompletedAt: null,
      visitsInPeriod,
      needed,
    })
    const g1 = validHousehold().gridId
    const rows = summarizeByGrid(
      [stat(g1, 'visited', true, 2), stat(g1, 'visited', false, 1), stat(g1, 'overdue', true, 1), stat(g1, 'never', true), stat(g1, 'ok', false)],
      [g1, grid2],
    )
    expect(rows).toEqual([
      { gridId: g1, households: 5, needed: 3, neededVisited: 1, coverage: 1 / 3, visitsInPeriod: 4, overdue: 1, never: 1 },
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
    })
  })
})
