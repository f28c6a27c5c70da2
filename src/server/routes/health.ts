import type { FastifyInstance } from 'fastify'
import { PROTOCOL_VERSION } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { ping } from '../store/open'

export function healthRoutes(app: FastifyInstance, { deployment, authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/health', auth: false }, async ({ reply }) => {
    try {
      await ping(deployment.main)
      return { ok: true, store: 'ready', protocolVersion: PROTOCOL_VERSION }
    } catch {
      return reply.status(503).send({ ok: false, store: 'unavailable', protocolVersion: PROTOCOL_VERSION })
    }
  })
}
