import { PullResponse, PushResponse } from '../../domain'
import type { FastifyInstance } from 'fastify'
import { PullQuery, PushRequest } from '../../domain'
import { PULL_NEXT_HEADER } from '../../domain/constants'
import type { Deps } from '../deps'
import { route } from '../http'
import { pull } from '../services/pull'
import { push } from '../services/push'

export function syncRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/sync/pull', auth: true, query: PullQuery, response: PullResponse }, async ({ store, user, query, reply }) => {
    const answer = await pull(store, user, query.cursor, query.limit, { count: query.count === '1' })
    if ('changes' in answer && answer.hasMore) reply.header(PULL_NEXT_HEADER, answer.cursor)
    return answer
  })

  route(
    app,
    authenticate,
    { method: 'POST', url: '/api/sync/push', auth: true, body: PushRequest, bodyLimit: 8 * 1024 * 1024, response: PushResponse },
    async ({ store, user, body }) => ({ results: await push(store, user, body) }),
  )
}
