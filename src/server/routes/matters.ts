import type { FastifyInstance } from 'fastify'
import { MatterLedgerParams, MatterLedgerQuery } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { matterLedger } from '../services/ledger'

const OFFICE = ['secretary', 'admin'] as const

// 议题 (docs/matters.md): matters, meetings and ledger entries are written through push like every
// record; this is the office's read of a matter's ledger, computed on the server from its entries.
export function matterRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/matters/:id/ledger', auth: OFFICE, params: MatterLedgerParams, query: MatterLedgerQuery }, async ({ store, user, params, query }) =>
    matterLedger(store, user, params.id, query),
  )
}
