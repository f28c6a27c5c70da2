import { createHash, randomBytes } from 'node:crypto'
import type { LoginResponse, User } from '../../domain'
import { AppError } from '../http'
import type { Store } from '../store/open'
import { currentGridIds } from './scope'
import { DUMMY_HASH, verifyPassword } from './passwords'

export const SESSION_DAYS = 30

export interface SessionUser extends User {
  scopeEpoch: number
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex')

export async function loadUser(store: Store, userId: string): Promise<SessionUser | null> {
  const row = await store.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    username: row.username,
    name: row.name,
    role: row.role as User['role'],
    gridIds: await currentGridIds(store, row.id),
    sensitiveTags: row.sensitive_tags === 1,
    scopeEpoch: row.scope_epoch,
  }
}

export function publicUser(user: SessionUser): User {
  const { scopeEpoch: _omit, ...rest } = user
  return rest
}

export async function login(store: Store, username: string, password: string, now = new Date()): Promise<LoginResponse> {
  const row = await store.selectFrom('users').select(['id', 'password_hash']).where('username', '=', username).executeTakeFirst()
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH)
  if (!row || !ok) throw new AppError('BAD_CREDENTIALS', 401, '用户名或密码不对')
  // Random token to the client; only its hash is stored, so a leaked database holds no usable session.
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000).toISOString()
  await store
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: row.id, created_at: now.toISOString(), expires_at: expiresAt })
    .execute()
  const user = await loadUser(store, row.id)
  if (!user) throw new AppError('BAD_CREDENTIALS', 401, '用户名或密码不对')
  return { token, expiresAt, user: publicUser(user) }
}

export async function authenticateToken(store: Store, header: string | undefined, now = new Date()): Promise<SessionUser> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  if (!match) throw new AppError('UNAUTHORIZED', 401, '请先登录')
  const session = await store
    .selectFrom('sessions')
    .select(['user_id', 'expires_at'])
    .where('token_hash', '=', hashToken(match[1]!))
    .executeTakeFirst()
  if (!session || session.expires_at <= now.toISOString()) throw new AppError('UNAUTHORIZED', 401, '登录已过期，请重新登录')
  const user = await loadUser(store, session.user_id)
  if (!user) throw new AppError('UNAUTHORIZED', 401, '账号不存在，请重新登录')
  return user
}

export async function logout(store: Store, header: string | undefined): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '')
  if (match) await store.deleteFrom('sessions').where('token_hash', '=', hashToken(match[1]!)).execute()
}
