import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GridCell, PullResponse } from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 设置 → 导入网格 (GeoJSON): the preview the admin reads before importing — how many cells are
// new, changed or the same, and for each bad feature a sentence naming it — then all or nothing.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(40)
  for (const u of ['secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

type Ring = [number, number][]
const square = (lng: number, lat: number, d = 0.002): Ring => [[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]
const polygon = (...rings: Ring[]) => ({ type: 'Polygon', coordinates: rings })
const feature = (code: unknown, name: unknown, geometry: unknown = polygon(square(117.1, 36.6))) => ({ type: 'Feature', properties: { code, name }, geometry })
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features })

interface Preview {
  dryRun: boolean
  create: number
  update: number
  unchanged: number
  errors: { feature: number; message: string }[]
}
async function post(body: unknown, query = '?dryRun=1') {
  const res = await s.app.inject({ method: 'POST', url: `/api/admin/grid-cells/geojson${query}`, headers: { authorization: `Bearer ${tokens.admin}` }, payload: body as object })
  return { status: res.statusCode, body: res.json() as Preview & { error: { code: string; message: string; details?: Preview } } }
}
const cells = async () =>
  (await s.store.selectFrom('grid_cells').selectAll().orderBy('id').execute()).map((r) => ({ ...r, version: Number(r.version), data: JSON.parse(r.data) as GridCell }))
const errorsOf = async (...features: unknown[]) => {
  const { status, body } = await post(collection(...features))
  expect(status, JSON.stringify(body)).toBe(200)
  return body.errors
}

describe('the GeoJSON preview', () => {
  it('says plainly when the file is no FeatureCollection, is empty, or is too big', async () => {
    for (const body of [[1, 2], { type: 'Feature' }, { type: 'FeatureCollection' }, { type: 'FeatureCollection', features: { a: 1 } }, { features: [] }]) {
      const { status, body: res } = await post(body)
      expect([JSON.stringify(body), status, res.error.code, res.error.message]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED', '需要 GeoJSON FeatureCollection'])
    }
    for (const raw of ['null', '"网格"', '42', 'true']) {
      const res = await s.app.inject({ method: 'POST', url: '/api/admin/grid-cells/geojson?dryRun=1', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'application/json' }, payload: raw })
      expect([raw, res.statusCode, res.json().error]).toEqual([raw, 400, { code: 'VALIDATION_FAILED', message: '需要 GeoJSON FeatureCollection' }])
    }
    expect((await post(collection())).body.error).toEqual({ code: 'VALIDATION_FAILED', message: '文件里没有网格' })
    const many = (n: number) => collection(...Array.from({ length: n }, (_, i) => feature(`T${i}`, `测试${i}`)))
    expect((await post(many(2001))).body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '一次最多导入2000个网格' })
    expect((await post(many(2000))).body).toMatchObject({ dryRun: true, create: 2000, errors: [] })
  })

  it('names each bad feature by its place in the file and says what is wrong with it', async () => {
    const errors = await errorsOf(
      feature('801', '好的'),
      { type: 'Feature', properties: { code: '802' }, geometry: polygon(square(117, 36)) },
      { type: 'Feature', properties: { code: '803', name: '没有图形' }, geometry: null },
      feature('804', '多个多边形', { type: 'MultiPolygon', coordinates: [[square(117, 36)]] }),
      feature('801', '重复了'),
      feature('805', '   '),
      feature('806', '三个点', polygon([[117, 36], [117.1, 36], [117, 36]])),
      'not a feature',
      feature('807', '', polygon([[117, 36], [117.1, 36], [117, 36]])),
    )
    const at = (i: number, message: string) => ({ feature: i, message: `第${i + 1}个网格 (features[${i}])：${message}` })
    expect(errors).toEqual([
      at(1, '不是带 code 和 name 属性的 GeoJSON Feature'),
      at(2, '图形须为 Polygon（多边形）'),
      at(3, '图形须为 Polygon（多边形）'),
      at(4, '网格编号「801」与第1个重复'),
      { feature: 5, message: expect.stringMatching(/^第6个网格 \(features\[5\]\)：name \S/) },
      at(6, 'polygon.coordinates.0 多边形至少需要4个点'),
      at(7, '不是带 code 和 name 属性的 GeoJSON Feature'),
      // Two problems with one feature: both said, one after the other.
      { feature: 8, message: expect.stringMatching(/^第9个网格 \(features\[8\]\)：name \S.*；polygon\.coordinates\.0 多边形至少需要4个点$/) },
    ])
  })

  it('takes a numeric code as text and ignores spaces around it', async () => {
    const errors = await errorsOf(feature(812, '数字编号'), feature(' 812 ', '同一个'))
    expect(errors).toEqual([{ feature: 1, message: '第2个网格 (features[1])：网格编号「812」与第1个重复' }])
  })

  it('checks every ring: WGS-84 bounds (the edges themselves allowed) and closed rings', async () => {
    const edges: Ring = [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]
    expect(await errorsOf(feature('820', '整个地球', polygon(edges)))).toEqual([])
    const outside: Array<[number, number]> = [[-180.0001, 0], [180.0001, 0], [0, -90.0001], [0, 90.0001]]
    for (const [lng, lat] of outside) {
      const ring: Ring = [[0, 0], [lng, lat], [1, 1], [0, 0]]
      expect(await errorsOf(feature('821', '出界', polygon(ring)))).toEqual([
        { feature: 0, message: `第1个网格 (features[0])：坐标超出范围 (${lng}, ${lat})：须为 WGS-84 经纬度 [经度, 纬度]` },
      ])
    }
    const notClosed = '第1个网格 (features[0])：多边形没有闭合：首尾两点须相同'
    expect(await errorsOf(feature('822', '经度不同', polygon([[117, 36], [117.1, 36], [117.1, 36.1], [117.0001, 36]])))).toEqual([{ feature: 0, message: notClosed }])
    expect(await errorsOf(feature('823', '纬度不同', polygon([[117, 36], [117.1, 36], [117.1, 36.1], [117, 36.0001]])))).toEqual([{ feature: 0, message: notClosed }])
    // A hole (second ring) is checked like the outline.
    const hole: Ring = [[117.1005, 36.6005], [117.1010, 36.6005], [117.1010, 36.6010], [117.1005, 36.6011]]
    expect(await errorsOf(feature('824', '有洞', polygon(square(117.1, 36.6), hole)))).toEqual([{ feature: 0, message: notClosed }])
  })
})

describe('importing grid cells', () => {
  it('with any error nothing is written, and the answer says how many and which first', async () => {
    const before = await cells()
    const head = await readCounter(s.store, 'version')
    const bad = (i: number) => feature(`9${i}`, `坏${i}`, null)
    const { status, body } = await post(collection(feature('830', '好的'), bad(1), bad(2), bad(3), bad(4)), '')
    expect(status).toBe(400)
    const line = (i: number) => `第${i + 1}个网格 (features[${i}])：图形须为 Polygon（多边形）`
    expect(body.error).toEqual({
      code: 'VALIDATION_FAILED',
      message: `有4个网格有错误，什么都没有写入。${line(1)}；${line(2)}；${line(3)}`,
      details: { create: 1, update: 0, unchanged: 0, errors: [1, 2, 3, 4].map((i) => ({ feature: i, message: line(i) })) },
    })
    expect(await cells()).toEqual(before)
    expect(await readCounter(s.store, 'version')).toBe(head)
  })

  it('creates, updates and leaves alone; each written cell a version of its own; audited; the office pulls them', async () => {
    const [a, b, c] = s.community.gridCells
    const body = collection(
      feature('840', '新网格'),
      feature(a!.code, `${a!.name}（改名）`, a!.polygon),
      feature(b!.code, b!.name, polygon(square(117.3, 36.8))),
      feature(c!.code, c!.name, c!.polygon),
    )
    const dry = await post(body, '?dryRun=true')
    expect(dry.body).toEqual({ dryRun: true, create: 1, update: 2, unchanged: 1, errors: [] })
    const before = await cells()
    const head = await readCounter(s.store, 'version')

    const res = await post(body, '?dryRun=0')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ dryRun: false, create: 1, update: 2, unchanged: 1, errors: [] })
    expect(await readCounter(s.store, 'version')).toBe(head + 3)
    const after = await cells()
    expect(after).toHaveLength(before.length + 1)
    const created = after.find((x) => x.data.code === '840')!
    expect(created).toMatchObject({ grid_id: created.id, household_id: null, deleted: 0, data: { id: created.id, code: '840', name: '新网格', polygon: polygon(square(117.1, 36.6)) } })
    expect(after.find((x) => x.id === a!.id)).toMatchObject({ data: { ...a, name: `${a!.name}（改名）` } })
    expect(after.find((x) => x.id === b!.id)!.data.polygon).toEqual(polygon(square(117.3, 36.8)))
    const versions = [a!.id, b!.id, created.id].map((id) => after.find((x) => x.id === id)!.version).sort()
    expect(versions).toEqual([head + 1, head + 2, head + 3])
    expect(after.find((x) => x.id === c!.id)).toEqual(before.find((x) => x.id === c!.id))

    const audit = await s.store.selectFrom('audit_log').selectAll().where('action', '=', 'import').where('subject_type', '=', 'gridCells').execute()
    expect(audit.map((r) => [r.user_id, r.subject_id, JSON.parse(r.details)])).toEqual([[workerOf(s.community, 'admin').id, 'geojson', { create: 1, update: 2 }]])

    const pulled = await s.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=1.1.${head}`, headers: { authorization: `Bearer ${tokens.secretary}` } })
    const changes = (pulled.json() as Extract<PullResponse, { changes: unknown }>).changes
    expect(changes.map((ch) => [ch.entity, ch.id]).sort()).toEqual([a!.id, b!.id, created.id].map((id) => ['gridCell', id]).sort())

    // The same file again: all unchanged, nothing written.
    expect((await post(body, '')).body).toMatchObject({ create: 0, update: 0, unchanged: 4 })
    expect(await readCounter(s.store, 'version')).toBe(head + 3)
  })
})
