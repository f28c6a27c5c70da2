import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Building, GridCell, Id } from '../../domain'
import {
  CreateBuildingRequest,
  CreateGridCellRequest,
  PatchBuildingRequest,
  PatchGridCellRequest,
  RenameCompoundRequest,
} from '../../domain/schemas/registerAdmin'
import type { Deps } from '../deps'
import { route } from '../http'
import {
  createBuilding,
  createGridCell,
  patchBuilding,
  patchGridCell,
  registerStructure,
  renameCompound,
  retireBuilding,
  retireGridCell,
} from '../services/registerAdmin'

const Params = z.object({ id: Id })
const ADMIN = ['admin'] as const

// The register page (admin): grid cells, compounds and buildings by hand. See services/registerAdmin.ts.
export function registerAdminRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/admin/register/structure', auth: ADMIN }, async ({ store }) => registerStructure(store))

  route(app, authenticate, { method: 'POST', url: '/api/admin/grid-cells', auth: ADMIN, body: CreateGridCellRequest, response: GridCell }, async ({ store, user, body, reply }) => {
    void reply.status(201) // returned, not sent: the answer is checked against its schema
    return createGridCell(store, user, body)
  })
  route(app, authenticate, { method: 'PATCH', url: '/api/admin/grid-cells/:id', auth: ADMIN, params: Params, body: PatchGridCellRequest }, async ({ store, user, params, body }) =>
    patchGridCell(store, user, params.id, body),
  )
  route(app, authenticate, { method: 'DELETE', url: '/api/admin/grid-cells/:id', auth: ADMIN, params: Params }, async ({ store, user, params, reply }) => {
    await retireGridCell(store, user, params.id)
    return reply.status(204).send()
  })

  route(app, authenticate, { method: 'POST', url: '/api/admin/buildings', auth: ADMIN, body: CreateBuildingRequest, response: Building }, async ({ store, user, body, reply }) => {
    void reply.status(201) // returned, not sent: the answer is checked against its schema
    return createBuilding(store, user, body)
  })
  route(app, authenticate, { method: 'PATCH', url: '/api/admin/buildings/:id', auth: ADMIN, params: Params, body: PatchBuildingRequest }, async ({ store, user, params, body }) =>
    patchBuilding(store, user, params.id, body),
  )
  route(app, authenticate, { method: 'DELETE', url: '/api/admin/buildings/:id', auth: ADMIN, params: Params }, async ({ store, user, params, reply }) => {
    await retireBuilding(store, user, params.id)
    return reply.status(204).send()
  })

  route(app, authenticate, { method: 'POST', url: '/api/admin/compounds/rename', auth: ADMIN, body: RenameCompoundRequest }, async ({ store, user, body }) =>
    renameCompound(store, user, body.from, body.to),
  )
}
