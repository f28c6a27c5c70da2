import {
  type Case,
  caseCard,
  type CoverageResponse,
  type DashboardResponse,
  type DashboardRow,
  DEFAULT_SETTINGS,
  type GridCell,
  type Household,
  type HouseholdStatsResponse,
  isSensitiveTag,
  Settings,
  SETTINGS_ID,
  type StatsQuery,
  type TrailResponse,
  type Visit,
} from '../../domain'
import { computeHouseholdStats, isVulnerable, periodBounds, summarizeByGrid, weekStarts, type CoverageHousehold } from '../../domain/coverage'
import { isLate } from '../../domain/householdState'
import { AppError } from '../appError'
import type { Store } from '../store/open'
import { getRecord } from '../store/records'
import { householdsHeadVersion, liveRows } from '../store/register'
import { openCasesOfCells, workersOfCells } from '../store/stats'
import { activeGridIdsOf, findUserById } from '../store/users'
import { visitAggregates, visitsOfWorkerBetween, visitTimesBetween } from '../store/visitStats'
import type { SessionUser } from './auth'
import { isCommunityWide } from './scope'

// The secretary's aggregates (src/domain/schemas/stats.ts). Every figure is by a household's
// current grid cell, so coverage, visit counts and exports agree with each other. Visits are
// aggregated in SQL (one grouped query, through covering indexes), households and rules are read
// once, and the rules themselves are applied by the pure code in src/domain (coverage.ts, and
// householdState.ts for where each household stands: the worker's today list asks it too).

export type StatsHousehold = CoverageHousehold & Pick<Household, 'address' | 'headName'>

export interface GridInfo {
  id: string
  code: string
  name: string
}

/** What a query may look at, once scope and filters are applied. */
export interface StatsScope {
  /** Grid cells reported, in code order. */
  grids: GridInfo[]
  /** Households of those cells that pass the tag / attention filters. */
  households: StatsHousehold[]
  /** True when the grid cells are all of the community's: visits need no narrowing. */
  wholeCommunity: boolean
}

export async function readSettings(store: Store): Promise<Settings> {
  const row = await getRecord(store, 'settings', SETTINGS_ID)
  return row && !row.deleted ? Settings.parse(row.data) : DEFAULT_SETTINGS
}

export async function gridCells(store: Store): Promise<GridInfo[]> {
  const rows = await liveRows(store, 'grid_cells')
  return rows
    .map((r) => {
      const g = r.data as GridCell
      return { id: r.id, code: g.code, name: g.name }
    })
    .sort((a, b) => a.code.localeCompare(b.code, 'zh-CN', { numeric: true }))
}

// Parsing 10,000 households' JSON costs more than aggregating 100,000 visits, and the register
// changes far less often than dashboards are read. The cache is keyed by the households table's
// highest version: every insert, edit and tombstone raises it, a visit does not.
const householdCache = new WeakMap<Store, { version: number; households: StatsHousehold[] }>()

/** Every live household, in the few fields stats need. */
export async function registerHouseholds(store: Store): Promise<StatsHousehold[]> {
  const version = await householdsHeadVersion(store)
  const cached = householdCache.get(store)
  if (cached && cached.version === version) return cached.households
  const rows = await liveRows(store, 'households')
  const households = rows.map((r) => {
    const h = r.data as Household
    return { id: h.id, gridId: r.gridId ?? h.gridId, tags: h.tags, attention: h.attention, address: h.address, headName: h.headName }
  })
  householdCache.set(store, { version, households })
  return households
}

/** Decides which grid cells and households a query covers, refusing what the user may not ask. */
export async function resolveScope(store: Store, user: SessionUser, q: Pick<StatsQuery, 'gridId' | 'workerId' | 'tag' | 'attention'>): Promise<StatsScope> {
  if (q.tag && isSensitiveTag(q.tag) && !user.sensitiveTags) throw new AppError('FORBIDDEN', '你的角色不能按这个标签统计')
  const all = await gridCells(store)
  const wide = isCommunityWide(user)
  let allowed = wide ? all : all.filter((g) => user.gridIds.includes(g.id))

  if (q.gridId) {
    if (!allowed.some((g) => g.id === q.gridId)) {
      if (!wide) throw new AppError('OUT_OF_SCOPE', '这个网格不在你负责的范围里')
      throw new AppError('NOT_FOUND', '没有这个网格')
    }
    allowed = allowed.filter((g) => g.id === q.gridId)
  }
  if (q.workerId) {
    const worker = await findUserById(store, q.workerId)
    const theirs = worker ? await activeGridIdsOf(store, worker.id) : []
    if (!wide && !theirs.some((id) => user.gridIds.includes(id))) throw new AppError('OUT_OF_SCOPE', '这位网格员不在你负责的网格里')
    if (!worker) throw new AppError('NOT_FOUND', '没有这位网格员')
    allowed = allowed.filter((g) => theirs.includes(g.id))
  }

  const ids = new Set(allowed.map((g) => g.id))
  const households = (await registerHouseholds(store)).filter(
    (h) => ids.has(h.gridId) && (!q.tag || h.tags.includes(q.tag)) && (!q.attention || h.attention === q.attention),
  )
  return { grids: allowed, households, wholeCommunity: allowed.length === all.length }
}

export async function householdStats(store: Store, user: SessionUser, q: StatsQuery, now = Date.now()): Promise<HouseholdStatsResponse & { scope: StatsScope }> {
  const scope = await resolveScope(store, user, q)
  const { start, end } = periodBounds(q.from, q.to)
  const [settings, visits] = await Promise.all([readSettings(store), visitAggregates(store, start, end, scope.wholeCommunity ? null : scope.grids.map((g) => g.id))])
  const households = computeHouseholdStats(scope.households, visits, settings.visitRules, q.from, q.to, now)
  return { from: q.from, to: q.to, households, scope }
}

export async function coverage(store: Store, user: SessionUser, q: StatsQuery, now = Date.now()): Promise<CoverageResponse> {
  const { households, scope } = await householdStats(store, user, q, now)
  return { from: q.from, to: q.to, grids: summarizeByGrid(households, scope.grids.map((g) => g.id)) }
}

interface Tally {
  visits: number
  vulnerableNeeded: number
  vulnerableVisited: number
  overdue: number
  openCases: number
  overdueCases: number
  weekly: number[]
}
const tally = (): Tally => ({ visits: 0, vulnerableNeeded: 0, vulnerableVisited: 0, overdue: 0, openCases: 0, overdueCases: 0, weekly: Array(12).fill(0) as number[] })
const row = (key: string, label: string, t: Tally): DashboardRow => ({
  key,
  label,
  ...t,
  vulnerableCoverage: t.vulnerableNeeded ? t.vulnerableVisited / t.vulnerableNeeded : null,
})

/**
 * Per grid cell and per worker. visits: visits in the period (a worker's: the ones they made).
 * vulnerable*, overdue (late at the period's end — never visited, overdue, or a promised
 * follow-up missed — exactly as the today list counts them) and cases (open now; overdue by their 督办 card now): over the household and
 * cases of the grid cells (a worker's: the cells assigned to them now).
 */
export async function dashboard(store: Store, user: SessionUser, q: StatsQuery, now = Date.now()): Promise<DashboardResponse> {
  const { households: stats, scope } = await householdStats(store, user, q, now)
  const settings = await readSettings(store)
  const gridIds = scope.grids.map((g) => g.id)
  const householdById = new Map(scope.households.map((h) => [h.id, h]))

  const byGrid = new Map(gridIds.map((id) => [id, tally()]))
  for (const s of stats) {
    const t = byGrid.get(s.gridId)
    if (!t) continue
    t.visits += s.visitsInPeriod
    if (isLate(s.state)) t.overdue++
    if (s.needed && isVulnerable(householdById.get(s.id)!)) {
      t.vulnerableNeeded++
      if (s.visited) t.vulnerableVisited++
    }
  }

  // Cases open now, by grid cell. Not filtered by tag: a case is about a place as often as a home.
  for (const r of await openCasesOfCells(store, gridIds)) {
    const t = r.gridId ? byGrid.get(r.gridId) : undefined
    if (!t) continue
    t.openCases++
    if (caseCard(r.data as Case, now, settings.caseDeadlines).card !== 'none') t.overdueCases++
  }

  // Workers: those assigned now to one of the cells.
  const assignments = await workersOfCells(store, gridIds)
  const workers = new Map<string, { name: string; username: string; grids: string[] }>()
  for (const a of assignments) {
    if (q.workerId && a.id !== q.workerId) continue
    const w = workers.get(a.id) ?? { name: a.name, username: a.username, grids: [] }
    w.grids.push(a.gridId)
    workers.set(a.id, w)
  }
  const byWorker = new Map<string, Tally>()
  for (const [id, w] of workers) {
    const t = tally()
    for (const g of w.grids) {
      const gt = byGrid.get(g)!
      t.vulnerableNeeded += gt.vulnerableNeeded
      t.vulnerableVisited += gt.vulnerableVisited
      t.overdue += gt.overdue
      t.openCases += gt.openCases
      t.overdueCases += gt.overdueCases
    }
    byWorker.set(id, t)
  }

  // Visits of the period and of the 12 weeks, in one pass over the range that holds both.
  const weeks = weekStarts(q.to)
  const { start, end } = periodBounds(q.from, q.to)
  const weekStart = periodBounds(weeks[0]!, q.to).start
  const bounds = weeks.slice(1).map((w) => periodBounds(w, w).start)
  const visits = await visitTimesBetween(store, start < weekStart ? start : weekStart, end, scope.wholeCommunity ? null : gridIds)
  for (const v of visits) {
    const h = v.householdId ? householdById.get(v.householdId) : undefined
    if (!h) continue
    const wt = byWorker.get(v.workerId)
    if (v.startedAt >= start && wt) wt.visits++
    if (v.startedAt < weekStart) continue
    let i = 0
    while (i < bounds.length && v.startedAt >= bounds[i]!) i++
    byGrid.get(h.gridId)!.weekly[i]!++
    if (wt) wt.weekly[i]!++
  }

  const gridName = new Map(scope.grids.map((g) => [g.id, g.name]))
  return {
    from: q.from,
    to: q.to,
    weeks,
    byGrid: gridIds.map((id) => row(id, gridName.get(id)!, byGrid.get(id)!)),
    byWorker: [...workers]
      .sort((a, b) => a[1].username.localeCompare(b[1].username, 'en', { numeric: true }))
      .map(([id, w]) => row(id, w.name, byWorker.get(id)!)),
  }
}

/** A worker's visits of one day (China time) that carry a location, in time order. Location
 *  trails are sensitive (行踪轨迹): the office sees any worker's, a worker only their own. */
export async function trail(store: Store, user: SessionUser, workerId: string, day: string): Promise<TrailResponse> {
  if (!isCommunityWide(user) && workerId !== user.id) throw new AppError('OUT_OF_SCOPE', '只能查看自己的走访轨迹')
  const worker = await findUserById(store, workerId)
  if (!worker) throw new AppError('NOT_FOUND', '没有这位网格员')
  const { start, end } = periodBounds(day, day)
  const points: TrailResponse['points'] = []
  for (const data of await visitsOfWorkerBetween(store, workerId, start, end)) {
    const v = data as Visit
    if (!v.location) continue
    points.push({
      visitId: v.id,
      householdId: v.householdId,
      at: new Date(v.startedAt).toISOString(),
      outcome: v.outcome,
      lat: v.location.lat,
      lng: v.location.lng,
      accuracy: v.location.accuracy,
    })
  }
  return { workerId, day, points }
}
