import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { ExportFormat, ExportKind, StatsQuery } from '../../domain'
import type { Deps } from '../app'
import { route } from '../http'
import { buildExport, contentDisposition } from '../services/exports'

const Params = z.object({ kind: ExportKind, format: ExportFormat })

// Personal data leaving the server as a file: the office only, and every export is logged
// (services/exports.ts writes exports_log before the file is sent).
export function exportRoutes(app: FastifyInstance, { store, authenticate }: Deps): void {
  route(
    app,
    authenticate,
    { method: 'GET', url: '/api/exports/:kind.:format', auth: ['secretary', 'admin'], params: Params, query: StatsQuery },
    async ({ user, params, query, reply }) => {
      const file = await buildExport(store, user!, params.kind, params.format, query)
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', contentDisposition(file))
        .header('cache-control', 'no-store')
        .header('x-export-rows', String(file.rows))
        .send(file.body)
    },
  )
}
