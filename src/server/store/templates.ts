import type { Kysely, Transaction } from 'kysely'
import type { ChecklistTemplate } from '../../domain'
import { nextVersion } from './counters'
import { insertRecord } from './recordWrites'
import type { Database } from './schema'

// Checklist templates (走访清单), read one by one with records.ts getRecord. The rules (template
// versions, history) are in services/templates.ts; this only reads and writes rows. Every write
// takes a new version, so devices pull it.

type Db = Kysely<Database> | Transaction<Database>

/** Every template not deleted, as stored. */
export async function liveTemplateRows(db: Db): Promise<unknown[]> {
  const rows = await db.selectFrom('checklist_templates').select('data').where('deleted', '=', 0).execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** Replaces the record of template `id` with a new version (its other columns left as they are). */
export async function updateTemplate(trx: Transaction<Database>, id: string, t: ChecklistTemplate): Promise<number> {
  const version = await nextVersion(trx)
  await trx.updateTable('checklist_templates').set({ version, data: JSON.stringify(t) }).where('id', '=', id).execute()
  return version
}

/** Writes a template whose id the server has not had, with a new version. */
export function insertTemplate(trx: Transaction<Database>, t: ChecklistTemplate): Promise<number> {
  return insertRecord(trx, 'checklist_templates', { id: t.id, gridId: null, householdId: null }, t, {})
}
