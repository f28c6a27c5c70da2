import type { Transaction } from 'kysely'
import { fieldVersionsJson } from './fieldVersions'
import type { Database } from './schema'

// The register's households and residents as an import writes them (services/registerImport.ts):
// one version per changed record, given by the caller, which numbers them in one transaction.

type Trx = Transaction<Database>

export interface ImportedHousehold {
  id: string
  version: number
  gridId: string
  data: unknown
}

/** A household new to the register: its own household, no field changed yet. */
export async function insertImportedHousehold(trx: Trx, h: ImportedHousehold): Promise<void> {
  await trx.insertInto('households').values({ id: h.id, version: h.version, deleted: 0, grid_id: h.gridId, household_id: h.id, data: JSON.stringify(h.data), field_versions: '{}' }).execute()
}

/** A household the sheet changed: the fields it changed take this version. */
export async function updateImportedHousehold(trx: Trx, h: ImportedHousehold, changedFields: readonly string[]): Promise<void> {
  const fv = JSON.parse(await fieldVersionsJson(trx, 'households', h.id)) as Record<string, number>
  for (const f of changedFields) fv[f] = h.version
  await trx.updateTable('households').set({ version: h.version, grid_id: h.gridId, data: JSON.stringify(h.data), field_versions: JSON.stringify(fv) }).where('id', '=', h.id).execute()
}

export interface ImportedResident {
  id: string
  version: number
  gridId: string
  householdId: string
  data: unknown
  /** The full ID number, kept beside the record and never synced. */
  idNumber: string | null
}

export async function insertImportedResident(trx: Trx, r: ImportedResident): Promise<void> {
  await trx
    .insertInto('residents')
    .values({ id: r.id, version: r.version, deleted: 0, grid_id: r.gridId, household_id: r.householdId, data: JSON.stringify(r.data), id_number: r.idNumber })
    .execute()
}

export async function updateImportedResident(trx: Trx, r: ImportedResident): Promise<void> {
  await trx.updateTable('residents').set({ version: r.version, grid_id: r.gridId, household_id: r.householdId, data: JSON.stringify(r.data), id_number: r.idNumber }).where('id', '=', r.id).execute()
}
