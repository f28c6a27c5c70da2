import { Building, GridCell, uuidv7 } from '../../domain'
import type {
  CreateBuildingRequest,
  CreateGridCellRequest,
  PatchBuildingRequest,
  PatchGridCellRequest,
  RegisterStructure,
} from '../../domain/schemas/registerAdmin'
import { AppError } from '../appError'
import type { Store } from '../store/open'
import { putRecord } from '../store/recordWrites'
import { type Db, findRow, householdCount, liveRows, renameAddresses } from '../store/register'
import { record } from './audit'
import type { SessionUser } from './auth'
import { ringProblem } from './gridImport'

// The admin's register page: grid cells, compounds and buildings made, edited and retired by
// hand (the import makes them from a sheet). A compound is the name its buildings carry, so it
// is made with its first building and renamed on all of them at once. Every write is a new
// version of the record (devices pull it) and an audit entry, in one transaction.

const notFound = (what: string) => new AppError('NOT_FOUND', `没有这个${what}，可能已被撤销，请刷新页面`)

export async function registerStructure(store: Store): Promise<RegisterStructure> {
  const households = await liveRows(store, 'households')
  const perGrid = new Map<string, number>()
  const perBuilding = new Map<string, number>()
  for (const h of households) {
    const d = h.data as { gridId: string; buildingId: string | null }
    perGrid.set(d.gridId, (perGrid.get(d.gridId) ?? 0) + 1)
    if (d.buildingId) perBuilding.set(d.buildingId, (perBuilding.get(d.buildingId) ?? 0) + 1)
  }
  const grids = (await liveRows(store, 'grid_cells')).map((r) => GridCell.parse(r.data))
  const buildings = (await liveRows(store, 'buildings')).map((r) => Building.parse(r.data))
  return {
    grids: grids.map((g) => ({ ...g, households: perGrid.get(g.id) ?? 0 })).sort((a, b) => a.code.localeCompare(b.code, 'zh-CN', { numeric: true })),
    buildings: buildings
      .map((b) => ({ ...b, households: perBuilding.get(b.id) ?? 0 }))
      .sort((a, b) => a.compound.localeCompare(b.compound, 'zh-CN') || a.number.localeCompare(b.number, 'zh-CN', { numeric: true })),
  }
}

function checkPolygon(polygon: GridCell['polygon']): void {
  for (const ring of polygon?.coordinates ?? []) {
    const problem = ringProblem(ring)
    if (problem) throw new AppError('VALIDATION_FAILED', `网格范围画得不对：${problem}`)
  }
}

async function gridCells(db: Db) {
  return (await liveRows(db, 'grid_cells')).map((r) => GridCell.parse(r.data))
}

export async function createGridCell(store: Store, user: SessionUser, req: CreateGridCellRequest): Promise<GridCell> {
  checkPolygon(req.polygon)
  return store.transaction().execute(async (trx) => {
    if ((await gridCells(trx)).some((g) => g.code === req.code)) throw new AppError('ALREADY_EXISTS', `已有编号为「${req.code}」的网格`)
    const cell = GridCell.parse({ id: uuidv7(), code: req.code, name: req.name, polygon: req.polygon })
    await putRecord(trx, 'grid_cells', { id: cell.id, gridId: cell.id, householdId: null }, cell, {})
    await record(trx, { userId: user.id, action: 'register_change', subject: { type: 'gridCell', id: cell.id }, details: { created: true, code: cell.code } })
    return cell
  })
}

export async function patchGridCell(store: Store, user: SessionUser, id: string, patch: PatchGridCellRequest): Promise<GridCell> {
  if (patch.polygon) checkPolygon(patch.polygon)
  return store.transaction().execute(async (trx) => {
    const row = await findRow(trx, 'grid_cells', id)
    if (!row || row.deleted) throw notFound('网格')
    const cell = GridCell.parse({ ...GridCell.parse(row.data), ...patch })
    await putRecord(trx, 'grid_cells', { id, gridId: id, householdId: null }, cell, {})
    await record(trx, { userId: user.id, action: 'register_change', subject: { type: 'gridCell', id }, details: { changed: Object.keys(patch) } })
    return cell
  })
}

/** A cell is retired only when nothing is left in it: its households and buildings go first. */
export async function retireGridCell(store: Store, user: SessionUser, id: string): Promise<void> {
  await store.transaction().execute(async (trx) => {
    const row = await findRow(trx, 'grid_cells', id)
    if (!row || row.deleted) throw notFound('网格')
    const households = await householdCount(trx, { gridId: id })
    const buildings = (await liveRows(trx, 'buildings')).filter((b) => b.gridId === id).length
    if (households || buildings) throw new AppError('IN_USE', `这个网格里还有${buildings}栋楼、${households}户，不能撤销：先把它们移到别的网格或撤销`)
    await putRecord(trx, 'grid_cells', { id, gridId: id, householdId: null, deleted: true }, row.data, {})
    await record(trx, { userId: user.id, action: 'register_change', subject: { type: 'gridCell', id }, details: { retired: true } })
  })
}

async function requireCell(db: Db, gridId: string) {
  const cell = await findRow(db, 'grid_cells', gridId)
  if (!cell || cell.deleted) throw notFound('网格')
}

async function sameNumberTaken(trx: Db, b: Pick<Building, 'id' | 'gridId' | 'compound' | 'number'>): Promise<boolean> {
  return (await liveRows(trx, 'buildings')).some((r) => {
    const o = r.data as Building
    return o.id !== b.id && o.gridId === b.gridId && o.compound === b.compound && o.number === b.number
  })
}

export async function createBuilding(store: Store, user: SessionUser, req: CreateBuildingRequest): Promise<Building> {
  return store.transaction().execute(async (trx) => {
    await requireCell(trx, req.gridId)
    const building = Building.parse({
      id: uuidv7(),
      ...req,
      location: req.location ? { ...req.location, accuracy: null, source: 'manual' } : null,
    })
    if (await sameNumberTaken(trx, building)) throw new AppError('ALREADY_EXISTS', `「${building.compound}」里已有「${building.number}」`)
    await putRecord(trx, 'buildings', { id: building.id, gridId: building.gridId, householdId: null }, building, {})
    await record(trx, { userId: user.id, action: 'register_change', subject: { type: 'building', id: building.id }, details: { created: true, compound: building.compound, number: building.number } })
    return building
  })
}

export async function patchBuilding(store: Store, user: SessionUser, id: string, patch: PatchBuildingRequest): Promise<Building> {
  return store.transaction().execute(async (trx) => {
    const row = await findRow(trx, 'buildings', id)
    if (!row || row.deleted) throw notFound('楼栋')
    const before = Building.parse(row.data)
    const { location, ...rest } = patch
    const after = Building.parse({
      ...before,
      ...rest,
      ...(location !== undefined ? { location: location ? { ...location, accuracy: null, source: 'manual' } : null } : {}),
    })
    if (after.gridId !== before.gridId) {
      await requireCell(trx, after.gridId)
      // Its households are scoped by their own grid cell: moving them is a reassignment of
      // people's records, not an edit of a building, and is not done here.
      const n = await householdCount(trx, { buildingId: id })
      if (n) throw new AppError('IN_USE', `楼里还有${n}户，不能换网格：住户属于原来的网格`)
    }
    if (await sameNumberTaken(trx, after)) throw new AppError('ALREADY_EXISTS', `「${after.compound}」里已有「${after.number}」`)
    await putRecord(trx, 'buildings', { id, gridId: after.gridId, householdId: null }, after, {})
    const addresses = await renameAddresses(trx, id, before.compound + before.number, after.compound + after.number, `admin/${user.id}`)
    await record(trx, { userId: user.id, action: 'register_change', subject: { type: 'building', id }, details: { changed: Object.keys(patch), addresses } })
    return after
  })
}

export async function retireBuilding(store: Store, user: SessionUser, id: string): Promise<void> {
  await store.transaction().execute(async (trx) => {
    const row = await findRow(trx, 'buildings', id)
    if (!row || row.deleted) throw notFound('楼栋')
    const n = await householdCount(trx, { buildingId: id })
    if (n) throw new AppError('IN_USE', `楼里还有${n}户，不能撤销`)
    await putRecord(trx, 'buildings', { id, gridId: row.gridId!, householdId: null, deleted: true }, row.data, {})
    await record(trx, { userId: user.id, action: 'register_change', subject: { type: 'building', id }, details: { retired: true } })
  })
}

/** Renames a compound on every building that carries the name; the count of buildings renamed. */
export async function renameCompound(store: Store, user: SessionUser, from: string, to: string): Promise<{ buildings: number }> {
  return store.transaction().execute(async (trx) => {
    const all = (await liveRows(trx, 'buildings')).map((r) => Building.parse(r.data))
    const named = all.filter((b) => b.compound === from)
    if (!named.length) throw notFound(`小区「${from}」`)
    for (const b of named) {
      if (from !== to && all.some((o) => o.compound === to && o.gridId === b.gridId && o.number === b.number))
        throw new AppError('ALREADY_EXISTS', `「${to}」里已有「${b.number}」：两个小区合并请逐栋处理`)
      await putRecord(trx, 'buildings', { id: b.id, gridId: b.gridId, householdId: null }, { ...b, compound: to }, {})
      await renameAddresses(trx, b.id, from + b.number, to + b.number, `admin/${user.id}`)
    }
    await record(trx, { userId: user.id, action: 'register_change', subject: { type: 'compound', id: to }, details: { renamedFrom: from, buildings: named.length } })
    return { buildings: named.length }
  })
}
