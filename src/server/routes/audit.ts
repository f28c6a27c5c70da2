import type { FastifyInstance } from 'fastify'
import { AuditQuery } from '../../domain/schemas/admin'
import type { Deps } from '../deps'
import { route } from '../http'
import { listAudit } from '../services/audit'
import { chinaDateTime, contentDisposition, logExport, toCsv } from '../services/exports'

const ADMIN = ['admin'] as const
const CSV_MAX_ROWS = 100_000

export function auditRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/admin/audit', auth: ADMIN, query: AuditQuery }, async ({ store, query }) => listAudit(store, query))

  // The audit log as a file is itself an export: logged in exports_log and the audit log.
  route(app, authenticate, { method: 'GET', url: '/api/admin/audit.csv', auth: ADMIN, query: AuditQuery }, async ({ store, user, query, reply }) => {
    const { entries } = await listAudit(store, { ...query, limit: CSV_MAX_ROWS, offset: 0 })
    const body = toCsv({
      sheet: '审计日志',
      columns: [{ header: '时间' }, { header: '用户' }, { header: '用户编号' }, { header: '操作' }, { header: '对象类型' }, { header: '对象' }, { header: '详情' }],
      rows: entries.map((e) => [chinaDateTime(e.at), e.userName, e.userId, e.action, e.subjectType, e.subjectId, JSON.stringify(e.details)]),
    })
    const { limit: _l, offset: _o, ...filters } = query
    await logExport(store, user, 'audit', 'csv', filters, entries.length, new Date().toISOString())
    const day = new Date().toISOString().slice(0, 10)
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', contentDisposition({ filename: `审计日志-${day}.csv`, asciiFilename: `zoufang-audit-${day}.csv` }))
      .header('cache-control', 'no-store')
      .header('x-export-rows', String(entries.length))
      .send(body)
  })
}
