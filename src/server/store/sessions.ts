import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

type Db = Kysely<Database> | Transaction<Database>

/** Deletes sessions whose expiry has passed (ISO instant `now`); returns how many. */
export async function purgeExpiredSessions(db: Db, now: string): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(res.numDeletedRows)
}
