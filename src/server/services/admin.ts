import type { Transaction } from 'kysely'
import { uuidv7 } from '../../domain'
import type { AdminUser, CreateUserRequest, PatchUserRequest } from '../../domain/schemas/admin'
import { AppError } from '../http'
import type { Store } from '../store/open'
import type { Database } from '../store/schema'
import { record } from './audit'
import { endSessions, type SessionUser } from './auth'
import { assertGridInScope } from './scope'
import { hashPassword } from './passwords'

// The admin manages accounts and grid assignments. Every change is audited in its own transaction.

type Db = Pick<Store, 'selectFrom'>

async function gridsByUser(db: Db): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('grid_assignments').select(['user_id', 'grid_id']).where('unassigned_at', 'is', null).orderBy('grid_id').execute()
  const map = new Map<string, string[]>()
  for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.grid_id])
  return map
}

function toAdminUser(row: Database['users'], gridIds: string[]): AdminUser {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role as AdminUser['role'],
    gridIds,
    sensitiveTags: row.sensitive_tags === 1,
    active: row.active === 1,
    createdAt: row.created_at,
  }
}

export async function listUsers(store: Store): Promise<AdminUser[]> {
  const rows = await store.selectFrom('users').selectAll().orderBy('username').execute()
  const grids = await gridsByUser(store)
  return rows.map((r) => toAdminUser(r, grids.get(r.id) ?? []))
}

async function getUser(db: Db, id: string): Promise<AdminUser> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 404, '没有这个用户')
  const grids = await db.selectFrom('grid_assignments').select('grid_id').where('user_id', '=', id).where('unassigned_at', 'is', null).orderBy('grid_id').execute()
  return toAdminUser(row, grids.map((g) => g.grid_id))
}

export async function createUser(store: Store, admin: SessionUser, req: CreateUserRequest, now = new Date()): Promise<AdminUser> {
  const passwordHash = await hashPassword(req.password)
  const id = uuidv7()
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const taken = await trx.selectFrom('users').select('id').where('username', '=', req.username).executeTakeFirst()
    if (taken) throw new AppError('ID_TAKEN', 409, `用户名“${req.username}”已被使用`)
    await trx
      .insertInto('users')
      .values({
        id,
        username: req.username,
        name: req.name,
        role: req.role,
        password_hash: passwordHash,
        sensitive_tags: req.sensitiveTags ? 1 : 0,
        scope_epoch: 1,
        active: 1,
        created_at: at,
      })
      .execute()
    await record(trx, {
      userId: admin.id,
      action: 'user_create',
      subject: { type: 'user', id },
      details: { username: req.username, name: req.name, role: req.role, sensitiveTags: req.sensitiveTags },
      at,
    })
    return getUser(trx, id)
  })
}

export async function patchUser(store: Store, admin: SessionUser, id: string, patch: PatchUserRequest, now = new Date()): Promise<AdminUser> {
  if (id === admin.id && (patch.active === false || (patch.role !== undefined && patch.role !== 'admin')))
    throw new AppError('VALIDATION_FAILED', 400, '不能停用自己的账号，也不能取消自己的管理员角色')
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const before = await getUser(trx, id)
    const changed: Record<string, { from: unknown; to: unknown }> = {}
    for (const key of ['name', 'role', 'sensitiveTags', 'active'] as const) {
      if (patch[key] !== undefined && patch[key] !== before[key]) changed[key] = { from: before[key], to: patch[key] }
    }
    if (Object.keys(changed).length === 0) return before
    // What pull returns depends on the role (scope) and the 政法 grant (redaction): a device must
    // start over, so the epoch moves.
    const scopeChanged = 'role' in changed || 'sensitiveTags' in changed
    await trx
      .updateTable('users')
      .set({
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.sensitiveTags !== undefined ? { sensitive_tags: patch.sensitiveTags ? 1 : 0 } : {}),
        ...(patch.active !== undefined ? { active: patch.active ? 1 : 0 } : {}),
        ...(scopeChanged ? { scope_epoch: (eb) => eb('scope_epoch', '+', 1) } : {}),
      })
      .where('id', '=', id)
      .execute()
    // A worker who becomes community-wide keeps no grid cells of their own.
    if (changed.role && patch.role !== 'worker') await closeAssignments(trx, admin, id, before.gridIds, at)
    if (patch.active === false) await endSessions(trx, id)
    await record(trx, { userId: admin.id, action: 'user_update', subject: { type: 'user', id }, details: { username: before.username, changed }, at })
    return getUser(trx, id)
  })
}

export async function resetPassword(store: Store, admin: SessionUser, id: string, password: string, now = new Date()): Promise<void> {
  const passwordHash = await hashPassword(password)
  await store.transaction().execute(async (trx) => {
    const user = await getUser(trx, id)
    await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute()
    await endSessions(trx, id)
    await record(trx, { userId: admin.id, action: 'password_reset', subject: { type: 'user', id }, details: { username: user.username }, at: now.toISOString() })
  })
}

async function closeAssignments(trx: Transaction<Database>, admin: SessionUser, userId: string, gridIds: string[], at: string): Promise<void> {
  for (const gridId of gridIds) {
    await trx
      .updateTable('grid_assignments')
      .set({ unassigned_at: at })
      .where('user_id', '=', userId)
      .where('grid_id', '=', gridId)
      .where('unassigned_at', 'is', null)
      .execute()
    await record(trx, { userId: admin.id, action: 'unassign_grid', subject: { type: 'grid', id: gridId }, details: { workerId: userId }, at })
  }
  if (gridIds.length > 0) await trx.updateTable('users').set((eb) => ({ scope_epoch: eb('scope_epoch', '+', 1) })).where('id', '=', userId).execute()
}

/** Sets the worker's grid cells to exactly `gridIds`. A cell has one worker at a time: a cell taken
 *  from another worker is closed for them. Closed assignments keep their history (unassigned_at),
 *  so visits made while assigned are still accepted. Every worker whose cells change gets a new
 *  scope epoch: their next pull answers reset and their device re-pulls, keeping its outbox. */
export async function setGrids(store: Store, admin: SessionUser, id: string, gridIds: string[], now = new Date()): Promise<AdminUser> {
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const user = await getUser(trx, id)
    if (user.role !== 'worker') throw new AppError('VALIDATION_FAILED', 400, '只有网格员可以分配网格')
    if (gridIds.length > 0) {
      const known = await trx.selectFrom('grid_cells').select('id').where('id', 'in', gridIds).where('deleted', '=', 0).execute()
      const missing = gridIds.filter((g) => !known.some((k) => k.id === g))
      if (missing.length > 0) throw new AppError('VALIDATION_FAILED', 400, `没有这个网格：${missing.join('、')}`, { gridIds: missing })
    }
    const toClose = user.gridIds.filter((g) => !gridIds.includes(g))
    const toOpen = gridIds.filter((g) => !user.gridIds.includes(g))
    await closeAssignments(trx, admin, id, toClose, at)
    for (const gridId of toOpen) {
      const holders = await trx
        .selectFrom('grid_assignments')
        .select('user_id')
        .where('grid_id', '=', gridId)
        .where('unassigned_at', 'is', null)
        .where('user_id', '!=', id)
        .execute()
      for (const h of holders) await closeAssignments(trx, admin, h.user_id, [gridId], at)
      await trx.insertInto('grid_assignments').values({ user_id: id, grid_id: gridId, assigned_at: at, unassigned_at: null }).execute()
      await record(trx, { userId: admin.id, action: 'assign_grid', subject: { type: 'grid', id: gridId }, details: { workerId: id, from: holders.map((h) => h.user_id) }, at })
    }
    if (toOpen.length > 0) await trx.updateTable('users').set((eb) => ({ scope_epoch: eb('scope_epoch', '+', 1) })).where('id', '=', id).execute()
    return getUser(trx, id)
  })
}

/** The full ID number, for a role that needs it; every reveal is audited in the same transaction. */
export async function revealIdNumber(store: Store, user: SessionUser, residentId: string, now = new Date()): Promise<{ idNumber: string | null }> {
  return store.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('residents').select(['id', 'grid_id', 'household_id', 'id_number']).where('id', '=', residentId).where('deleted', '=', 0).executeTakeFirst()
    if (!row) throw new AppError('NOT_FOUND', 404, '没有这位居民')
    assertGridInScope(user, row.grid_id)
    await record(trx, {
      userId: user.id,
      action: 'reveal_id_number',
      subject: { type: 'resident', id: row.id },
      details: { householdId: row.household_id, gridId: row.grid_id },
      at: now.toISOString(),
    })
    return { idNumber: row.id_number }
  })
}
