import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { ApiError, ErrorCode, Role } from '../domain'
import type { SessionUser } from './services/auth'

/** An error a service or route raises on purpose; the error handler turns it into the one shape. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly statusCode: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
  toJSON(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** zod issues as a readable Chinese sentence plus a list a client can point at fields with. */
export function validationError(error: z.ZodError, where: string): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  const first = issues[0]
  const message = first ? `${where}不正确：${first.path ? `${first.path}：` : ''}${first.message}` : `${where}不正确`
  return new AppError('VALIDATION_FAILED', 400, message, { issues })
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value)
  if (!r.success) throw validationError(r.error, where)
  return r.data
}

interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  url: string
  /** Who may call it: false for public routes, true for any logged-in user, or a list of roles. */
  auth: false | true | readonly Role[]
  body?: B
  query?: Q
  params?: P
  bodyLimit?: number
}

interface RouteContext<B, Q, P> {
  body: B
  query: Q
  params: P
  user: SessionUser | null
  req: FastifyRequest
  reply: FastifyReply
}

type Authenticate = (req: FastifyRequest) => Promise<SessionUser>

/** Declares a route with its zod schemas: input is parsed (never trusted) before the handler runs. */
export function route<B extends z.ZodType = z.ZodUnknown, Q extends z.ZodType = z.ZodUnknown, P extends z.ZodType = z.ZodUnknown>(
  app: FastifyInstance,
  authenticate: Authenticate,
  spec: RouteSpec<B, Q, P>,
  handler: (ctx: RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>>) => Promise<unknown>,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
    handler: async (req, reply) => {
      let user: SessionUser | null = null
      if (spec.auth !== false) {
        user = await authenticate(req)
        if (Array.isArray(spec.auth) && !spec.auth.includes(user.role))
          throw new AppError('FORBIDDEN', 403, '你的角色不能做这件事')
      }
      const body = spec.body ? parseWith(spec.body, req.body, '提交的内容') : req.body
      const query = spec.query ? parseWith(spec.query, req.query, '查询参数') : req.query
      const params = spec.params ? parseWith(spec.params, req.params, '地址参数') : req.params
      return handler({ body, query, params, user, req, reply } as RouteContext<z.infer<B>, z.infer<Q>, z.infer<P>>)
    },
  })
}

/** Maps every error to {error: {code, message, details?}}; 5xx details stay in the log. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      if (err.code === 'RATE_LIMITED') void reply.header('retry-after', '30')
      return reply.status(err.statusCode).send({ error: err.toJSON() })
    }
    const status = err.statusCode ?? 500
    if (status >= 500) {
      req.log.error({ err }, 'unhandled error')
      return reply.status(500).send({ error: { code: 'INTERNAL', message: '服务器出错了，请稍后再试' } })
    }
    if (status === 413) {
      return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: '提交的内容太大' } })
    }
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: '请求太频繁，请稍后再试' } })
    }
    // Fastify's own 4xx: unparsable JSON, wrong content type, empty body...
    return reply.status(status).send({
      error: { code: 'VALIDATION_FAILED', message: `请求格式不正确：${err.message}` },
    })
  })
}
