import type { z } from 'zod'
import { CoverageResponse, DashboardResponse, ErrorBody, GridMovesResponse, HouseholdStatsResponse, type StatsQuery, TrailResponse } from '../../domain'
import { parseRetryAfter, SyncFailure } from './transport'

// HTTP for the office's statistics and exports: read-only, online only, nothing queued. Failures
// come back as SyncFailure with the kinds the rest of the app already understands.

export type ExportKind = 'dashboard' | 'visits' | 'cases'
export type ExportFormat = 'xlsx' | 'csv'

export interface StatsClientOptions {
  getToken: () => string | null
  baseUrl?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

export function statsQueryString(q: StatsQuery): string {
  const p = new URLSearchParams({ from: q.from, to: q.to })
  for (const k of ['gridId', 'workerId', 'tag', 'attention'] as const) if (q[k]) p.set(k, q[k]!)
  return p.toString()
}

async function request(opts: StatsClientOptions, path: string): Promise<Response> {
  const f = opts.fetch ?? globalThis.fetch.bind(globalThis)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 30_000)
  const token = opts.getToken()
  let res: Response
  try {
    res = await f(`${opts.baseUrl ?? ''}${path}`, { signal: controller.signal, headers: token ? { authorization: `Bearer ${token}` } : {} })
  } catch (err) {
    if (controller.signal.aborted) throw new SyncFailure('timeout', '服务器没有响应')
    throw new SyncFailure('network', `网络不通：${(err as Error).message}`)
  } finally {
    clearTimeout(timer)
  }
  if (res.ok) return res
  const apiError = ErrorBody.safeParse(await res.json().catch(() => null)).data?.error
  const message = apiError?.message ?? `服务器返回 ${res.status}`
  if (res.status === 401) throw new SyncFailure('auth', message, 401, undefined, apiError)
  if (res.status === 429) throw new SyncFailure('rate_limited', message, 429, parseRetryAfter(res.headers.get('retry-after')), apiError)
  if (res.status >= 500) throw new SyncFailure('server', message, res.status, undefined, apiError)
  throw new SyncFailure('client', message, res.status, undefined, apiError)
}

async function getJson<S extends z.ZodType>(opts: StatsClientOptions, path: string, schema: S): Promise<z.infer<S>> {
  const res = await request(opts, path)
  let body: unknown
  try {
    body = await res.json()
  } catch (err) {
    throw new SyncFailure('network', `响应不完整：${(err as Error).message}`)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw new SyncFailure('client', `服务器的回答看不懂：${parsed.error.issues[0]?.message ?? ''}`, res.status)
  return parsed.data
}

export const fetchDashboard = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/stats/dashboard?${statsQueryString(q)}`, DashboardResponse)
export const fetchCoverage = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/stats/coverage?${statsQueryString(q)}`, CoverageResponse)
export const fetchHouseholdStats = (opts: StatsClientOptions, q: StatsQuery) =>
  getJson(opts, `/api/stats/households?${statsQueryString(q)}`, HouseholdStatsResponse)
export const fetchGridMoves = (opts: StatsClientOptions, q: StatsQuery) => getJson(opts, `/api/stats/grid-moves?${statsQueryString({ from: q.from, to: q.to })}`, GridMovesResponse)
export const fetchTrail = (opts: StatsClientOptions, workerId: string, day: string) =>
  getJson(opts, `/api/stats/trail?${new URLSearchParams({ workerId, day })}`, TrailResponse)

/** The file name the server chose (RFC 5987 `filename*` first, then plain `filename`). */
export function filenameFrom(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition)
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim())
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"([^"]+)"/i.exec(disposition)
  return plain ? plain[1]! : fallback
}

export async function downloadExport(opts: StatsClientOptions, kind: ExportKind, format: ExportFormat, q: StatsQuery): Promise<{ blob: Blob; filename: string }> {
  const res = await request(opts, `/api/exports/${kind}.${format}?${statsQueryString(q)}`)
  const blob = await res.blob()
  return { blob, filename: filenameFrom(res.headers.get('content-disposition'), `${kind}-${q.from}_${q.to}.${format}`) }
}
