import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Building, Change, GridCell, Household, PullResponse } from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// The admin's register page on the server: grid cells, compounds and buildings made, edited and
// retired by hand; what a worker's phone pulls afterwards.

let s: TestServer
let admin: string
let worker: string
let gridId: string
beforeAll(async () => {
  s = await startTestServer(200)
  admin = await s.login('admin')
  worker = await s.login('grid01')
  gridId = workerOf(s.community, 'grid01').gridIds[0]!
})
afterAll(() => s.close())

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, token = admin) =>
  s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) })

/** Everything grid01's phone would pull from scratch. */
async function pullAll(token = worker): Promise<Change[]> {
  const changes: Change[] = []
  for (let cursor = ''; ; ) {
    const q = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) })
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${token}` } })
    const body = res.json() as PullResponse
    if ('reset' in body) throw new Error('unexpected reset')
    changes.push(...body.changes)
    if (!body.hasMore) return changes
    cursor = body.cursor
  }
}
const latest = (changes: Change[], id: string) => changes.filter((c) => c.id === id).at(-1)

const SQUARE = { type: 'Polygon', coordinates: [[[117.1, 36.1], [117.101, 36.1], [117.101, 36.101], [117.1, 36.101], [117.1, 36.1]]] }

describe('grid cells by hand', () => {
  it('a cell made without a boundary is listed with no households; its code is taken from then on', async () => {
    const made = await call('POST', '/api/admin/grid-cells', { code: '020', name: '第二十网格' })
    expect(made.statusCode, made.body).toBe(201)
    const cell = made.json<GridCell>()
    expect(cell).toMatchObject({ code: '020', name: '第二十网格', polygon: null })
    const structure = (await call('GET', '/api/admin/register/structure')).json<{ grids: (GridCell & { households: number })[] }>()
    expect(structure.grids.find((g) => g.id === cell.id)).toEqual({ ...cell, households: 0 })
    expect(structure.grids.find((g) => g.id === gridId)!.households).toBeGreaterThan(0)
    const again = await call('POST', '/api/admin/grid-cells', { code: '020', name: '重复' })
    expect([again.statusCode, again.json().error.code, again.json().error.message]).toEqual([409, 'ALREADY_EXISTS', '已有编号为「020」的网格'])
  })

  it('a boundary drawn later is checked like an imported one; an empty cell can be retired, a used one cannot', async () => {
    const cell = (await call('POST', '/api/admin/grid-cells', { code: '021', name: '第二十一网格' })).json<GridCell>()
    const open = { type: 'Polygon', coordinates: [[[117.1, 36.1], [117.2, 36.1], [117.2, 36.2], [117.1, 36.3]]] }
    const bad = await call('PATCH', `/api/admin/grid-cells/${cell.id}`, { polygon: open })
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(bad.json().error.message).toMatch(/^网格范围画得不对：/)
    const drawn = await call('PATCH', `/api/admin/grid-cells/${cell.id}`, { polygon: SQUARE })
    expect(drawn.statusCode, drawn.body).toBe(200)
    expect(drawn.json<GridCell>().polygon).toEqual(SQUARE)

    const used = await call('DELETE', `/api/admin/grid-cells/${gridId}`)
    expect([used.statusCode, used.json().error.code]).toEqual([409, 'IN_USE'])
    expect(used.json().error.message).toMatch(/^这个网格里还有\d+栋楼、\d+户，不能撤销/)
    expect((await call('DELETE', `/api/admin/grid-cells/${cell.id}`)).statusCode).toBe(204)
    const gone = await call('PATCH', `/api/admin/grid-cells/${cell.id}`, { name: '又来' })
    expect([gone.statusCode, gone.json().error.code]).toEqual([404, 'NOT_FOUND'])
    // Only the admin's cells list no longer has it; its code is free again.
    expect((await call('POST', '/api/admin/grid-cells', { code: '021', name: '第二十一网格' })).statusCode).toBe(201)
  })
})

describe('buildings by hand', () => {
  it('a building made in grid01’s cell reaches grid01’s phone, then its place, then its retirement', async () => {
    const made = await call('POST', '/api/admin/buildings', { gridId, compound: '新华小区', number: '8号楼', units: 2, floors: 11 })
    expect(made.statusCode, made.body).toBe(201)
    const b = made.json<Building>()
    expect(b).toMatchObject({ gridId, compound: '新华小区', number: '8号楼', kind: 'residential', units: 2, floors: 11, location: null })
    expect(latest(await pullAll(), b.id)).toMatchObject({ entity: 'building', data: { location: null } })

    const placed = await call('PATCH', `/api/admin/buildings/${b.id}`, { location: { lat: 36.19, lng: 117.12 } })
    expect(placed.json<Building>().location).toEqual({ lat: 36.19, lng: 117.12, accuracy: null, source: 'manual' })
    expect(latest(await pullAll(), b.id)).toMatchObject({ data: { location: { lat: 36.19, lng: 117.12 } } })
    // Another worker's phone never sees it.
    expect(latest(await pullAll(await s.login('grid02')), b.id)).toBeUndefined()

    const dup = await call('POST', '/api/admin/buildings', { gridId, compound: '新华小区', number: '8号楼' })
    expect([dup.statusCode, dup.json().error.message]).toEqual([409, '「新华小区」里已有「8号楼」'])
    const noCell = await call('POST', '/api/admin/buildings', { gridId: '00000000-0000-7000-8000-000000000000', compound: '新华小区', number: '9号楼' })
    expect([noCell.statusCode, noCell.json().error.code]).toEqual([404, 'NOT_FOUND'])

    // Empty, it may be retired; grid01's phone then gets its tombstone.
    expect((await call('DELETE', `/api/admin/buildings/${b.id}`)).statusCode).toBe(204)
    expect(latest(await pullAll(), b.id)).toMatchObject({ entity: 'building', deleted: true, data: null })
  })

  it('renaming a building or its compound renames the addresses built from the name, and the households’ versions move', async () => {
    const h = s.community.households.find((x) => x.gridId === gridId && x.buildingId)!
    const b = s.community.buildings.find((x) => x.id === h.buildingId)!
    const mates = s.community.households.filter((x) => x.buildingId === b.id && x.address.startsWith(b.compound + b.number))
    expect(mates.length).toBeGreaterThan(0)
    const before = await readCounter(s.store, 'version')
    const renamed = await call('PATCH', `/api/admin/buildings/${b.id}`, { number: `${b.number}甲` })
    expect(renamed.statusCode, renamed.body).toBe(200)
    // One version for the building, one per household whose address changes.
    expect(await readCounter(s.store, 'version')).toBe(before + 1 + mates.length)
    const pulled = await pullAll()
    for (const m of mates) expect((latest(pulled, m.id)!.data as Household).address).toBe(b.compound + b.number + '甲' + m.address.slice((b.compound + b.number).length))

    const compound = await call('POST', '/api/admin/compounds/rename', { from: b.compound, to: `${b.compound}东区` })
    const siblings = s.community.buildings.filter((x) => x.compound === b.compound)
    expect(compound.json()).toEqual({ buildings: siblings.length })
    const after = await pullAll()
    expect((latest(after, b.id)!.data as Building).compound).toBe(`${b.compound}东区`)
    expect((latest(after, mates[0]!.id)!.data as Household).address.startsWith(`${b.compound}东区${b.number}甲`)).toBe(true)
    const unknown = await call('POST', '/api/admin/compounds/rename', { from: '没有这个小区', to: '新' })
    expect([unknown.statusCode, unknown.json().error.message]).toEqual([404, '没有这个小区「没有这个小区」，可能已被撤销，请刷新页面'])
  })

  it('a building people live in cannot be retired or moved to another cell, and says how many households', async () => {
    const h = s.community.households.find((x) => x.gridId === gridId && x.buildingId)!
    const n = s.community.households.filter((x) => x.buildingId === h.buildingId).length
    const head = await readCounter(s.store, 'version')
    const retire = await call('DELETE', `/api/admin/buildings/${h.buildingId}`)
    expect([retire.statusCode, retire.json().error.code, retire.json().error.message]).toEqual([409, 'IN_USE', `楼里还有${n}户，不能撤销`])
    const other = workerOf(s.community, 'grid02').gridIds[0]!
    const move = await call('PATCH', `/api/admin/buildings/${h.buildingId}`, { gridId: other })
    expect([move.statusCode, move.json().error.message]).toEqual([409, `楼里还有${n}户，不能换网格：住户属于原来的网格`])
    expect(await readCounter(s.store, 'version')).toBe(head)
  })

  it('every change is audited as register_change, by the admin', async () => {
    const rows = await s.store.selectFrom('audit_log').select(['user_id', 'subject_type']).where('action', '=', 'register_change').execute()
    expect(new Set(rows.map((r) => r.user_id))).toEqual(new Set([workerOf(s.community, 'admin').id]))
    expect(new Set(rows.map((r) => r.subject_type))).toEqual(new Set(['gridCell', 'building', 'compound']))
  })

  it('a patch with nothing in it, or fields that are not the register page’s, is refused in words', async () => {
    const b = s.community.buildings[0]!
    const empty = await call('PATCH', `/api/admin/buildings/${b.id}`, {})
    expect([empty.statusCode, empty.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(empty.json().error.message).toContain('没有要修改的内容')
    const extra = await call('PATCH', `/api/admin/buildings/${b.id}`, { id: 'x' })
    expect(extra.statusCode).toBe(400)
  })
})

describe('refusals in words, nothing written', () => {
  const unknown = '00000000-0000-7000-8000-000000000000'
  it('an unknown or retired cell or building is NOT_FOUND, saying it may have been retired', async () => {
    const head = await readCounter(s.store, 'version')
    for (const [method, url, body, what] of [
      ['PATCH', `/api/admin/grid-cells/${unknown}`, { name: '某网格' }, '网格'],
      ['DELETE', `/api/admin/grid-cells/${unknown}`, undefined, '网格'],
      ['PATCH', `/api/admin/buildings/${unknown}`, { floors: 3 }, '楼栋'],
      ['DELETE', `/api/admin/buildings/${unknown}`, undefined, '楼栋'],
    ] as const) {
      const res = await call(method, url, body)
      expect([url, res.statusCode, res.json().error.code, res.json().error.message]).toEqual([url, 404, 'NOT_FOUND', `没有这个${what}，可能已被撤销，请刷新页面`])
    }
    expect(await readCounter(s.store, 'version')).toBe(head)
  })

  it('an empty building may move to another cell, but not to one that does not exist', async () => {
    const b = (await call('POST', '/api/admin/buildings', { gridId, compound: '搬迁小区', number: '1号楼' })).json<Building>()
    const other = workerOf(s.community, 'grid02').gridIds[0]!
    const noCell = await call('PATCH', `/api/admin/buildings/${b.id}`, { gridId: unknown })
    expect([noCell.statusCode, noCell.json().error.message]).toEqual([404, '没有这个网格，可能已被撤销，请刷新页面'])
    const moved = await call('PATCH', `/api/admin/buildings/${b.id}`, { gridId: other })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(moved.json<Building>().gridId).toBe(other)
  })

  it('renaming a building to a number its compound has, or merging compounds over the same number, is ALREADY_EXISTS', async () => {
    const a = (await call('POST', '/api/admin/buildings', { gridId, compound: '甲小区', number: '1号楼' })).json<Building>()
    await call('POST', '/api/admin/buildings', { gridId, compound: '甲小区', number: '2号楼' })
    await call('POST', '/api/admin/buildings', { gridId, compound: '乙小区', number: '1号楼' })
    const clash = await call('PATCH', `/api/admin/buildings/${a.id}`, { number: '2号楼' })
    expect([clash.statusCode, clash.json().error.code, clash.json().error.message]).toEqual([409, 'ALREADY_EXISTS', '「甲小区」里已有「2号楼」'])
    const merge = await call('POST', '/api/admin/compounds/rename', { from: '甲小区', to: '乙小区' })
    expect([merge.statusCode, merge.json().error.code, merge.json().error.message]).toEqual([409, 'ALREADY_EXISTS', '「乙小区」里已有「1号楼」：两个小区合并请逐栋处理'])
    // Nothing of the refused merge was written: 甲小区 still has both its buildings.
    const structure = (await call('GET', '/api/admin/register/structure')).json<{ buildings: Building[] }>()
    expect(structure.buildings.filter((x) => x.compound === '甲小区').map((x) => x.number).sort()).toEqual(['1号楼', '2号楼'])
  })

  it('a new cell with a boundary that does not close is refused, and no cell is made', async () => {
    const open = { type: 'Polygon', coordinates: [[[117.1, 36.1], [117.2, 36.1], [117.2, 36.2], [117.1, 36.3]]] }
    const res = await call('POST', '/api/admin/grid-cells', { code: '099', name: '开口网格', polygon: open })
    expect([res.statusCode, res.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    const structure = (await call('GET', '/api/admin/register/structure')).json<{ grids: GridCell[] }>()
    expect(structure.grids.some((g) => g.code === '099')).toBe(false)
  })
})
