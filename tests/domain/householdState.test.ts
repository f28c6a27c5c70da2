import { describe, expect, it } from 'vitest'
import { DEFAULT_VISIT_RULES, type Household, type Visit, type VisitRule } from '../../src/domain'
import { householdState, intervalDays, isLate, visitHistories, type HouseholdStatus, type VisitFacts } from '../../src/domain/householdState'

// The one rule for where a household stands (issue 10, part 5). Days are China calendar days;
// the day judged is given as 'YYYY-MM-DD'. A 重点 household (monthly, 30 days) unless said otherwise.

const ID = '0190a000-0000-7000-8000-000000000003'
const keyHome: Pick<Household, 'tags' | 'attention'> = { tags: ['dibao'], attention: 'key' }

/** A visit at a China wall-clock time ("2026-11-03 10:00"). */
function at(china: string, outcome: Visit['outcome'] = 'met', followUpDate: string | null = null): VisitFacts {
  return { householdId: ID, startedAt: new Date(`${china.replace(' ', 'T')}:00+08:00`).toISOString(), outcome, followUpDate }
}
function stateOn(day: string, visits: VisitFacts[], household = keyHome, rules: VisitRule[] = DEFAULT_VISIT_RULES, offset?: number): HouseholdStatus {
  return householdState(household, visitHistories(visits).get(ID), rules, day, offset)
}
const brief = (s: HouseholdStatus) => [s.state, s.dueDay, s.followUp]

describe('by the rules alone', () => {
  it('never visited: no completed visit, whatever the attempts (and their promises)', () => {
    expect(stateOn('2026-11-21', [])).toMatchObject({ state: 'never', dueDay: null, daysOverdue: Infinity, intervalDays: 30 })
    expect(stateOn('2026-11-21', [at('2026-11-01 10:00', 'not_home', '2026-11-05'), at('2026-11-02 10:00', 'refused')]).state).toBe('never')
  })

  it('last met on 10-11: due 11-10; ok the day before, due that day, overdue the day after', () => {
    const visits = [at('2026-10-11 10:00')]
    expect(brief(stateOn('2026-11-09', visits))).toEqual(['ok', '2026-11-10', false])
    expect(brief(stateOn('2026-11-10', visits))).toEqual(['due', '2026-11-10', false])
    expect(stateOn('2026-11-11', visits)).toMatchObject({ state: 'overdue', dueDay: '2026-11-10', daysOverdue: 1, followUp: false })
    expect(stateOn('2026-11-09', visits).daysOverdue).toBe(-1)
  })

  it.each(['not_home', 'refused'] as const)('a later "%s" does not reset the clock', (outcome) => {
    expect(stateOn('2026-11-21', [at('2026-10-11 10:00'), at('2026-11-19 10:00', outcome)])).toMatchObject({ state: 'overdue', dueDay: '2026-11-10', daysOverdue: 11 })
  })

  it.each(['met', 'phone'] as const)('a later "%s" does', (outcome) => {
    expect(brief(stateOn('2026-11-21', [at('2026-10-11 10:00'), at('2026-11-19 10:00', outcome)]))).toEqual(['ok', '2026-12-19', false])
  })

  it('no rule: ok, never late, even never visited', () => {
    const rules: VisitRule[] = [{ attention: 'high', tag: 'any', days: 7 }]
    expect(stateOn('2026-11-21', [], keyHome, rules)).toMatchObject({ state: 'ok', dueDay: null, intervalDays: null, daysOverdue: -Infinity })
    expect(stateOn('2026-11-21', [at('2026-01-01 10:00', 'met', '2026-01-05')], keyHome, rules).state).toBe('ok')
  })

  it('the interval is the shortest matching rule: weekly for 高风险, twice a year for an ordinary home', () => {
    expect(stateOn('2026-11-21', [at('2026-11-10 10:00')], { tags: [], attention: 'high' })).toMatchObject({ state: 'overdue', dueDay: '2026-11-17', intervalDays: 7 })
    expect(stateOn('2026-11-21', [at('2026-06-01 10:00')], { tags: [], attention: 'normal' })).toMatchObject({ state: 'ok', dueDay: '2026-11-30', intervalDays: 182 })
  })
})

describe('a promised follow-up (约定回访)', () => {
  // Met on 11-01 (rule: due 12-01), promising to come back on 11-10.
  const promised = () => [at('2026-11-01 10:00', 'met', '2026-11-10')]

  it('brings the visit forward: ok before the day, due on it, missed after it', () => {
    expect(brief(stateOn('2026-11-09', promised()))).toEqual(['ok', '2026-11-10', true])
    expect(brief(stateOn('2026-11-10', promised()))).toEqual(['due', '2026-11-10', true])
    expect(stateOn('2026-11-11', promised())).toMatchObject({ state: 'followup_missed', dueDay: '2026-11-10', followUp: true, daysOverdue: 1 })
    // Missed it is late like any overdue household.
    expect(isLate(stateOn('2026-11-11', promised()).state)).toBe(true)
  })

  it('stays missed after the rule falls due too, and says the promised day', () => {
    expect(stateOn('2026-12-05', promised())).toMatchObject({ state: 'followup_missed', dueDay: '2026-11-10', daysOverdue: 25 })
  })

  it('never pushes the visit back: a promise after the rule due date leaves the rule', () => {
    expect(stateOn('2026-11-21', [at('2026-10-11 10:00', 'met', '2026-11-30')])).toMatchObject({ state: 'overdue', dueDay: '2026-11-10', followUp: false })
  })

  it('is kept by a completed visit after it, even before the promised day', () => {
    expect(brief(stateOn('2026-11-21', [...promised(), at('2026-11-08 10:00', 'phone')]))).toEqual(['ok', '2026-12-08', false])
    expect(brief(stateOn('2026-11-21', [...promised(), at('2026-11-12 10:00')]))).toEqual(['ok', '2026-12-12', false])
  })

  it.each(['not_home', 'refused'] as const)('is not kept by a later "%s": nobody was reached', (outcome) => {
    expect(stateOn('2026-11-21', [...promised(), at('2026-11-09 10:00', outcome)])).toMatchObject({ state: 'followup_missed', dueDay: '2026-11-10' })
  })

  it('is replaced by a later promise, sooner or later than the first', () => {
    expect(brief(stateOn('2026-11-12', [...promised(), at('2026-11-10 10:00', 'not_home', '2026-11-14')]))).toEqual(['ok', '2026-11-14', true])
    expect(brief(stateOn('2026-11-12', [...promised(), at('2026-11-03 10:00', 'not_home', '2026-11-05')]))).toEqual(['followup_missed', '2026-11-05', true])
  })

  it('made at a "not at home" attempt after the last completed visit counts', () => {
    expect(brief(stateOn('2026-11-21', [at('2026-11-01 10:00'), at('2026-11-05 10:00', 'not_home', '2026-11-07')]))).toEqual(['followup_missed', '2026-11-07', true])
  })

  it('made before the last completed visit is over, whatever order the visits come in', () => {
    const visits = [at('2026-11-01 10:00', 'not_home', '2026-11-03'), at('2026-11-02 10:00')]
    expect(brief(stateOn('2026-11-21', visits))).toEqual(['ok', '2026-12-02', false])
    expect(brief(stateOn('2026-11-21', [...visits].reverse()))).toEqual(['ok', '2026-12-02', false])
  })

  it('counts only for a day after the visit that made it', () => {
    expect(brief(stateOn('2026-11-21', [at('2026-11-10 10:00', 'met', '2026-11-10')]))).toEqual(['ok', '2026-12-10', false])
    expect(brief(stateOn('2026-11-21', [at('2026-11-10 10:00', 'met', '2026-11-09')]))).toEqual(['ok', '2026-12-10', false])
    expect(brief(stateOn('2026-11-21', [at('2026-11-10 10:00', 'met', '2026-11-11')]))).toEqual(['followup_missed', '2026-11-11', true])
  })
})

describe('days are China calendar days', () => {
  it('a visit at 23:30 China time counts for that day, one at 00:10 for the next', () => {
    expect(stateOn('2026-11-10', [at('2026-10-11 23:30')]).state).toBe('due')
    expect(stateOn('2026-11-10', [at('2026-10-12 00:10')]).state).toBe('ok')
    expect(stateOn('2026-11-11', [at('2026-10-11 23:30')]).state).toBe('overdue')
  })

  it('a promise made at 00:30 China time for that same day is no promise; in UTC it was the day before', () => {
    // 2026-11-10 00:30 China is 2026-11-09 16:30 UTC.
    const visits = [at('2026-11-10 00:30', 'met', '2026-11-10')]
    expect(brief(stateOn('2026-11-12', visits))).toEqual(['ok', '2026-12-10', false])
    expect(brief(stateOn('2026-11-12', visits, keyHome, DEFAULT_VISIT_RULES, 0))).toEqual(['followup_missed', '2026-11-10', true])
  })

  it('the day judged may be a day number too', () => {
    const day = Math.floor(Date.parse('2026-11-11') / 86_400_000)
    expect(householdState(keyHome, visitHistories([at('2026-11-01 10:00', 'met', '2026-11-10')]).get(ID), DEFAULT_VISIT_RULES, day).state).toBe('followup_missed')
  })
})

describe('visitHistories', () => {
  it('keeps the latest completed visit and the latest promise, whatever order the visits arrive in', () => {
    const visits = [at('2026-11-03 10:00', 'not_home', '2026-11-06'), at('2026-10-20 10:00', 'phone'), at('2026-10-02 10:00', 'met', '2026-10-09'), at('2026-11-05 10:00', 'refused')]
    for (const order of [visits, [...visits].reverse()])
      expect(visitHistories(order).get(ID)).toEqual({ lastCompletedAt: visits[1]!.startedAt, lastPromise: { day: '2026-11-06', at: visits[0]!.startedAt } })
  })

  it('reads times written with an offset as the same instant', () => {
    const h = visitHistories([
      { householdId: ID, startedAt: '2026-11-20T23:30:00+08:00', outcome: 'met', followUpDate: '2026-11-25' },
      { householdId: ID, startedAt: '2026-11-20T15:00:00.000Z', outcome: 'met', followUpDate: null },
    ]).get(ID)
    expect(h).toEqual({ lastCompletedAt: '2026-11-20T15:30:00.000Z', lastPromise: { day: '2026-11-25', at: '2026-11-20T15:30:00.000Z' } })
  })
})

describe('isLate', () => {
  it('never, overdue and a missed follow-up are late; due and ok are not', () => {
    expect((['never', 'overdue', 'followup_missed', 'due', 'ok'] as const).filter(isLate)).toEqual(['never', 'overdue', 'followup_missed'])
  })
})

describe('a copy without its 政法 tags', () => {
  it('takes the interval the server worked out from its full tags, even "none due"', () => {
    const rules = [{ tag: 'any' as const, attention: 'any' as const, days: 182 }, { tag: 'correction' as const, attention: 'any' as const, days: 7 }]
    expect(intervalDays({ tags: [], attention: 'normal' }, rules)).toBe(182)
    expect(intervalDays({ tags: [], attention: 'normal', hiddenInterval: 7 }, rules)).toBe(7)
    expect(intervalDays({ tags: [], attention: 'normal', hiddenInterval: null }, rules)).toBeNull()
  })
})
