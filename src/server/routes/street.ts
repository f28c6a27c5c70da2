import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { COMMUNITY_KEY, Id, NewCommunityRequest, NewCommunityResponse, StreetCaseStepRequest, StreetCaseStepResponse, StreetQuery } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { addCommunity } from '../services/communities'
import { streetCases, streetCaseStep, streetOverview } from '../services/street'

// The street office's own routes: no community route serves its staff (http.ts `auth: true`).
const STREET = ['street'] as const
const CaseOf = z.object({ community: z.string().regex(COMMUNITY_KEY), id: Id })

export function streetRoutes(app: FastifyInstance, { deployment, authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/street/overview', auth: STREET, query: StreetQuery }, async ({ user, query }) =>
    streetOverview(deployment, user, query),
  )
  route(app, authenticate, { method: 'GET', url: '/api/street/cases', auth: STREET }, async () => ({ cases: await streetCases(deployment) }))
  route(
    app,
    authenticate,
    { method: 'POST', url: '/api/street/cases/:community/:id/steps', auth: STREET, params: CaseOf, body: StreetCaseStepRequest, response: StreetCaseStepResponse },
    async ({ user, params, body }) => streetCaseStep(deployment, user, params.community, params.id, body),
  )
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
