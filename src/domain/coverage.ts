// Visit coverage over a period (the secretary's map and dashboard): which households needed a
// visit, which got one, which are overdue. Pure, so the server computes it from one SQL aggregate
// and a test can check it on a handful of households. Days are calendar days in China time, as
// in duePolicy.ts; a period [from, to] includes both days.
import { CHINA_OFFSET_MINUTES, intervalDays } from './duePolicy'
import type { Household } from './schemas/register'
import type { VisitRule } from './schemas/settings'
import type { GridCoverage, HouseholdState, HouseholdStat } from './schemas/stats'
import type { Visit } from './schemas/visit'

const DAY = 86_400_000
const OFFSET = CHINA_OFFSET_MINUTES * 60_000
/** Outcomes that count as a visit for coverage: somebody was reached. 不在家 and 拒访 do not. */
export const COMPLETED_OUTCOMES = ['met', 'phone'] as const satisfies readonly Visit['outcome'][]

/** What the visits of one household say about a period. Instants are UTC ISO strings
 *  (`toISOString()`'s format, the one the server stores), so they compare as strings. */
export interface VisitAggregate {
  /** Latest completed visit (见面/电话) strictly before the period began; null if none. */
  lastCompletedBefore: string | null
  /** Latest completed visit up to the end of the period's last day; null if none. */
  lastCompletedAt: string | null
  /** Completed visits within the period. */
  completedInPeriod: number
  /** Visits of any outcome within the period (不在家 and 拒访 too). */
  visitsInPeriod: number
}

export type CoverageHousehold = Pick<Household, 'id' | 'gridId' | 'tags' | 'attention'>

/** 'YYYY-MM-DD' → days since 1970-01-01. */
export function dayNumber(day: string): number {
  return Math.floor(Date.parse(day) / DAY)
}

/** Days since 1970-01-01 → 'YYYY-MM-DD'. */
export function dayString(n: number): string {
  return new Date(n * DAY).toISOString().slice(0, 10)
}

/** The China calendar day (as a day number) an instant falls on. */
export function chinaDayNumber(ms: number): number {
  return Math.floor((ms + OFFSET) / DAY)
}

/** The China calendar day an instant falls on, 'YYYY-MM-DD'. */
export function chinaDay(ms: number): string {
  return dayString(chinaDayNumber(ms))
}

/** The instants a period covers, as UTC ISO strings: [start, end). `start` is midnight China
 *  time of `from`, `end` midnight after `to`. */
export function periodBounds(from: string, to: string): { start: string; end: string } {
  return {
    start: new Date(dayNumber(from) * DAY - OFFSET).toISOString(),
    end: new Date((dayNumber(to) + 1) * DAY - OFFSET).toISOString(),
  }
}

/** Mondays (China time) of the `n` weeks ending with the week that holds `to`, oldest first. */
export function weekStarts(to: string, n = 12): string[] {
  const d = dayNumber(to)
  // 1970-01-01 was a Thursday: (d + 3) mod 7 is 0 on Mondays.
  const monday = d - (((d + 3) % 7) + 7) % 7
  return Array.from({ length: n }, (_, i) => dayString(monday - (n - 1 - i) * 7))
}

/** 重点人群 for the dashboard: any tag, or attention 重点 / 高风险. */
export function isVulnerable(h: Pick<Household, 'tags' | 'attention'>): boolean {
  return h.tags.length > 0 || h.attention !== 'normal'
}

/** The same aggregate the server reads from SQL, from a list of visits (for the device, and to
 *  state the meaning in code). Visits after the period are ignored. */
export function aggregateVisits(visits: Iterable<Pick<Visit, 'householdId' | 'startedAt' | 'outcome'>>, from: string, to: string): Map<string, VisitAggregate> {
  const { start, end } = periodBounds(from, to)
  const out = new Map<string, VisitAggregate>()
  for (const v of visits) {
    const at = new Date(v.startedAt).toISOString()
    if (at >= end) continue
    let a = out.get(v.householdId)
    if (!a) out.set(v.householdId, (a = { lastCompletedBefore: null, lastCompletedAt: null, completedInPeriod: 0, visitsInPeriod: 0 }))
    const done = v.outcome === 'met' || v.outcome === 'phone'
    const inPeriod = at >= start
    if (inPeriod) a.visitsInPeriod++
    if (!done) continue
    if (inPeriod) a.completedInPeriod++
    else if (a.lastCompletedBefore === null || at > a.lastCompletedBefore) a.lastCompletedBefore = at
    if (a.lastCompletedAt === null || at > a.lastCompletedAt) a.lastCompletedAt = at
  }
  return out
}

const NO_VISITS: VisitAggregate = { lastCompletedBefore: null, lastCompletedAt: null, completedInPeriod: 0, visitsInPeriod: 0 }

/**
 * Each household's standing over [from, to] (see HouseholdState in schemas/stats.ts).
 *
 * needed: the household has a rule, and either it had no completed visit before `from`, or its
 * due date (China day of that visit + interval) fell on or before `to`.
 * state: visited when a completed visit fell in the period; otherwise, looked at on the period's
 * last day: never (no completed visit ever), overdue (due date before it), due (due on it, or
 * later but within the period when the period runs past today), ok (not due in the period, or
 * no rule asks for visits: a household with no rule is never counted as missing one).
 *
 * `now`: when given and the period runs past today, "the period's last day" is today, so a visit
 * falling due next Tuesday is due, not overdue, today.
 * Follow-up dates are not used: coverage measures the admin's rules, the today list the promises.
 */
export function computeHouseholdStats(
  households: Iterable<CoverageHousehold>,
  visits: ReadonlyMap<string, VisitAggregate>,
  rules: readonly VisitRule[],
  from: string,
  to: string,
  now?: number,
): HouseholdStat[] {
  const toDay = dayNumber(to)
  const asOf = now === undefined ? toDay : Math.min(toDay, chinaDayNumber(now))
  // Households sharing tags and attention share an interval: a community has few combinations.
  const intervals = new Map<string, number | null>()
  const out: HouseholdStat[] = []
  for (const h of households) {
    const key = `${h.attention}|${h.tags.join(',')}`
    let interval = intervals.get(key)
    if (interval === undefined) intervals.set(key, (interval = intervalDays(h, rules)))
    const a = visits.get(h.id) ?? NO_VISITS

    let needed = false
    let dueDay: number | null = null
    if (interval !== null) {
      if (a.lastCompletedBefore === null) needed = true
      else {
        dueDay = chinaDayNumber(Date.parse(a.lastCompletedBefore)) + interval
        needed = dueDay <= toDay
      }
    }

    let state: HouseholdState
    if (a.completedInPeriod > 0) state = 'visited'
    else if (interval === null) state = 'ok'
    else if (a.lastCompletedAt === null) state = 'never'
    else {
      // No completed visit in the period, so the last one is the one before it.
      const due = dueDay ?? chinaDayNumber(Date.parse(a.lastCompletedAt)) + interval
      state = due < asOf ? 'overdue' : due <= toDay ? 'due' : 'ok'
    }
    out.push({ id: h.id, gridId: h.gridId, state, lastCompletedAt: a.lastCompletedAt, visitsInPeriod: a.visitsInPeriod, needed })
  }
  return out
}

/** Per grid cell: households, needed / needed and visited, coverage, visits, overdue, never.
 *  `gridIds` lists the cells to report (in that order), with zeros for cells with no household;
 *  without it, the cells the stats mention, in order of first appearance. */
export function summarizeByGrid(stats: Iterable<HouseholdStat>, gridIds?: readonly string[]): GridCoverage[] {
  const byGrid = new Map<string, GridCoverage>()
  const row = (gridId: string): GridCoverage => {
    let g = byGrid.get(gridId)
    if (!g) byGrid.set(gridId, (g = { gridId, households: 0, needed: 0, neededVisited: 0, coverage: null, visitsInPeriod: 0, overdue: 0, never: 0 }))
    return g
  }
  for (const id of gridIds ?? []) row(id)
  for (const s of stats) {
    if (gridIds && !byGrid.has(s.gridId)) continue
    const g = row(s.gridId)
    g.households++
    g.visitsInPeriod += s.visitsInPeriod
    if (s.needed) {
      g.needed++
      if (s.state === 'visited') g.neededVisited++
    }
    if (s.state === 'overdue') g.overdue++
    if (s.state === 'never') g.never++
  }
  const out = [...byGrid.values()]
  for (const g of out) g.coverage = g.needed ? g.neededVisited / g.needed : null
  return out
}
