import type { FastifyInstance } from 'fastify'
import { NewCommunityRequest, NewCommunityResponse, StreetQuery } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { addCommunity } from '../services/communities'
import { streetCases, streetOverview } from '../services/street'

// The street office's own routes: no community route serves its staff (http.ts `auth: true`).
const STREET = ['street'] as const

export function streetRoutes(app: FastifyInstance, { deployment, authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/street/overview', auth: STREET, query: StreetQuery }, async ({ user, query }) =>
    streetOverview(deployment, user, query),
  )
  route(app, authenticate, { method: 'GET', url: '/api/street/cases', auth: STREET }, async () => ({ cases: await streetCases(deployment) }))
  route(
    app,
    authenticate,
    { method: 'POST', url: '/api/street/communities', auth: STREET, body: NewCommunityRequest, response: NewCommunityResponse },
    async ({ user, body, reply }) => {
      void reply.status(201) // returned, not sent: the answer is checked against its schema
      return addCommunity(deployment, user, body)
    },
  )
}
