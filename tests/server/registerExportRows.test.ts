import { readSheet } from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Household, Resident } from '../../src/domain'
import { isSensitiveTag, maskIdNumber, maskName, maskPhone } from '../../src/domain'
import { ATTENTION_ZH, HOUSING_ZH, POLITICAL_ZH, REGISTER_HEADERS, RELATION_ZH, RESIDENCY_ZH, SEX_ZH, TAG_ZH } from '../../src/domain/registerImport'
import { parseCsv } from '../support/csv'
import { xlsxFiles } from '../support/xlsx'
import { startTestServer, type TestServer } from '../support/server'

// The register (台账) export, row by row as the office reads it in Excel: every column in the
// import's layout holding the right field of the right resident, masked unless the admin asked.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(60)
  for (const u of ['secretary', 'admin']) tokens[u] = await s.login(u)
  // A secretary without the 政法 grant.
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: { authorization: `Bearer ${tokens.admin}` },
    payload: { username: 'plain.sec', name: '普通书记', role: 'secretary', password: 'password1' },
  })
  expect(res.statusCode).toBe(201)
  tokens.plain = await s.login('plain.sec', 'password1')
})
afterAll(() => s.close())

const download = (who: string, path: string) => s.app.inject({ method: 'GET', url: `/api/exports/${path}`, headers: { authorization: `Bearer ${tokens[who]}` } })


const zh = <V extends string>(m: Record<string, V>, code: V) => Object.entries(m).find(([, c]) => c === code)![0]
type Row = Record<(typeof REGISTER_HEADERS)[number], string>
const asRecords = (rows: string[][]): Row[] => rows.slice(1).map((r) => Object.fromEntries(REGISTER_HEADERS.map((h, i) => [h, r[i]!])) as Row)

/** The row a resident should have, worked out from the demo community. */
function expectedRow(r: Resident & { idNumber: string | null }, unmasked: boolean, sensitive: boolean): Row {
  const h = s.community.households.find((x) => x.id === r.householdId)!
  const b = s.community.buildings.find((x) => x.id === h.buildingId)
  const g = s.community.gridCells.find((x) => x.id === h.gridId)!
  return {
    网格编号: g.code,
    网格名称: g.name,
    小区: b?.compound ?? '',
    楼栋: b?.number ?? '',
    楼栋类型: b ? { residential: '楼房', bungalow: '平房' }[b.kind] : '',
    单元: h.unit ?? '',
    楼层: h.floor === null ? '' : String(h.floor),
    室: h.room ?? '',
    地址: h.address,
    经度: b?.location ? String(Math.round(b.location.lng * 1e6) / 1e6) : '',
    纬度: b?.location ? String(Math.round(b.location.lat * 1e6) / 1e6) : '',
    住房: zh(HOUSING_ZH, h.housing),
    人户状态: zh(RESIDENCY_ZH, h.residency),
    姓名: unmasked ? r.name : maskName(r.name),
    性别: zh(SEX_ZH, r.sex),
    出生年份: String(r.birthYear),
    与户主关系: zh(RELATION_ZH, r.relation),
    联系电话: r.phone ? (unmasked ? r.phone : maskPhone(r.phone)) : '',
    身份证号: r.idNumber ? (unmasked ? r.idNumber : maskIdNumber(r.idNumber)) : '',
    政治面貌: zh(POLITICAL_ZH, r.political),
    标签: r.tags.filter((t) => sensitive || !isSensitiveTag(t)).map((t) => zh(TAG_ZH, t)).join('、'),
    关注程度: zh(ATTENTION_ZH, h.attention),
    建筑面积: h.area === undefined || h.area === null ? '' : String(h.area),
  }
}

/** Rows keyed by what identifies a resident in a masked file: address, masked name, birth year, relation. */
const keyOf = (r: Row) => `${r.地址}|${r.出生年份}|${r.与户主关系}|${r.性别}|${r.政治面貌}|${r.姓名.slice(0, 1)}`

describe('register export rows', () => {
  it('masked: every resident once, every column the right field, names, phones and ID numbers masked', async () => {
    const res = await download('secretary', 'register.csv')
    expect(res.statusCode).toBe(200)
    const rows = parseCsv(res.rawPayload.toString('utf8').replace(/^\uFEFF/, ''))
    expect(rows[0]).toEqual([...REGISTER_HEADERS])
    const got = asRecords(rows)
    expect(got).toHaveLength(s.community.residents.length)
    const want = s.community.residents.map((r) => expectedRow(r, false, true))
    expect([...got].sort((a, b) => keyOf(a).localeCompare(keyOf(b)) || JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [...want].sort((a, b) => keyOf(a).localeCompare(keyOf(b)) || JSON.stringify(a).localeCompare(JSON.stringify(b))),
    )
    // The variety the comparison above covers.
    expect(got.some((r) => r.联系电话 === '')).toBe(true)
    expect(got.some((r) => r.身份证号 === '')).toBe(true)
    expect(got.some((r) => r.单元 === '')).toBe(true)
    expect(got.some((r) => r.标签.includes('、'))).toBe(true)
  })

  it('unmasked for the admin: the full values, in the same places', async () => {
    const denied = await download('secretary', 'register.xlsx?unmasked=true')
    expect([denied.statusCode, denied.json().error]).toEqual([403, { code: 'FORBIDDEN', message: '只有管理员可以导出未打码的台账' }])
    const res = await download('admin', 'register.csv?unmasked=true')
    expect(res.statusCode).toBe(200)
    const got = asRecords(parseCsv(res.rawPayload.toString('utf8').replace(/^\uFEFF/, '')))
    const want = s.community.residents.map((r) => expectedRow(r, true, true))
    const byId = (rows: Row[]) => [...rows].sort((a, b) => `${a.地址}${a.姓名}${a.出生年份}`.localeCompare(`${b.地址}${b.姓名}${b.出生年份}`))
    expect(byId(got)).toEqual(byId(want))
  })

  it('the 政法 tags only for someone granted them', async () => {
    const sensitive = s.community.residents.filter((r) => r.tags.some(isSensitiveTag))
    expect(sensitive.length).toBeGreaterThan(0)
    const labels = [...new Set(sensitive.flatMap((r) => r.tags.filter(isSensitiveTag)))].map((t) => zh(TAG_ZH, t))
    const plain = (await download('plain', 'register.csv')).rawPayload.toString('utf8')
    const granted = (await download('secretary', 'register.csv')).rawPayload.toString('utf8')
    for (const label of labels) {
      expect(plain).not.toContain(label)
      expect(granted).toContain(label)
    }
    const got = asRecords(parseCsv(plain.replace(/^\uFEFF/, '')))
    const want = s.community.residents.map((r) => expectedRow(r, false, false))
    expect(got.map((r) => r.标签).sort()).toEqual(want.map((r) => r.标签).sort())
  })

  it('grouped as a register is read: grid cell by code, then compound and building together, rooms in number order', async () => {
    const got = asRecords(parseCsv((await download('secretary', 'register.csv')).rawPayload.toString('utf8').replace(/^\uFEFF/, '')))
    const codes = got.map((r) => r.网格编号)
    expect(codes).toEqual([...codes].sort())
    // Each grid cell, compound and building is one run of rows, never split.
    for (const group of [(r: Row) => r.网格编号, (r: Row) => `${r.网格编号}|${r.小区}`, (r: Row) => `${r.网格编号}|${r.小区}|${r.楼栋}`]) {
      const runs = got.map(group).filter((k, i, all) => i === 0 || all[i - 1] !== k)
      expect(new Set(runs).size).toBe(runs.length)
    }
    // Within a building: by unit, then floor, then room, as numbers.
    const n = (v: string) => (v === '' ? -1 : Number(v))
    for (let i = 1; i < got.length; i++) {
      const [a, b] = [got[i - 1]!, got[i]!]
      if (a.网格编号 !== b.网格编号 || a.小区 !== b.小区 || a.楼栋 !== b.楼栋) continue
      const order = n(a.单元) - n(b.单元) || n(a.楼层) - n(b.楼层) || n(a.室) - n(b.室)
      expect(order, `${a.地址} before ${b.地址}`).toBeLessThanOrEqual(0)
    }
  })

  it('within a household, its members in the order they were registered (the head first)', async () => {
    const got = asRecords(parseCsv((await download('admin', 'register.csv?unmasked=1')).rawPayload.toString('utf8').replace(/^\uFEFF/, '')))
    let checked = 0
    for (const h of s.community.households) {
      const want = s.community.residents.filter((r) => r.householdId === h.id).map((r) => r.name)
      if (want.length < 2) continue
      expect(got.filter((r) => r.地址 === h.address).map((r) => r.姓名)).toEqual(want)
      checked++
    }
    expect(checked).toBeGreaterThan(10)
  })

  it('the workbook: sheet 台账, header row frozen, columns as wide as what they hold', async () => {
    const files = xlsxFiles((await download('admin', 'register.xlsx')).rawPayload)
    expect(files.get('xl/workbook.xml')).toContain('name="台账"')
    const sheet = files.get('xl/worksheets/sheet1.xml')!
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"/)
    const widths = [...sheet.matchAll(/<col min="(\d+)" max="\d+" width="(\d+)"/g)].map((m) => Number(m[2]))
    const wide: Record<string, number> = { 小区: 16, 地址: 28, 联系电话: 14, 身份证号: 22, 标签: 20 }
    expect(widths).toEqual(REGISTER_HEADERS.map((h) => wide[h] ?? 10))
  })

  it('names the file by day and masking, says its type and row count, and logs it', async () => {
    const day = new Date().toISOString().slice(0, 10)
    const cases = [
      ['secretary', 'register.csv', 'text/csv; charset=utf-8', `台账-打码-${day}.csv`, `zoufang-register-masked-${day}.csv`, false, 'csv'],
      ['admin', 'register.xlsx?unmasked=1', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `台账-${day}.xlsx`, `zoufang-register-${day}.xlsx`, true, 'xlsx'],
      ['admin', 'register.xlsx?unmasked=0', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `台账-打码-${day}.xlsx`, `zoufang-register-masked-${day}.xlsx`, false, 'xlsx'],
    ] as const
    for (const [who, path, type, name, ascii, unmasked, format] of cases) {
      const res = await download(who, path)
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toBe(type)
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`)
      expect(res.headers['x-export-rows']).toBe(String(s.community.residents.length))
      const log = await s.store.selectFrom('exports_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect([log.kind, log.format, JSON.parse(log.filters), log.row_count]).toEqual(['register', format, { unmasked }, s.community.residents.length])
      if (format === 'xlsx') {
        const sheet = await readSheet(res.rawPayload)
        expect(sheet[0]).toEqual([...REGISTER_HEADERS])
        const names = new Set(sheet.slice(1).map((r) => r[REGISTER_HEADERS.indexOf('姓名')]))
        expect(names.has(s.community.residents[0]!.name)).toBe(unmasked)
      }
    }
  })

  it('floors and rooms in number order, not as text (9 before 10)', async () => {
    const cell = s.community.gridCells[0]!
    const b = s.community.buildings.find((x) => x.gridId === cell.id)!
    const row = (floor: string, room: string, name: string) =>
      REGISTER_HEADERS.map((h) => ({ 网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 单元: '7', 楼层: floor, 室: room, 住房: '自住', 人户状态: '人户一致', 姓名: name, 性别: '男', 出生年份: '1970', 与户主关系: '户主' })[h as string] ?? '')
    const noUnit = row('', '', '无单元').map((v, i) => (REGISTER_HEADERS[i] === '单元' ? '' : v))
    const file = [REGISTER_HEADERS.join(','), row('10', '1001', '十楼'), row('9', '902', '九楼'), row('9', '9010', '九楼大号'), row('1', '101', '一楼'), noUnit].join('\r\n')
    const res = await s.app.inject({ method: 'POST', url: '/api/admin/register/import', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'text/csv' }, payload: file })
    expect(res.statusCode, res.body).toBe(200)
    const got = asRecords(parseCsv((await download('admin', 'register.csv?unmasked=1')).rawPayload.toString('utf8').replace(/^\uFEFF/, '')))
    const building = got.filter((r) => r.网格编号 === cell.code && r.小区 === b.compound && r.楼栋 === b.number)
    expect(building.filter((r) => r.单元 === '7').map((r) => r.姓名)).toEqual(['一楼', '九楼', '九楼大号', '十楼'])
    // No unit, floor or room: before the numbered ones of its building.
    expect(building[0]!.姓名).toBe('无单元')
    expect(building.some((r) => r.单元 !== '' && r.单元 !== '7')).toBe(true)
  })

  it('leaves out residents taken off the register and those of a household taken off', async () => {
    const [gone, other] = s.community.residents
    const household: Household = s.community.households.find((h) => h.id !== gone!.householdId && h.id !== other!.householdId && s.community.residents.some((r) => r.householdId === h.id))!
    const inHousehold = s.community.residents.filter((r) => r.householdId === household.id).length
    await s.store.updateTable('residents').set({ deleted: 1 }).where('id', '=', gone!.id).execute()
    await s.store.updateTable('households').set({ deleted: 1 }).where('id', '=', household.id).execute()
    const res = await download('admin', 'register.csv?unmasked=1')
    const got = asRecords(parseCsv(res.rawPayload.toString('utf8').replace(/^\uFEFF/, '')))
    expect(got).toHaveLength(s.community.residents.length + 5 - 1 - inHousehold)
    expect(got.some((r) => r.姓名 === gone!.name && r.出生年份 === String(gone!.birthYear) && r.地址 === s.community.households.find((h) => h.id === gone!.householdId)!.address)).toBe(false)
    expect(got.some((r) => r.地址 === household.address)).toBe(false)
    expect(res.headers['x-export-rows']).toBe(String(got.length))
  })

  it('a household whose building or grid cell was taken off the register still has its rows, those cells empty', async () => {
    const h = s.community.households.find((x) => x.buildingId && s.community.residents.some((r) => r.householdId === x.id))!
    const b = s.community.buildings.find((x) => x.id === h.buildingId)!
    const other = s.community.households.find((x) => x.gridId !== h.gridId && s.community.residents.some((r) => r.householdId === x.id))!
    await s.store.updateTable('buildings').set({ deleted: 1 }).where('id', '=', b.id).execute()
    await s.store.updateTable('grid_cells').set({ deleted: 1 }).where('id', '=', other.gridId).execute()
    const res = await download('admin', 'register.csv?unmasked=1')
    expect(res.statusCode).toBe(200)
    const got = asRecords(parseCsv(res.rawPayload.toString('utf8').replace(/^\uFEFF/, '')))
    const mine = got.filter((r) => r.地址 === h.address)
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((r) => r.小区 === '' && r.楼栋 === '' && r.网格编号 !== '')).toBe(true)
    const theirs = got.filter((r) => r.地址 === other.address)
    expect(theirs.length).toBeGreaterThan(0)
    expect(theirs.every((r) => r.网格编号 === '')).toBe(true)
  })
})
