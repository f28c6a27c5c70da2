import { describe, expect, it } from 'vitest'
import {
  ACTION_LABEL_ZH,
  actorOf,
  availableActions,
  CARD_LABEL_ZH,
  CASE_ACTIONS,
  CASE_STATES,
  caseCard,
  checkTransition,
  DEFAULT_CASE_DEADLINES,
  isOpen,
  OPEN_STATES,
  responseHours,
  STATE_LABEL_ZH,
  type CaseActor,
  type CaseDeadlines,
  type CaseState,
} from '../../src/domain'
import { setDomainLanguage } from '../../src/domain/language'

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
  // The street answers only what was escalated to it: solved, or back to the community.
  ['escalated', 'street_resolve', ['street'], 'resolved'],
  ['escalated', 'hand_back', ['street'], 'accepted'],
]
const ACTORS: Array<CaseActor | null> = ['secretary', 'admin', 'grid_worker', 'street', null]
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
      ['escalated', 'street_resolve'],
      ['escalated', 'hand_back'],
    ] as const) {
      const actor: CaseActor = action === 'verify' || action === 'reject_verification' ? 'grid_worker' : action === 'street_resolve' || action === 'hand_back' ? 'street' : 'secretary'
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
    expect(availableActions('escalated', 'street').sort()).toEqual(['hand_back', 'street_resolve'])
    expect(availableActions('escalated', 'secretary')).toEqual(['resolve'])
    expect(availableActions('in_progress', 'street')).toEqual([])
  })

  it('says all of it in English in the English UI: who may, from where, what is missing', () => {
    setDomainLanguage('en')
    try {
      const message = (r: ReturnType<typeof checkTransition>) => (r.ok ? '' : r.message)
      expect(message(checkTransition('resolved', 'verify', 'secretary', full))).toBe('Only the cell\'s grid worker can "Verify by visit"')
      expect(message(checkTransition('reported', 'accept', 'grid_worker', full))).toBe('Only the community secretary or an administrator can "Accept"')
      expect(message(checkTransition('assigned', 'start', 'street', full))).toBe('Only the community secretary, an administrator or the cell\'s grid worker can "Start"')
      expect(message(checkTransition('reported', 'resolve', 'secretary', full))).toBe('The case is "Reported" and cannot "Resolve" (only from "In progress", "Escalated to street")')
      expect(message(checkTransition('escalated', 'hand_back', 'street', { note: ' ', handlerTeamId: null }))).toBe('"Hand back to the community" needs a reason or result written down')
      expect(message(checkTransition('accepted', 'assign', 'secretary', { note: '', handlerTeamId: null }))).toBe('To assign, choose a team to handle it')
    } finally {
      setDomainLanguage('zh-CN')
    }
  })

  it('the street’s staff act as the street, and only the street may answer for it', () => {
    expect(actorOf('street', false)).toBe('street')
    expect(actorOf('street_admin', true)).toBe('street')
    const r = checkTransition('escalated', 'hand_back', 'secretary', full)
    expect(r).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    if (!r.ok) expect(r.message).toBe('「交回社区」只能由街道操作')
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

describe('督办 cards at their boundaries', () => {
  // Distinct numbers, so a test can tell which deadline was used.
  const d: CaseDeadlines = { redHours: 3, yellowHours: 10, blueHours: 30, disputeAcceptHours: 20, defaultHandlingDays: 7 }
  const T0 = Date.parse('2026-11-21T00:00:00.000Z')
  const H = 3600_000
  const t = (h: number) => T0 + h * H
  const iso = (ms: number) => new Date(ms).toISOString()
  type CardCase = Parameters<typeof caseCard>[0]
  const reported = (over: Partial<CardCase> = {}): CardCase => ({
    kind: 'need',
    urgency: 'red',
    state: 'reported',
    reportedAt: iso(T0),
    deadline: null,
    updatedAt: iso(T0),
    ...over,
  })
  /** What the board shows for the case at `now`. */
  const shown = (c: CardCase, now: number, deadlines: CaseDeadlines = d) => CARD_LABEL_ZH[caseCard(c, now, deadlines).card]

  it('a red need, 3 h to respond: no card up to the deadline, a yellow card from the next moment', () => {
    const c = reported()
    expect(shown(c, t(3) - 1)).toBe('')
    expect(shown(c, t(3))).toBe('')
    expect(shown(c, t(3) + 1)).toBe('黄牌督办')
    expect(caseCard(c, t(3), d).dueAt).toBe(t(3))
  })

  it('… and a red card once late by as long again (3 h more), not a moment before', () => {
    const c = reported()
    expect(shown(c, t(6) - 1)).toBe('黄牌督办')
    expect(shown(c, t(6))).toBe('黄牌督办')
    expect(shown(c, t(6) + 1)).toBe('红牌督办')
  })

  it('gives each urgency its own response time, and the red card after as long again', () => {
    for (const [urgency, hours] of [
      ['red', 3],
      ['yellow', 10],
      ['blue', 30],
    ] as const) {
      const c = reported({ urgency })
      expect(caseCard(c, t(hours), d), urgency).toEqual({ card: 'none', dueAt: t(hours) })
      expect(caseCard(c, t(hours) + 1, d).card, urgency).toBe('yellow')
      // Late by as long again, at most a day: 3 h, 10 h, 24 h (not 30 h).
      const grace = Math.min(hours, 24)
      expect(caseCard(c, t(hours + grace), d).card, urgency).toBe('yellow')
      expect(caseCard(c, t(hours + grace) + 1, d).card, urgency).toBe('red')
    }
  })

  it('a red card is never more than a day away: a blue need late by 24 h is yellow, by a moment more red', () => {
    const c = reported({ urgency: 'blue' })
    expect(shown(c, t(30 + 24))).toBe('黄牌督办')
    expect(shown(c, t(30 + 24) + 1)).toBe('红牌督办')
    // With the defaults: 72 h to respond, red one day after that.
    const def = DEFAULT_CASE_DEADLINES
    expect(shown(c, t(72), def)).toBe('')
    expect(shown(c, t(72) + 1, def)).toBe('黄牌督办')
    expect(shown(c, t(96), def)).toBe('黄牌督办')
    expect(shown(c, t(96) + 1, def)).toBe('红牌督办')
  })

  it('a red card is never less than an hour away, however short the deadline', () => {
    const halfHour: CaseDeadlines = { ...d, redHours: 0.5 }
    const c = reported()
    expect(shown(c, t(0.5), halfHour)).toBe('')
    expect(shown(c, t(0.5) + 1, halfHour)).toBe('黄牌督办')
    expect(shown(c, t(1), halfHour)).toBe('黄牌督办') // late by as long again: still yellow
    expect(shown(c, t(1.5), halfHour)).toBe('黄牌督办') // late by exactly an hour
    expect(shown(c, t(1.5) + 1, halfHour)).toBe('红牌督办')
  })

  it('a dispute must be taken up within the dispute limit, whatever its urgency', () => {
    const blue = reported({ kind: 'dispute', urgency: 'blue' })
    expect(caseCard(blue, t(20), d)).toEqual({ card: 'none', dueAt: t(20) })
    expect(shown(blue, t(20) + 1)).toBe('黄牌督办')
    expect(shown(blue, t(40))).toBe('黄牌督办')
    expect(shown(blue, t(40) + 1)).toBe('红牌督办')
    // A red dispute keeps its shorter time.
    expect(caseCard(reported({ kind: 'dispute' }), t(3) + 1, d)).toEqual({ card: 'yellow', dueAt: t(3) })
  })

  it('counts a reported case from when it was reported', () => {
    const c = reported({ reportedAt: iso(t(5)), updatedAt: iso(t(5)) })
    expect(caseCard(c, t(8), d)).toEqual({ card: 'none', dueAt: t(8) })
    expect(shown(c, t(8) + 1)).toBe('黄牌督办')
  })

  it.each(['accepted', 'assigned', 'in_progress', 'escalated'] as const)(
    'a case %s with a deadline: yellow just after it, red once late by the time it was given',
    (state) => {
      // Given 10 h on assignment (updated at 2 h, due at 12 h): red from 22 h on.
      const c = reported({ state, updatedAt: iso(t(2)), deadline: iso(t(12)) })
      expect(caseCard(c, t(12), d)).toEqual({ card: 'none', dueAt: t(12) })
      expect(caseCard(c, t(12) + 1, d)).toEqual({ card: 'yellow', dueAt: t(12) })
      expect(caseCard(c, t(22), d).card).toBe('yellow')
      expect(caseCard(c, t(22) + 1, d).card).toBe('red')
    },
  )

  it('a handling deadline given for a week still turns red one day after it', () => {
    const c = reported({ state: 'in_progress', updatedAt: iso(t(0)), deadline: iso(t(7 * 24)) })
    expect(caseCard(c, t(8 * 24), d).card).toBe('yellow')
    expect(caseCard(c, t(8 * 24) + 1, d).card).toBe('red')
  })

  it('a handling deadline of a few minutes still waits an hour before the red card', () => {
    const c = reported({ state: 'assigned', updatedAt: iso(t(2)), deadline: iso(t(2.1)) })
    expect(caseCard(c, t(3.1), d).card).toBe('yellow')
    expect(caseCard(c, t(3.1) + 1, d).card).toBe('red')
  })

  it('an accepted or assigned case with no deadline yet carries no card and no due time', () => {
    for (const state of ['accepted', 'assigned', 'in_progress', 'escalated'] as const)
      expect(caseCard(reported({ state }), t(1000), d), state).toEqual({ card: 'none', dueAt: null })
  })

  it.each(['resolved', 'verified', 'closed', 'returned'] as const)('a %s case carries no card, even past its deadline', (state) => {
    const c = reported({ state, updatedAt: iso(t(2)), deadline: iso(t(12)) })
    expect(caseCard(c, t(1000), d)).toEqual({ card: 'none', dueAt: null })
  })
})

describe('response hours', () => {
  const d: CaseDeadlines = { redHours: 3, yellowHours: 10, blueHours: 30, disputeAcceptHours: 20, defaultHandlingDays: 7 }

  it('reads each urgency from the settings, and caps a dispute at the dispute limit', () => {
    expect(['red', 'yellow', 'blue'].map((u) => responseHours('need', u as 'red', d))).toEqual([3, 10, 30])
    expect(['red', 'yellow', 'blue'].map((u) => responseHours('hazard', u as 'red', d))).toEqual([3, 10, 30])
    expect(['red', 'yellow', 'blue'].map((u) => responseHours('dispute', u as 'red', d))).toEqual([3, 10, 20])
  })
})

describe('who acts, and what the messages say', () => {
  it('the secretary and the admin act as themselves anywhere; a worker only in their own grid cell', () => {
    expect(actorOf('secretary', false)).toBe('secretary')
    expect(actorOf('secretary', true)).toBe('secretary')
    expect(actorOf('admin', false)).toBe('admin')
    expect(actorOf('worker', true)).toBe('grid_worker')
    expect(actorOf('worker', false)).toBeNull()
  })

  it('names the state and every state the action could start from', () => {
    expect(checkTransition('reported', 'close', 'secretary', full)).toEqual({
      ok: false,
      code: 'INVALID_TRANSITION',
      message: '案件现在是「上报」，不能「结案」（只能从「核查」）',
    })
    expect(checkTransition('closed', 'escalate', 'secretary', full)).toMatchObject({
      message: '案件现在是「结案」，不能「上报街道」（只能从「受理」、「分派」、「处置」）',
    })
  })

  it('names who may, joined by 或', () => {
    expect(checkTransition('reported', 'accept', 'grid_worker', full)).toEqual({ ok: false, code: 'FORBIDDEN', message: '「受理」只能由社区书记或管理员操作' })
    expect(checkTransition('resolved', 'verify', 'admin', full)).toMatchObject({ message: '「回访核查」只能由本网格网格员操作' })
    expect(checkTransition('assigned', 'start', null, full)).toMatchObject({ message: '「开始处置」只能由社区书记或管理员或本网格网格员操作' })
  })

  it('asks for a reason by the action\'s name, and for a team when assigning', () => {
    expect(checkTransition('reported', 'return', 'secretary', { note: '', handlerTeamId: null })).toEqual({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: '「回退」需要写明理由或结果',
    })
    expect(checkTransition('accepted', 'assign', 'secretary', { note: '', handlerTeamId: null })).toEqual({
      ok: false,
      code: 'VALIDATION_FAILED',
      message: '分派时要选一个处置单位',
    })
    // A reason is not needed to accept, start or close; a team only to assign.
    expect(checkTransition('reported', 'accept', 'secretary', { note: '', handlerTeamId: null })).toEqual({ ok: true, to: 'accepted' })
    expect(checkTransition('in_progress', 'resolve', 'grid_worker', { note: ' 已修好 ', handlerTeamId: null })).toEqual({ ok: true, to: 'resolved' })
  })

  it('shows states and buttons in the words of the closed loop', () => {
    expect(CASE_STATES.map((s) => STATE_LABEL_ZH[s])).toEqual(['上报', '受理', '分派', '处置', '办结', '核查', '结案', '回退', '上报街道'])
    expect(CASE_ACTIONS.map((a) => ACTION_LABEL_ZH[a])).toEqual(['上报', '受理', '回退', '重新上报', '分派', '开始处置', '办结', '上报街道', '街道办结', '交回社区', '回访核查', '核查未通过', '结案'])
  })

  it('every state but 结案 is open', () => {
    for (const s of CASE_STATES) expect(isOpen(s), s).toBe(s !== 'closed')
    expect([...OPEN_STATES].sort()).toEqual(CASE_STATES.filter((s) => s !== 'closed').sort())
  })
})
