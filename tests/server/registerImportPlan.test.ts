import { readSheet } from 'read-excel-file/node'
import writeExcelFile from 'write-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Household, PullResponse, Resident } from '../../src/domain'
import { Household as HouseholdSchema } from '../../src/domain'
import { REGISTER_HEADERS } from '../../src/domain/registerImport'
import { readCounter } from '../../src/server/store/counters'
import { parseCsv } from '../support/csv'
import { unzip, xlsxFiles, zip } from '../support/xlsx'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 设置 → 导入台账, the way the office uses it: export the register, change a few cells in Excel,
// import it again. The preview must count exactly what will change; the import must change just
// that, match people by ID number (or by name within their household), and never drop anyone.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
let s: TestServer
let admin: string
let header: string[]
/** The unmasked register as exported at the start, one array of cells per resident. */
let exported: string[][]

beforeAll(async () => {
  s = await startTestServer(60)
  admin = await s.login('admin')
  const res = await s.app.inject({ method: 'GET', url: '/api/exports/register.csv?unmasked=1', headers: { authorization: `Bearer ${admin}` } })
  const rows = parseCsv(res.rawPayload.toString('utf8').replace(/^\uFEFF/, ''))
  header = rows[0]!
  exported = rows.slice(1)
})
afterAll(() => s.close())

const col = (h: (typeof REGISTER_HEADERS)[number]) => REGISTER_HEADERS.indexOf(h)
const csv = (rows: string[][]) => `${rows.map((r) => r.map((v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n')}\r\n`

interface Preview {
  dryRun: boolean
  households: { create: number; update: number; unchanged: number }
  residents: { create: number; update: number; unchanged: number }
  created: { grids: { code: string; name: string }[]; compounds: string[]; buildings: number; units: number; unlocated: number; buildingsUpdated: number }
  errors: { row: number; column: string | null; message: string }[]
}
/** An import into cells and buildings that are all on the register already. */
const NOTHING_CREATED = { grids: [], compounds: [], buildings: 0, units: 0, unlocated: 0, buildingsUpdated: 0 }
async function post(body: Buffer | string, type = 'text/csv', query = '') {
  const res = await s.app.inject({ method: 'POST', url: `/api/admin/register/import${query}`, headers: { authorization: `Bearer ${admin}`, 'content-type': type }, payload: body })
  return { status: res.statusCode, body: res.json() as Preview & { error: { code: string; message: string; details?: Preview } } }
}
/** Preview, then import; both must agree. */
async function importRows(rows: string[][]) {
  const dry = await post(csv([header, ...rows]), 'text/csv', '?dryRun=1')
  expect(dry.status, JSON.stringify(dry.body)).toBe(200)
  const head = await readCounter(s.store, 'version')
  const done = await post(csv([header, ...rows]))
  expect(done.status, JSON.stringify(done.body)).toBe(200)
  expect({ ...done.body, dryRun: true }).toEqual(dry.body)
  const { households: h, residents: r, created: c } = done.body
  const writes = h.create + h.update + r.create + r.update + c.grids.length + c.buildings + c.buildingsUpdated
  expect(await readCounter(s.store, 'version')).toBe(head + writes)
  return done.body
}

const residentRow = async (id: string) => {
  const r = await s.store.selectFrom('residents').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { ...r, version: Number(r.version), data: JSON.parse(r.data) as Resident }
}
const householdRow = async (id: string) => {
  const h = await s.store.selectFrom('households').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  return { ...h, version: Number(h.version), data: JSON.parse(h.data) as Household, field_versions: JSON.parse(h.field_versions) as Record<string, number> }
}
/** The exported rows of a demo household, found by its address. */
const rowsOf = (h: Household) => exported.filter((r) => r[col('地址')] === h.address)
const set = (row: string[], changes: Partial<Record<(typeof REGISTER_HEADERS)[number], string>>) => {
  const out = [...row]
  for (const [k, v] of Object.entries(changes)) out[col(k as (typeof REGISTER_HEADERS)[number])] = v!
  return out
}

/** A valid 18-digit ID number (GB 11643 check digit) for a serial. */
function idNumber(serial: number, birth = '19700101'): string {
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const body = `370902${birth}${String(serial).padStart(3, '0')}`
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * W[i]!
  return body + '10X98765432'[sum % 11]!
}

/** Households of two or more whose tags all come from their residents (see the 出租房 test at the end). */
const households = () =>
  s.community.households.filter((h) => {
    const members = s.community.residents.filter((r) => r.householdId === h.id)
    return members.length >= 2 && h.tags.every((t) => members.some((r) => r.tags.includes(t)))
  })
/** An exported row of a household like that, with one resident. */
const singleRow = () => {
  const h = s.community.households.find((x) => x.tags.length === 0 && s.community.residents.filter((r) => r.householdId === x.id).length === 1)!
  return rowsOf(h)[0]!
}

describe('importing an edited register', () => {
  it('the unchanged export of households whose tags come from their residents imports as all unchanged', async () => {
    const rows = households().flatMap(rowsOf)
    const res = await importRows(rows)
    expect(res).toEqual({ dryRun: false, households: { create: 0, update: 0, unchanged: households().length }, residents: { create: 0, update: 0, unchanged: rows.length }, created: NOTHING_CREATED, errors: [] })
  })

  it("a changed phone of the head: one resident and their household updated, the household's phone follows, only that field's version moves", async () => {
    const h = households()[0]!
    const head = s.community.residents.find((r) => r.householdId === h.id && r.relation === 'head')!
    const rows = rowsOf(h).map((r) => (r[col('姓名')] === head.name ? set(r, { 联系电话: '13700001111' }) : r))
    const before = await householdRow(h.id)
    const version = await readCounter(s.store, 'version')
    const res = await importRows(rows)
    expect(res.households).toEqual({ create: 0, update: 1, unchanged: 0 })
    expect(res.residents).toEqual({ create: 0, update: 1, unchanged: rows.length - 1 })
    const after = await householdRow(h.id)
    expect(after.data).toEqual({ ...before.data, phone: '13700001111' })
    expect(after.field_versions).toEqual({ ...before.field_versions, phone: after.version })
    expect(after.grid_id).toBe(h.gridId)
    const r = await residentRow(head.id)
    const { idNumber: _whole, ...record } = head
    expect(r.data).toEqual({ ...record, phone: '13700001111' })
    expect(r.id_number).toBe(head.idNumber)
    // Two records changed, a version each: the household's first.
    expect([after.version, r.version]).toEqual([version + 1, version + 2])
  })

  it('a resident left out of the file stays, and still counts for the household (tags, head, search)', async () => {
    const h = households()[1]!
    const members = rowsOf(h)
    const kept = members.filter((r) => r[col('与户主关系')] !== '户主')
    expect(kept.length).toBeGreaterThan(0)
    const before = await householdRow(h.id)
    const head = s.community.residents.find((r) => r.householdId === h.id && r.relation === 'head')!
    const res = await importRows(kept)
    expect(res).toMatchObject({ households: { create: 0 }, residents: { create: 0, update: 0, unchanged: kept.length } })
    // (The household may count as updated: its search key lists the people in the file first.)
    const after = await householdRow(h.id)
    expect({ ...after.data, searchKey: '' }).toEqual({ ...before.data, searchKey: '' })
    expect(after.data.searchKey.split(' ').sort()).toEqual(before.data.searchKey.split(' ').sort())
    expect(after.data.headName).toBe(head.name)
    const count = await s.store.selectFrom('residents').select('id').where('household_id', '=', h.id).where('deleted', '=', 0).execute()
    expect(count).toHaveLength(members.length)
  })

  it('a new member of an existing household is created in it; the household gains their name in its search key and their tags', async () => {
    const h = households()[2]!
    const template = rowsOf(h)[0]!
    const child = set(template, { 姓名: '欧阳小明', 性别: '男', 出生年份: '2015', 与户主关系: '孙辈', 联系电话: '', 身份证号: '', 政治面貌: '群众', 标签: '留守儿童' })
    // Listed first: a new name is matched to no one, not to the first member not yet matched.
    const res = await importRows([child, ...rowsOf(h)])
    expect(res).toMatchObject({ households: { update: 1 }, residents: { create: 1, update: 0, unchanged: rowsOf(h).length } })
    const after = await householdRow(h.id)
    expect(after.data.searchKey).toContain('欧阳小明')
    expect(after.data.searchKey).toContain('ouyangxiaoming')
    expect(after.data.tags).toContain('left_behind_child')
    expect(after.data.headName).toBe(s.community.residents.find((r) => r.householdId === h.id && r.relation === 'head')!.name)
    const created = await s.store.selectFrom('residents').selectAll().where('household_id', '=', h.id).execute()
    const mine = created.map((r) => ({ ...r, data: JSON.parse(r.data) as Resident })).find((r) => r.data.name === '欧阳小明')!
    expect(mine).toMatchObject({ grid_id: h.gridId, household_id: h.id, id_number: null, deleted: 0, data: { householdId: h.id, gridId: h.gridId, relation: 'grandchild', birthYear: 2015, idMasked: null, tags: ['left_behind_child'] } })
    // The household is written before its new resident: a phone pulling in order never sees a resident without a home.
    expect(Number(mine.version)).toBeGreaterThan(after.version)
  })

  it('someone who moved (the same ID number in another household) is moved, not duplicated', async () => {
    const [from, to] = [households()[3]!, households()[4]!]
    const mover = s.community.residents.find((r) => r.householdId === from.id && r.relation !== 'head' && r.idNumber)!
    const moverRow = exported.find((r) => r[col('身份证号')] === mover.idNumber)!
    const target = rowsOf(to)[0]!
    const moved = set(moverRow, { 网格编号: target[col('网格编号')]!, 小区: target[col('小区')]!, 楼栋: target[col('楼栋')]!, 单元: target[col('单元')]!, 楼层: target[col('楼层')]!, 室: target[col('室')]!, 地址: target[col('地址')]!, 与户主关系: '其他' })
    const total = (await s.store.selectFrom('residents').select('id').execute()).length
    const res = await importRows([...rowsOf(to), moved])
    expect(res.residents).toEqual({ create: 0, update: 1, unchanged: rowsOf(to).length })
    expect(res.households).toEqual({ create: 0, update: 1, unchanged: 0 })
    const r = await residentRow(mover.id)
    expect(r).toMatchObject({ household_id: to.id, grid_id: to.gridId, id_number: mover.idNumber, data: { householdId: to.id, gridId: to.gridId, relation: 'other' } })
    expect((await s.store.selectFrom('residents').select('id').execute()).length).toBe(total)
  })

  it('an ID number given for someone known by name only is added (masked on the record, whole in its column); left out later, it is kept', async () => {
    const room = { 网格编号: s.community.gridCells[0]!.code } as const
    const b = s.community.buildings.find((x) => x.gridId === s.community.gridCells[0]!.id)!
    const base = REGISTER_HEADERS.map(() => '')
    const row = set(base, { ...room, 小区: b.compound, 楼栋: b.number, 单元: '9', 楼层: '9', 室: '9909', 住房: '自住', 人户状态: '人户一致', 姓名: '令狐冲', 性别: '男', 出生年份: '1970', 与户主关系: '户主' })
    expect(await importRows([row])).toMatchObject({ households: { create: 1 }, residents: { create: 1 } })
    const first = await s.store.selectFrom('residents').selectAll().where('data', 'like', '%令狐冲%').executeTakeFirstOrThrow()
    expect(first.id_number).toBeNull()

    const id = idNumber(7)
    const withId = await importRows([set(row, { 身份证号: id })])
    expect(withId).toMatchObject({ households: { unchanged: 1 }, residents: { create: 0, update: 1, unchanged: 0 } })
    const r = await residentRow(first.id)
    expect(r.id_number).toBe(id)
    expect(r.data.idMasked).toBe(`${id.slice(0, 6)}********${id.slice(14)}`)

    const without = await importRows([row])
    expect(without).toMatchObject({ residents: { create: 0, update: 0, unchanged: 1 } })
    expect((await residentRow(first.id)).id_number).toBe(id)

    // The same name with a different ID number is someone else: a second resident.
    const namesake = set(row, { 身份证号: idNumber(8), 与户主关系: '兄弟姐妹' })
    expect(await importRows([namesake, set(row, { 身份证号: id })])).toMatchObject({ residents: { create: 1, update: 0, unchanged: 1 } })
    expect((await residentRow(first.id)).data.relation).toBe('head')
  })

  it('a new household takes its head for its name and phone, the tags of everyone in the order of the tag list, and its address', async () => {
    const cell = s.community.gridCells[1]!
    const b = s.community.buildings.find((x) => x.gridId === cell.id)!
    const base = set(REGISTER_HEADERS.map(() => ''), { 网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 单元: '8', 楼层: '8', 室: '9808', 住房: '出租', 人户状态: '户在人不在', 性别: '女', 出生年份: '1980', 关注程度: '重点' })
    const rows = [
      set(base, { 姓名: '任盈盈', 与户主关系: '配偶', 联系电话: '13600002222', 标签: '高龄、低保、高龄' }),
      set(base, { 姓名: '任我行', 性别: '男', 出生年份: '1950', 与户主关系: '户主', 联系电话: '13600003333', 标签: '独居老人', 关注程度: '高风险' }),
    ]
    const res = await importRows(rows)
    expect(res).toEqual({ dryRun: false, households: { create: 1, update: 0, unchanged: 0 }, residents: { create: 2, update: 0, unchanged: 0 }, created: { ...NOTHING_CREATED, units: 1, buildingsUpdated: 1 }, errors: [] })
    const row = await s.store.selectFrom('households').selectAll().where('data', 'like', '%9808%').executeTakeFirstOrThrow()
    const h = JSON.parse(row.data) as Household
    expect(h).toEqual({
      id: row.id,
      gridId: cell.id,
      buildingId: b.id,
      unit: '8',
      floor: 8,
      room: '9808',
      address: `${b.compound}${b.number}8单元9808室`,
      housing: 'rented',
      residency: 'registered_absent',
      phone: '13600003333',
      tags: ['dibao', 'elderly_alone', 'aged_80'],
      attention: 'high',
      headName: '任我行',
      searchKey: expect.stringContaining('renyingying'),
    })
    expect(h.searchKey).toContain('任我行')
    expect(row).toMatchObject({ grid_id: cell.id, household_id: row.id, deleted: 0, field_versions: '{}' })
    const residents = await s.store.selectFrom('residents').select('data').where('household_id', '=', row.id).execute()
    expect(residents.map((r) => (JSON.parse(r.data) as Resident).tags).sort()).toEqual([['dibao', 'aged_80'], ['elderly_alone']])

    // The worker of that grid cell gets it at the next pull.
    const worker = s.community.users.find((u) => u.gridIds.includes(cell.id))!
    const token = await s.login(worker.username)
    const pulled = await s.app.inject({ method: 'GET', url: '/api/sync/pull?limit=2000', headers: { authorization: `Bearer ${token}` } })
    const changes = (pulled.json() as Extract<PullResponse, { changes: unknown }>).changes
    expect(changes.find((c) => c.id === row.id)?.data).toEqual(h)
  })

  it('a very large household keeps a search key no longer than a household record allows', async () => {
    const cell = s.community.gridCells[4]!
    const b = s.community.buildings.find((x) => x.gridId === cell.id)!
    const chars = '春夏秋冬梅兰竹菊山水风云日月星辰江河湖海松柏桃李金木土石'
    const rows = Array.from({ length: 15 }, (_, i) =>
      set(REGISTER_HEADERS.map(() => ''), {
        网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 室: '9606', 住房: '自住', 人户状态: '人户一致', 性别: '男', 出生年份: String(1950 + i),
        姓名: `欧阳${Array.from({ length: 28 }, (_, k) => chars[(i + k) % chars.length]).join('')}`,
        与户主关系: i === 0 ? '户主' : '其他',
      }),
    )
    expect(await importRows(rows)).toMatchObject({ households: { create: 1 }, residents: { create: 15 } })
    const row = await s.store.selectFrom('households').select('data').where('data', 'like', '%9606室%').executeTakeFirstOrThrow()
    const h = HouseholdSchema.parse(JSON.parse(row.data))
    expect(h.searchKey).toHaveLength(2000)
    expect(h.searchKey.startsWith(rows[0]![col('姓名')]!)).toBe(true)
  })

  it('a household on the register with no one in it yet gets its first resident', async () => {
    const empty = s.community.households.find((h) => !s.community.residents.some((r) => r.householdId === h.id))!
    const b = s.community.buildings.find((x) => x.id === empty.buildingId)!
    const row = set(REGISTER_HEADERS.map(() => ''), {
      网格编号: s.community.gridCells.find((g) => g.id === empty.gridId)!.code, 小区: b.compound, 楼栋: b.number, 单元: empty.unit ?? '', 楼层: empty.floor === null ? '' : String(empty.floor), 室: empty.room ?? '',
      地址: empty.address, 住房: '出租', 人户状态: '人在户不在', 姓名: '田伯光', 性别: '男', 出生年份: '1975', 与户主关系: '户主', 联系电话: '13600005555',
    })
    expect(await importRows([row])).toMatchObject({ households: { create: 0, update: 1 }, residents: { create: 1, update: 0, unchanged: 0 } })
    expect((await householdRow(empty.id)).data).toMatchObject({ headName: '田伯光', phone: '13600005555', housing: 'rented', residency: 'present_unregistered' })
    const mine = await s.store.selectFrom('residents').select('data').where('household_id', '=', empty.id).execute()
    expect(mine.map((r) => (JSON.parse(r.data) as Resident).name)).toEqual(['田伯光'])
  })

  it('a household without a head is named after its first member; without any phone it keeps none', async () => {
    const cell = s.community.gridCells[2]!
    const b = s.community.buildings.find((x) => x.gridId === cell.id)!
    const base = set(REGISTER_HEADERS.map(() => ''), { 网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 室: '9707', 住房: '空置', 人户状态: '人户一致', 性别: '女', 出生年份: '1990', 与户主关系: '子女' })
    await importRows([set(base, { 姓名: '岳灵珊' }), set(base, { 姓名: '岳不群', 联系电话: '13600004444', 与户主关系: '父母' })])
    const row = await s.store.selectFrom('households').select('data').where('data', 'like', '%9707%').executeTakeFirstOrThrow()
    expect(JSON.parse(row.data)).toMatchObject({ headName: '岳灵珊', phone: null, unit: null, floor: null, address: `${b.compound}${b.number}9707室` })
  })
})

describe('what the import says before writing anything', () => {
  it('more than three errors: the first three in the message, then ……; details carry the whole preview', async () => {
    const bad = (i: number) => set(exported[i]!, { 性别: '未知' })
    const before = await readCounter(s.store, 'version')
    const { status, body } = await post(csv([header, bad(0), bad(1), bad(2), bad(3), exported[4]!]))
    expect(status).toBe(400)
    const line = (row: number) => `第${row}行「性别」：「未知」不认识，应为男/女`
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.message).toBe(`导入文件有4处错误，什么都没有写入。${line(2)}；${line(3)}；${line(4)}……`)
    expect(body.error.details!.errors.map((e) => e.row)).toEqual([2, 3, 4, 5])
    expect(body.error.details!.residents).toEqual({ create: 0, update: 0, unchanged: 1 })
    const three = await post(csv([header, bad(0), bad(1), bad(2)]))
    expect(three.body.error.message).toBe(`导入文件有3处错误，什么都没有写入。${line(2)}；${line(3)}；${line(4)}`)
    const one = await post(csv([header, bad(0)]))
    expect(one.body.error.message).toBe(`导入文件有1处错误，什么都没有写入。${line(2)}`)
    expect(await readCounter(s.store, 'version')).toBe(before)
  })

  it('a file without the required columns is refused as a whole, naming them', async () => {
    const { status, body } = await post(csv([header.filter((h) => h !== '性别' && h !== '小区'), ['x']]), 'text/csv', '?dryRun=1')
    expect([status, body.error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(body.error.message).toBe('表头缺少这些列：小区、性别（请用导入模板的表头，表头在第1行）')
  })

  it('errors from reading rows and from checking them against the register come in row order', async () => {
    // Row 5's 网格编号 lost its zeros, which only the register shows (001 is a demo cell).
    const rows = [exported[0]!, set(exported[1]!, { 楼栋类型: '别墅' }), set(exported[2]!, { 性别: '未知' }), set(exported[3]!, { 网格编号: '1' })]
    const file = await writeExcelFile([header, ...rows.map((r) => r.map((v, i) => (i === col('网格编号') && v === '1' ? 1 : v)))]).toBuffer()
    const { body } = await post(file, XLSX, '?dryRun=1')
    expect(body.errors.map((e) => [e.row, e.column])).toEqual([[3, '楼栋类型'], [4, '性别'], [5, '网格编号']])
  })

  it('an import is audited with its counts; a dry run is not', async () => {
    const audits = () => s.store.selectFrom('audit_log').selectAll().where('action', '=', 'import').where('subject_type', '=', 'register').orderBy('id').execute()
    const before = (await audits()).length
    await post(csv([header, singleRow()]), 'text/csv', '?dryRun=true')
    expect((await audits()).length).toBe(before)
    await post(csv([header, singleRow()]))
    const last = (await audits()).at(-1)!
    expect([last.user_id, last.subject_id, JSON.parse(last.details)]).toEqual([
      workerOf(s.community, 'admin').id,
      'households',
      { households: { create: 0, update: 0, unchanged: 1 }, residents: { create: 0, update: 0, unchanged: 1 }, created: { grids: 0, buildings: 0, buildingsUpdated: 0 } },
    ])
  })
})

describe('which files are read', () => {
  it('CSV under any of its names and casings; xlsx by its type or as octet-stream when it is a zip', async () => {
    const text = csv([header, singleRow()])
    for (const type of ['text/csv', 'TEXT/CSV; charset=utf-8', 'application/csv', 'text/comma-separated-values', 'text/csv;charset=gbk', 'text/csv ; charset=utf-8']) {
      const { status, body } = await post(text, type, '?dryRun=1')
      expect([type, status, body.residents?.unchanged]).toEqual([type, 200, 1])
    }
    const xlsx = await writeExcelFile([header, singleRow()]).toBuffer()
    for (const type of [XLSX, 'application/octet-stream', `${XLSX}; charset=binary`]) {
      const { status, body } = await post(xlsx, type, '?dryRun=1')
      expect([type, status, body.residents?.unchanged]).toEqual([type, 200, 1])
    }
  })

  it('anything else is 415 with a sentence saying what is accepted', async () => {
    const xlsx = await writeExcelFile([header, exported[0]!]).toBuffer()
    const generic = '只能导入 .xlsx 或 .csv 文件（CSV 用 UTF-8 或 GBK 编码）'
    for (const [body, type, message] of [
      [csv([header, exported[0]!]), 'application/octet-stream', generic],
      [xlsx, 'text/csv', generic],
      [Buffer.concat([Buffer.from(csv([header])), Buffer.from([0]), Buffer.from('x')]), 'text/csv', generic],
      [Buffer.from('PK\u0003\u0004'), XLSX, generic],
      [csv([header]), XLSX, generic],
      [Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 1)]), XLSX, '这个 .xlsx 文件打不开，请用 Excel 或 WPS 另存为 .xlsx 后再导入'],
      [csv([header]), 'text/plain', generic],
      [Buffer.alloc(0), XLSX, generic],
      [Buffer.from('PK\u0003'), 'application/octet-stream', generic],
      [csv([header]), undefined, generic],
    ] as const) {
      const res = await s.app.inject({
        method: 'POST',
        url: '/api/admin/register/import?dryRun=1',
        headers: { authorization: `Bearer ${admin}`, ...(type ? { 'content-type': type } : {}) },
        payload: body,
      })
      expect([type, res.statusCode, res.json().error]).toEqual([type, 415, { code: 'UNSUPPORTED_MEDIA', message }])
    }
  })

  it('a formula in a register column of an xlsx is refused, named by row and column, wherever the column sits', async () => {
    // 27 columns of notes first, so the register's columns sit at AB… (two letters).
    const notes = Array.from({ length: 27 }, (_, i) => `备注${i + 1}`)
    const row = singleRow()
    const formulaAt = (h: (typeof REGISTER_HEADERS)[number]) =>
      [[...notes, ...header], [...notes.map(() => ''), ...row.map((v, i) => (i === col(h) ? { type: 'Formula' as const, value: 'A1' } : v))]]
    for (const h of ['网格编号', '身份证号', '关注程度'] as const) {
      const { status, body } = await post(await writeExcelFile(formulaAt(h)).toBuffer(), XLSX, '?dryRun=1')
      expect(status).toBe(200)
      expect(body.errors).toEqual([{ row: 2, column: h, message: `第2行「${h}」：不能是公式，请粘贴为数值后再导入` }])
    }
  })
})

describe('the import template', () => {
  it('台账 first: the headers in a frozen first row, an example row, wide columns for the address and the ID number', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/admin/register/template.xlsx', headers: { authorization: `Bearer ${admin}` } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toBe(`attachment; filename="register-template.xlsx"; filename*=UTF-8''${encodeURIComponent('台账导入模板.xlsx')}`)
    expect(await readSheet(res.rawPayload)).toEqual([
      [...REGISTER_HEADERS],
      ['001', '第一网格', '幸福里小区', '3号楼', '楼房', '2', '5', '502', null, 116.397428, 39.90923, '自住', '人户一致', '张三', '男', '1956', '户主', '13812345678', '110105195601010016', '党员', '独居老人、高龄', '重点', 89.5],
    ])
    const files = xlsxFiles(res.rawPayload)
    expect(files.get('xl/workbook.xml')).toMatch(/name="台账"[\s\S]*name="说明"/)
    const sheet = files.get('xl/worksheets/sheet1.xml')!
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"/)
    const widths = [...sheet.matchAll(/<col min="(\d+)" max="\d+"(?: style="\d+")? width="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])])
    expect(widths).toEqual(REGISTER_HEADERS.map((h, i) => [i + 1, h === '地址' || h === '身份证号' ? 22 : 12]))
  })

  it('code, phone and ID columns are text, so 001 and 18 digits survive; coded columns offer their values in a drop-down', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/admin/register/template.xlsx', headers: { authorization: `Bearer ${admin}` } })
    const files = xlsxFiles(res.rawPayload)
    const sheet = files.get('xl/worksheets/sheet1.xml')!
    const styles = files.get('xl/styles.xml')!
    // The style the text columns carry is the text format "@".
    const textColumns = [...sheet.matchAll(/<col min="(\d+)" max="\d+" style="(\d+)"/g)]
    expect(textColumns.map((m) => header[Number(m[1]) - 1])).toEqual(['网格编号', '单元', '室', '联系电话', '身份证号'])
    const xfs = [...styles.matchAll(/<xf [^>]*>/g)].map((m) => m[0])
    const numFmtId = /numFmtId="(\d+)"/.exec(xfs[Number(textColumns[0]![2])]!)![1]
    expect(styles).toContain(`<numFmt numFmtId="${numFmtId}" formatCode="@"/>`)
    const lists = Object.fromEntries(
      [...sheet.matchAll(/<dataValidation type="list"[^>]*sqref="([A-Z]+)2:[A-Z]+20000"><formula1>"([^"]*)"<\/formula1>/g)].map((m) => [header[m[1]!.charCodeAt(0) - 65], m[2]]),
    )
    expect(lists).toMatchObject({ 性别: '男,女', 住房: '自住,出租,空置', 人户状态: '人户一致,人在户不在,户在人不在', 与户主关系: '户主,配偶,子女,父母,孙辈,兄弟姐妹,其他', 楼栋类型: '楼房,平房,自建房' })
    expect(lists.标签!.split(',')).toContain('独居老人')
    // Several tags may be typed, joined with 、: the 标签 drop-down suggests, it does not refuse.
    expect(sheet).toMatch(/<dataValidation type="list" allowBlank="1" showInputMessage="1" sqref="[A-Z]+2:[A-Z]+20000"><formula1>"低保,/)
    expect(sheet).toMatch(/<dataValidation type="decimal"[^>]*><formula1>73.4<\/formula1><formula2>135.1<\/formula2>/)
  })

  it('a 说明 sheet says for each column whether it is required, what it means and what it may hold', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/admin/register/template.xlsx', headers: { authorization: `Bearer ${admin}` } })
    const help = (await readSheet(res.rawPayload, '说明')) as (string | null)[][]
    expect(help[0]).toEqual(['列名', '必填', '填写说明', '可填的值'])
    const byColumn = new Map(help.slice(1, 1 + REGISTER_HEADERS.length).map((r) => [r[0], r]))
    expect([...byColumn.keys()]).toEqual([...REGISTER_HEADERS])
    expect(byColumn.get('姓名')![1]).toBe('必填')
    expect(byColumn.get('地址')![1]).toBeNull()
    expect(byColumn.get('身份证号')![2]).toContain('不要改成数字格式')
    expect(byColumn.get('性别')![3]).toBe('男、女')
    expect(byColumn.get('经度')![2]).toContain('GCJ-02')
  })
})

describe('an .xlsx saved by another program', () => {
  /** Eleven valid new households (rows 2–12), then two rows whose phone is a formula filled down (rows 13, 14). */
  async function workbook() {
    const cell = s.community.gridCells[3]!
    const b = s.community.buildings.find((x) => x.gridId === cell.id)!
    const row = (i: number) => set(REGISTER_HEADERS.map(() => ''), { 网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 室: `96${String(i).padStart(2, '0')}`, 住房: '自住', 人户状态: '人户一致', 姓名: `测试${i}`, 性别: '女', 出生年份: '1960', 与户主关系: '户主' })
    const formula = (i: number) => row(i).map((v, c) => (c === col('联系电话') ? { type: 'Formula' as const, value: 'A1' } : v))
    const data = [header, ...Array.from({ length: 11 }, (_, i) => row(i + 1)), formula(12), formula(13)]
    // A second sheet of notes with a formula of its own: only the first sheet is the register.
    const notes = [['备注', '合计'], ['', { type: 'Formula' as const, value: '1+1' }]]
    return writeExcelFile([{ data, sheet: '台账' }, { data: notes, sheet: '说明' }]).toBuffer()
  }
  const formulaErrors = [13, 14].map((row) => ({ row, column: '联系电话', message: `第${row}行「联系电话」：不能是公式，请粘贴为数值后再导入` }))

  it('formulas are found however the zip is written: stored or deflated, extra fields, comments, any entry order', async () => {
    const plain = await workbook()
    expect((await post(plain, XLSX, '?dryRun=1')).body.errors).toEqual(formulaErrors)
    const entries = unzip(plain)
    for (const options of [{ stored: true }, { extraFields: true }, { comments: true }, { stored: true, extraFields: true, comments: true }]) {
      for (const order of [entries, [...entries].reverse()]) {
        const file = zip(order, options)
        // Excel and WPS open it (as the import's own reader does)…
        expect((await readSheet(file)).length).toBe(14)
        // …and the import still refuses the formulas, and only those.
        const { status, body } = await post(file, XLSX, '?dryRun=1')
        expect([JSON.stringify(options), status, body.errors]).toEqual([JSON.stringify(options), 200, formulaErrors])
        expect(body.households.create).toBe(11)
      }
    }
  })

  it('formulas are found in pretty-printed XML and as shared formulas (a formula filled down in Excel)', async () => {
    const phone = String.fromCharCode(65 + col('联系电话')) // the column letter, A–Z
    const entries = unzip(await workbook()).map((e) => {
      if (e.name !== 'xl/worksheets/sheet1.xml') return e
      const xml = e.data
        .toString('utf8')
        .replace(new RegExp(`<c r="${phone}13"><f>A1</f></c>`), `<c r="${phone}13">\n        <f t="shared" ref="${phone}13:${phone}14" si="0">A1</f>\n      </c>`)
        .replace(new RegExp(`<c r="${phone}14"><f>A1</f></c>`), `<c r="${phone}14"><f t="shared" si="0"/></c>`)
      expect(xml).toContain('si="0"/>')
      return { name: e.name, data: Buffer.from(xml, 'utf8') }
    })
    const { body } = await post(zip(entries), XLSX, '?dryRun=1')
    expect(body.errors).toEqual(formulaErrors)
  })
})

describe('known bug: the 出租房 tag does not survive a round trip', () => {
  // The register export writes each resident's tags; 出租房 (rental) is a tag of the household,
  // not of anyone in it. The import then sets the household's tags to its residents' tags only,
  // so importing the export just downloaded — unchanged — strips 出租房 from every rented
  // household (17 of 58 in this demo), and with it their place in the visit rules for tagged
  // households. Remove `.fails` when export or import keep household tags.
  it.fails('the unchanged export imports as all unchanged, and writes nothing', async () => {
    const res = await importRows(exported)
    const withResidents = s.community.households.filter((h) => s.community.residents.some((r) => r.householdId === h.id)).length
    expect(res.households).toEqual({ create: 0, update: 0, unchanged: withResidents })
    const rented = s.community.households.filter((h) => h.tags.includes('rental'))
    expect(rented.length).toBeGreaterThan(0)
    for (const h of rented) expect((await householdRow(h.id)).data.tags).toContain('rental')
  })
})
