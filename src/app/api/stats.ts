import { CoverageResponse, DashboardResponse, GridMovesResponse, HouseholdStatsResponse, ListsFiguresResponse, PointsResponse, type StatsQuery, TrailResponse } from '../../domain'
import { type ClientOptions, download, getJson } from './client'

// HTTP for the office's statistics and exports: read-only, online only, nothing queued. Failures
// come back as ApiFailure with the kinds the rest of the app already understands.

export type ExportKind = 'dashboard' | 'visits' | 'cases'
export type ExportFormat = 'xlsx' | 'csv'

export type StatsClientOptions = ClientOptions

export function statsQueryString(q: StatsQuery): string {
  const p = new URLSearchParams({ from: q.from, to: q.to })
  for (const k of ['gridId', 'workerId', 'tag', 'attention'] as const) if (q[k]) p.set(k, q[k]!)
  return p.toString()
}

export const fetchDashboard = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/stats/dashboard?${statsQueryString(q)}`, DashboardResponse)
export const fetchCoverage = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/stats/coverage?${statsQueryString(q)}`, CoverageResponse)
export const fetchHouseholdStats = (opts: StatsClientOptions, q: StatsQuery) =>
  getJson(opts, `/api/stats/households?${statsQueryString(q)}`, HouseholdStatsResponse)
export const fetchGridMoves = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/stats/grid-moves?${statsQueryString({ from: q.from, to: q.to })}`, GridMovesResponse)
export const fetchTrail = (opts: StatsClientOptions, workerId: string, day: string) =>
  getJson(opts, `/api/stats/trail?${new URLSearchParams({ workerId, day })}`, TrailResponse)

/** 三张清单's figures and volunteers' points for a period (docs/lists.md). */
export const fetchListsFigures = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/lists/figures?${new URLSearchParams({ from: q.from, to: q.to })}`, ListsFiguresResponse)
export const fetchPoints = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/points?${new URLSearchParams({ from: q.from, to: q.to })}`, PointsResponse)

export async function downloadExport(opts: StatsClientOptions, kind: ExportKind, format: ExportFormat, q: StatsQuery): Promise<{ blob: Blob; filename: string }> {
  return download(opts, `/api/exports/${kind}.${format}?${statsQueryString(q)}`, `${kind}-${q.from}_${q.to}.${format}`)
}
