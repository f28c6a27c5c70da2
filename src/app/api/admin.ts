import { AdminUser, AdminUsersResponse, AuditPage, type CreateUserRequest, type PatchUserRequest, RevealIdNumberResponse } from '../../domain/schemas/admin'
import { Building, GridCell } from '../../domain/schemas/register'
import {
  type CreateBuildingRequest,
  type CreateGridCellRequest,
  type PatchBuildingRequest,
  type PatchGridCellRequest,
  GridImportResult,
  RegisterImportResult,
  RegisterStructure,
  RenameCompoundResult,
} from '../../domain/schemas/registerAdmin'
import { type ClientOptions, download, getJson, request } from './client'

// HTTP for the admin's pages (users and grid cells, register import, audit log) and the audited
// ID-number reveal. Online only, nothing queued; failures are ApiFailure like the rest of the app.

export type AdminClientOptions = ClientOptions

export type { GridImportResult }

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

export const listUsers = async (opts: AdminClientOptions) => (await getJson(opts, '/api/admin/users', AdminUsersResponse)).users
export const createUser = (opts: AdminClientOptions, body: CreateUserRequest) => getJson(opts, '/api/admin/users', AdminUser, { method: 'POST', json: body })
export const patchUser = (opts: AdminClientOptions, id: string, body: PatchUserRequest) =>
  getJson(opts, `/api/admin/users/${encodeURIComponent(id)}`, AdminUser, { method: 'PATCH', json: body })
export const setUserGrids = (opts: AdminClientOptions, id: string, gridIds: string[]) =>
  getJson(opts, `/api/admin/users/${encodeURIComponent(id)}/grids`, AdminUser, { method: 'PUT', json: { gridIds } })
export async function resetPassword(opts: AdminClientOptions, id: string, password: string): Promise<void> {
  await request(opts, `/api/admin/users/${encodeURIComponent(id)}/password`, { method: 'POST', json: { password } })
}

export const fetchAudit = (opts: AdminClientOptions, f: AuditFilters, page: { limit: number; offset: number }) =>
  getJson(opts, `/api/admin/audit?${auditQueryString(f, page)}`, AuditPage)

export async function downloadAuditCsv(opts: AdminClientOptions, f: AuditFilters): Promise<{ blob: Blob; filename: string }> {
  return download(opts, `/api/admin/audit.csv?${auditQueryString(f)}`, 'audit.csv')
}

export async function downloadRegisterTemplate(opts: AdminClientOptions): Promise<{ blob: Blob; filename: string }> {
  return download(opts, '/api/admin/register/template.xlsx', 'register-template.xlsx')
}

/** The register as a file, masked unless asked otherwise (the server allows that to the admin only
 *  and logs every export). */
export async function downloadRegister(opts: AdminClientOptions, format: 'xlsx' | 'csv', unmasked: boolean): Promise<{ blob: Blob; filename: string }> {
  return download({ ...opts, timeoutMs: 120_000 }, `/api/exports/register.${format}${unmasked ? '?unmasked=1' : ''}`, `register.${format}`)
}

/** Sends the file's bytes; the server tells xlsx from CSV by type and content. */
export const importRegister = (opts: AdminClientOptions, file: Blob, dryRun: boolean) =>
  getJson(opts, `/api/admin/register/import?dryRun=${dryRun ? '1' : '0'}`, RegisterImportResult, { method: 'POST', body: file, contentType: file.type })

/** Grid cells from a GeoJSON FeatureCollection (the file's text, sent as JSON). */
export const importGridCells = (opts: AdminClientOptions, geojson: unknown, dryRun: boolean) =>
  getJson(opts, `/api/admin/grid-cells/geojson?dryRun=${dryRun ? '1' : '0'}`, GridImportResult, { method: 'POST', json: geojson })

export const revealIdNumber = (opts: AdminClientOptions, residentId: string) =>
  getJson(opts, `/api/residents/${encodeURIComponent(residentId)}/id-number`, RevealIdNumberResponse)

// ---- the register page: grid cells, compounds and buildings by hand ----

const enc = encodeURIComponent
export const fetchRegisterStructure = (opts: AdminClientOptions) => getJson(opts, '/api/admin/register/structure', RegisterStructure)
export const createGridCell = (opts: AdminClientOptions, body: CreateGridCellRequest) => getJson(opts, '/api/admin/grid-cells', GridCell, { method: 'POST', json: body })
export const patchGridCell = (opts: AdminClientOptions, id: string, body: PatchGridCellRequest) =>
  getJson(opts, `/api/admin/grid-cells/${enc(id)}`, GridCell, { method: 'PATCH', json: body })
export async function retireGridCell(opts: AdminClientOptions, id: string): Promise<void> {
  await request(opts, `/api/admin/grid-cells/${enc(id)}`, { method: 'DELETE' })
}
export const createBuilding = (opts: AdminClientOptions, body: CreateBuildingRequest) => getJson(opts, '/api/admin/buildings', Building, { method: 'POST', json: body })
export const patchBuilding = (opts: AdminClientOptions, id: string, body: PatchBuildingRequest) =>
  getJson(opts, `/api/admin/buildings/${enc(id)}`, Building, { method: 'PATCH', json: body })
export async function retireBuilding(opts: AdminClientOptions, id: string): Promise<void> {
  await request(opts, `/api/admin/buildings/${enc(id)}`, { method: 'DELETE' })
}
export const renameCompound = (opts: AdminClientOptions, from: string, to: string) =>
  getJson(opts, '/api/admin/compounds/rename', RenameCompoundResult, { method: 'POST', json: { from, to } })
