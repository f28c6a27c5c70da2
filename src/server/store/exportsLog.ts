import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

// exports_log: one row per file that left the server (services/exports.ts logs it, with the
// audit log, before the file is sent).

type Db = Kysely<Database> | Transaction<Database>

export async function insertExportLog(db: Db, e: { userId: string; at: string; kind: string; format: string; filters: unknown; rows: number }): Promise<void> {
  await db.insertInto('exports_log').values({ user_id: e.userId, at: e.at, kind: e.kind, format: e.format, filters: JSON.stringify(e.filters), row_count: e.rows }).execute()
}
