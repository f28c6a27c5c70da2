import type { Entity } from '../../domain'
import { type Local, RECORD_TABLES, type RowEntity, TABLE_OF, type ZoufangDb } from './database'
import { allResidents, deleteHouseholdResidents, deleteResidents, findResident, putResidents } from './residents'
import { allVisits, deleteHouseholdVisits, deleteVisits, findVisit, putVisits } from './visits'

// Any entity's record by id, for the code that handles every entity alike (the outbox, the
// engine). Visits and residents live packed per household (db/packs.ts); every other record is
// a row.

/** The household a record's data names (a visit's or resident's pack), if it names one. */
export function householdOf(data: Record<string, unknown> | null | undefined): string | undefined {
  return typeof data?.householdId === 'string' ? data.householdId : undefined
}

/** Every table that holds records, for a transaction that may touch any of them. */
export const recordTables = (db: ZoufangDb) => RECORD_TABLES.map((t) => db.table(t))

/** `householdId`: a packed record's household when known (its pack is read instead of every pack). */
export async function getRecord(db: ZoufangDb, entity: Entity, id: string, householdId?: string): Promise<Record<string, unknown> | undefined> {
  if (entity === 'visit') return findVisit(db, id, householdId)
  if (entity === 'resident') return findResident(db, id, householdId)
  return (await db.table(TABLE_OF[entity]).get(id)) as Record<string, unknown> | undefined
}

/** Every record of an entity on the device (no order). */
export async function allRecords(db: ZoufangDb, entity: Entity): Promise<Record<string, unknown>[]> {
  if (entity === 'visit') return allVisits(db)
  if (entity === 'resident') return allResidents(db)
  return (await db.table(TABLE_OF[entity]).toArray()) as Record<string, unknown>[]
}

export async function putRecord(db: ZoufangDb, entity: Entity, record: Record<string, unknown>): Promise<void> {
  await putRecords(db, entity, [record])
}

/** `fresh`: the records come from a first sync's snapshot, which sends each record once: none
 *  can be in another household's pack (db/residents.ts). */
export async function putRecords(db: ZoufangDb, entity: Entity, records: Record<string, unknown>[], opts: { fresh?: boolean } = {}): Promise<void> {
  if (entity === 'visit') await putVisits(db, records as Local<'visit'>[])
  else if (entity === 'resident') await putResidents(db, records as Local<'resident'>[], opts)
  else await db.tableOf(entity as RowEntity).bulkPut(records as Local<RowEntity>[])
}

export async function deleteRecords(db: ZoufangDb, entity: Entity, ids: string[], householdId?: string): Promise<void> {
  if (!ids.length) return
  if (entity === 'visit') return householdId === undefined ? deleteVisits(db, ids) : deleteHouseholdVisits(db, householdId, ids)
  if (entity === 'resident') return householdId === undefined ? deleteResidents(db, ids) : deleteHouseholdResidents(db, householdId, ids)
  await db.table(TABLE_OF[entity]).bulkDelete(ids)
}
