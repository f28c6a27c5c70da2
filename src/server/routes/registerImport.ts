import { RegisterImportResult } from '../../domain/schemas/registerAdmin'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Deps } from '../deps'
import { route } from '../http'
import { importRegister, XLSX_TYPE } from '../services/registerImport'
import { registerTemplate } from '../services/registerTemplate'

const IMPORT_LIMIT = 20 * 1024 * 1024

const ImportQuery = z.object({ dryRun: z.enum(['0', '1', 'true', 'false']).optional() })

// 台账 import (households and residents) from .xlsx or .csv: admin only.
// POST the raw file bytes; ?dryRun=1 previews without writing. See src/domain/registerImport.ts.
export function registerImportRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  void app.register(async (scope) => {
    // Any body arrives as bytes here (scoped to this plugin): the service decides by type and
    // content, and answers 415 UNSUPPORTED_MEDIA for anything that is not xlsx or CSV.
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: IMPORT_LIMIT }, (_req, body, done) => done(null, body))

    route(
      scope,
      authenticate,
      { method: 'GET', url: '/api/admin/register/template.xlsx', auth: ['admin'] },
      async ({ reply }) =>
        reply
          .header('content-type', XLSX_TYPE)
          .header('content-disposition', `attachment; filename="register-template.xlsx"; filename*=UTF-8''${encodeURIComponent('台账导入模板.xlsx')}`)
          .header('cache-control', 'no-store')
          .send(await registerTemplate()),
    )

    route(
      scope,
      authenticate,
      { method: 'POST', url: '/api/admin/register/import', auth: ['admin'], query: ImportQuery, bodyLimit: IMPORT_LIMIT, response: RegisterImportResult },
      async ({ store, req, query, user }) => {
        const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
        const dryRun = query.dryRun === '1' || query.dryRun === 'true'
        return { dryRun, ...(await importRegister(store, body, req.headers['content-type'], dryRun, user.id)) }
      },
    )
  })
}
