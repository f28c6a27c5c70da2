import type { Kysely, Transaction } from 'kysely'
import type { Database, LoginThrottleTable } from './schema'

type Db = Kysely<Database> | Transaction<Database>

export type ThrottleRow = LoginThrottleTable

export async function getThrottles(db: Db, keys: readonly string[]): Promise<ThrottleRow[]> {
  if (keys.length === 0) return []
  return db.selectFrom('login_throttle').selectAll().where('key', 'in', [...keys]).execute()
}

export async function putThrottle(db: Db, row: ThrottleRow): Promise<void> {
  await db
    .insertInto('login_throttle')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: row.failures, last_failure_at: row.last_failure_at, next_allowed_at: row.next_allowed_at }))
    .execute()
}

export async function deleteThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key', '=', key).execute()
}

/** Forgets keys whose last failure is older than `before` (ISO instant). */
export async function purgeThrottles(db: Db, before: string): Promise<number> {
  const res = await db.deleteFrom('login_throttle').where('last_failure_at', '<', before).executeTakeFirst()
  return Number(res.numDeletedRows)
}
