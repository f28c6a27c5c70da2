import { z } from 'zod'
import { ErrorBody } from '../../domain'
import { AdminUser, AuditPage, type CreateUserRequest, type PatchUserRequest, RevealIdNumberResponse } from '../../domain/schemas/admin'
import { filenameFrom } from './stats'
import { parseRetryAfter, SyncFailure } from './transport'

// HTTP for the admin's pages (users and grid cells, register import, audit log) and the audited
// ID-number reveal. Online only, nothing queued; failures are SyncFailure like the rest of the app.

export interface AdminClientOptions {
  getToken: () => string | null
  baseUrl?: string
  fetch?: typeof fetch
  timeoutMs?: number
}

interface RequestInitLite {
  method?: string
  json?: unknown
  body?: Blob
  contentType?: string
}

async function request(opts: AdminClientOptions, path: string, init: RequestInitLite = {}): Promise<Response> {
  const f = opts.fetch ?? globalThis.fetch.bind(globalThis)
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), opts.timeoutMs ?? 30_000)
  const token = opts.getToken()
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {}
  let body: BodyInit | undefined
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(init.json)
  } else if (init.body) {
    headers['content-type'] = init.contentType || 'application/octet-stream'
    body = init.body
  }
  let res: Response
  try {
    res = await f(`${opts.baseUrl ?? ''}${path}`, { method: init.method ?? 'GET', signal: controller.signal, headers, ...(body !== undefined ? { body } : {}) })
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

async function json<S extends z.ZodType>(opts: AdminClientOptions, path: string, schema: S, init?: RequestInitLite): Promise<z.infer<S>> {
  const res = await request(opts, path, init)
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

const UsersResponse = z.object({ users: z.array(AdminUser) })
const Counts = z.object({ create: z.number(), update: z.number(), unchanged: z.number() })
export const ImportResult = z.object({
  dryRun: z.boolean(),
  households: Counts,
  residents: Counts,
  errors: z.array(z.object({ row: z.number(), column: z.string().nullable(), message: z.string() })),
})
export type ImportResult = z.infer<typeof ImportResult>

export const GridImportResult = Counts.extend({
  dryRun: z.boolean(),
  errors: z.array(z.object({ feature: z.number(), message: z.string() })),
})
export type GridImportResult = z.infer<typeof GridImportResult>

export interface AuditFilters {
  from?: string
  to?: string
  action?: string
  userId?: string
}

export function auditQueryString(f: AuditFilters, page?: { limit: number; offset: number }): string {
  const p = new URLSearchParams()
  for (const k of ['from', 'to', 'action', 'userId'] as const) if (f[k]) p.set(k, f[k]!)
  if (page) {
    p.set('limit', String(page.limit))
    p.set('offset', String(page.offset))
  }
  return p.toString()
}

export const listUsers = async (opts: AdminClientOptions) => (await json(opts, '/api/admin/users', UsersResponse)).users
export const createUser = (opts: AdminClientOptions, body: CreateUserRequest) => json(opts, '/api/admin/users', AdminUser, { method: 'POST', json: body })
export const patchUser = (opts: AdminClientOptions, id: string, body: PatchUserRequest) =>
  json(opts, `/api/admin/users/${encodeURIComponent(id)}`, AdminUser, { method: 'PATCH', json: body })
export const setUserGrids = (opts: AdminClientOptions, id: string, gridIds: string[]) =>
  json(opts, `/api/admin/users/${encodeURIComponent(id)}/grids`, AdminUser, { method: 'PUT', json: { gridIds } })
export async function resetPassword(opts: AdminClientOptions, id: string, password: string): Promise<void> {
  await request(opts, `/api/admin/users/${encodeURIComponent(id)}/password`, { method: 'POST', json: { password } })
}

export const fetchAudit = (opts: AdminClientOptions, f: AuditFilters, page: { limit: number; offset: number }) =>
  json(opts, `/api/admin/audit?${auditQueryString(f, page)}`, AuditPage)

export async function downloadAuditCsv(opts: AdminClientOptions, f: AuditFilters): Promise<{ blob: Blob; filename: string }> {
  const res = await request(opts, `/api/admin/audit.csv?${auditQueryString(f)}`)
  return { blob: await res.blob(), filename: filenameFrom(res.headers.get('content-disposition'), 'audit.csv') }
}

export async function downloadRegisterTemplate(opts: AdminClientOptions): Promise<{ blob: Blob; filename: string }> {
  const res = await request(opts, '/api/admin/register/template.xlsx')
  return { blob: await res.blob(), filename: filenameFrom(res.headers.get('content-disposition'), 'register-template.xlsx') }
}

/** The register as a file, masked unless asked otherwise (the server allows that to the admin only
 *  and logs every export). */
export async function downloadRegister(opts: AdminClientOptions, format: 'xlsx' | 'csv', unmasked: boolean): Promise<{ blob: Blob; filename: string }> {
  const res = await request({ ...opts, timeoutMs: 120_000 }, `/api/exports/register.${format}${unmasked ? '?unmasked=1' : ''}`)
  return { blob: await res.blob(), filename: filenameFrom(res.headers.get('content-disposition'), `register.${format}`) }
}

/** Sends the file's bytes; the server tells xlsx from CSV by type and content. */
export const importRegister = (opts: AdminClientOptions, file: Blob, dryRun: boolean) =>
  json(opts, `/api/admin/register/import?dryRun=${dryRun ? '1' : '0'}`, ImportResult, { method: 'POST', body: file, contentType: file.type })

/** Grid cells from a GeoJSON FeatureCollection (the file's text, sent as JSON). */
export const importGridCells = (opts: AdminClientOptions, geojson: unknown, dryRun: boolean) =>
  json(opts, `/api/admin/grid-cells/geojson?dryRun=${dryRun ? '1' : '0'}`, GridImportResult, { method: 'POST', json: geojson })

export const revealIdNumber = (opts: AdminClientOptions, residentId: string) =>
  json(opts, `/api/residents/${encodeURIComponent(residentId)}/id-number`, RevealIdNumberResponse)
