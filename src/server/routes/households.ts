import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Id } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { householdVisits } from '../services/households'

const Params = z.object({ id: Id })

export function householdRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  // An office device keeps only recent visits (Settings.officeVisitDays): the household page asks
  // here for the rest, online.
  route(app, authenticate, { method: 'GET', url: '/api/households/:id/visits', auth: true, params: Params }, async ({ store, user, params }) =>
    householdVisits(store, user, params.id),
  )
}
