import { AdminUser, AdminUsersResponse } from '../../domain/schemas/admin'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Id } from '../../domain'
import { CreateUserRequest, PatchUserRequest, ResetPasswordRequest, SetGridsRequest } from '../../domain/schemas/admin'
import type { Deps } from '../deps'
import { route } from '../http'
import { createUser, listUsers, patchUser, resetPassword, revealIdNumber, setGrids } from '../services/admin'

const UserParams = z.object({ id: Id })
const ADMIN = ['admin'] as const

// Accounts and grid assignments: the admin only. The ID-number reveal: any logged-in role the
// service allows (a worker only in their own grid cells), always audited.
export function adminRoutes(app: FastifyInstance, { deployment, authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/admin/users', auth: ADMIN, response: AdminUsersResponse }, async ({ store }) => ({ users: await listUsers(store) }))

  route(app, authenticate, { method: 'POST', url: '/api/admin/users', auth: ADMIN, body: CreateUserRequest, response: AdminUser }, async ({ store, user, body, reply }) => {
    void reply.status(201) // returned, not sent: the answer is checked against its schema
    return createUser(store, user, body, new Date(), deployment)
  })

  route(app, authenticate, { method: 'PATCH', url: '/api/admin/users/:id', auth: ADMIN, params: UserParams, body: PatchUserRequest }, async ({ store, user, params, body }) =>
    patchUser(store, user, params.id, body),
  )

  route(
    app,
    authenticate,
    { method: 'POST', url: '/api/admin/users/:id/password', auth: ADMIN, params: UserParams, body: ResetPasswordRequest },
    async ({ store, user, params, body, reply }) => {
      await resetPassword(store, user, params.id, body.password)
      return reply.status(204).send()
    },
  )

  route(app, authenticate, { method: 'PUT', url: '/api/admin/users/:id/grids', auth: ADMIN, params: UserParams, body: SetGridsRequest }, async ({ store, user, params, body }) =>
    setGrids(store, user, params.id, body.gridIds),
  )

  route(app, authenticate, { method: 'GET', url: '/api/residents/:id/id-number', auth: true, params: UserParams }, async ({ store, user, params, reply }) => {
    void reply.header('cache-control', 'no-store')
    return revealIdNumber(store, user, params.id)
  })
}
