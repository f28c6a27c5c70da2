import { readSheet } from 'read-excel-file/node'
import writeExcelFile from 'write-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Change, Household, PullResponse } from '../../src/domain'
import { REGISTER_HEADERS } from '../../src/domain/registerImport'
import { readCounter } from '../../src/server/store/counters'
import { startTestServer, type TestServer } from '../support/server'

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
let s: TestServer
let admin: string
let worker: string
let grid: { code: string; id: string }
let bld: { compound: string; number: string }

beforeAll(async () => {
  s = await startTestServer()
  admin = await s.login('admin')
  worker = await s.login('grid01')
  const cell = s.community.gridCells[0]!
  grid = { code: cell.code, id: cell.id }
  const b = s.community.buildings.find((x) => x.gridId === cell.id && x.kind === 'residential')!
  bld = { compound: b.compound, number: b.number }
})
afterAll(() => s.close())

/** A valid 18-digit ID number (GB 11643 check digit) for a serial. */
function idNumber(serial: number, birth = '19560101'): string {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const body = `370902${birth}${String(serial).padStart(3, '0')}`
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i]!
  return body + '10X98765432'[sum % 11]!
}

type R = Partial<Record<(typeof REGISTER_HEADERS)[number], string>>
function fullRow(r: R): string[] {
  const base: R = {
    网格编号: grid.code,
    小区: bld.compound,
    楼栋: bld.number,
    单元: '1',
    楼层: '99',
    室: '9901',
    住房: '自住',
    人户状态: '人户一致',
    性别: '男',
    出生年份: '1956',
    与户主关系: '户主',
    政治面貌: '群众',
  }
  return REGISTER_HEADERS.map((h) => ({ ...base, ...r })[h] ?? '')
}

/** Three households, six residents, in rooms the demo does not use. */
const CLEAN: R[] = [
  { 室: '9901', 姓名: '欧阳明', 身份证号: idNumber(1), 联系电话: '13812345678', 标签: '独居老人、高龄', 关注程度: '重点', 政治面貌: '党员' },
  { 室: '9902', 姓名: '司马红', 性别: '女', 身份证号: idNumber(2), 联系电话: '0531-88123456' },
  { 室: '9902', 姓名: '司马小', 与户主关系: '子女', 出生年份: '2010-03-04', 标签: '留守儿童' },
  { 室: '9903', 住房: '出租', 人户状态: '人在户不在', 姓名: '诸葛亮', 身份证号: idNumber(3) },
  { 室: '9903', 姓名: '黄月英', 性别: '女', 与户主关系: '配偶', 身份证号: idNumber(4, '19600202') },
  { 室: '9903', 姓名: '诸葛瞻', 与户主关系: '子女', 出生年份: '1990' },
]

function csv(rows: string[][]): string {
  return rows.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n')
}

async function xlsx(rows: R[]): Promise<Buffer> {
  return writeExcelFile([[...REGISTER_HEADERS], ...rows.map(fullRow)]).toBuffer()
}

function post(body: Buffer | string, type: string, dryRun = false, token = admin) {
  return s.app.inject({
    method: 'POST',
    url: `/api/admin/register/import${dryRun ? '?dryRun=1' : ''}`,
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    payload: body,
  })
}

async function counts() {
  const h = await s.store.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  const r = await s.store.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  return { households: Number(h.n), residents: Number(r.n), version: await readCounter(s.store, 'version') }
}

/** GBK bytes of a string, from a table built by decoding every double-byte code with TextDecoder. */
function encodeGbk(text: string): Buffer {
  const table = new Map<string, number[]>()
  const dec = new TextDecoder('gbk')
  for (let a = 0x81; a <= 0xfe; a++)
    for (let b = 0x40; b <= 0xfe; b++) {
      const ch = dec.decode(new Uint8Array([a, b]))
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [a, b])
    }
  const out: number[] = []
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0))
    else {
      const bytes = table.get(ch)
      if (!bytes) throw new Error(`no GBK for ${ch}`)
      out.push(...bytes)
    }
  }
  return Buffer.from(out)
}

describe('register import', () => {
  it('serves a template with the headers and an example row (admin only)', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/admin/register/template.xlsx', headers: { authorization: `Bearer ${admin}` } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe(XLSX)
    const rows = await readSheet(res.rawPayload)
    expect(rows[0]).toEqual([...REGISTER_HEADERS])
    expect(rows).toHaveLength(2)
  })

  it('refuses workers on the admin routes', async () => {
    const t = await s.app.inject({ method: 'GET', url: '/api/admin/register/template.xlsx', headers: { authorization: `Bearer ${worker}` } })
    expect(t.statusCode).toBe(403)
    const res = await post(await xlsx(CLEAN), XLSX, true, worker)
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
  })

  it('answers 415 for a file that is neither xlsx nor CSV', async () => {
    for (const [body, type] of [
      ['{"a":1}', 'application/json'],
      [Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
      ['not a zip', XLSX],
    ] as const) {
      const res = await post(body as Buffer | string, type, true)
      expect(res.statusCode).toBe(415)
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA')
    }
  })

  it('names the missing columns', async () => {
    const res = await post('姓名,性别\n张三,男\n', 'text/csv', true)
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('楼栋')
    expect(res.json().error.message).toContain('与户主关系')
  })

  it('reports exactly the bad rows of a CSV and writes nothing', async () => {
    const rows = [
      [...REGISTER_HEADERS],
      fullRow({ 室: '9911', 姓名: '甲一', 身份证号: idNumber(11) }), // 2 ok
      fullRow({ 室: '9912', 经度: '39.9', 纬度: '116.4', 姓名: '甲二' }), // 3 latitude and longitude swapped
      fullRow({ 室: '9913', 姓名: '甲三', 身份证号: '370902195601010110' }), // 4 bad check digit
      fullRow({ 室: '9914', 姓名: '甲四', 联系电话: '2345678' }), // 5 bad phone
      REGISTER_HEADERS.map(() => ''), // 6 empty: skipped
      fullRow({ 室: '9911', 姓名: '甲五' }), // 7 second 户主 of 9911
      fullRow({ 室: '9915', 姓名: '=1+1' }), // 8 formula
    ]
    const before = await counts()
    for (const dryRun of [true, false]) {
      const res = await post(`\ufeff${csv(rows)}`, 'text/csv; charset=utf-8', dryRun)
      const body = res.json()
      const errors = (dryRun ? body.errors : body.error.details.errors) as { row: number; column: string }[]
      expect(res.statusCode).toBe(dryRun ? 200 : 400)
      if (!dryRun) expect(body.error.code).toBe('VALIDATION_FAILED')
      expect(errors.map((e) => [e.row, e.column])).toEqual([
        [3, '经度'],
        [4, '身份证号'],
        [5, '联系电话'],
        [7, '与户主关系'],
        [8, '姓名'],
      ])
    }
    expect(await counts()).toEqual(before)
  })

  it('previews, imports a clean xlsx in one go, and a second import changes nothing', async () => {
    const file = await xlsx(CLEAN)
    const before = await counts()
    const preview = await post(file, XLSX, true)
    expect(preview.statusCode).toBe(200)
    expect(preview.json()).toMatchObject({
      dryRun: true,
      households: { create: 3, update: 0, unchanged: 0 },
      residents: { create: 6, update: 0, unchanged: 0 },
      errors: [],
    })
    expect(await counts()).toEqual(before)

    const res = await post(file, XLSX)
    expect(res.statusCode).toBe(200)
    const after = await counts()
    expect(after.households).toBe(before.households + 3)
    expect(after.residents).toBe(before.residents + 6)
    // Floor 99 is above the demo building's top floor: the building is raised to 99 floors.
    expect(preview.json().created).toEqual({ grids: [], compounds: [], buildings: 0, units: 0, unlocated: 0, buildingsUpdated: 1 })
    expect(after.version).toBe(before.version + 10)
    // The import is in the audit log (the dry run was not): who brought personal data in, and when.
    const audits = await s.store.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'import').execute()
    expect(audits).toHaveLength(1)
    expect(JSON.parse(audits[0]!.details ?? '{}')).toMatchObject({ households: { create: 3 }, residents: { create: 6 } })

    const again = await post(file, XLSX)
    expect(again.json()).toMatchObject({
      households: { create: 0, update: 0, unchanged: 3 },
      residents: { create: 0, update: 0, unchanged: 6 },
    })
    expect(await counts()).toEqual(after)

    // The worker of that grid pulls the new household, with search key and masked ID only.
    const changes: Change[] = []
    for (let cursor = ''; ; ) {
      const q = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) })
      const pulled = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${worker}` } })
      const body = pulled.json() as PullResponse
      if ('reset' in body) throw new Error('unexpected reset')
      changes.push(...body.changes)
      if (!body.hasMore) break
      cursor = body.cursor
    }
    const home = changes.find((c) => c.entity === 'household' && (c.data as Household | null)?.room === '9903')
    expect(home).toBeDefined()
    const h = home!.data as Household
    expect(h).toMatchObject({ gridId: grid.id, headName: '诸葛亮', housing: 'rented', residency: 'present_unregistered' })
    expect(h.searchKey).toContain('zhugeliang')
    const row = await s.store.selectFrom('residents').select(['id_number', 'data']).where('household_id', '=', h.id).execute()
    expect(row.map((r) => r.id_number).sort()).toEqual([idNumber(3), idNumber(4, '19600202'), null].sort())
    expect(JSON.stringify(row)).toContain('370902********')

    // A changed phone is one update, one version.
    const edited = CLEAN.map((r) => (r.姓名 === '欧阳明' ? { ...r, 联系电话: '13900000000' } : r))
    const upd = await post(await xlsx(edited), XLSX)
    expect(upd.json()).toMatchObject({ households: { update: 1, unchanged: 2 }, residents: { update: 1, unchanged: 5 } })
    expect((await counts()).version).toBe(after.version + 2)
  })

  it('reads a GBK-encoded CSV', async () => {
    const rows = [[...REGISTER_HEADERS], fullRow({ 室: '9921', 姓名: '慕容复', 标签: '低保、空巢老人', 身份证号: idNumber(21) })]
    const res = await post(encodeGbk(csv(rows)), 'text/csv', true)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ households: { create: 1 }, residents: { create: 1 }, errors: [] })
    await post(encodeGbk(csv(rows)), 'text/csv')
    const r = await s.store.selectFrom('residents').select('data').where('id_number', '=', idNumber(21)).executeTakeFirstOrThrow()
    expect(JSON.parse(r.data)).toMatchObject({ name: '慕容复', tags: ['dibao', 'empty_nest'] })
  })

  it('rejects a formula cell in an xlsx', async () => {
    const data = [[...REGISTER_HEADERS], fullRow({ 室: '9931', 姓名: '公孙' }).map((v, i) => (i === REGISTER_HEADERS.indexOf('联系电话') ? { type: 'Formula' as const, value: '=1+1' } : v))]
    const buf = await writeExcelFile(data).toBuffer()
    const res = await post(buf, XLSX, true)
    expect(res.json().errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([[2, '联系电话']])
  })

  it('建筑面积: written to the household; a sheet without it keeps the area; an export imports again with it', async () => {
    const area = async (room: string) =>
      (await s.store.selectFrom('households').select('data').execute()).map((r) => JSON.parse(r.data) as Household).find((h) => h.room === room)?.area
    expect((await post(await xlsx([{ 室: '9941', 姓名: '东方白', 建筑面积: '118.06' }]), XLSX)).statusCode).toBe(200)
    expect(await area('9941')).toBe(118.06)
    const again = await post(await xlsx([{ 室: '9941', 姓名: '东方白', 建筑面积: '' }]), XLSX)
    expect(again.json()).toMatchObject({ households: { update: 0, unchanged: 1 } })
    expect(await area('9941'), 'an empty cell keeps the area').toBe(118.06)
    expect((await post(await xlsx([{ 室: '9941', 姓名: '东方白', 建筑面积: '120' }]), XLSX)).json()).toMatchObject({ households: { update: 1 } })
    expect(await area('9941')).toBe(120)
    const exported = await s.app.inject({ method: 'GET', url: '/api/exports/register.xlsx?unmasked=1', headers: { authorization: `Bearer ${admin}` } })
    const sheet = (await readSheet(exported.rawPayload)) as unknown as (string | number | null)[][]
    const at = (h: string) => sheet[0]!.indexOf(h)
    const line = sheet.find((r) => r[at('室')] === '9941')!
    expect(line[at('建筑面积')]).toBe(120)
  })
})
