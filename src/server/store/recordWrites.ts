import type { Insertable, Transaction } from 'kysely'
import { nextVersion, reserveVersions } from './counters'
import type { Database, RecordTable } from './schema'

// The one way a record is written: the shared columns (schema.ts, RecordTable) from the record,
// a new version from the change sequence, the table's own columns beside them. Every write of a
// record is a change devices pull. `insertRecord` for a record new to the server (its id must be
// free: a concurrent writer of the same id fails on the key rather than being overwritten),
// `putRecord` to write one that may exist.

/** The tables of records (not users, sessions, the ledger of mutations …). */
export type RecordTableName = { [K in keyof Database]: Database[K] extends RecordTable ? K : never }[keyof Database]
/** A table's columns beyond the shared ones (visits.started_at, needs.status …). */
export type ExtraColumns<T extends RecordTableName> = Omit<Insertable<Database[T]>, keyof RecordTable>

export interface RecordPlace {
  id: string
  gridId: string | null
  householdId: string | null
  /** A tombstone: devices pull it and drop their copy. */
  deleted?: boolean
}

type Mode = 'insert' | 'put'

/** A record's row but its id: the shared columns, then the table's own. */
function rowOf<T extends RecordTableName>(version: number, place: RecordPlace, data: unknown, extra: ExtraColumns<T>): Omit<RecordTable, 'id'> {
  return { version, deleted: place.deleted ? 1 : 0, grid_id: place.gridId, household_id: place.householdId, data: JSON.stringify(data), ...extra }
}

// Kysely cannot type a table chosen at run time; ExtraColumns<T> has checked the row's shape.
const untyped = (trx: Transaction<Database>) => trx as unknown as Transaction<Record<'records', RecordTable>>

async function write<T extends RecordTableName>(mode: Mode, trx: Transaction<Database>, table: T, place: RecordPlace, data: unknown, extra: ExtraColumns<T>): Promise<number> {
  const version = await nextVersion(trx)
  const row = rowOf(version, place, data, extra)
  const insert = untyped(trx).insertInto(table as 'records').values({ id: place.id, ...row })
  await (mode === 'put' ? insert.onConflict((oc) => oc.column('id').doUpdateSet(row)) : insert).execute()
  return version
}

/** Writes `data` (the whole record, validated by the caller), new or not, with a new version. */
export function putRecord<T extends RecordTableName>(trx: Transaction<Database>, table: T, place: RecordPlace, data: unknown, extra: ExtraColumns<T>): Promise<number> {
  return write('put', trx, table, place, data, extra)
}

/** Writes a record whose id the server has not had, with a new version. */
export function insertRecord<T extends RecordTableName>(trx: Transaction<Database>, table: T, place: RecordPlace, data: unknown, extra: ExtraColumns<T>): Promise<number> {
  return write('insert', trx, table, place, data, extra)
}

/** Writes records the server has not had, all into one table, with consecutive new versions in
 *  their order: one step of the change sequence and one insert, however many (a push's visits). */
export async function insertRecords<T extends RecordTableName>(
  trx: Transaction<Database>,
  table: T,
  records: readonly { place: RecordPlace; data: unknown; extra: ExtraColumns<T> }[],
): Promise<number[]> {
  if (records.length === 0) return []
  const first = await reserveVersions(trx, records.length)
  const rows = records.map(({ place, data, extra }, i) => ({ id: place.id, ...rowOf(first + i, place, data, extra) }))
  await untyped(trx).insertInto(table as 'records').values(rows).execute()
  return rows.map((r) => r.version)
}
