// Visit coverage over a period (the secretary's map and dashboard): which households needed a
// visit, which got one, and where each stands at the period's end. Pure, so the server computes it
// from one SQL aggregate and a test can check it on a handful of households. Days are calendar
// days in China time; a period [from, to] includes both days. Where a household stands is not
// decided here: householdState.ts does it, for this and for the worker's today list alike.
import { CHINA_OFFSET_MINUTES, COMPLETES, dayNumber, dayOfInstant, dayString, intervalDays, isLate, stateFor, utcIso, type FollowUpPromise, type VisitHistory } from './householdState'
import type { Household } from './schemas/register'
import type { VisitRule } from './schemas/settings'
import type { GridCoverage, HouseholdStat } from './schemas/stats'
import type { Visit } from './schemas/visit'

export { dayNumber, dayString } from './householdState'

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
  /** Latest follow-up promise made before the period began (see VisitHistory.lastPromise). */
  promiseBefore: FollowUpPromise | null
  /** Latest follow-up promise made up to the end of the period's last day. */
  promise: FollowUpPromise | null
}

export type CoverageHousehold = Pick<Household, 'id' | 'gridId' | 'tags' | 'attention' | 'hiddenInterval'>

/** The China calendar day (as a day number) an instant falls on. */
export function chinaDayNumber(ms: number): number {
  return dayOfInstant(ms)
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
export function aggregateVisits(visits: Iterable<Pick<Visit, 'householdId' | 'startedAt' | 'outcome' | 'followUpDate'>>, from: string, to: string): Map<string, VisitAggregate> {
  const { start, end } = periodBounds(from, to)
  const out = new Map<string, VisitAggregate>()
  for (const v of visits) {
    const at = utcIso(v.startedAt)
    if (at >= end) continue
    let a = out.get(v.householdId)
    if (!a) out.set(v.householdId, (a = { lastCompletedBefore: null, lastCompletedAt: null, completedInPeriod: 0, visitsInPeriod: 0, promiseBefore: null, promise: null }))
    const inPeriod = at >= start
    if (inPeriod) a.visitsInPeriod++
    if (v.followUpDate !== null) {
      if (a.promise === null || at > a.promise.at) a.promise = { day: v.followUpDate, at }
      if (!inPeriod && (a.promiseBefore === null || at > a.promiseBefore.at)) a.promiseBefore = { day: v.followUpDate, at }
    }
    if (!COMPLETES[v.outcome]) continue
    if (inPeriod) a.completedInPeriod++
    else if (a.lastCompletedBefore === null || at > a.lastCompletedBefore) a.lastCompletedBefore = at
    if (a.lastCompletedAt === null || at > a.lastCompletedAt) a.lastCompletedAt = at
  }
  return out
}

const NO_VISITS: VisitAggregate = { lastCompletedBefore: null, lastCompletedAt: null, completedInPeriod: 0, visitsInPeriod: 0, promiseBefore: null, promise: null }

/**
 * Each household's standing over [from, to] (see HouseholdStat in schemas/stats.ts).
 *
 * state: householdState on the period's last day, from the visits up to then. `now`: when given
 * and the period runs past today, the day judged is today, so a visit falling due next Tuesday
 * is not overdue yet; it is `due`, since it falls due within the period.
 * needed: householdState on the period's last day from the visits *before* the period alone is
 * not ok: never visited, or due (by rule or promise) by the end. A household no rule covers is
 * never needed and never late.
 * visited: a completed visit fell in the period.
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
    const key = h.hiddenInterval !== undefined ? `hidden|${h.hiddenInterval}` : `${h.attention}|${h.tags.join(',')}`
    let interval = intervals.get(key)
    if (interval === undefined) intervals.set(key, (interval = intervalDays(h, rules)))
    const a = visits.get(h.id) ?? NO_VISITS

    const before: VisitHistory = { lastCompletedAt: a.lastCompletedBefore, lastPromise: a.promiseBefore }
    const needed = stateFor(interval, before, toDay).state !== 'ok'
    const s = stateFor(interval, { lastCompletedAt: a.lastCompletedAt, lastPromise: a.promise }, asOf)
    const dueInPeriod = s.state === 'ok' && s.dueDay !== null && dayNumber(s.dueDay) <= toDay
    out.push({
      id: h.id,
      gridId: h.gridId,
      state: dueInPeriod ? 'due' : s.state,
      dueDay: s.dueDay,
      followUp: s.followUp,
      visited: a.completedInPeriod > 0,
      lastCompletedAt: a.lastCompletedAt,
      visitsInPeriod: a.visitsInPeriod,
      needed,
    })
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
      if (s.visited) g.neededVisited++
    }
    if (s.state === 'never') g.never++
    else if (isLate(s.state)) g.overdue++
  }
  const out = [...byGrid.values()]
  for (const g of out) g.coverage = g.needed ? g.neededVisited / g.needed : null
  return out
}
