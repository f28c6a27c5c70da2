// The demo's cases (domain.md, "Cases: disputes, needs and hazards in a closed loop"): a year of
// 矛盾纠纷, 民情诉求 and 安全隐患 with their full step histories, the handling teams, and the
// secretary's 点评 on some visits. Driven by its own random streams, so adding or changing cases
// never changes the register or the visits.
import type { Building, Case, CaseAction, CaseKind, CaseState, CaseStep, Comment, GeoPoint, Household, Tag, Team, Urgency, Visit } from '../domain'
import { CASE_FLOW, caseCard, checkTransition, responseHours, type Card, type CaseActor } from '../domain/caseFlow'
import { uuidv7 } from '../domain/ids'
import { DEFAULT_CASE_DEADLINES } from '../domain/settingsDefaults'
import {
  CASE_TEXTS,
  COMMENTS,
  DISPUTE_WEIGHTS,
  HAZARD_WEIGHTS,
  NEED_WEIGHTS,
  RESOLVE_NOTES,
  STEP_NOTES,
  TEAM_DEFS,
  type CaseText,
  type TeamKind,
} from './caseTexts'
import type { Rng } from './random'
import type { CompoundStyle } from './texts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** China Standard Time, UTC+8. */
const CST = 8 * HOUR
const M_PER_DEG_LAT = 111_320
const M_PER_DEG_LNG = 111_320 * Math.cos((36.19 * Math.PI) / 180)
const DEADLINES = DEFAULT_CASE_DEADLINES

/** What the case generator needs to know about a household. */
export interface CaseHome {
  household: Household
  building: Building
  style: CompoundStyle
  bungalow: boolean
  livesHere: boolean
  people: readonly { id: string; age: number; relation: string; tags: ReadonlySet<Tag> }[]
}

export interface Person {
  id: string
  name: string
}

export interface CaseInput {
  rng: Rng
  /** Random bytes for ids; its own stream. */
  idBytes: (n: number) => Uint8Array
  homes: readonly CaseHome[]
  visits: readonly Visit[]
  /** Grid cell id → its worker. */
  workers: ReadonlyMap<string, Person>
  secretary: Person
  now: number
  /** Closed cases are reported after this. */
  since: number
  /** When the teams were set up. */
  teamsAt: number
  closedCount: number
  openCount: number
}

export interface CaseOutput {
  teams: Team[]
  cases: Case[]
  caseSteps: CaseStep[]
}

type Action = Exclude<CaseAction, 'report'>

/** Open cases by the state they stopped in (relative weights). */
const OPEN_STATES: readonly (readonly [CaseState, number])[] = [
  ['in_progress', 9],
  ['assigned', 7],
  ['reported', 6],
  ['accepted', 4],
  ['resolved', 4],
  ['verified', 3],
  ['escalated', 3],
  ['returned', 2],
]
const KIND_SHARES: readonly (readonly [CaseKind, number])[] = [
  ['dispute', 4],
  ['need', 4],
  ['hazard', 2],
]
/** States a 督办 card can be shown for, and which we make overdue on purpose now and then. */
const CARD_STATES: readonly CaseState[] = ['reported', 'assigned', 'in_progress']

const iso = (ms: number): string => new Date(ms).toISOString()
const round6 = (x: number): number => Math.round(x * 1e6) / 1e6
const minuteOfDay = (ms: number): number => Math.floor((((ms + CST) % DAY) + DAY) % DAY / 60_000)
const localMidnight = (ms: number): number => Math.floor((ms + CST) / DAY) * DAY - CST

/** Rounds a moment to the second and moves it forward into office hours (08:00–18:00 China time) if it falls outside. */
function snapForward(rng: Rng, at: number): number {
  const ms = Math.round(at / 1000) * 1000
  const m = minuteOfDay(ms)
  if (m >= 8 * 60 && m < 18 * 60) return ms
  const base = m < 8 * 60 ? localMidnight(ms) : localMidnight(ms) + DAY
  return base + officeMinute(rng) * 60_000 + rng.int(0, 59) * 1000
}

/** A minute of the office day, busier in the morning. */
function officeMinute(rng: Rng): number {
  return rng.chance(0.55) ? rng.int(8 * 60 + 10, 11 * 60 + 50) : rng.int(14 * 60, 17 * 60 + 50)
}

/** Rounds a moment down to the second and moves it back into office hours if it falls outside. */
function snapBackward(rng: Rng, at: number): number {
  const ms = Math.floor(at / 1000) * 1000
  const m = minuteOfDay(ms)
  if (m >= 8 * 60 && m < 18 * 60) return ms
  const base = m >= 18 * 60 ? localMidnight(ms) : localMidnight(ms) - DAY
  return base + officeMinute(rng) * 60_000 + rng.int(0, 59) * 1000
}

/** A point a few metres from a building, as a phone would give it. */
function near(rng: Rng, at: { lat: number; lng: number }): GeoPoint {
  const accuracy = rng.int(5, 30)
  const dx = rng.gauss() * 8
  const dy = rng.gauss() * 8
  return { lat: round6(at.lat + dy / M_PER_DEG_LAT), lng: round6(at.lng + dx / M_PER_DEG_LNG), accuracy, source: 'gps' }
}

/** Splits `total` by weight (largest remainder). */
function allocate<T>(items: readonly (readonly [T, number])[], total: number): T[] {
  const sum = items.reduce((a, [, w]) => a + w, 0)
  const shares = items.map(([v, w]) => ({ v, exact: (total * w) / sum, n: Math.floor((total * w) / sum) }))
  let left = total - shares.reduce((a, s) => a + s.n, 0)
  for (const s of [...shares].sort((a, b) => b.exact - b.n - (a.exact - a.n))) {
    if (left <= 0) break
    s.n += 1
    left--
  }
  return shares.flatMap((s) => Array.from({ length: s.n }, () => s.v))
}

/** The household carries one of these tags (its tags are the union of its residents'). */
const HAS = (h: CaseHome, ...tags: Tag[]): boolean => tags.some((t) => h.household.tags.includes(t))
const OLDEST = (h: CaseHome): number => h.people.reduce((a, p) => Math.max(a, p.age), 0)

/** How likely a household is to be behind a case of this category. */
function homeWeight(kind: CaseKind, category: string, h: CaseHome): number {
  if (!h.livesHere || h.people.length === 0) return 0
  const key = `${kind}:${category}`
  switch (key) {
    case 'dispute:property':
      return h.bungalow ? 0.1 : h.household.housing === 'owner' ? 2 : 0.5
    case 'dispute:family':
      return h.people.length >= 2 ? (OLDEST(h) >= 60 ? 2 : 1) : OLDEST(h) >= 65 ? 1 : 0
    case 'dispute:labor':
      return h.people.some((p) => p.age >= 20 && p.age <= 60) ? (HAS(h, 'migrant') ? 3 : 1) : 0
    case 'need:elderly_care':
      return HAS(h, 'elderly_alone', 'empty_nest', 'aged_80') ? 10 : OLDEST(h) >= 70 ? 2 : 0
    case 'need:health':
      return HAS(h, 'serious_illness', 'disabled', 'dementia_disabled') ? 10 : OLDEST(h) >= 65 ? 2 : 0.2
    case 'need:employment':
      return HAS(h, 'unemployed') ? 10 : h.people.some((p) => p.age >= 20 && p.age <= 55) ? 0.2 : 0
    case 'need:assistance':
      return HAS(h, 'dibao', 'tekun') ? 8 : HAS(h, 'disabled', 'serious_illness', 'unemployed') ? 4 : 0.2
    case 'need:counseling':
      return HAS(h, 'child_in_need') ? 6 : HAS(h, 'elderly_alone', 'unemployed') ? 3 : 0.5
    case 'need:elevator':
      return h.bungalow || h.style === 'new' ? 0 : (h.household.floor ?? 0) >= 3 ? (OLDEST(h) >= 60 ? 6 : 2) : 0.5
    case 'need:repair':
    case 'need:parking':
      return h.bungalow ? 0.2 : 1
    case 'hazard:gas':
      return OLDEST(h) >= 70 ? 3 : 1
    default:
      return 1
  }
}

/** The people a case is about, in a household. */
function residentsFor(rng: Rng, kind: CaseKind, category: string, h: CaseHome, primary: boolean): string[] {
  const people = h.people
  if (people.length === 0) return []
  const adults = people.filter((p) => p.age >= 18)
  const pool = adults.length > 0 ? adults : people
  const head = pool.find((p) => p.relation === 'head') ?? pool[0]!
  const key = `${kind}:${category}`
  if (key === 'dispute:family' && primary && pool.length >= 2) return rng.shuffle(pool.slice()).slice(0, 2).map((p) => p.id)
  if (key === 'need:elderly_care' || key === 'need:health' || key === 'hazard:gas') {
    const oldest = people.reduce((a, p) => (p.age > a.age ? p : a), people[0]!)
    return [oldest.id]
  }
  if (key === 'need:employment' || key === 'dispute:labor') {
    const worker = people.find((p) => p.tags.has('unemployed')) ?? pool.find((p) => p.age <= 60) ?? head
    return [worker.id]
  }
  if (key === 'need:counseling') {
    const who = people.find((p) => p.tags.has('child_in_need') || p.tags.has('elderly_alone') || p.tags.has('unemployed')) ?? head
    return [who.id]
  }
  return [head.id]
}

interface Ctx {
  kind: CaseKind
  urgency: Urgency
  /** Handling days given on assignment. */
  days: number
}

/** Time between the previous step and this action. */
function gapBefore(rng: Rng, action: Action, prev: CaseState, c: Ctx): number {
  switch (action) {
    case 'accept': {
      const resp = responseHours(c.kind, c.urgency, DEADLINES) * HOUR
      return rng.chance(0.1) ? rng.float(0.8, 1.5) * resp : rng.float(0.05, 0.7) * resp
    }
    case 'return':
      return rng.float(1, 20) * HOUR
    case 'resubmit':
      return rng.float(2, 60) * HOUR
    case 'assign':
      return prev === 'assigned' ? rng.float(20, 72) * HOUR : rng.float(0.2, 20) * HOUR
    case 'start':
      return rng.float(1, 30) * HOUR
    // The demo's escalated cases are answered by the office recording the street's result
    // (resolve); the street's own answers are made live, by its staff (docs/communities.md).
    case 'street_resolve':
    case 'resolve':
      if (prev === 'escalated') return rng.float(3, 20) * DAY
      return (rng.chance(0.1) ? rng.float(1, 1.4) : rng.float(0.15, 0.9)) * c.days * DAY
    case 'escalate':
    case 'hand_back':
      return rng.float(2, 72) * HOUR
    case 'verify':
      return rng.float(0.5, 5) * DAY
    case 'reject_verification':
      return rng.float(1, 4) * DAY
    case 'close':
      return rng.float(1, 48) * HOUR
  }
}

/** The actions after 'report' that bring a case to `final`. */
function planActions(rng: Rng, final: CaseState): Action[] {
  switch (final) {
    case 'closed': {
      const a: Action[] = []
      if (rng.chance(0.07)) a.push(...(rng.chance(0.6) ? (['return', 'resubmit'] as const) : (['accept', 'return', 'resubmit'] as const)))
      a.push('accept')
      if (rng.chance(0.06)) a.push('escalate', 'resolve')
      else {
        a.push('assign')
        if (rng.chance(0.06)) a.push('assign')
        a.push('start')
        if (rng.chance(0.04)) a.push('escalate')
        a.push('resolve')
      }
      if (rng.chance(0.06)) a.push('reject_verification', 'resolve')
      a.push('verify', 'close')
      return a
    }
    case 'reported':
      return []
    case 'accepted':
      return rng.chance(0.1) ? ['return', 'resubmit', 'accept'] : ['accept']
    case 'assigned':
      return rng.chance(0.15) ? ['accept', 'assign', 'assign'] : ['accept', 'assign']
    case 'in_progress':
      return ['accept', 'assign', 'start']
    case 'resolved':
      return rng.chance(0.2) ? ['accept', 'escalate', 'resolve'] : ['accept', 'assign', 'start', 'resolve']
    case 'verified':
      return ['accept', 'assign', 'start', 'resolve', 'verify']
    case 'escalated':
      return rng.weighted([
        [['accept', 'escalate'], 4],
        [['accept', 'assign', 'start', 'escalate'], 4],
        [['accept', 'assign', 'escalate'], 2],
      ] as const).slice()
    case 'returned':
      return rng.chance(0.7) ? ['return'] : ['accept', 'return']
  }
}

/** Time since the last step of an open case, for the card we want it to show. */
function waitFor(rng: Rng, final: CaseState, target: Card, c: Ctx, sinceAssign: boolean): number {
  if (final === 'reported') {
    const resp = responseHours(c.kind, c.urgency, DEADLINES) * HOUR
    const grace = Math.min(Math.max(resp, HOUR), DAY)
    if (target === 'none') return rng.float(0.05, 0.8) * resp
    if (target === 'yellow') return resp + rng.float(0.1, 0.9) * grace
    return resp + grace + rng.float(0.2, 6) * DAY
  }
  if (sinceAssign) {
    const d = c.days * DAY
    if (target === 'none') return rng.float(0.1, 0.85) * d
    if (target === 'yellow') return d + rng.float(2, 20) * HOUR
    return d + rng.float(1.5, 8) * DAY
  }
  switch (final) {
    case 'accepted':
      return rng.float(0.5, 30) * HOUR
    case 'resolved':
      return rng.float(0.3, 4) * DAY
    case 'verified':
      return rng.float(0.2, 2) * DAY
    case 'escalated':
      return rng.float(1, 10) * DAY
    default:
      return rng.float(0.5, 5) * DAY
  }
}

function handlingDays(rng: Rng, urgency: Urgency): number {
  if (urgency === 'red') return rng.pick([1, 2, 3])
  if (urgency === 'yellow') return rng.pick([3, 5, 7])
  return rng.pick([5, 7, 7, 10, 15])
}

const OTHER_TEAMS: readonly TeamKind[] = ['mediation', 'lawyer', 'street', 'property', 'volunteer']

export function makeCases(input: CaseInput): CaseOutput {
  const { rng, idBytes, homes, visits, workers, secretary, now, since } = input

  const teams: Team[] = TEAM_DEFS.map((t, i) => ({ id: uuidv7(input.teamsAt + i, idBytes), name: t.name, kind: t.kind, active: true }))
  const teamOf = new Map(teams.map((t) => [t.kind, t]))

  // Visits by household (already in time order), for "found during a visit" and follow-ups.
  const visitsOf = new Map<string, Visit[]>()
  for (const v of visits) {
    let list = visitsOf.get(v.householdId)
    if (!list) visitsOf.set(v.householdId, (list = []))
    list.push(v)
  }
  const byBuilding = new Map<string, CaseHome[]>()
  for (const h of homes) {
    let list = byBuilding.get(h.building.id)
    if (!list) byBuilding.set(h.building.id, (list = []))
    list.push(h)
  }
  const hasBungalows = homes.some((h) => h.bungalow && h.livesHere)
  const residentialHomes = homes.filter((h) => !h.bungalow)

  // Weighted household picks, with cumulative weights cached per category.
  const cumulative = new Map<string, { homes: CaseHome[]; cum: number[] }>()
  const pickHome = (kind: CaseKind, category: string, bungalowOnly: boolean): CaseHome | null => {
    const key = `${kind}:${category}:${bungalowOnly}`
    let table = cumulative.get(key)
    if (!table) {
      const list: CaseHome[] = []
      const cum: number[] = []
      let total = 0
      for (const h of homes) {
        if (bungalowOnly && !h.bungalow) continue
        const w = homeWeight(kind, category, h)
        if (w <= 0) continue
        total += w
        list.push(h)
        cum.push(total)
      }
      cumulative.set(key, (table = { homes: list, cum }))
    }
    if (table.homes.length === 0) return null
    const r = rng.next() * table.cum[table.cum.length - 1]!
    let lo = 0
    let hi = table.cum.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (table.cum[mid]! > r) hi = mid
      else lo = mid + 1
    }
    return table.homes[lo]!
  }

  // Which cases are open, and in which state they stopped; a few of those a card can be shown
  // for are overdue on purpose, half yellow, half red.
  const finals: CaseState[] = [...allocate(OPEN_STATES, input.openCount), ...Array.from({ length: input.closedCount }, () => 'closed' as const)]
  rng.shuffle(finals)
  // Kinds in their shares exactly (dispute 4, need 4, hazard 2 in 10), in random order.
  const kinds = rng.shuffle(allocate(KIND_SHARES, finals.length))
  const carded = finals.map((s, i) => ({ s, i })).filter((x) => CARD_STATES.includes(x.s))
  const overdue = new Map<number, Card>()
  const nOverdue = carded.length === 0 ? 0 : Math.max(1, Math.round(carded.length * 0.3))
  for (const [k, x] of rng.shuffle(carded.slice()).slice(0, nOverdue).entries()) overdue.set(x.i, k % 2 === 0 ? 'yellow' : 'red')

  const cases: Case[] = []
  const caseSteps: CaseStep[] = []
  for (const [i, final] of finals.entries()) {
    const made = makeCase(kinds[i]!, final, overdue.get(i) ?? 'none')
    if (!made) continue
    cases.push(made.record)
    caseSteps.push(...made.steps)
  }
  cases.sort((a, b) => (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : a.id < b.id ? -1 : 1))
  caseSteps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1))
  return { teams, cases, caseSteps }

  function makeCase(kind: CaseKind, final: CaseState, target: Card): { record: Case; steps: CaseStep[] } | null {
    // What it is about.
    const category = rng.weighted(kind === 'dispute' ? DISPUTE_WEIGHTS : kind === 'need' ? NEED_WEIGHTS : HAZARD_WEIGHTS)
    const urgency: Urgency = rng.weighted(
      kind === 'dispute'
        ? ([['red', 8], ['yellow', 42], ['blue', 50]] as const)
        : kind === 'need'
          ? ([['red', 4], ['yellow', 36], ['blue', 60]] as const)
          : ([['red', 26], ['yellow', 44], ['blue', 30]] as const),
    )
    const texts = CASE_TEXTS[kind][category]!
    const fits = (t: CaseText): boolean => !t.bungalow || hasBungalows
    const eligible = texts.items.filter((t) => fits(t) && (!t.severe || urgency !== 'blue'))
    const text = rng.pick(eligible.length > 0 ? eligible : texts.items.filter(fits))

    // Who and where.
    const shared = kind === 'hazard' && text.shared === true
    let primary: CaseHome | null
    if (shared) {
      const pool = residentialHomes.length > 0 ? residentialHomes : homes
      primary = pool.length > 0 ? rng.pick(pool) : null
    } else {
      primary = pickHome(kind, category, text.bungalow === true) ?? pickHome(kind, category, false) ?? pickHome('need', 'other', false)
    }
    if (!primary) return null
    const building = primary.building
    const involved: CaseHome[] = []
    let place = ''
    let where: string
    let location: GeoPoint | null = null
    if (shared) {
      const unit = primary.household.unit
      place =
        building.kind === 'bungalow'
          ? `${building.compound}${building.number}门前`
          : text.at === 'outside' || !unit
            ? `${building.compound}${building.number}楼下`
            : `${building.compound}${building.number}${unit}单元楼道`
      where = place
      if (building.location) location = near(rng, building.location)
    } else {
      involved.push(primary)
      const neighbours = (byBuilding.get(building.id) ?? []).filter((h) => h !== primary && h.livesHere && h.people.length > 0)
      if (kind === 'dispute' && category === 'neighbor' && neighbours.length > 0) {
        const p = primary.household
        const up = text.title.includes('楼上')
          ? neighbours.find((h) => h.household.unit === p.unit && h.household.floor === (p.floor ?? 0) + 1 && h.household.room?.slice(-2) === p.room?.slice(-2))
          : undefined
        const close = neighbours.filter((h) => h.household.unit === p.unit && Math.abs((h.household.floor ?? 0) - (p.floor ?? 0)) <= 1)
        involved.push(up ?? (close.length > 0 ? rng.pick(close) : rng.pick(neighbours)))
      } else if (kind === 'dispute' && category === 'property' && neighbours.length > 0 && rng.chance(0.25)) {
        for (const h of rng.shuffle(neighbours.slice()).slice(0, rng.int(1, 2))) involved.push(h)
      }
      where = primary.household.address
      if (building.location && rng.chance(0.3)) location = near(rng, building.location)
    }
    const gridId = building.gridId
    const worker = workers.get(gridId)!
    const householdIds = involved.map((h) => h.household.id)
    const residentIds = involved.flatMap((h, k) => residentsFor(rng, kind, category, h, k === 0))

    // Handling teams: the category's (or the text's), a different one if reassigned.
    const teamKinds = text.teams ?? texts.teams
    const ctx: Ctx = { kind, urgency, days: handlingDays(rng, urgency) }

    // The history, retried until an open case shows the card it was meant to.
    let attempt: Built | null = null
    for (let tries = 0; tries < 40; tries++) {
      attempt = build(final, target, ctx, primary, involved.length > 0, teamKinds, worker)
      if (!CARD_STATES.includes(final)) break
      const updatedAt = iso(attempt.steps[attempt.steps.length - 1]!.at)
      const shown = caseCard({ kind, urgency, state: final, reportedAt: iso(attempt.times[0]!), deadline: attempt.deadline, updatedAt }, now, DEADLINES)
      if (shown.card === target) break
    }
    const built = attempt!
    const reportedAt = built.times[0]!
    const caseId = uuidv7(reportedAt, idBytes)
    const steps: CaseStep[] = built.steps.map((s) => ({
      id: uuidv7(s.at, idBytes),
      caseId,
      gridId,
      action: s.action,
      from: s.from,
      to: s.to,
      actorId: s.actor.id,
      actorName: s.actor.name,
      at: iso(s.at),
      note: s.note,
      handlerTeamId: s.handlerTeamId,
      deadline: s.deadline === null ? null : iso(s.deadline),
      visitId: s.visitId,
      photoIds: [],
    }))
    const last = built.steps[built.steps.length - 1]!
    const record: Case = {
      id: caseId,
      kind,
      category,
      title: text.title,
      description: text.text.replace('{where}', where),
      gridId,
      householdIds,
      residentIds,
      location,
      place,
      urgency,
      photoIds: [],
      visitId: built.visitId,
      reporterId: worker.id,
      reportedAt: iso(reportedAt),
      state: last.to,
      handlerTeamId: built.handlerTeamId,
      deadline: built.deadline,
      updatedAt: iso(last.at),
    }
    return { record, steps }
  }

  interface PlannedStep {
    action: CaseAction
    from: CaseState | null
    to: CaseState
    actor: Person
    at: number
    note: string
    handlerTeamId: string | null
    deadline: number | null
    visitId: string | null
  }
  interface Built {
    times: number[]
    steps: PlannedStep[]
    handlerTeamId: string | null
    deadline: string | null
    visitId: string | null
  }

  function build(final: CaseState, target: Card, ctx: Ctx, home: CaseHome, hasHousehold: boolean, teamKinds: readonly TeamKind[], worker: Person): Built {
    const actions = planActions(rng, final)
    // States before each action, to time it.
    const states: CaseState[] = ['reported']
    for (const a of actions) states.push(CASE_FLOW[a].to)
    const n = actions.length
    const times = new Array<number>(n + 1).fill(0)
    let visitId: string | null = null

    if (final === 'closed') {
      // Found during a visit (about half), or reported some day in the window.
      let t0: number | null = null
      if (hasHousehold && rng.chance(0.68)) {
        const found = (visitsOf.get(home.household.id) ?? []).filter((v) => {
          const ms = Date.parse(v.startedAt)
          return ms >= since && ms < now - 40 * DAY && (v.outcome === 'met' || v.outcome === 'phone')
        })
        if (found.length > 0) {
          const v = rng.pick(found)
          visitId = v.id
          t0 = snapForward(rng, Date.parse(v.startedAt) + rng.float(0.2, 4) * HOUR)
        }
      }
      times[0] = t0 ?? snapForward(rng, rng.float(since, now - 3 * DAY))
      for (let k = 1; k <= n; k++) times[k] = snapForward(rng, times[k - 1]! + gapBefore(rng, actions[k - 1]!, states[k - 1]!, ctx))
      if (times[n]! >= now - 2 * HOUR) {
        const shift = Math.ceil((times[n]! - (now - 2 * HOUR)) / DAY) * DAY
        for (let k = 0; k <= n; k++) times[k] = times[k]! - shift
        visitId = null
      }
    } else {
      // Open: timed back from now, so it waits as long as its card says.
      const assignIdx = actions.lastIndexOf('assign')
      const sinceAssign = (final === 'assigned' || final === 'in_progress') && assignIdx >= 0
      const wait = waitFor(rng, final, target, ctx, sinceAssign)
      if (final === 'in_progress' && sinceAssign) {
        // `wait` is the time since assignment: split it between assign → start and start → now.
        const toStart = rng.float(0.05, 0.5) * wait
        times[n] = snapBackward(rng, now - (wait - toStart))
        times[n - 1] = snapBackward(rng, times[n]! - toStart)
        for (let k = n - 1; k >= 1; k--) times[k - 1] = snapBackward(rng, times[k]! - gapBefore(rng, actions[k - 1]!, states[k - 1]!, ctx))
      } else {
        times[n] = snapBackward(rng, now - wait)
        for (let k = n; k >= 1; k--) times[k - 1] = snapBackward(rng, times[k]! - gapBefore(rng, actions[k - 1]!, states[k - 1]!, ctx))
      }
      if (hasHousehold && rng.chance(0.75)) {
        const list = visitsOf.get(home.household.id) ?? []
        for (let k = list.length - 1; k >= 0; k--) {
          const v = list[k]!
          const ms = Date.parse(v.startedAt)
          if (ms >= times[0]! - 10 * 60_000) continue
          if (ms < times[0]! - 4 * DAY) break
          if (v.outcome === 'met' || v.outcome === 'phone') {
            visitId = v.id
            break
          }
        }
      }
    }

    // The steps, checked against the flow as they are made.
    const steps: PlannedStep[] = [
      { action: 'report', from: null, to: 'reported', actor: worker, at: times[0]!, note: '', handlerTeamId: null, deadline: null, visitId: null },
    ]
    let state: CaseState = 'reported'
    let team: TeamKind | null = null
    let teamId: string | null = null
    let deadline: number | null = null
    for (let k = 0; k < n; k++) {
      const action = actions[k]!
      const at = times[k + 1]!
      let actor: Person = secretary
      let role: CaseActor = 'secretary'
      let note = ''
      let stepTeam: string | null = null
      let stepDeadline: number | null = null
      switch (action) {
        case 'accept':
          note = rng.pick(STEP_NOTES.accept)
          break
        case 'return':
          note = rng.pick(final === 'returned' && rng.chance(0.3) ? STEP_NOTES.returnFinal : STEP_NOTES.return)
          break
        case 'resubmit':
          note = rng.pick(STEP_NOTES.resubmit)
          break
        case 'assign': {
          const previous: TeamKind | null = team
          const choices: readonly TeamKind[] = previous === null ? teamKinds : OTHER_TEAMS.filter((t) => t !== previous)
          const chosen: TeamKind = rng.pick(choices.length > 0 ? choices : OTHER_TEAMS)
          team = chosen
          teamId = teamOf.get(chosen)!.id
          stepTeam = teamId
          deadline = at + ctx.days * DAY
          stepDeadline = deadline
          note = rng.pick(STEP_NOTES.assign)
          break
        }
        case 'start':
          note = rng.pick(STEP_NOTES.start)
          break
        case 'resolve':
          note = rng.pick(RESOLVE_NOTES[ctx.kind])
          break
        case 'escalate':
          note = rng.pick(STEP_NOTES.escalate)
          team = null // the street takes over; the office records its result
          break
        case 'verify':
          note = rng.pick(STEP_NOTES.verify)
          break
        case 'reject_verification':
          note = rng.pick(STEP_NOTES.rejectVerification)
          break
        case 'close':
          note = rng.pick(STEP_NOTES.close)
          break
      }
      const byWorker =
        action === 'resubmit' || action === 'verify' || action === 'reject_verification' || ((action === 'start' || action === 'resolve') && team === 'grid')
      if (byWorker) {
        actor = worker
        role = 'grid_worker'
      }
      const check = checkTransition(state, action, role, { note, handlerTeamId: stepTeam })
      if (!check.ok) throw new Error(`demo case flow: ${state} → ${action}: ${check.message}`)
      steps.push({ action, from: state, to: check.to, actor, at, note, handlerTeamId: stepTeam, deadline: stepDeadline, visitId: null })
      state = check.to
    }

    // 谁调处谁回访: a verification is done on a real visit to the household when there is one.
    if (hasHousehold) {
      for (let k = 1; k < steps.length; k++) {
        const step = steps[k]!
        if (step.action !== 'verify') continue
        const after = steps[k - 1]!.at
        const before = k + 1 < steps.length ? steps[k + 1]!.at : now
        const v = (visitsOf.get(home.household.id) ?? []).find((v) => {
          const ms = Date.parse(v.startedAt)
          return ms > after && ms + HOUR < before && (v.outcome === 'met' || v.outcome === 'phone')
        })
        if (v) {
          step.at = Date.parse(v.startedAt) + rng.int(5, 50) * 60_000
          step.visitId = v.id
          times[k] = step.at
        }
      }
    }

    return {
      times,
      steps,
      handlerTeamId: teamId,
      deadline: deadline === null ? null : iso(deadline),
      visitId,
    }
  }
}

/** 点评: the secretary comments on about 1.5 % of the visits of the last three months. */
export function makeComments(rng: Rng, idBytes: (n: number) => Uint8Array, visits: readonly Visit[], secretary: Person, now: number): Comment[] {
  const from = iso(now - 91 * DAY)
  const out: Comment[] = []
  const others = COMMENTS.filter((t) => !t.startsWith('备注太简单'))
  const terse = COMMENTS.find((t) => t.startsWith('备注太简单'))!
  // Visits are sorted by startedAt (ISO strings in UTC sort as times): skip to the last three months.
  let lo = 0
  let hi = visits.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (visits[mid]!.startedAt < from) lo = mid + 1
    else hi = mid
  }
  for (let k = lo; k < visits.length; k++) {
    const v = visits[k]!
    if (!rng.chance(0.015)) continue
    const started = Date.parse(v.startedAt)
    let at = snapForward(rng, started + rng.float(1, 72) * HOUR)
    if (at >= now) at = started + Math.floor((now - started) / 2)
    if (at <= started) continue
    const text = v.notes.trim().length < 6 && v.outcome === 'met' ? terse : rng.pick(others)
    out.push({ id: uuidv7(at, idBytes), visitId: v.id, gridId: v.gridId, authorId: secretary.id, authorName: secretary.name, text, at: iso(at) })
  }
  out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1))
  return out
}
