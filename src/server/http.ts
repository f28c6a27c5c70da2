import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { type ErrorCode, Role } from '../domain'
import { AppError, ERROR_STATUS, parseWith } from './appError'
import { API_HEADERS } from './securityHeaders'
import type { SessionUser } from './services/auth'
import type { Store } from './store/open'

/** Who may call a route: false for public routes, true for anyone logged in to a community (a
 *  worker, secretary or admin: not the street office, whose routes name it), or a list of roles. */
type RouteAuth = false | true | readonly Role[]

interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType, A extends RouteAuth, R extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  auth: A
  body?: B
  query?: Q
  params?: P
  bodyLimit?: number
  /** The answer's schema (src/domain/schemas, the one the app checks it with): types what the
   *  handler returns, and under test every answer is checked against it (not in production: the
   *  types hold it there, and a pull page is not parsed twice). */
  response?: R
}

interface RouteContext<B, Q, P, A extends RouteAuth> {
  body: B
  query: Q
  params: P
  /** The caller: always there on a route with auth (route() refused the request otherwise),
   *  null on a public one. */
  user: A extends false ? null : SessionUser
  /** The logged-in user's community's store: every read and write of the route goes there, so a
   *  route cannot reach another community's records. A public route (auth: false) has none and
   *  names its community itself; reading this there throws. */
  store: Store
  req: FastifyRequest
  reply: FastifyReply
}

/** Who is calling, and their community's store. */
export type Authenticate = (req: FastifyRequest) => Promise<{ user: SessionUser; store: Store }>

const COMMUNITY_ROLES: readonly Role[] = ['worker', 'secretary', 'admin']
/** Every role, the street office's too: logging out, who am I. */
export const ANY_ROLE: readonly Role[] = Role.options

/** A public route's context has no store of a logged-in user's community. */
const NO_STORE = {
  get store(): Store {
    throw new Error('a public route names its community; it has no logged-in store')
  },
}

const CHECK_ANSWERS = process.env.NODE_ENV === 'test'

/** An answer that breaks its route's schema is a bug of ours: a 500 under test, naming the field. */
function checkAnswer(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType, RouteAuth, z.ZodType>, answer: unknown): void {
  const r = spec.response!.safeParse(answer)
  if (r.success) return
  const i = r.error.issues[0]
  throw new Error(`the answer of ${spec.method} ${spec.url} breaks its schema: ${i?.path.join('.')}: ${i?.message}`)
}

/** Declares a route with its zod schemas: input is parsed (never trusted) before the handler runs. */
export function route<
  A extends RouteAuth,
  B extends z.ZodType = z.ZodUnknown,
  Q extends z.ZodType = z.ZodUnknown,
  P extends z.ZodType = z.ZodUnknown,
  R extends z.ZodType = z.ZodUnknown,
>(
  app: FastifyInstance,
  authenticate: Authenticate,
  spec: RouteSpec<B, Q, P, A, R>,
  handler: (ctx: RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>, A>) => Promise<z.input<R>>,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    handler: async (req, reply) => {
      let user: SessionUser | null = null
      let store: Store | null = null
      const auth: RouteAuth = spec.auth // a generic does not narrow; its widened type does
      if (auth !== false) {
        ;({ user, store } = await authenticate(req))
        const allowed = auth === true ? COMMUNITY_ROLES : auth
        if (!allowed.includes(user.role)) throw new AppError('FORBIDDEN', '你的角色不能做这件事')
      }
      const body = spec.body ? parseWith(spec.body, req.body, '提交的内容') : req.body
      const query = spec.query ? parseWith(spec.query, req.query, '查询参数') : req.query
      const params = spec.params ? parseWith(spec.params, req.params, '地址参数') : req.params
      const ctx = store ? { body, query, params, user, store, req, reply } : Object.assign(Object.create(NO_STORE) as object, { body, query, params, user, req, reply })
      const answer = await handler(ctx as RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>, A>)
      if (spec.response && CHECK_ANSWERS) checkAnswer(spec, answer)
      return answer
    },
  })
}

/** Fastify's own 4xx, by its error code: what we answer instead, in the one shape (the status
 *  is the code's, from the one table). */
const FRAMEWORK_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA', message: '不支持这种内容类型，请用 JSON 提交' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'BAD_REQUEST', message: '请求的长度和内容不一致' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'BAD_REQUEST', message: '请求内容是空的' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'BAD_REQUEST', message: '请求内容不是有效的 JSON' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'PAYLOAD_TOO_LARGE', message: '提交的内容太大' },
  FST_ERR_BAD_URL: { code: 'BAD_REQUEST', message: '地址格式不正确' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'BAD_REQUEST', message: '地址格式不正确' },
}

function known(fastifyCode: string): { code: ErrorCode; status: number; message: string } {
  const answer = FRAMEWORK_ERRORS[fastifyCode]!
  return { ...answer, status: ERROR_STATUS[answer.code] }
}

function frameworkAnswer(err: FastifyError): { code: ErrorCode; status: number; message: string } {
  if (err.code && FRAMEWORK_ERRORS[err.code]) return known(err.code)
  // JSON.parse's SyntaxError, raised by the body parser without a Fastify code.
  if (err instanceof SyntaxError) return known('FST_ERR_CTP_INVALID_JSON_BODY')
  const status = err.statusCode ?? 500
  if (status === 413) return known('FST_ERR_CTP_BODY_TOO_LARGE')
  if (status === 415) return known('FST_ERR_CTP_INVALID_MEDIA_TYPE')
  if (status === 429) return { code: 'RATE_LIMITED', status, message: '请求太频繁，请稍后再试' }
  // Any other 4xx Fastify raises keeps its own status, answered in the one shape.
  return { code: 'BAD_REQUEST', status, message: '请求格式不正确' }
}

/** Maps every error to {error: {code, message, details?}}; 5xx details stay in the log. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      const retryAfter = (err.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter))
      return reply.status(err.statusCode).send({ error: err.toJSON() })
    }
    const status = err.statusCode ?? 500
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error')
      return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器出错了，请稍后再试' } })
    }
    const answer = frameworkAnswer(err)
    return reply.status(answer.status).send({ error: { code: answer.code, message: answer.message } })
  })
}

/** Errors Fastify raises before routing (a malformed %-escape in the path): the same shape. */
export function frameworkErrors(err: FastifyError, _req: FastifyRequest, reply: FastifyReply): void {
  const answer = frameworkAnswer(err)
  // Sent before any hook could add them.
  void reply.headers(API_HEADERS).status(answer.status).send({ error: { code: answer.code, message: answer.message } })
}

/** What the HTTP parser refuses before Fastify sees a request (headers too large, garbage on
 *  the wire): written straight to the socket, still in the one shape. */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return void socket.destroy()
  const status = err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const message = status === 431 ? '请求头太大' : status === 408 ? '请求超时' : '请求格式不正确'
  const body = JSON.stringify({ error: { code: 'BAD_REQUEST' satisfies ErrorCode, message } })
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      'X-Content-Type-Options: nosniff\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  )
}
