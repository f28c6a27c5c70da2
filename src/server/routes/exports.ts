import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { ExportFormat, ExportKind, Id, StatsQuery } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import { buildExport, contentDisposition, type ExportFile } from '../services/exports'
import { buildCampaignExport, CampaignExportPart } from '../services/campaignExport'
import { buildRegisterExport } from '../services/registerExport'

const Params = z.object({ kind: ExportKind, format: ExportFormat })
const RegisterParams = z.object({ format: ExportFormat })
const RegisterQuery = z.object({ unmasked: z.enum(['0', '1', 'true', 'false']).optional() })
const CampaignParams = z.object({ id: Id, part: CampaignExportPart, format: ExportFormat })

// Personal data leaving the server as a file: the office only, and every export is logged
// (services/exports.ts writes exports_log before the file is sent).
export function exportRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(
    app,
    authenticate,
    { method: 'GET', url: '/api/exports/:kind.:format', auth: ['secretary', 'admin'], params: Params, query: StatsQuery },
    async ({ store, user, params, query, reply }) => send(reply, await buildExport(store, user, params.kind, params.format, query)),
  )

  // The register (台账), one row per resident, masked unless the admin asks ?unmasked=1.
  route(
    app,
    authenticate,
    { method: 'GET', url: '/api/exports/register.:format', auth: ['secretary', 'admin'], params: RegisterParams, query: RegisterQuery },
    async ({ store, user, params, query, reply }) => {
      const unmasked = query.unmasked === '1' || query.unmasked === 'true'
      return send(reply, await buildRegisterExport(store, user, params.format, unmasked))
    },
  )

  // A campaign's progress (per household), results (per item and answer) or hazard list; names
  // masked unless the admin asks ?unmasked=1.
  route(
    app,
    authenticate,
    { method: 'GET', url: '/api/exports/campaigns/:id/:part.:format', auth: ['secretary', 'admin'], params: CampaignParams, query: RegisterQuery },
    async ({ store, user, params, query, reply }) => {
      const unmasked = query.unmasked === '1' || query.unmasked === 'true'
      return send(reply, await buildCampaignExport(store, user, params.id, params.part, params.format, unmasked))
    },
  )
}

function send(reply: FastifyReply, file: ExportFile) {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', contentDisposition(file))
    .header('cache-control', 'no-store')
    .header('x-export-rows', String(file.rows))
    .send(file.body)
}
