import type { Kysely, Transaction } from 'kysely'
import type { Need, Project, Resource, ServiceRecord } from '../../domain'
import { putRecord } from './recordWrites'
import type { Database } from './schema'

// 三张清单: needs, resources, projects and volunteers' service records. The rules are in
// services/needs.ts, resources.ts, projects.ts and points.ts and in src/domain (needFlow.ts,
// listRules.ts); this only reads and writes rows. Every write takes a new version, so devices pull it.

type Db = Kysely<Database> | Transaction<Database>
type ListTable = 'needs' | 'resources' | 'projects' | 'service_records'
const BATCH = 500

export interface ListRow {
  version: number
  deleted: boolean
  data: unknown
}

export async function findListRow(db: Db, table: ListTable, id: string): Promise<ListRow | null> {
  const r = await db.selectFrom(table).select(['version', 'deleted', 'data']).where('id', '=', id).executeTakeFirst()
  return r ? { version: Number(r.version), deleted: r.deleted === 1, data: JSON.parse(r.data) as unknown } : null
}

/** The live records of ids (those unknown or deleted are simply not there). */
export async function listRowsByIds(db: Db, table: ListTable, ids: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = []
  const unique = [...new Set(ids)]
  for (let i = 0; i < unique.length; i += BATCH) {
    const rows = await db.selectFrom(table).select('data').where('id', 'in', unique.slice(i, i + BATCH)).where('deleted', '=', 0).execute()
    for (const r of rows) out.push(JSON.parse(r.data) as unknown)
  }
  return out
}

export async function liveListRows(db: Db, table: ListTable): Promise<unknown[]> {
  const rows = await db.selectFrom(table).select('data').where('deleted', '=', 0).orderBy('id').execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** Needs in these states (all when none are given). */
export async function needsWithStatus(db: Db, statuses?: readonly Need['status'][]): Promise<unknown[]> {
  let q = db.selectFrom('needs').select('data').where('deleted', '=', 0)
  if (statuses) q = q.where('status', 'in', statuses.length ? [...statuses] : [''])
  return (await q.orderBy('id').execute()).map((r) => JSON.parse(r.data) as unknown)
}

export async function needsOfProject(db: Db, projectId: string): Promise<unknown[]> {
  const rows = await db.selectFrom('needs').select('data').where('project_id', '=', projectId).where('deleted', '=', 0).execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** Orders of one offer raised in [start, end) that still stand: one that could not be served
 *  (无法解决) gives its place back. */
export async function ordersOfOffer(db: Db, offerId: string, start: string, end: string): Promise<number> {
  const row = await db
    .selectFrom('needs')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('offer_id', '=', offerId)
    .where('raised_at', '>=', start)
    .where('raised_at', '<', end)
    .where('status', '<>', 'closed')
    .where('deleted', '=', 0)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Writes a need (insert or replace) with a new version. */
export function putNeed(trx: Transaction<Database>, n: Need): Promise<number> {
  return putRecord(trx, 'needs', { id: n.id, gridId: n.gridId, householdId: n.householdIds[0] ?? null }, n, {
    status: n.status,
    category: n.category,
    raised_at: new Date(n.raisedAt).toISOString(),
    resource_id: n.resourceId,
    offer_id: n.source.kind === 'order' ? n.source.offerId : null,
    project_id: n.projectId,
  })
}

const COMMUNITY = { gridId: null, householdId: null }

export function putResource(trx: Transaction<Database>, r: Resource): Promise<number> {
  return putRecord(trx, 'resources', { id: r.id, ...COMMUNITY }, r, { kind: r.kind })
}

export function putProject(trx: Transaction<Database>, p: Project): Promise<number> {
  return putRecord(trx, 'projects', { id: p.id, ...COMMUNITY }, p, { status: p.status })
}

export function putServiceRecord(trx: Transaction<Database>, r: ServiceRecord): Promise<number> {
  return putRecord(trx, 'service_records', { id: r.id, ...COMMUNITY }, r, { resource_id: r.resourceId, status: r.status, day: r.day })
}

/** Service records of the days [from, to] (by the day served), any status. */
export async function serviceRecordsBetween(db: Db, from: string, to: string): Promise<unknown[]> {
  const rows = await db.selectFrom('service_records').select('data').where('day', '>=', from).where('day', '<=', to).where('deleted', '=', 0).execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}
