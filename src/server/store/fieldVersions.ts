import type { Insertable, Transaction } from 'kysely'
import type { ConflictTable, Database } from './schema'

// The records edited field by field (households, residents): each row keeps, per field, the
// version that last changed it, who did and when (JSON, read by services/fieldPatch.ts), so a
// field someone else changed since an editor's base version (a conflict) can be told from one
// nobody touched.

export type FieldTable = 'households' | 'residents'

/** The row's field versions as stored (JSON); '{}' for an unknown id. */
export async function fieldVersionsJson(trx: Transaction<Database>, table: FieldTable, id: string): Promise<string> {
  const row = await trx.selectFrom(table).select('field_versions').where('id', '=', id).executeTakeFirst()
  return row?.field_versions ?? '{}'
}

/** Writes a changed record with its new version and field versions. */
export async function writeFields(trx: Transaction<Database>, table: FieldTable, id: string, row: { version: number; data: unknown; fieldVersions: unknown }): Promise<void> {
  await trx
    .updateTable(table)
    .set({ version: row.version, data: JSON.stringify(row.data), field_versions: JSON.stringify(row.fieldVersions) })
    .where('id', '=', id)
    .execute()
}

/** The value a later write overwrote, kept for the secretary to settle. */
export async function insertConflict(trx: Transaction<Database>, conflict: Insertable<ConflictTable>): Promise<void> {
  await trx.insertInto('conflicts').values(conflict).execute()
}
