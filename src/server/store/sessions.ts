import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

type Db = Kysely<Database> | Transaction<Database>

/** Deletes sessions whose expiry has passed (ISO instant `now`); returns how many. */
export async function purgeExpiredSessions(db: Db, now: string): Promise<number> {
  const res = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst()
  return Number(res.numDeletedRows)
}

/** A new session; only the token's hash is kept. */
export async function insertSession(db: Db, s: { tokenHash: string; userId: string; createdAt: string; expiresAt: string }): Promise<void> {
  await db.insertInto('sessions').values({ token_hash: s.tokenHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt }).execute()
}

/** The session of a token's hash, expired or not. */
export async function findSession(db: Db, tokenHash: string): Promise<{ userId: string; expiresAt: string } | null> {
  const r = await db.selectFrom('sessions').select(['user_id', 'expires_at']).where('token_hash', '=', tokenHash).executeTakeFirst()
  return r ? { userId: r.user_id, expiresAt: r.expires_at } : null
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute()
}

/** Deletes every session of a user. */
export async function deleteUserSessions(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute()
}
