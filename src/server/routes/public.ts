import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Deps } from '../app'
import { AppError, route } from '../http'
import { fixedWindowLimit } from '../publicRateLimit'
import { cachedPublicCommunityView } from '../services/publicPage'

// 公开 (docs/public.md): the page a community prints on its notice boards, for residents, with
// no login. Read-only (GET only: any other method is an unknown route), limited per address, and
// it takes no credentials at all: a request carrying a token is refused, so no logged-in view of
// the data can ever be cached or shared under the public address.

const PER_MINUTE = 120

export function publicRoutes(app: FastifyInstance, { store }: Deps, opts: { page: boolean }): void {
  const limit = fixedWindowLimit(PER_MINUTE)
  const guard = (req: FastifyRequest) => {
    limit.take(req.ip)
    if (req.headers.authorization !== undefined) throw new AppError('BAD_REQUEST', 400, '公开页面不用登录，请求里不能带登录凭据')
  }
  const noLogin = () => Promise.reject(new AppError('UNAUTHORIZED', 401, '公开页面不用登录'))

  route(app, noLogin, { method: 'GET', url: '/api/public/community', auth: false }, async ({ req, reply }) => {
    guard(req)
    // A minute old is fresh enough for a notice board, and spares the server a crowd.
    void reply.header('cache-control', 'public, max-age=60')
    return cachedPublicCommunityView(store)
  })

  // The page itself (dist/public.html, built from src/public/), when the app is served.
  if (opts.page)
    app.get('/public', async (req, reply) => {
      guard(req)
      return reply.header('cache-control', 'no-cache').sendFile('public.html')
    })
}
