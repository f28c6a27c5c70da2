import type { Transaction } from 'kysely'
import type { Settings } from '../../domain'
import { nextVersion } from './counters'
import { insertRecord } from './recordWrites'
import type { Database } from './schema'

// The community's settings: one record (SETTINGS_ID), read with records.ts getRecord. The rules
// are in services/settings.ts; this only writes the row. Every write takes a new version.

/** Writes the settings with a new version: `exists`, the row is updated in place (its deleted
 *  flag and columns left as they are); otherwise it is inserted. */
export async function writeSettings(trx: Transaction<Database>, s: Settings, exists: boolean): Promise<number> {
  if (!exists) return insertRecord(trx, 'settings', { id: s.id, gridId: null, householdId: null }, s, {})
  const version = await nextVersion(trx)
  await trx.updateTable('settings').set({ version, data: JSON.stringify(s) }).where('id', '=', s.id).execute()
  return version
}
