import { createHash, randomBytes } from 'node:crypto'
import type { Transaction } from 'kysely'
import type { LoginResponse, User } from '../../domain'
import type { Deployment } from '../deployment'
import { AppError } from '../appError'
import { MAIN_COMMUNITY } from '../store/directory'
import type { Store } from '../store/open'
import type { Database } from '../store/schema'
import { deleteSession, deleteUserSessions, findSession, insertSession } from '../store/sessions'
import { activeGridIdsOf, findCredentials, findUserById } from '../store/users'
import { record } from './audit'
import { DUMMY_HASH, verifyPassword } from './passwords'

export const SESSION_DAYS = 30

export interface SessionUser extends User {
  scopeEpoch: number
  /** The community (directory key) whose store holds this user; the street office's for street staff. */
  community: string
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export async function loadUser(store: Store, userId: string, community = MAIN_COMMUNITY): Promise<SessionUser | null> {
  const row = await findUserById(store, userId)
  // A deactivated account is treated as absent: its tokens stop working at once.
  if (!row || !row.active) return null
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role as User['role'],
    gridIds: await activeGridIdsOf(store, row.id),
    sensitiveTags: row.sensitiveTags,
    scopeEpoch: row.scopeEpoch,
    community,
  }
}

export function publicUser(user: SessionUser): User {
  const { scopeEpoch: _omit, ...rest } = user
  return rest
}

/** A token names its community before the random part ("<key>.<random>"), so a request finds
 *  the store that holds its session; a forged prefix only finds no session there. A token
 *  without one (issued before there were several communities) is the main community's. */
function communityOfToken(token: string): string {
  const dot = token.indexOf('.')
  return dot < 0 ? MAIN_COMMUNITY : token.slice(0, dot)
}

export async function login(deployment: Deployment, username: string, password: string, now = new Date()): Promise<LoginResponse> {
  const community = await deployment.communityOf(username)
  const store = await deployment.storeOf(community)
  const row = await findCredentials(store, username)
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH)
  const at = now.toISOString()
  // Audited either way; the username tried is kept, the password never.
  if (!row || !ok) {
    await record(store, { userId: row?.id ?? null, action: 'login_failed', subject: row ? { type: 'user', id: row.id } : null, details: { username }, at })
    throw new AppError('BAD_CREDENTIALS', '用户名或密码不对')
  }
  if (!row.active) {
    await record(store, { userId: row.id, action: 'login_failed', subject: { type: 'user', id: row.id }, details: { username, reason: 'inactive' }, at })
    throw new AppError('FORBIDDEN', deployment.communities().find((c) => c.key === community)?.kind === 'street' ? '这个账号已停用，请联系街道管理员' : '这个账号已停用，请联系社区管理员')
  }
  // Random token to the client; only its hash is stored, so a leaked database holds no usable session.
  const token = `${community}.${randomBytes(32).toString('base64url')}`
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString()
  await store.transaction().execute(async (trx) => {
    await insertSession(trx, { tokenHash: hashToken(token), userId: row.id, createdAt: at, expiresAt })
    await record(trx, { userId: row.id, action: 'login', subject: { type: 'user', id: row.id }, details: { username }, at })
  })
  const user = await loadUser(store, row.id, community)
  if (!user) throw new AppError('BAD_CREDENTIALS', '用户名或密码不对')
  return { token, expiresAt, user: publicUser(user) }
}

/** Ends every session of a user (deactivation, password reset): their devices must log in again. */
export async function endSessions(db: Store | Transaction<Database>, userId: string): Promise<void> {
  await deleteUserSessions(db, userId)
}

export async function authenticateToken(deployment: Deployment, header: string | undefined, now = new Date()): Promise<{ user: SessionUser; store: Store }> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  if (!match) throw new AppError('UNAUTHORIZED', '请先登录')
  const token = match[1]!
  const community = communityOfToken(token)
  const store = await deployment.storeOf(community).catch(() => {
    throw new AppError('UNAUTHORIZED', '登录已过期，请重新登录')
  })
  const session = await findSession(store, hashToken(token))
  if (!session || session.expiresAt <= now.toISOString()) throw new AppError('UNAUTHORIZED', '登录已过期，请重新登录')
  const user = await loadUser(store, session.userId, community)
  if (!user) throw new AppError('UNAUTHORIZED', '账号不存在或已停用，请重新登录')
  return { user, store }
}

export async function logout(store: Store, header: string | undefined): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  if (match) await deleteSession(store, hashToken(match[1]!))
}
