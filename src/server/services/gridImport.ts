import { z } from 'zod'
import { GridCell, uuidv7 } from '../../domain'
import type { GridImportPreview } from '../../domain/schemas/registerAdmin'
import { AppError } from '../appError'
import type { Store } from '../store/open'
import { liveRows } from '../store/register'
import { putRecord } from '../store/recordWrites'
import { record } from './audit'

// Grid cells (网格) from GeoJSON: a FeatureCollection of Polygons, WGS-84 [lng, lat], each with
// properties {code, name}. A cell is matched by code: created if new, updated if its name or
// polygon changed (with a new version, so devices get it at their next pull), left alone if not.
// All or nothing: any invalid feature and nothing is written; errors name the feature index.

const Feature = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.string() }).passthrough().nullable(),
  properties: z.object({ code: z.union([z.string(), z.number()]).transform(String), name: z.string() }).passthrough(),
})

export function ringProblem(ring: [number, number][]): string | null {
  for (const [lng, lat] of ring) {
    if (lng < -180 || lng > 180 || lat < -90 || lat > 90) return `坐标超出范围 (${lng}, ${lat})：须为 WGS-84 经纬度 [经度, 纬度]`
  }
  const first = ring[0]!
  const last = ring[ring.length - 1]!
  if (first[0] !== last[0] || first[1] !== last[1]) return '多边形没有闭合：首尾两点须相同'
  return null
}

interface Write {
  id: string
  kind: 'create' | 'update'
  data: GridCell
}

async function plan(store: Store, body: unknown): Promise<{ preview: GridImportPreview; writes: Write[] }> {
  if (typeof body !== 'object' || body === null || (body as { type?: unknown }).type !== 'FeatureCollection' || !Array.isArray((body as { features?: unknown }).features))
    throw new AppError('VALIDATION_FAILED', '需要 GeoJSON FeatureCollection')
  const features = (body as { features: unknown[] }).features
  if (features.length === 0) throw new AppError('VALIDATION_FAILED', '文件里没有网格')
  if (features.length > 2000) throw new AppError('VALIDATION_FAILED', '一次最多导入2000个网格')

  const existing = new Map<string, GridCell>()
  for (const r of await liveRows(store, 'grid_cells')) {
    const g = GridCell.parse(r.data)
    existing.set(g.code, g)
  }

  const preview: GridImportPreview = { create: 0, update: 0, unchanged: 0, errors: [] }
  const writes: Write[] = []
  const seen = new Map<string, number>()
  features.forEach((raw, i) => {
    const fail = (message: string) => preview.errors.push({ feature: i, message: `第${i + 1}个网格 (features[${i}])：${message}` })
    const f = Feature.safeParse(raw)
    if (!f.success) return fail('不是带 code 和 name 属性的 GeoJSON Feature')
    if (!f.data.geometry || f.data.geometry.type !== 'Polygon') return fail('图形须为 Polygon（多边形）')
    const code = f.data.properties.code.trim()
    const before = seen.get(code)
    if (before !== undefined) return fail(`网格编号「${code}」与第${before + 1}个重复`)
    seen.set(code, i)
    const old = existing.get(code)
    const cell = GridCell.safeParse({ id: old?.id ?? uuidv7(), code, name: f.data.properties.name, polygon: f.data.geometry })
    if (!cell.success) return fail(cell.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('；'))
    for (const ring of cell.data.polygon!.coordinates) {
      const problem = ringProblem(ring)
      if (problem) return fail(problem)
    }
    if (!old) {
      preview.create++
      writes.push({ id: cell.data.id, kind: 'create', data: cell.data })
    } else if (JSON.stringify(old) !== JSON.stringify(cell.data)) {
      preview.update++
      writes.push({ id: old.id, kind: 'update', data: cell.data })
    } else preview.unchanged++
  })
  return { preview, writes }
}

/** Dry run: the preview only. Otherwise every feature must be valid, and all is written in one transaction. */
export async function importGridCells(store: Store, body: unknown, dryRun: boolean, userId: string): Promise<GridImportPreview> {
  const { preview, writes } = await plan(store, body)
  if (dryRun) return preview
  if (preview.errors.length) {
    const first = preview.errors.slice(0, 3).map((e) => e.message).join('；')
    throw new AppError('VALIDATION_FAILED', `有${preview.errors.length}个网格有错误，什么都没有写入。${first}`, preview)
  }
  await store.transaction().execute(async (trx) => {
    await record(trx, { userId, action: 'import', subject: { type: 'gridCells', id: 'geojson' }, details: { create: preview.create, update: preview.update } })
    // A grid cell is its own grid: its grid_id is its id, which is how pull scopes it.
    for (const w of writes) await putRecord(trx, 'grid_cells', { id: w.id, gridId: w.id, householdId: null }, w.data, {})
  })
  return preview
}
