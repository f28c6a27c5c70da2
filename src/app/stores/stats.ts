import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { type DashboardResponse, type GridMovesResponse, type ListsFiguresResponse, type PointsResponse, StatsQuery } from '../../domain'
import { chinaDay, dayNumber, dayString } from '../../domain/coverage'
import { getMeta, setMeta } from '../db/database'
import { db } from '../db/instance'
import { downloadExport, type ExportFormat, type ExportKind, fetchDashboard, fetchGridMoves, fetchListsFigures, fetchPoints } from '../api/stats'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'
import { errorText } from '../i18n/errorText'
import { LocalError } from '../i18n/localError'

export type { ExportFormat, ExportKind }

const CACHE_KEY = 'stats:dashboard'

/** The last figures the server gave, kept on the device so the page has something offline. */
export interface CachedDashboard {
  query: StatsQuery
  data: DashboardResponse
  /** When they were fetched (ISO instant). */
  fetchedAt: string
}

export type PeriodPreset = 7 | 30 | 90 | 365

/** The `days` calendar days (China time) ending today. */
export function lastDays(days: number, now = Date.now()): { from: string; to: string } {
  const to = chinaDay(now)
  return { from: dayString(dayNumber(to) - days + 1), to }
}

/** The office's dashboard: period and filters, the figures, and whether they are live or the
 *  last ones fetched. Statistics are read from the server (a big community's visits are not all
 *  on the device); the last good answer is kept in Dexie so the page still shows it offline. */
export const useStatsStore = defineStore('stats', () => {
  const session = useSessionStore()
  const sync = useSyncStore()

  const period = ref(lastDays(30))
  const gridId = ref<string>('')
  const shown = ref<CachedDashboard | null>(null)
  /** True while the figures shown are not the answer to the current query (offline, or it failed). */
  const stale = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let seq = 0

  const query = computed<StatsQuery>(() => ({ ...period.value, ...(gridId.value ? { gridId: gridId.value } : {}) }))
  /** Zod's answer on the period (from ≤ to, at most a year), or null when it is fine. */
  const periodProblem = computed(() => {
    const r = StatsQuery.safeParse(query.value)
    return r.success ? null : (r.error.issues[0]?.message ?? '时间段不正确')
  })
  const online = computed(() => sync.online)
  const dashboard = computed(() => shown.value?.data ?? null)
  const client = { getToken: () => session.token }

  async function loadCached(): Promise<void> {
    const cached = await getMeta<CachedDashboard>(db, CACHE_KEY)
    if (cached && !shown.value) {
      shown.value = cached
      stale.value = true
    }
  }

  /** Fetches the figures for the current query; offline or on failure, the last ones stay shown. */
  async function refresh(): Promise<void> {
    if (periodProblem.value) return
    if (!online.value) {
      await loadCached()
      return
    }
    const q = query.value
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const data = await fetchDashboard(client, q)
      if (mine !== seq) return
      const entry: CachedDashboard = { query: q, data, fetchedAt: new Date().toISOString() }
      shown.value = entry
      stale.value = false
      await setMeta(db, CACHE_KEY, entry)
    } catch (err) {
      if (mine !== seq) return
      error.value = errorText(err)
      stale.value = true
      await loadCached()
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  async function start(): Promise<void> {
    await loadCached()
    await refresh()
  }

  function setPeriod(from: string, to: string): Promise<void> {
    period.value = { from, to }
    return refresh()
  }

  function setPreset(days: PeriodPreset): Promise<void> {
    period.value = lastDays(days)
    return refresh()
  }

  function setGrid(id: string): Promise<void> {
    gridId.value = id
    return refresh()
  }

  /** Grid cells moved between workers in the period (online only; the office's own record). */
  async function gridMoves(): Promise<GridMovesResponse> {
    if (!online.value) throw new LocalError('offlineGridMoves')
    return fetchGridMoves(client, query.value)
  }

  /** Needs, resources and projects over the period, and volunteers' points (online). */
  async function lists(): Promise<{ figures: ListsFiguresResponse; points: PointsResponse }> {
    if (!online.value) throw new LocalError('offlineListFigures')
    const [figures, points] = await Promise.all([fetchListsFigures(client, query.value), fetchPoints(client, query.value)])
    return { figures, points }
  }

  /** Downloads an export of the current query. Online only: every export is logged on the server. */
  async function exportFile(kind: ExportKind, format: ExportFormat): Promise<{ blob: Blob; filename: string }> {
    if (!online.value) throw new LocalError('offlineExport')
    if (periodProblem.value) throw new LocalError('badPeriod', {}, periodProblem.value)
    // A year of a large community's visits takes the server a few seconds to write as .xlsx.
    return downloadExport({ ...client, timeoutMs: 120_000 }, kind, format, query.value)
  }

  return { period, gridId, query, periodProblem, online, dashboard, shown, stale, loading, error, start, refresh, setPeriod, setPreset, setGrid, exportFile, gridMoves, lists }
})
