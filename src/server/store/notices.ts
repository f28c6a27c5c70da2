import type { Kysely, Transaction } from 'kysely'
import type { Notice } from '../../domain'
import { putRecord } from './recordWrites'
import type { Database } from './schema'

// 公告: the office's notices to residents. The rules are in services/notices.ts and
// domain/schemas/notice.ts; this only reads and writes rows. Every write takes a new version.

type Db = Kysely<Database> | Transaction<Database>

/** Every notice not deleted (withdrawn ones too), as stored. */
export async function liveNoticeRows(db: Db): Promise<unknown[]> {
  const rows = await db.selectFrom('notices').select('data').where('deleted', '=', 0).orderBy('id').execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** Writes a notice (insert or replace) with a new version. */
export function putNotice(trx: Transaction<Database>, n: Notice): Promise<number> {
  return putRecord(trx, 'notices', { id: n.id, gridId: null, householdId: null }, n, {})
}
