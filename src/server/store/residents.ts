import type { Transaction } from 'kysely'
import type { Resident } from '../../domain'
import type { Database } from './schema'

/** The residents of a household not taken off the register (moved out and deceased included),
 *  oldest record first, data as stored (not yet validated). */
export async function residentsOf(trx: Transaction<Database>, householdId: string): Promise<unknown[]> {
  const rows = await trx.selectFrom('residents').select('data').where('household_id', '=', householdId).where('deleted', '=', 0).orderBy('id').execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** A resident added from a device: no ID number (the admin's, with the register). */
export async function insertResident(trx: Transaction<Database>, r: Resident, version: number): Promise<void> {
  await trx
    .insertInto('residents')
    .values({ id: r.id, version, deleted: 0, grid_id: r.gridId, household_id: r.householdId, data: JSON.stringify(r), id_number: null })
    .execute()
}

/** The names of every resident on the register, once each: what a text for the public page is
 *  checked against (services/notices.ts). */
export async function residentNames(db: Pick<Transaction<Database>, 'selectFrom'>): Promise<string[]> {
  const rows = await db.selectFrom('residents').select('data').where('deleted', '=', 0).execute()
  return [...new Set(rows.map((r) => (JSON.parse(r.data) as { name: string }).name))]
}

/** A resident not taken off the register, with the full ID number (null if none is held). */
export async function findResidentIdNumber(
  trx: Transaction<Database>,
  residentId: string,
): Promise<{ id: string; gridId: string | null; householdId: string | null; idNumber: string | null } | null> {
  const r = await trx.selectFrom('residents').select(['id', 'grid_id', 'household_id', 'id_number']).where('id', '=', residentId).where('deleted', '=', 0).executeTakeFirst()
  return r ? { id: r.id, gridId: r.grid_id, householdId: r.household_id, idNumber: r.id_number } : null
}

/** The household of each resident of `ids` the register has (taken off ones too). */
export async function householdsOfResidents(db: Pick<Transaction<Database>, 'selectFrom'>, ids: readonly string[]): Promise<Array<{ id: string; householdId: string | null }>> {
  if (!ids.length) return []
  const rows = await db.selectFrom('residents').select(['id', 'household_id']).where('id', 'in', [...ids]).execute()
  return rows.map((r) => ({ id: r.id, householdId: r.household_id }))
}

/** The ids of every resident ever recorded in a household (taken off ones too). */
export async function residentIdsOf(db: Pick<Transaction<Database>, 'selectFrom'>, householdId: string): Promise<string[]> {
  const rows = await db.selectFrom('residents').select('id').where('household_id', '=', householdId).execute()
  return rows.map((r) => r.id)
}

/** Every resident on the register with the columns an import matches by (ID number, household). */
export async function liveResidentRows(db: Pick<Transaction<Database>, 'selectFrom'>): Promise<Array<{ id: string; version: number; data: unknown; householdId: string | null; idNumber: string | null }>> {
  const rows = await db.selectFrom('residents').select(['id', 'version', 'data', 'household_id', 'id_number']).where('deleted', '=', 0).execute()
  return rows.map((r) => ({ id: r.id, version: Number(r.version), data: JSON.parse(r.data) as unknown, householdId: r.household_id, idNumber: r.id_number }))
}
