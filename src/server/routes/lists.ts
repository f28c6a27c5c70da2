import type { FastifyInstance } from 'fastify'
import { ListsPeriodQuery, NeedSummaryQuery } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { listsFigures, needSummary, points } from '../services/lists'

const OFFICE = ['secretary', 'admin'] as const

// 三张清单, read by the office online (docs/lists.md). Needs, resources, projects and service
// records are written through push like every record; these are the aggregates computed on the
// server, so the office's device never counts copies.
export function listRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  // "23 户在教师新村2–4号楼需要助餐": needs by category, building and grid cell.
  route(app, authenticate, { method: 'GET', url: '/api/needs/summary', auth: OFFICE, query: NeedSummaryQuery }, async ({ store, user, query }) =>
    needSummary(store, user, query),
  )

  route(app, authenticate, { method: 'GET', url: '/api/lists/figures', auth: OFFICE, query: ListsPeriodQuery }, async ({ store, user, query }) =>
    listsFigures(store, user, query),
  )

  // Named only with the volunteer's consent.
  route(app, authenticate, { method: 'GET', url: '/api/points', auth: OFFICE, query: ListsPeriodQuery }, async ({ store, user, query }) => points(store, user, query))
}
