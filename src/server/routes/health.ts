import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { PROTOCOL_VERSION } from '../../domain'
import type { Deps } from '../app'
import { route } from '../http'

export function healthRoutes(app: FastifyInstance, { store, authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/health', auth: false }, async ({ reply }) => {
    try {
      await sql`select 1`.execute(store)
      return { ok: true, store: 'ready', protocolVersion: PROTOCOL_VERSION }
    } catch {
      return reply.status(503).send({ ok: false, store: 'unavailable', protocolVersion: PROTOCOL_VERSION })
    }
  })
}
