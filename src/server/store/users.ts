import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

// Accounts and their grid assignments. The rules (who may change what, one worker per cell,
// when the scope epoch moves) are in services/admin.ts and services/auth.ts; this only reads
// and writes rows.

type Db = Kysely<Database> | Transaction<Database>

export interface UserRow {
  id: string
  username: string
  name: string
  role: string
  sensitiveTags: boolean
  active: boolean
  scopeEpoch: number
  createdAt: string
}

function toUserRow(r: Database['users']): UserRow {
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    role: r.role,
    sensitiveTags: r.sensitive_tags === 1,
    active: r.active === 1,
    scopeEpoch: r.scope_epoch,
    createdAt: r.created_at,
  }
}

export async function findUserById(db: Db, id: string): Promise<UserRow | null> {
  const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  return r ? toUserRow(r) : null
}

/** Every account, deactivated ones too, by username. */
export async function allUsers(db: Db): Promise<UserRow[]> {
  const rows = await db.selectFrom('users').selectAll().orderBy('username').execute()
  return rows.map(toUserRow)
}

/** What a login checks: the account of a username, with its password hash. */
export async function findCredentials(db: Db, username: string): Promise<{ id: string; passwordHash: string; active: boolean } | null> {
  const r = await db.selectFrom('users').select(['id', 'password_hash', 'active']).where('username', '=', username).executeTakeFirst()
  return r ? { id: r.id, passwordHash: r.password_hash, active: r.active === 1 } : null
}

export async function usernameTaken(db: Db, username: string): Promise<boolean> {
  const r = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()
  return r !== undefined
}

/** A new account: active, at scope epoch 1. */
export async function insertUser(
  db: Db,
  u: { id: string; username: string; name: string; role: string; passwordHash: string; sensitiveTags: boolean; createdAt: string },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: u.id,
      username: u.username,
      name: u.name,
      role: u.role,
      password_hash: u.passwordHash,
      sensitive_tags: u.sensitiveTags ? 1 : 0,
      scope_epoch: 1,
      active: 1,
      created_at: u.createdAt,
    })
    .execute()
}

/** Sets the fields given (undefined ones are left alone); `bumpEpoch` also moves the scope epoch
 *  by one in the same update. At least one field must be given. */
export async function updateUser(
  db: Db,
  id: string,
  fields: { name?: string | undefined; role?: string | undefined; sensitiveTags?: boolean | undefined; active?: boolean | undefined },
  bumpEpoch: boolean,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(fields.name !== undefined ? { name: fields.name } : {}),
      ...(fields.role !== undefined ? { role: fields.role } : {}),
      ...(fields.sensitiveTags !== undefined ? { sensitive_tags: fields.sensitiveTags ? 1 : 0 } : {}),
      ...(fields.active !== undefined ? { active: fields.active ? 1 : 0 } : {}),
      ...(bumpEpoch ? { scope_epoch: (eb) => eb('scope_epoch', '+', 1) } : {}),
    })
    .where('id', '=', id)
    .execute()
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute()
}

/** Moves the user's scope epoch by one: their devices' next pull starts over. */
export async function bumpScopeEpoch(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set((eb) => ({ scope_epoch: eb('scope_epoch', '+', 1) }))
    .where('id', '=', userId)
    .execute()
}

/** Every assignment still open, of every user, by grid cell id. */
export async function activeAssignments(db: Db): Promise<{ userId: string; gridId: string }[]> {
  const rows = await db.selectFrom('grid_assignments').select(['user_id', 'grid_id']).where('unassigned_at', 'is', null).orderBy('grid_id').execute()
  return rows.map((r) => ({ userId: r.user_id, gridId: r.grid_id }))
}

/** The grid cells a user holds now, by id. */
export async function activeGridIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('grid_assignments').select('grid_id').where('user_id', '=', userId).where('unassigned_at', 'is', null).orderBy('grid_id').execute()
  return rows.map((r) => r.grid_id)
}

/** The users other than `exceptUserId` who hold a grid cell now. */
export async function otherHoldersOf(db: Db, gridId: string, exceptUserId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('grid_assignments')
    .select('user_id')
    .where('grid_id', '=', gridId)
    .where('unassigned_at', 'is', null)
    .where('user_id', '!=', exceptUserId)
    .execute()
  return rows.map((r) => r.user_id)
}

/** Ends a user's open assignment of a grid cell at `at`; the row stays, as history. */
export async function closeAssignment(db: Db, userId: string, gridId: string, at: string): Promise<void> {
  await db
    .updateTable('grid_assignments')
    .set({ unassigned_at: at })
    .where('user_id', '=', userId)
    .where('grid_id', '=', gridId)
    .where('unassigned_at', 'is', null)
    .execute()
}

export async function openAssignment(db: Db, userId: string, gridId: string, at: string): Promise<void> {
  await db.insertInto('grid_assignments').values({ user_id: userId, grid_id: gridId, assigned_at: at, unassigned_at: null }).execute()
}

/** Those of `ids` that are grid cells not taken off the register (what an assignment may name). */
export async function liveGridCellIds(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return []
  const rows = await db.selectFrom('grid_cells').select('id').where('id', 'in', [...ids]).where('deleted', '=', 0).execute()
  return rows.map((r) => r.id)
}

/** Did the user hold the grid cell at that instant (assigned by then, not yet given up)? */
export async function heldCellAt(db: Db, userId: string, gridId: string, at: string): Promise<boolean> {
  const row = await db
    .selectFrom('grid_assignments')
    .select('id')
    .where('user_id', '=', userId)
    .where('grid_id', '=', gridId)
    .where('assigned_at', '<=', at)
    .where((eb) => eb.or([eb('unassigned_at', 'is', null), eb('unassigned_at', '>=', at)]))
    .executeTakeFirst()
  return row !== undefined
}

/** Does the store hold any user yet (a fresh data directory holds none)? */
export async function hasAnyUser(db: Db): Promise<boolean> {
  return (await db.selectFrom('users').select('id').limit(1).executeTakeFirst()) !== undefined
}
