import { GridImportResult } from '../../domain/schemas/registerAdmin'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps'
import { route } from '../http'
import { importGridCells } from '../services/gridImport'

const Query = z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() })

// Grid cells from GeoJSON (admin): POST a FeatureCollection; ?dryRun=1 previews without writing.
export function gridImportRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(
    app,
    authenticate,
    { method: 'POST', url: '/api/admin/grid-cells/geojson', auth: ['admin'], query: Query, bodyLimit: 10 * 1024 * 1024, response: GridImportResult },
    async ({ store, req, query, user }) => {
      const dryRun = query.dryRun === '1' || query.dryRun === 'true'
      return { dryRun, ...(await importGridCells(store, req.body, dryRun, user.id)) }
    },
  )
}
