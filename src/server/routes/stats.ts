import type { FastifyInstance } from 'fastify'
import { StatsQuery, TrailQuery } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { listGridMoves } from '../services/gridMoves'
import { coverage, dashboard, householdStats, trail } from '../services/stats'

// Aggregates for the secretary's map and dashboard. Any logged-in user may ask: services/stats.ts
// narrows a worker to their own grid cells and refuses a grid or worker outside them.
export function statsRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/stats/households', auth: true, query: StatsQuery }, async ({ store, user, query }) => {
    const { scope: _scope, ...res } = await householdStats(store, user, query)
    return res
  })

  // Which grid cells moved between workers (office only: it names workers and their areas).
  route(app, authenticate, { method: 'GET', url: '/api/stats/grid-moves', auth: ['secretary', 'admin'], query: StatsQuery }, async ({ store, query }) =>
    listGridMoves(store, query.from, query.to),
  )

  route(app, authenticate, { method: 'GET', url: '/api/stats/coverage', auth: true, query: StatsQuery }, async ({ store, user, query }) =>
    coverage(store, user, query),
  )

  route(app, authenticate, { method: 'GET', url: '/api/stats/dashboard', auth: true, query: StatsQuery }, async ({ store, user, query }) =>
    dashboard(store, user, query),
  )

  route(app, authenticate, { method: 'GET', url: '/api/stats/trail', auth: true, query: TrailQuery }, async ({ store, user, query }) =>
    trail(store, user, query.workerId, query.day),
  )
}
