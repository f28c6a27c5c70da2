import { readSheet } from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REGISTER_HEADERS } from '../../src/domain/registerImport'
import { startTestServer, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(60)
  for (const u of ['grid01', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

const download = (username: string, path: string) =>
  s.app.inject({ method: 'GET', url: `/api/exports/${path}`, headers: { authorization: `Bearer ${tokens[username]}` } })
const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(','))

describe('register export', () => {
  it('masked by default: one row per resident, the import columns, names/phones/IDs masked', async () => {
    const res = await download('secretary', 'register.csv')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    const rows = csvRows(res.body)
    expect(rows[0]).toEqual([...REGISTER_HEADERS])
    expect(rows.length - 1).toBe(s.community.residents.length)
    const col = (h: string) => REGISTER_HEADERS.indexOf(h as (typeof REGISTER_HEADERS)[number])
    for (const r of rows.slice(1)) {
      expect(r[col('姓名')]).toMatch(/\*/)
      if (r[col('联系电话')]) expect(r[col('联系电话')]).toMatch(/^\d{3}\*{4}\d{4}$/)
      if (r[col('身份证号')]) expect(r[col('身份证号')]).toMatch(/^\d{6}\*{8}[\dX]{4}$/)
    }
    const full = s.community.residents.find((r) => r.idNumber)!
    expect(res.body).not.toContain(full.idNumber!)
    const log = await s.store.selectFrom('exports_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(log.kind).toBe('register')
    expect(JSON.parse(log.filters)).toEqual({ unmasked: false })
    const audit = await s.store.selectFrom('audit_log').selectAll().where('action', '=', 'export').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details).filters).toEqual({ unmasked: false })
  })

  it('unmasked only for the admin, logged as such, and re-imports with no errors and no changes', async () => {
    const before = await s.store.selectFrom('exports_log').select('id').execute()
    const denied = await download('secretary', 'register.csv?unmasked=1')
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error.code).toBe('FORBIDDEN')
    expect(await s.store.selectFrom('exports_log').select('id').execute()).toHaveLength(before.length)
    expect((await download('grid01', 'register.csv')).statusCode).toBe(403)

    const res = await download('admin', 'register.csv?unmasked=1')
    expect(res.statusCode).toBe(200)
    const full = s.community.residents.find((r) => r.idNumber)!
    expect(res.body).toContain(full.idNumber!)
    expect(res.body).toContain(full.name)
    const audit = await s.store.selectFrom('audit_log').selectAll().where('action', '=', 'export').orderBy('id', 'desc').executeTakeFirstOrThrow()
    expect(JSON.parse(audit.details)).toMatchObject({ kind: 'register', format: 'csv', filters: { unmasked: true } })

    const imported = await s.app.inject({
      method: 'POST',
      url: '/api/admin/register/import?dryRun=1',
      headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'text/csv' },
      payload: res.rawPayload,
    })
    expect(imported.statusCode, imported.body).toBe(200)
    const preview = imported.json()
    expect(preview.errors).toEqual([])
    expect(preview.households.create).toBe(0)
    expect(preview.residents.create).toBe(0)
  })

  it('xlsx parses back with the Chinese headers', async () => {
    const res = await download('admin', 'register.xlsx')
    expect(res.statusCode).toBe(200)
    const rows = await readSheet(res.rawPayload)
    expect(rows[0]).toEqual([...REGISTER_HEADERS])
    expect(rows.length - 1).toBe(s.community.residents.length)
  })
})
