import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GridCell } from '../../src/domain'
import { startTestServer, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(40)
  for (const u of ['grid01', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

const square = (lng: number, lat: number, d = 0.002) => ({
  type: 'Polygon',
  coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]],
})
const feature = (code: string, name: string, geometry: unknown = square(117.1, 36.6)) => ({ type: 'Feature', properties: { code, name }, geometry })
const collection = (...features: unknown[]) => ({ type: 'FeatureCollection', features })
const post = (body: unknown, query = '', username = 'admin') =>
  s.app.inject({ method: 'POST', url: `/api/admin/grid-cells/geojson${query}`, headers: { authorization: `Bearer ${tokens[username]}` }, payload: body as object })
const cells = async () =>
  (await s.store.selectFrom('grid_cells').select(['id', 'version', 'data']).execute()).map((r) => ({ version: Number(r.version), ...(JSON.parse(r.data) as GridCell) }))

describe('grid cells from GeoJSON', () => {
  it('admin only', async () => {
    expect((await post(collection(feature('900', '新网格')), '', 'grid01')).statusCode).toBe(403)
  })

  it('dry run previews; then creates new codes and updates existing ones with new versions', async () => {
    const existing = s.community.gridCells[0]!
    const body = collection(feature('900', '新网格'), feature(existing.code, `${existing.name}（调整）`, square(117.2, 36.7)))
    const before = await cells()
    const dry = await post(body, '?dryRun=1')
    expect(dry.statusCode, dry.body).toBe(200)
    expect(dry.json()).toMatchObject({ dryRun: true, create: 1, update: 1, unchanged: 0, errors: [] })
    expect(await cells()).toEqual(before)

    const res = await post(body)
    expect(res.statusCode, res.body).toBe(200)
    const after = await cells()
    const maxBefore = Math.max(...before.map((c) => c.version))
    const created = after.find((c) => c.code === '900')!
    expect(created.version).toBeGreaterThan(maxBefore)
    const updated = after.find((c) => c.id === existing.id)!
    expect(updated.name).toBe(`${existing.name}（调整）`)
    expect(updated.version).toBeGreaterThan(maxBefore)
    expect(updated.polygon!.coordinates[0]![0]).toEqual([117.2, 36.7])

    const again = await post(body, '?dryRun=1')
    expect(again.json()).toMatchObject({ create: 0, update: 0, unchanged: 2 })
  })

  it('all or nothing; errors name the feature index', async () => {
    const before = await cells()
    const open = { type: 'Polygon', coordinates: [[[117, 36], [117.1, 36], [117.1, 36.1], [117, 36.1]]] }
    const body = collection(
      feature('901', '好的'),
      feature('902', '没闭合', open),
      feature('903', '经纬度反了', square(36.6, 117.1)),
      { type: 'Feature', properties: { code: '904', name: '点' }, geometry: { type: 'Point', coordinates: [117, 36] } },
      feature('901', '重复'),
    )
    const res = await post(body)
    expect(res.statusCode).toBe(400)
    const errors = (res.json() as { error: { details: { errors: { feature: number; message: string }[] } } }).error.details.errors
    expect(errors.map((e) => e.feature)).toEqual([1, 2, 3, 4])
    expect(errors[0]!.message).toContain('features[1]')
    expect(await cells()).toEqual(before)
    expect((await post({ type: 'Feature' })).statusCode).toBe(400)
  })
})
