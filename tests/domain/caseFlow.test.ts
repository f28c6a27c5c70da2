import { describe, expect, it } from 'vitest'
import {
  availableActions,
  CASE_ACTIONS,
  CASE_STATES,
  caseCard,
  checkTransition,
  DEFAULT_CASE_DEADLINES,
  responseHours,
  type CaseActor,
  type CaseState,
} from '../../src/domain'

// Written out by hand from domain.md, not derived from the implementation:
// state, action, who may do it, resulting state.
const ALLOWED: Array<[CaseState, string, CaseActor[], CaseState]> = [
  ['reported', 'accept', ['secretary', 'admin'], 'accepted'],
  ['reported', 'return', ['secretary', 'admin'], 'returned'],
  ['accepted', 'return', ['secretary', 'admin'], 'returned'],
  ['returned', 'resubmit', ['grid_worker'], 'reported'],
  ['accepted', 'assign', ['secretary', 'admin'], 'assigned'],
  ['assigned', 'assign', ['secretary', 'admin'], 'assigned'],
  ['assigned', 'start', ['secretary', 'admin', 'grid_worker'], 'in_progress'],
  ['in_progress', 'resolve', ['secretary', 'admin', 'grid_worker'], 'resolved'],
  ['escalated', 'resolve', ['secretary', 'admin', 'grid_worker'], 'resolved'],
  ['accepted', 'escalate', ['secretary', 'admin'], 'escalated'],
  ['assigned', 'escalate', ['secretary', 'admin'], 'escalated'],
  ['in_progress', 'escalate', ['secretary', 'admin'], 'escalated'],
  ['resolved', 'verify', ['grid_worker'], 'verified'],
  ['resolved', 'reject_verification', ['grid_worker'], 'in_progress'],
  ['verified', 'close', ['secretary', 'admin'], 'closed'],
]
const ACTORS: Array<CaseActor | null> = ['secretary', 'admin', 'grid_worker', null]
const ACTIONS = CASE_ACTIONS.filter((a) => a !== 'report') as Array<Exclude<(typeof CASE_ACTIONS)[number], 'report'>>
const full = { note: '已处理', handlerTeamId: '0190a000-0000-7000-8000-000000000001' }

describe('case state machine', () => {
  it('allows exactly the transitions of the closed loop, to the right state', () => {
    for (const state of CASE_STATES)
      for (const action of ACTIONS)
        for (const actor of ACTORS) {
          const rule = ALLOWED.find(([s, a]) => s === state && a === action)
          const r = checkTransition(state, action, actor, full)
          const label = `${state} --${action}--> by ${actor}`
          if (rule && actor && rule[2].includes(actor)) expect(r, label).toEqual({ ok: true, to: rule[3] })
          else expect(r.ok, label).toBe(false)
        }
  })

  it('says why: wrong state names the current and the possible states', () => {
    const r = checkTransition('reported', 'close', 'secretary', full)
    expect(r).toMatchObject({ ok: false, code: 'INVALID_TRANSITION' })
    if (!r.ok) {
      expect(r.message).toContain('「上报」')
      expect(r.message).toContain('「核查」')
    }
  })

  it('says who may: a worker cannot accept, the office cannot verify, an outsider nothing', () => {
    const a = checkTransition('reported', 'accept', 'grid_worker', full)
    expect(a).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    if (!a.ok) expect(a.message).toContain('社区书记')
    const v = checkTransition('resolved', 'verify', 'secretary', full)
    expect(v).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    if (!v.ok) expect(v.message).toContain('网格员')
    expect(checkTransition('assigned', 'start', null, full)).toMatchObject({ ok: false, code: 'FORBIDDEN' })
  })

  it('asks for a reason where one is needed, and a team to assign to', () => {
    for (const [state, action] of [
      ['reported', 'return'],
      ['in_progress', 'resolve'],
      ['accepted', 'escalate'],
      ['resolved', 'verify'],
      ['resolved', 'reject_verification'],
    ] as const) {
      const actor: CaseActor = action === 'verify' || action === 'reject_verification' ? 'grid_worker' : 'secretary'
      expect(checkTransition(state, action, actor, { note: '  ', handlerTeamId: null }), `${action}`).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' })
    }
    const r = checkTransition('accepted', 'assign', 'secretary', { note: '', handlerTeamId: null })
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION_FAILED' })
    if (!r.ok) expect(r.message).toContain('处置单位')
  })

  it('offers each actor only what they may do now', () => {
    expect(availableActions('reported', 'secretary').sort()).toEqual(['accept', 'return'])
    expect(availableActions('reported', 'grid_worker')).toEqual([])
    expect(availableActions('resolved', 'grid_worker').sort()).toEqual(['reject_verification', 'verify'])
    expect(availableActions('closed', 'admin')).toEqual([])
    expect(availableActions('assigned', null)).toEqual([])
  })
})

describe('deadlines and 督办 cards', () => {
  const d = DEFAULT_CASE_DEADLINES
  const base = { kind: 'need' as const, urgency: 'red' as const, state: 'reported' as const, reportedAt: '2026-11-21T00:00:00.000Z', deadline: null, updatedAt: '2026-11-21T00:00:00.000Z' }
  const t = (h: number) => Date.parse('2026-11-21T00:00:00.000Z') + h * 3600_000

  it('gives red 2 h, yellow 24 h, blue 72 h to respond; a dispute at most 48 h', () => {
    expect([responseHours('need', 'red', d), responseHours('need', 'yellow', d), responseHours('need', 'blue', d)]).toEqual([2, 24, 72])
    expect(responseHours('dispute', 'blue', d)).toBe(48)
    expect(responseHours('dispute', 'red', d)).toBe(2)
  })

  it('no card in time, a yellow card once late, a red card once late by as long again', () => {
    expect(caseCard(base, t(1.5), d).card).toBe('none')
    expect(caseCard(base, t(2.5), d).card).toBe('yellow')
    expect(caseCard(base, t(4.5), d).card).toBe('red')
    const blue = { ...base, urgency: 'blue' as const }
    expect(caseCard(blue, t(80), d).card).toBe('yellow')
    expect(caseCard(blue, t(72 + 25), d).card).toBe('red') // late by more than a day
  })

  it('counts an assigned case against its handling deadline, and closed cases never', () => {
    const assigned = { ...base, state: 'assigned' as const, updatedAt: new Date(t(1)).toISOString(), deadline: new Date(t(49)).toISOString() }
    expect(caseCard(assigned, t(48), d).card).toBe('none')
    expect(caseCard(assigned, t(50), d).card).toBe('yellow')
    expect(caseCard(assigned, t(49 + 25), d).card).toBe('red')
    expect(caseCard({ ...assigned, state: 'closed' }, t(500), d).card).toBe('none')
  })
})
