import type { Transaction } from 'kysely'
import type { z } from 'zod'
import {
  type Building,
  DEFAULT_SETTINGS,
  type FlowCheck,
  type GridCell,
  type Household,
  listFigures,
  listIssueCode,
  type ListsFiguresResponse,
  type ListsPeriodQuery,
  NEED_CATEGORIES,
  NO_NEEDS_MESSAGE,
  Need,
  type NeedStatus,
  type NeedSummaryQuery,
  type NeedSummaryResponse,
  pointsTable,
  type PointsResponse,
  Project,
  Resource,
  ServiceRecord,
  Settings,
  SETTINGS_ID,
  summarizeNeeds,
} from '../../domain'
import { AppError, validationError } from '../appError'
import { liveListRows, needsWithStatus, serviceRecordsBetween } from '../store/lists'
import type { Store } from '../store/open'
import { getRecord } from '../store/records'
import { liveRows } from '../store/register'
import type { Database } from '../store/schema'
import type { SessionUser } from './auth'
import { mayManageLists } from './scope'

// What the needs, resources, projects and points services share, and the office's three reads:
// the needs summary, the dashboard's figures and the points table. Every figure is counted by
// src/domain/listRules.ts from one read of each table (the lists are hundreds or a few thousand
// rows in a community), never kept as running totals that could drift from the records.

type Db = Store | Transaction<Database>

/** The office's, or FORBIDDEN. */
export function assertListManager(user: SessionUser, what = '资源清单、项目和志愿者积分'): void {
  if (!mayManageLists(user)) throw new AppError('FORBIDDEN', `${what}由社区书记或管理员管理`)
}

const CATEGORY_LIST = NEED_CATEGORIES.map((c) => c.zh).join('、')

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined
  return v
}

/** parseWith, but a category not on the list and a project without needs answer with codes of
 *  their own (UNKNOWN_CATEGORY, PROJECT_NO_NEEDS) and a message that says what to do. */
export function parseList<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value)
  if (r.success) return r.data
  const issues = r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  const code = listIssueCode(r.error.issues)
  if (code === 'UNKNOWN_CATEGORY') {
    const issue = r.error.issues.find((i) => i.code === 'invalid_value' && i.path[i.path.length - 1] === 'category')!
    throw new AppError(
      'UNKNOWN_CATEGORY',
      `需求类别「${String(valueAt(value, issue.path))}」不在类别表里（${CATEGORY_LIST}），没有保存：请换一个类别，或更新应用后再提交`,
      { issues },
    )
  }
  if (code === 'PROJECT_NO_NEEDS') throw new AppError('PROJECT_NO_NEEDS', `${NO_NEEDS_MESSAGE()}，项目没有保存`, { issues })
  throw validationError(r.error, where)
}

/** A refused state rule as the one error shape. */
export function flowRefusal(c: Extract<FlowCheck<string>, { ok: false }>): AppError {
  return new AppError(c.code, c.message)
}

export async function currentSettings(db: Db): Promise<Settings> {
  const row = await getRecord(db, 'settings', SETTINGS_ID)
  const parsed = row && !row.deleted ? Settings.safeParse(row.data) : null
  return parsed?.success ? parsed.data : DEFAULT_SETTINGS
}

// ---- the office's reads ----

const UNRESOLVED: Record<NeedSummaryQuery['status'], NeedStatus[]> = { open: ['open'], matched: ['matched'], unresolved: ['open', 'matched'] }

async function registerPlaces(db: Db) {
  const [households, buildings, grids] = await Promise.all([liveRows(db, 'households'), liveRows(db, 'buildings'), liveRows(db, 'grid_cells')])
  return {
    households: new Map(households.map((r) => [r.id, r.data as Household])),
    buildings: new Map(buildings.map((r) => [r.id, r.data as Building])),
    grids: new Map(grids.map((r) => [r.id, r.data as GridCell])),
  }
}

/** GET /api/needs/summary: the needs in a state, by category, building and grid cell. */
export async function needSummary(store: Store, user: SessionUser, q: NeedSummaryQuery, now = new Date()): Promise<NeedSummaryResponse> {
  assertListManager(user, '需求汇总')
  const [needs, places] = await Promise.all([needsWithStatus(store, UNRESOLVED[q.status]), registerPlaces(store)])
  return { at: now.toISOString(), status: q.status, ...summarizeNeeds({ needs: needs.map((d) => Need.parse(d)), ...places }) }
}

/** GET /api/lists/figures: the dashboard's figures for a period. */
export async function listsFigures(store: Store, user: SessionUser, q: ListsPeriodQuery, now = new Date()): Promise<ListsFiguresResponse> {
  assertListManager(user, '三张清单的统计')
  const [needs, resources, projects, records, grids] = await Promise.all([
    needsWithStatus(store),
    liveListRows(store, 'resources'),
    liveListRows(store, 'projects'),
    serviceRecordsBetween(store, q.from, q.to),
    liveRows(store, 'grid_cells'),
  ])
  const at = now.toISOString()
  return {
    from: q.from,
    to: q.to,
    at,
    ...listFigures({
      from: q.from,
      to: q.to,
      at,
      needs: needs.map((d) => Need.parse(d)),
      resources: resources.map((d) => Resource.parse(d)),
      projects: projects.map((d) => Project.parse(d)),
      serviceRecords: records.map((d) => ServiceRecord.parse(d)),
      grids: new Map(grids.map((r) => [r.id, r.data as GridCell])),
    }),
  }
}

/** GET /api/points: confirmed hours and points per volunteer; named only with their consent. */
export async function points(store: Store, user: SessionUser, q: ListsPeriodQuery): Promise<PointsResponse> {
  assertListManager(user, '志愿者积分')
  const [records, resources] = await Promise.all([serviceRecordsBetween(store, q.from, q.to), liveListRows(store, 'resources')])
  return {
    from: q.from,
    to: q.to,
    ...pointsTable({ from: q.from, to: q.to, records: records.map((d) => ServiceRecord.parse(d)), resources: resources.map((d) => Resource.parse(d)) }),
  }
}
