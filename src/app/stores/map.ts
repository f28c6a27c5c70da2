import { defineStore } from 'pinia'
import { computed, ref, shallowRef, type Ref } from 'vue'
import type { Attention, Case, CoverageResponse, HouseholdStat, HouseholdStatsResponse, StatsQuery, Tag, TrailResponse, Visit } from '../../domain'
import { getMeta, setMeta } from '../db/database'
import { db } from '../db/instance'
import { eachVisit, visitsOfHousehold } from '../db/visits'
import { useLiveQuery } from '../db/useLiveQuery'
import { chinaDay, presetRange } from '../map/period'
import { fetchCoverage, fetchDashboard, fetchHouseholdStats, fetchTrail } from '../api/stats'
import { ApiFailure } from '../api/client'
import { useSessionStore } from './session'
import { translate } from '../i18n'

/** Why the statistics are missing, as the map says it. */
export type StatsFailureKind = 'offline' | 'auth' | 'refused' | 'server'

function failureKind(err: unknown): StatsFailureKind {
  if (!(err instanceof ApiFailure)) return 'server'
  if (err.kind === 'network' || err.kind === 'timeout') return 'offline'
  if (err.kind === 'auth') return 'auth'
  if (err.kind === 'client' || err.kind === 'protocol') return 'refused'
  return 'server'
}

/** The secretary's map filters. Empty strings mean "all". */
export interface MapQuery {
  from: string
  to: string
  workerId: string
  gridId: string
  tag: Tag | ''
  attention: Attention | ''
}

export interface MapStats {
  query: MapQuery
  households: HouseholdStatsResponse
  coverage: CoverageResponse
  fetchedAt: string
}

export interface WorkerOption {
  id: string
  label: string
  /** The grid cell this device has most of their visits in (to filter offline). */
  gridId?: string
}

// v2: household states from householdState.ts (follow-ups included, `visited` apart); an older
// cached answer has another shape and is not read.
const CACHE_KEY = 'map.lastStats.v2'

export function defaultMapQuery(now = Date.now()): MapQuery {
  return { ...presetRange('30d', chinaDay(now)), workerId: '', gridId: '', tag: '', attention: '' }
}

/** The filters as the stats API takes them ("all" is a missing field). */
export function statsQuery(q: MapQuery): StatsQuery {
  return {
    from: q.from,
    to: q.to,
    ...(q.workerId ? { workerId: q.workerId } : {}),
    ...(q.gridId ? { gridId: q.gridId } : {}),
    ...(q.tag ? { tag: q.tag } : {}),
    ...(q.attention ? { attention: q.attention } : {}),
  }
}

const sameQuery = (a: MapQuery, b: MapQuery) => JSON.stringify(statsQuery(a)) === JSON.stringify(statsQuery(b))

/** The secretary's map: filters, the server's aggregates for them (the last ones fetched are
 *  kept on the device, so the map still shows something offline), and a worker's trail. */
export const useMapStore = defineStore('map', () => {
  const session = useSessionStore()
  const query = ref<MapQuery>(defaultMapQuery())
  const stats = shallowRef<MapStats | null>(null)
  /** live: fetched for the current filters; cache: the last aggregates fetched, maybe for other filters. */
  const source = ref<'live' | 'cache' | null>(null)
  const loading = ref(false)
  const failure = ref<StatsFailureKind | null>(null)
  const workerNames = shallowRef(new Map<string, string>())
  const client = { getToken: () => session.token }
  let seq = 0

  const stateById = computed(() => new Map<string, HouseholdStat>((stats.value?.households.households ?? []).map((h) => [h.id, h])))
  const coverageByGrid = computed(() => new Map((stats.value?.coverage.grids ?? []).map((g) => [g.gridId, g])))

  async function load(q: MapQuery = query.value): Promise<void> {
    query.value = q
    const mine = ++seq
    loading.value = true
    try {
      const sq = statsQuery(q)
      const [households, coverage]: [HouseholdStatsResponse, CoverageResponse] = await Promise.all([fetchHouseholdStats(client, sq), fetchCoverage(client, sq)])
      if (mine !== seq) return
      const fresh: MapStats = { query: { ...q }, households, coverage, fetchedAt: new Date().toISOString() }
      stats.value = fresh
      source.value = 'live'
      failure.value = null
      if (workerNames.value.size === 0) void loadWorkerNames(q)
      // Aggregates only (states and counts), wiped with everything else at logout. A full disk
      // only costs the offline copy: the map in front of the user is already drawn.
      await setMeta(db, CACHE_KEY, fresh).catch(() => undefined)
    } catch (err) {
      if (mine !== seq) return
      failure.value = failureKind(err)
      if (!stats.value || !sameQuery(stats.value.query, q)) {
        const cached = await getMeta<MapStats>(db, CACHE_KEY)
        if (mine !== seq) return
        stats.value = cached ?? null
        source.value = cached ? 'cache' : null
      }
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  /** Worker names for the filter and the trail, from the dashboard's per-worker rows. */
  async function loadWorkerNames(q: MapQuery): Promise<void> {
    try {
      const d = await fetchDashboard(client, { from: q.from, to: q.to })
      workerNames.value = new Map(d.byWorker.map((r) => [r.key, r.label]))
    } catch {
      // Names are a nicety: without them workers are named by their grid cell.
    }
  }

  /** Workers for the filter and the trail: those the server named (assigned to a cell) and
   *  those whose visits are on this device, the latter named by the cell they visit most when
   *  the server has not named them. Read once per call: the list need not be live. */
  async function workers(gridName: ReadonlyMap<string, string>): Promise<WorkerOption[]> {
    const byWorker = new Map<string, Map<string, number>>()
    await eachVisit(db, (v) => {
      let m = byWorker.get(v.workerId)
      if (!m) byWorker.set(v.workerId, (m = new Map()))
      m.set(v.gridId, (m.get(v.gridId) ?? 0) + 1)
    })
    const stepNames = new Map<string, string>()
    await db.caseSteps.each((s) => stepNames.set(s.actorId, s.actorName))
    const ids = new Set([...workerNames.value.keys(), ...byWorker.keys()])
    const out: WorkerOption[] = []
    for (const id of ids) {
      const grids = byWorker.get(id)
      const top = grids ? [...grids.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] : undefined
      const name = workerNames.value.get(id) ?? stepNames.get(id)
      const grid = top ? gridName.get(top) : undefined
      out.push({ id, label: name ? (grid ? `${name}${translate('punct.paren', { text: grid })}` : name) : translate('map.workerOfGrid', { grid: grid ?? '' }), gridId: top })
    }
    return out.sort((a, b) => a.label.localeCompare(b.label, 'zh-CN', { numeric: true }))
  }

  const trail = shallowRef<TrailResponse | null>(null)
  const trailLoading = ref(false)
  const trailFailure = ref<StatsFailureKind | null>(null)

  /** One worker's visits of one day, in time order. Never stored on the device: a location
   *  trail (行踪轨迹) is personal information, fetched when looked at and dropped after. */
  async function loadTrail(workerId: string, day: string): Promise<void> {
    trailLoading.value = true
    trailFailure.value = null
    try {
      const res = await fetchTrail(client, workerId, day)
      trail.value = { ...res, points: [...res.points].sort((a, b) => a.at.localeCompare(b.at)) }
    } catch (err) {
      trail.value = null
      trailFailure.value = failureKind(err)
    } finally {
      trailLoading.value = false
    }
  }

  function clearTrail(): void {
    trail.value = null
    trailFailure.value = null
  }

  return { query, stats, source, loading, failure, stateById, coverageByGrid, workerNames, load, workers, trail, trailLoading, trailFailure, loadTrail, clearTrail }
})

export interface MapHouseholdSummary {
  visits: Visit[]
  openCases: Case[]
}

/** One household's recent visits (newest first) and open cases, as the device holds them, live. */
export function useMapHousehold(id: Ref<string | null>, visitLimit = 5) {
  const household = useLiveQuery(async () => (id.value ? ((await db.households.get(id.value)) ?? null) : null), null, id)
  const summary = useLiveQuery<MapHouseholdSummary>(
    async () => {
      if (!id.value) return { visits: [], openCases: [] }
      const key = id.value
      const visits = (await visitsOfHousehold(db, key)).sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)).slice(0, visitLimit)
      const openCases = (await db.cases.filter((c) => c.state !== 'closed' && c.householdIds.includes(key)).toArray()).sort((a, b) => Date.parse(b.reportedAt) - Date.parse(a.reportedAt))
      return { visits, openCases }
    },
    { visits: [], openCases: [] },
    id,
    { wholeTables: true }, // every case is read to find this household's
  )
  return { household, summary }
}
