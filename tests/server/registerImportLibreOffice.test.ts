import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Building, Change, GridCell, Household, PullResponse } from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// A new community's first import, from files LibreOffice Calc made (tests/fixtures/register/
// make.py): a compound the demo does not have, in grid01's cell 001 and a new cell 014.

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/register', name))

let s: TestServer
let admin: string
beforeAll(async () => {
  s = await startTestServer(200)
  admin = await s.login('admin')
})
afterAll(() => s.close())

const post = (body: Buffer, dryRun: boolean) =>
  s.app.inject({ method: 'POST', url: `/api/admin/register/import${dryRun ? '?dryRun=1' : ''}`, headers: { authorization: `Bearer ${admin}`, 'content-type': XLSX }, payload: body })

async function counts() {
  const n = async (t: 'grid_cells' | 'buildings' | 'households' | 'residents') =>
    Number((await s.store.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return { grids: await n('grid_cells'), buildings: await n('buildings'), households: await n('households'), residents: await n('residents'), version: await readCounter(s.store, 'version') }
}

async function pullAll(token: string): Promise<Change[]> {
  const changes: Change[] = []
  for (let cursor = ''; ; ) {
    const q = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) })
    const body = (await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${token}` } })).json() as PullResponse
    if ('reset' in body) throw new Error('unexpected reset')
    changes.push(...body.changes)
    if (!body.hasMore) return changes
    cursor = body.cursor
  }
}

describe('a LibreOffice sheet with its code and ID columns as text', () => {
  it('previews what it will create, writes compounds, buildings, a cell and households in one go, and a second import changes nothing', async () => {
    const file = fixture('libreoffice-new-compound.xlsx')
    const before = await counts()
    const preview = await post(file, true)
    expect(preview.statusCode, preview.body).toBe(200)
    expect(preview.json()).toEqual({
      dryRun: true,
      households: { create: 21, update: 0, unchanged: 0 },
      residents: { create: 41, update: 0, unchanged: 0 },
      created: { grids: [{ code: '014', name: '第十四网格' }], compounds: ['和平里小区', '和平里平房区'], buildings: 5, units: 4, unlocated: 4, buildingsUpdated: 0 },
      errors: [],
    })
    expect(await counts()).toEqual(before)

    const done = await post(file, false)
    expect(done.statusCode, done.body).toBe(200)
    expect(await counts()).toEqual({
      grids: before.grids + 1,
      buildings: before.buildings + 5,
      households: before.households + 21,
      residents: before.residents + 41,
      version: before.version + 1 + 5 + 21 + 41,
    })

    const again = await post(file, false)
    expect(again.json()).toMatchObject({
      households: { create: 0, update: 0, unchanged: 21 },
      residents: { create: 0, update: 0, unchanged: 41 },
      created: { grids: [], compounds: [], buildings: 0, units: 0, unlocated: 0, buildingsUpdated: 0 },
    })
    expect((await counts()).version).toBe(before.version + 68)
  })

  it('grid01 pulls the new compound’s buildings and households; 1号楼 where its 经纬度 put it, 2号楼 waiting for a place', async () => {
    const changes = await pullAll(await s.login('grid01'))
    // In number order: a first pull sends records in id order, and ids made in the same millisecond sort at random.
    const buildings = changes
      .filter((c) => c.entity === 'building')
      .map((c) => c.data as Building)
      .filter((b) => b.compound === '和平里小区')
      .sort((a, b) => a.number.localeCompare(b.number, 'zh-CN', { numeric: true }))
    expect(buildings.map((b) => [b.number, b.units, b.floors, b.location && [b.location.lng, b.location.lat]])).toEqual([
      ['1号楼', 2, 5, [117.1291, 36.1952]],
      ['2号楼', 2, 5, null],
    ])
    const grid = workerOf(s.community, 'grid01').gridIds[0]!
    expect(new Set(buildings.map((b) => b.gridId))).toEqual(new Set([grid]))
    const households = changes.filter((c) => c.entity === 'household').map((c) => c.data as Household).filter((h) => h.address.startsWith('和平里小区'))
    expect(households).toHaveLength(18)
    expect(households.find((h) => h.address === '和平里小区1号楼1单元501室')).toMatchObject({ tags: ['elderly_alone', 'aged_80'], attention: 'key', headName: expect.any(String) })
    // The bungalows are in cell 014, which no worker holds yet: not on grid01's phone.
    expect(changes.some((c) => c.entity === 'gridCell' && (c.data as GridCell).code === '014')).toBe(false)
  })
})

describe('the same sheet opened in LibreOffice without setting the columns to text', () => {
  it('is refused row by row: 网格编号 lost its zeros, ID numbers lost digits; nothing is written', async () => {
    const before = await counts()
    const res = await post(fixture('libreoffice-numbers.xlsx'), true)
    expect(res.statusCode).toBe(200)
    const errors = res.json<{ errors: { row: number; column: string; message: string }[] }>().errors
    expect(errors.filter((e) => e.row === 2).map((e) => e.message)).toEqual(['第2行「身份证号」：身份证号被表格软件当成了数字，后几位已丢失：请把这一列设为文本后重新填写'])
    // 001 arrives as 1: only rows whose other cells are right reach that check.
    const lostZeros = errors.filter((e) => e.column === '网格编号')
    expect(lostZeros.length).toBeGreaterThan(0)
    expect(lostZeros[0]!.message).toMatch(/网格编号被表格软件当成了数字，前面的0已丢失（表里是「1」，应为「001」）/)
    // Every row is named, none twice for the same column.
    expect(new Set(errors.map((e) => e.row)).size).toBe(41)
    const write = await post(fixture('libreoffice-numbers.xlsx'), false)
    expect([write.statusCode, write.json().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect(await counts()).toEqual(before)
  })
})
