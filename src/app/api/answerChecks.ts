import type { ApiError, Change, LoginResponse, MutationResult, MutationStatus, PullResponse, PushResponse, Role } from '../../domain'
import { ERROR_CODES } from '../../domain/errorCodes'
import type { ConflictNotice, ConflictPerson, MyConflictsResponse } from '../../domain/schemas/conflicts'

// The answers a new phone meets between the login screen and the home page, checked by hand
// rather than by their zod schemas (LoginResponse in src/domain/schemas/user.ts,
// MyConflictsResponse in src/domain/schemas/conflicts.ts, and a refusal's ErrorBody in
// src/domain/errors.ts — a mistyped password is on the way too): zod is ~27 KB gzipped, and
// these would be the only reason to download it before the home page shows. The server is our own,
// so these check what the app relies on — every field there, of the right kind — but not every
// format (a UUID, a length): enough that a wrong answer (an old server, a proxy's page) is refused
// in words instead of breaking the app later. What they refuse the schema refuses too, and what
// they pass comes out as the schema would give it (unknown fields left behind, defaults filled).
// Push and pull answers are checked here too: the engine runs on the home page, and a pull page is
// the hottest path (issue 11), so its envelope and each change's frame are checked, never the
// records inside (the server parsed them with their schemas).
// Keep them in step with the schemas: tests/api/answerChecks.test.ts holds both to the same answers.

const ROLES = ['worker', 'secretary', 'admin', 'street', 'street_admin'] as const satisfies readonly Role[]
// Fails to compile when the schema gains a role this list lacks.
const everyRole: readonly (typeof ROLES)[number][] = [] as Role[]
void everyRole

type Fields = Record<string, unknown>

function object(v: unknown, at: string): Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(v === undefined ? `缺少 ${at}` : `${at} 应是对象`)
  return v as Fields
}

function list(v: unknown, at: string): unknown[] {
  if (!Array.isArray(v)) throw new Error(v === undefined ? `缺少 ${at}` : `${at} 应是列表`)
  return v
}

function string(v: unknown, at: string): string {
  if (typeof v !== 'string') throw new Error(v === undefined ? `缺少 ${at}` : `${at} 应是文字`)
  return v
}

function text(v: unknown, at: string): string {
  if (string(v, at) === '') throw new Error(`${at} 不能为空`)
  return v as string
}

function boolean(v: unknown, at: string): boolean {
  if (typeof v !== 'boolean') throw new Error(v === undefined ? `缺少 ${at}` : `${at} 应是 true 或 false`)
  return v
}

function instant(v: unknown, at: string): string {
  if (Number.isNaN(Date.parse(text(v, at)))) throw new Error(`${at} 应是时间`)
  return v as string
}

const orNull = <T>(v: unknown, at: string, check: (v: unknown, at: string) => T): T | null => (v === null ? null : check(v, at))

/** The answer of POST /api/auth/login, or an Error naming the first field that is wrong. */
export function checkLoginResponse(body: unknown): LoginResponse {
  const b = object(body, '回答')
  const token = string(b.token, 'token')
  const expiresAt = string(b.expiresAt, 'expiresAt')
  const u = object(b.user, 'user')
  const id = text(u.id, 'user.id')
  const username = text(u.username, 'user.username')
  const name = text(u.name, 'user.name')
  const role = text(u.role, 'user.role')
  if (!(ROLES as readonly string[]).includes(role)) throw new Error(`user.role 应是 ${ROLES.join(' / ')} 之一`)
  const gridIds = list(u.gridIds, 'user.gridIds').map((g, i) => text(g, `user.gridIds[${i}]`))
  const sensitiveTags = boolean(u.sensitiveTags, 'user.sensitiveTags')
  const community = u.community === undefined ? undefined : text(u.community, 'user.community')
  return { token, expiresAt, user: { id, username, name, role: role as Role, gridIds, sensitiveTags, ...(community === undefined ? {} : { community }) } }
}

function person(v: unknown, at: string): ConflictPerson {
  const p = object(v, at)
  return { id: text(p.id, `${at}.id`), name: string(p.name, `${at}.name`) }
}

function notice(v: unknown, at: string): ConflictNotice {
  const n = object(v, at)
  const id = n.id
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) throw new Error(id === undefined ? `缺少 ${at}.id` : `${at}.id 应是正整数`)
  return {
    id,
    householdId: text(n.householdId, `${at}.householdId`),
    residentNameMasked: n.residentNameMasked === undefined ? null : orNull(n.residentNameMasked, `${at}.residentNameMasked`, string),
    field: string(n.field, `${at}.field`),
    mine: n.mine,
    mineAt: orNull(n.mineAt, `${at}.mineAt`, instant),
    standing: n.standing,
    by: orNull(n.by, `${at}.by`, person),
    at: orNull(n.at, `${at}.at`, instant),
    settled: boolean(n.settled, `${at}.settled`),
  }
}

/** The answer of GET /api/conflicts/mine (a user's own values that did not stand), or an Error
 *  naming the first field that is wrong. */
export function checkMyConflictsResponse(body: unknown): MyConflictsResponse {
  return { notices: list(object(body, '回答').notices, 'notices').map((n, i) => notice(n, `notices[${i}]`)) }
}

/** The error of a refusal ({ error: { code, message, details? } }, ErrorBody), or undefined when
 *  the body is not one (a proxy's page, an old server): the caller then says the status. */
export function readApiError(body: unknown): ApiError | undefined {
  const e = typeof body === 'object' && body !== null ? (body as Fields).error : undefined
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return undefined
  const { code, message, details } = e as Fields
  if (!(ERROR_CODES as readonly unknown[]).includes(code) || typeof message !== 'string') return undefined
  return { code: code as ApiError['code'], message, ...(details !== undefined ? { details } : {}) }
}

const STATUSES = ['applied', 'duplicate', 'rejected', 'conflict'] as const satisfies readonly MutationStatus[]
const everyStatus: readonly (typeof STATUSES)[number][] = [] as MutationStatus[]
void everyStatus

function integer(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(v === undefined ? `缺少 ${at}` : `${at} 应是整数`)
  return v
}

function result(v: unknown, at: string): MutationResult {
  const r = object(v, at)
  const status = string(r.status, `${at}.status`)
  if (!(STATUSES as readonly string[]).includes(status)) throw new Error(`${at}.status 应是 ${STATUSES.join(' / ')} 之一`)
  const error = r.error === undefined ? undefined : readApiError({ error: r.error })
  if (r.error !== undefined && !error) throw new Error(`${at}.error 应是 { code, message }`)
  return {
    mutationId: text(r.mutationId, `${at}.mutationId`),
    status: status as MutationStatus,
    ...(r.version === undefined ? {} : { version: integer(r.version, `${at}.version`) }),
    ...(error ? { error } : {}),
  }
}

/** The answer of POST /api/sync/push (PushResponse), or an Error naming the first field that is wrong. */
export function checkPushResponse(body: unknown): PushResponse {
  return { results: list(object(body, '回答').results, 'results').map((r, i) => result(r, `results[${i}]`)) }
}

/** A change's frame; its record (`data`) is the server's, parsed there, and goes on unread. */
function change(v: unknown, at: string): Change {
  const c = object(v, at)
  const data = c.data === null ? null : object(c.data, `${at}.data`)
  return { entity: text(c.entity, `${at}.entity`) as Change['entity'], id: text(c.id, `${at}.id`), version: integer(c.version, `${at}.version`), deleted: boolean(c.deleted, `${at}.deleted`), data }
}

/** The answer of GET /api/sync/pull (PullResponse): the envelope and each change's frame, not the
 *  records. Returns the body itself (no copy of a page of up to 2000 records), or throws an Error
 *  naming the first field that is wrong. */
export function checkPullResponse(body: unknown): PullResponse {
  const b = object(body, '回答')
  if (b.reset !== undefined) {
    if (b.reset !== true) throw new Error('reset 应是 true')
    return { reset: true }
  }
  list(b.changes, 'changes').forEach((c, i) => change(c, `changes[${i}]`))
  string(b.cursor, 'cursor')
  boolean(b.hasMore, 'hasMore')
  if (b.total !== undefined && (integer(b.total, 'total') < 0)) throw new Error('total 不能为负')
  if (b.visitsFrom !== undefined) string(b.visitsFrom, 'visitsFrom')
  if (b.snapshot !== undefined && b.snapshot !== true) throw new Error('snapshot 应是 true')
  if (b.cellsLeft !== undefined) list(b.cellsLeft, 'cellsLeft').forEach((c, i) => object(c, `cellsLeft[${i}]`))
  return b as PullResponse
}
