import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import {
  COMMUNITY_KEY,
  Id,
  NewCommunityRequest,
  NewCommunityResponse,
  NewStreetStaffRequest,
  PatchStreetStaffRequest,
  StreetCaseStepRequest,
  StreetCaseStepResponse,
  STREET_ROLES,
  StreetQuery,
  StreetStaffMember,
  StreetStaffResponse,
} from '../../domain'
import { ResetPasswordRequest } from '../../domain/schemas/admin'
import type { Deps } from '../deps'
import { route } from '../http'
import { addCommunity } from '../services/communities'
import { streetCases, streetCaseStep, streetOverview } from '../services/street'
import { addStreetStaff, listStreetStaff, patchStreetStaff, resetStreetStaffPassword } from '../services/streetStaff'

// The street office's own routes: no community route serves its staff (http.ts `auth: true`).
const STREET = STREET_ROLES
/** Adding a community and keeping the street office's accounts: its admin's. */
const STREET_ADMIN = ['street_admin'] as const
const StaffOf = z.object({ id: Id })
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
    { method: 'POST', url: '/api/street/communities', auth: STREET_ADMIN, body: NewCommunityRequest, response: NewCommunityResponse },
    async ({ user, body, reply }) => {
      void reply.status(201) // returned, not sent: the answer is checked against its schema
      return addCommunity(deployment, user, body)
    },
  )

  route(app, authenticate, { method: 'GET', url: '/api/street/staff', auth: STREET_ADMIN, response: StreetStaffResponse }, async ({ user }) => listStreetStaff(deployment, user))
  route(app, authenticate, { method: 'POST', url: '/api/street/staff', auth: STREET_ADMIN, body: NewStreetStaffRequest, response: StreetStaffMember }, async ({ user, body, reply }) => {
    void reply.status(201) // returned, not sent: the answer is checked against its schema
    return addStreetStaff(deployment, user, body)
  })
  route(
    app,
    authenticate,
    { method: 'PATCH', url: '/api/street/staff/:id', auth: STREET_ADMIN, params: StaffOf, body: PatchStreetStaffRequest, response: StreetStaffMember },
    async ({ user, params, body }) => patchStreetStaff(deployment, user, params.id, body),
  )
  route(
    app,
    authenticate,
    { method: 'POST', url: '/api/street/staff/:id/password', auth: STREET_ADMIN, params: StaffOf, body: ResetPasswordRequest },
    async ({ user, params, body, reply }) => {
      await resetStreetStaffPassword(deployment, user, params.id, body.password)
      return reply.status(204).send()
    },
  )
}
