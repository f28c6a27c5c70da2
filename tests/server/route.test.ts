import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest'
import { ErrorBody } from '../../src/domain'
import { AppError } from '../../src/server/appError'
import { installErrorHandler, route, type Authenticate } from '../../src/server/http'
import type { SessionUser } from '../../src/server/services/auth'
import type { Store } from '../../src/server/store/open'

// route() and AppError on their own, without a store: who a handler is handed, and the status
// and shape an error leaves with (the one table in appError.ts). The real app's routes are
// exercised by every other server test; this holds the contract they lean on.

const secretary: SessionUser = {
  id: '0190a000-0000-7000-8000-000000000001',
  username: 'secretary',
  name: '王书记',
  role: 'secretary',
  gridIds: [],
  sensitiveTags: false,
  scopeEpoch: 0,
  community: 'main',
}
// Whoever sends a token is the secretary; no token is refused as the real authenticate does.
const authenticate: Authenticate = async (req) => {
  if (!req.headers.authorization) throw new AppError('UNAUTHORIZED', '请先登录')
  return { user: secretary, store: {} as Store }
}

let app: FastifyInstance
let handled = 0
beforeAll(async () => {
  app = Fastify()
  installErrorHandler(app)
  route(app, authenticate, { method: 'GET', url: '/me', auth: true }, async ({ user }) => {
    // The type says what route() guarantees: no `user!` in a route with auth.
    expectTypeOf(user).toEqualTypeOf<SessionUser>()
    handled++
    return { id: user.id }
  })
  route(app, authenticate, { method: 'GET', url: '/admins', auth: ['admin'] }, async ({ user }) => {
    expectTypeOf(user).toEqualTypeOf<SessionUser>()
    handled++
    return { id: user.id }
  })
  route(app, authenticate, { method: 'GET', url: '/open', auth: false }, async ({ user }) => {
    expectTypeOf(user).toEqualTypeOf<null>()
    return { user }
  })
  route(app, authenticate, { method: 'GET', url: '/full', auth: true }, async () => {
    throw new AppError('NO_CAPACITY', '这一项本周已经约满', { capacity: 3 })
  })
  route(app, authenticate, { method: 'GET', url: '/slow-down', auth: false }, async () => {
    throw new AppError('RATE_LIMITED', '请稍后再试', { retryAfterSeconds: 30 })
  })
  await app.ready()
})
afterAll(() => app.close())

const get = (url: string, token = true) => app.inject({ method: 'GET', url, headers: token ? { authorization: 'Bearer t' } : {} })

describe('route()', () => {
  it('hands a route with auth its caller, and a public route nobody', async () => {
    expect((await get('/me')).json()).toEqual({ id: secretary.id })
    expect((await get('/open', false)).json()).toEqual({ user: null })
  })

  it('refuses a caller whose role the route does not name, or nobody, before the handler runs', async () => {
    const before = handled
    const forbidden = await get('/admins')
    expect(forbidden.statusCode).toBe(403)
    expect(ErrorBody.parse(forbidden.json()).error.code).toBe('FORBIDDEN')
    const anonymous = await get('/me', false)
    expect(anonymous.statusCode).toBe(401)
    expect(ErrorBody.parse(anonymous.json()).error.code).toBe('UNAUTHORIZED')
    expect(handled).toBe(before)
  })
})

describe('AppError', () => {
  it("answers with its code's status, in the one shape, details included", async () => {
    const res = await get('/full')
    expect(res.statusCode).toBe(409)
    expect(res.json()).toEqual({ error: { code: 'NO_CAPACITY', message: '这一项本周已经约满', details: { capacity: 3 } } })
  })

  it('says when to try again when it is told', async () => {
    const res = await get('/slow-down', false)
    expect(res.statusCode).toBe(429)
    expect(res.headers['retry-after']).toBe('30')
    expect(ErrorBody.parse(res.json()).error).toEqual({ code: 'RATE_LIMITED', message: '请稍后再试', details: { retryAfterSeconds: 30 } })
  })

  it('is answered inside a push result as its code and message alone (the status stays out)', () => {
    expect(new AppError('STALE', '已经变了').toJSON()).toEqual({ code: 'STALE', message: '已经变了' })
  })
})
