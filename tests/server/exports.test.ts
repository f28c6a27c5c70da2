import { readSheet } from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MutationResult } from '../../src/domain'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(800)
  for (const u of ['grid01', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

const FROM = '2026-11-01'
const TO = '2026-11-20'
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10)

function download(username: string, path: string, query = `from=${FROM}&to=${TO}`) {
  return s.app.inject({ method: 'GET', url: `/api/exports/${path}?${query}`, headers: { authorization: `Bearer ${tokens[username]}` } })
}
const logRows = () => s.store.selectFrom('exports_log').selectAll().orderBy('id').execute()

/** RFC 4180, as Excel reads it: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += ch
  }
  if (field || row.length) rows.push([...row, field])
  return rows
}

const VISIT_HEADERS = ['日期', '时间', '网格', '网格员', '户主', '地址', '走访结果', '见到人数', '情况记录', '诉求', '约定回访日期']
const CASE_HEADERS = ['上报时间', '网格', '问题种类', '类别', '标题', '紧急程度', '状态', '处置单位', '办理期限', '督办']

describe('xlsx', () => {
  it('visits: parses back with Chinese headers and one row per visit of the period', async () => {
    const res = await download('secretary', 'visits.xlsx')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="zoufang-visits-${FROM}_${TO}.xlsx"; filename*=UTF-8''${encodeURIComponent(`走访-${FROM}至${TO}.xlsx`)}`,
    )
    const sheet = await readSheet(res.rawPayload)
    expect(sheet[0]).toEqual(VISIT_HEADERS)
    const want = s.community.visits.filter((v) => chinaDay(v.startedAt) >= FROM && chinaDay(v.startedAt) <= TO)
    expect(want.length).toBeGreaterThan(100)
    expect(sheet.length - 1).toBe(want.length)
    // First row: the period's first visit, in China time, names masked.
    const first = want[0]!
    const h = s.community.households.find((x) => x.id === first.householdId)!
    const row = sheet[1]!
    expect(row[0]).toBe(chinaDay(first.startedAt))
    expect(row[4]).toMatch(/^.\*+.?$/)
    expect(row[4]).not.toBe(h.headName)
    expect(row[5]).toBe(h.address)
    expect(row[7]).toBe(first.residentIds.length)
  })

  it('dashboard and cases: the right headers and row counts', async () => {
    const dash = await readSheet((await download('admin', 'dashboard.xlsx')).rawPayload)
    expect(dash[0]!.slice(0, 9)).toEqual(['分组', '名称', '走访次数', '重点人群应访户数', '重点人群已访户数', '重点人群覆盖率', '逾期未访户数', '未结问题', '超时问题'])
    expect(dash[0]).toHaveLength(9 + 12)
    const workers = s.community.users.filter((u) => u.role === 'worker').length
    expect(dash.length - 1).toBe(s.community.gridCells.length + workers)
    expect(dash.slice(1).filter((r) => r[0] === '网格')).toHaveLength(s.community.gridCells.length)
    const coverage = dash[1]![5]
    expect(typeof coverage === 'number' && coverage >= 0 && coverage <= 1).toBe(true)

    const from = '2026-01-01'
    const cases = await readSheet((await download('secretary', 'cases.xlsx', `from=${from}&to=${TO}`)).rawPayload)
    expect(cases[0]).toEqual(CASE_HEADERS)
    const want = s.community.cases.filter((c) => chinaDay(c.reportedAt) >= from && chinaDay(c.reportedAt) <= TO)
    expect(cases.length - 1).toBe(want.length)
    expect(new Set(cases.slice(1).map((r) => r[6]))).toContain('结案')
  })
})

describe('csv', () => {
  it('starts with the UTF-8 BOM, uses CRLF, and quotes commas, quotes and line breaks', async () => {
    const me = workerOf(s.community, 'grid01')
    const h = householdOf(s.community, 'grid01', 3)
    const notes = '他说："楼道,很暗"\n第二行也要看'
    const visit = makeVisit(s.community, h, me.id, { startedAt: '2026-11-19T02:00:00.000Z', notes, needs: '=1+1 想装扶手，电话13812345678' })
    const pushed = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid01}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [visitMutation(visit)] },
    })
    expect((pushed.json().results as MutationResult[])[0]!.status).toBe('applied')

    const res = await download('secretary', 'visits.csv')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = res.rawPayload.toString('utf8').slice(1)
    expect(text).toContain(`"他说：""楼道,很暗""\n第二行也要看"`)
    expect(text.endsWith('\r\n')).toBe(true)
    const rows = parseCsv(text)
    expect(rows[0]).toEqual(VISIT_HEADERS)
    expect(rows.every((r) => r.length === VISIT_HEADERS.length)).toBe(true)
    const mine = rows.find((r) => r[8] === notes)!
    expect(mine).toBeDefined()
    // A cell Excel would run as a formula stays text; a phone number in free text is masked.
    expect(mine[9]).toBe("'=1+1 想装扶手，电话138****5678")
    const want = s.community.visits.filter((v) => chinaDay(v.startedAt) >= FROM && chinaDay(v.startedAt) <= TO).length + 1
    expect(rows.length - 1).toBe(want)
    // Never an ID number or a phone number.
    expect(text).not.toMatch(/(?<!\d)1\d{10}(?!\d)/)
    expect(text).not.toMatch(/\d{17}[\dX]/)
    // Nor a resident's full name (a worker may share one: their names are the staff column).
    const staff = new Set(s.community.users.map((u) => u.name))
    for (const r of s.community.residents.slice(0, 300)) if (r.name.length > 1 && !staff.has(r.name)) expect(text).not.toContain(r.name)
    expect(rows.slice(1).every((r) => r[4] === '' || r[4]!.includes('*') || r[4]!.length === 1)).toBe(true)
  })
})

describe('who may export, and the log', () => {
  it('a worker gets 403 FORBIDDEN and nothing is logged', async () => {
    const before = (await logRows()).length
    for (const path of ['visits.csv', 'cases.xlsx', 'dashboard.csv']) {
      const res = await download('grid01', path)
      expect(res.statusCode).toBe(403)
      expect(res.json().error.code).toBe('FORBIDDEN')
    }
    expect((await logRows()).length).toBe(before)
  })

  it('every export leaves exactly one log row: who, when, what, filters, how many rows', async () => {
    const secretary = workerOf(s.community, 'secretary')
    const grid = s.community.gridCells[2]!
    for (const [path, kind, format] of [
      ['visits.csv', 'visits', 'csv'],
      ['cases.xlsx', 'cases', 'xlsx'],
      ['dashboard.xlsx', 'dashboard', 'xlsx'],
    ] as const) {
      const before = await logRows()
      const t0 = new Date().toISOString()
      const res = await download('secretary', path, `from=${FROM}&to=${TO}&gridId=${grid.id}`)
      expect(res.statusCode).toBe(200)
      const after = await logRows()
      expect(after).toHaveLength(before.length + 1)
      const row = after[after.length - 1]!
      expect(row).toMatchObject({ user_id: secretary.id, kind, format, row_count: Number(res.headers['x-export-rows']) })
      expect(row.at >= t0).toBe(true)
      expect(JSON.parse(row.filters)).toEqual({ from: FROM, to: TO, gridId: grid.id })
    }
  })

  it('bad filters and unknown kinds are 400, never a file', async () => {
    const before = (await logRows()).length
    for (const [path, query] of [
      ['visits.csv', 'from=2026-11-20&to=2026-11-01'],
      ['visits.pdf', `from=${FROM}&to=${TO}`],
      ['households.csv', `from=${FROM}&to=${TO}`],
      ['visits.csv', `from=${FROM}&to=${TO}&tag=rich`],
    ]) {
      const res = await download('secretary', path!, query)
      expect([path, res.statusCode, res.json().error.code]).toEqual([path, 400, 'VALIDATION_FAILED'])
    }
    expect((await logRows()).length).toBe(before)
  })
})
