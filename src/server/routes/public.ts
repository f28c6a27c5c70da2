import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Deps } from '../deps'
import { z } from 'zod'
import { AppError } from '../appError'
import { route } from '../http'
import { MAIN_COMMUNITY } from '../store/directory'
import { COMMUNITY_KEY } from '../../domain/constants'
import { fixedWindowLimit } from '../publicRateLimit'
import { cachedPublicCommunityView } from '../services/publicPage'

// 公开 (docs/public.md): the page a community prints on its notice boards, for residents, with
// no login. Read-only (GET only: any other method is an unknown route), limited per address, and
// it takes no credentials at all: a request carrying a token is refused, so no logged-in view of
// the data can ever be cached or shared under the public address.

const PER_MINUTE = 120

/** Which community's page: `?community=<key>` (the QR code of a community other than the first
 *  carries it); none is the deployment's first community. The street office has no page. */
const PublicQuery = z.object({ community: z.string().regex(COMMUNITY_KEY, { error: '社区代码不正确' }).optional() })

export function publicRoutes(app: FastifyInstance, { deployment }: Deps, opts: { page: boolean }): void {
  const limit = fixedWindowLimit(deployment.main, PER_MINUTE)
  // A request with credentials is refused before it is counted: it writes nothing.
  const guard = async (req: FastifyRequest) => {
    if (req.headers.authorization !== undefined) throw new AppError('BAD_REQUEST', '公开页面不用登录，请求里不能带登录凭据')
    await limit.take(req.ip)
  }
  const noLogin = () => Promise.reject(new AppError('UNAUTHORIZED', '公开页面不用登录'))

  route(app, noLogin, { method: 'GET', url: '/api/public/community', auth: false, query: PublicQuery }, async ({ req, reply, query }) => {
    await guard(req)
    const key = query.community ?? MAIN_COMMUNITY
    if (deployment.communities().find((c) => c.key === key)?.kind === 'street') throw new AppError('NOT_FOUND', '没有这个社区')
    const store = await deployment.storeOf(key)
    // A minute old is fresh enough for a notice board, and spares the server a crowd.
    void reply.header('cache-control', 'public, max-age=60')
    return cachedPublicCommunityView(store)
  })

  // The page itself (dist/public.html, built from src/public/), when the app is served.
  if (opts.page)
    app.get('/public', async (req, reply) => {
      await guard(req)
      return reply.header('cache-control', 'no-cache').sendFile('public.html')
    })
}
