import type { Transaction } from 'kysely'
import { type Role, uuidv7 } from '../../domain'
import type { AdminUser, CreateUserRequest, PatchUserRequest } from '../../domain/schemas/admin'
import type { Deployment } from '../deployment'
import { AppError } from '../appError'
import type { Store } from '../store/open'
import { findResidentIdNumber } from '../store/residents'
import type { Database } from '../store/schema'
import {
  activeAssignments,
  activeGridIdsOf,
  allUsers,
  bumpScopeEpoch,
  closeAssignment,
  findUserById,
  insertUser,
  liveGridCellIds,
  openAssignment,
  otherHoldersOf,
  setPasswordHash,
  updateUser,
  usernameTaken,
  type UserRow,
} from '../store/users'
import { record } from './audit'
import { endSessions, type SessionUser } from './auth'
import { assertGridInScope } from './scope'
import { hashPassword } from './passwords'

// The admin manages accounts and grid assignments. Every change is audited in its own transaction.

type Db = Store | Transaction<Database>

/** An account as a community's admin makes it, or the street office's (streetStaff.ts): the same
 *  rules, with the roles each may give. */
type AccountRequest = Omit<CreateUserRequest, 'role'> & { role: Role }
type AccountPatch = Omit<PatchUserRequest, 'role'> & { role?: Role }

async function gridsByUser(db: Db): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>()
  for (const r of await activeAssignments(db)) map.set(r.userId, [...(map.get(r.userId) ?? []), r.gridId])
  return map
}

function toAdminUser(row: UserRow, gridIds: string[]): AdminUser {
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role as AdminUser['role'],
    gridIds,
    sensitiveTags: row.sensitiveTags,
    active: row.active,
    createdAt: row.createdAt,
  }
}

export async function listUsers(store: Store): Promise<AdminUser[]> {
  const rows = await allUsers(store)
  const grids = await gridsByUser(store)
  return rows.map((r) => toAdminUser(r, grids.get(r.id) ?? []))
}

async function getUser(db: Db, id: string): Promise<AdminUser> {
  const row = await findUserById(db, id)
  if (!row) throw new AppError('NOT_FOUND', '没有这个用户')
  return toAdminUser(row, await activeGridIdsOf(db, id))
}

/** `deployment`: usernames are unique across every community of it (login asks for nothing
 *  else), so the name is claimed in its directory first, and given back if the account is not made. */
export async function createUser(store: Store, admin: SessionUser, req: AccountRequest, now = new Date(), deployment?: Deployment): Promise<AdminUser> {
  const passwordHash = await hashPassword(req.password)
  const id = uuidv7()
  const at = now.toISOString()
  const release = deployment ? await deployment.claimUsername(req.username, admin.community) : async () => undefined
  try {
    return await store.transaction().execute(async (trx) => {
      if (await usernameTaken(trx, req.username)) throw new AppError('ID_TAKEN', `用户名“${req.username}”已被使用`)
      await insertUser(trx, { id, username: req.username, name: req.name, role: req.role, passwordHash, sensitiveTags: req.sensitiveTags, createdAt: at })
      await record(trx, {
        userId: admin.id,
        action: 'user_create',
        subject: { type: 'user', id },
        details: { username: req.username, name: req.name, role: req.role, sensitiveTags: req.sensitiveTags },
        at,
      })
      return getUser(trx, id)
    })
  } catch (err) {
    await release()
    throw err
  }
}

export async function patchUser(store: Store, admin: SessionUser, id: string, patch: AccountPatch, now = new Date()): Promise<AdminUser> {
  if (id === admin.id && (patch.active === false || (patch.role !== undefined && patch.role !== admin.role)))
    throw new AppError('VALIDATION_FAILED', '不能停用自己的账号，也不能取消自己的管理员角色')
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
    await updateUser(trx, id, patch, scopeChanged)
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
    await setPasswordHash(trx, id, passwordHash)
    await endSessions(trx, id)
    await record(trx, { userId: admin.id, action: 'password_reset', subject: { type: 'user', id }, details: { username: user.username }, at: now.toISOString() })
  })
}

async function closeAssignments(trx: Transaction<Database>, admin: SessionUser, userId: string, gridIds: string[], at: string): Promise<void> {
  for (const gridId of gridIds) {
    await closeAssignment(trx, userId, gridId, at)
    await record(trx, { userId: admin.id, action: 'unassign_grid', subject: { type: 'grid', id: gridId }, details: { workerId: userId }, at })
  }
  if (gridIds.length > 0) await bumpScopeEpoch(trx, userId)
}

/** Sets the worker's grid cells to exactly `gridIds`. A cell has one worker at a time: a cell taken
 *  from another worker is closed for them. Closed assignments keep their history (unassigned_at),
 *  so visits made while assigned are still accepted. Every worker whose cells change gets a new
 *  scope epoch: their next pull answers reset and their device re-pulls, keeping its outbox. */
export async function setGrids(store: Store, admin: SessionUser, id: string, gridIds: string[], now = new Date()): Promise<AdminUser> {
  const at = now.toISOString()
  return store.transaction().execute(async (trx) => {
    const user = await getUser(trx, id)
    if (user.role !== 'worker') throw new AppError('VALIDATION_FAILED', '只有网格员可以分配网格')
    if (gridIds.length > 0) {
      const known = await liveGridCellIds(trx, gridIds)
      const missing = gridIds.filter((g) => !known.includes(g))
      if (missing.length > 0) throw new AppError('VALIDATION_FAILED', `没有这个网格：${missing.join('、')}`, { gridIds: missing })
    }
    const toClose = user.gridIds.filter((g) => !gridIds.includes(g))
    const toOpen = gridIds.filter((g) => !user.gridIds.includes(g))
    await closeAssignments(trx, admin, id, toClose, at)
    for (const gridId of toOpen) {
      const holders = await otherHoldersOf(trx, gridId, id)
      for (const h of holders) await closeAssignments(trx, admin, h, [gridId], at)
      await openAssignment(trx, id, gridId, at)
      await record(trx, { userId: admin.id, action: 'assign_grid', subject: { type: 'grid', id: gridId }, details: { workerId: id, from: holders }, at })
    }
    if (toOpen.length > 0) await bumpScopeEpoch(trx, id)
    return getUser(trx, id)
  })
}

/** The full ID number, for a role that needs it; every reveal is audited in the same transaction. */
export async function revealIdNumber(store: Store, user: SessionUser, residentId: string, now = new Date()): Promise<{ idNumber: string | null }> {
  return store.transaction().execute(async (trx) => {
    const row = await findResidentIdNumber(trx, residentId)
    if (!row) throw new AppError('NOT_FOUND', '没有这位居民')
    assertGridInScope(user, row.gridId)
    await record(trx, {
      userId: user.id,
      action: 'reveal_id_number',
      subject: { type: 'resident', id: row.id },
      details: { householdId: row.householdId, gridId: row.gridId },
      at: now.toISOString(),
    })
    return { idNumber: row.idNumber }
  })
}
