import type { Entity } from '../../domain'
import { type Local, RECORD_TABLES, type RowEntity, TABLE_OF, type ZoufangDb } from './database'
import { deleteVisits, findVisit, putVisits, visitsOfHousehold } from './visits'

// Any entity's record by id, for the code that handles every entity alike (the outbox, the
// engine). Visits live packed per household (db/visits.ts); every other record is a row.

const isVisit = (entity: Entity): entity is 'visit' => entity === 'visit'

/** The household a record's data names (a visit's pack), if it names one. */
export function householdOf(data: Record<string, unknown> | null | undefined): string | undefined {
  return typeof data?.householdId === 'string' ? data.householdId : undefined
}

/** Every table that holds records, for a transaction that may touch any of them. */
export const recordTables = (db: ZoufangDb) => RECORD_TABLES.map((t) => db.table(t))

/** `householdId`: a visit's household when known (its pack is read instead of every pack). */
export async function getRecord(db: ZoufangDb, entity: Entity, id: string, householdId?: string): Promise<Record<string, unknown> | undefined> {
  if (isVisit(entity)) return findVisit(db, id, householdId)
  return (await db.table(TABLE_OF[entity]).get(id)) as Record<string, unknown> | undefined
}

export async function putRecord(db: ZoufangDb, entity: Entity, record: Record<string, unknown>): Promise<void> {
  if (isVisit(entity)) await putVisits(db, [record as Local<'visit'>])
  else await db.tableOf(entity as RowEntity).put(record as Local<RowEntity>)
}

export async function putRecords(db: ZoufangDb, entity: Entity, records: Record<string, unknown>[]): Promise<void> {
  if (isVisit(entity)) await putVisits(db, records as Local<'visit'>[])
  else await db.tableOf(entity as RowEntity).bulkPut(records as Local<RowEntity>[])
}

export async function deleteRecords(db: ZoufangDb, entity: Entity, ids: string[], householdId?: string): Promise<void> {
  if (!ids.length) return
  if (!isVisit(entity)) return void (await db.table(TABLE_OF[entity]).bulkDelete(ids))
  if (householdId === undefined) return deleteVisits(db, ids)
  const drop = new Set(ids)
  const visits = await visitsOfHousehold(db, householdId)
  const kept = visits.filter((v) => !drop.has(v.id))
  if (kept.length === visits.length) return
  if (kept.length) await db.visitPacks.put({ householdId, visits: kept })
  else await db.visitPacks.delete(householdId)
}
