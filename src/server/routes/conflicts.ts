import type { FastifyInstance } from 'fastify'
import { ConflictListQuery, ConflictParams, SettleConflictRequest } from '../../domain/schemas/conflicts'
import type { Deps } from '../deps'
import { route } from '../http'
import { listConflicts, myConflictNotices, settleConflict } from '../services/conflicts'

const OFFICE = ['secretary', 'admin'] as const

// Household fields two people changed at once: the office's list and settling (services/conflicts.ts),
// and, for anyone, their own values that did not stand (a worker's phone shows them on the household).
export function conflictRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/conflicts', auth: OFFICE, query: ConflictListQuery }, async ({ store, user, query }) => listConflicts(store, user, query))
  route(app, authenticate, { method: 'POST', url: '/api/conflicts/:id/settle', auth: OFFICE, params: ConflictParams, body: SettleConflictRequest }, async ({ store, user, params, body }) =>
    settleConflict(store, user, params.id, body),
  )
  route(app, authenticate, { method: 'GET', url: '/api/conflicts/mine', auth: true }, async ({ store, user }) => ({ notices: await myConflictNotices(store, user) }))
}
