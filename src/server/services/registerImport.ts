import { record } from './audit'
import { inflateRawSync } from 'node:zlib'
import { readSheet } from 'read-excel-file/node'
import {
  Building,
  GridCell,
  type Household,
  householdHeadName,
  maskIdNumber,
  memberNames,
  type Resident,
  type Tag,
  TAGS,
  uuidv7,
} from '../../domain'
import { pinyinKey } from '../../domain/pinyinKey'
import {
  type CellValue,
  csvSheet,
  decodeText,
  groupHouseholds,
  householdKey,
  type ImportHousehold,
  parseRows,
  type RawSheet,
  type RegisterCreates,
} from '../../domain/registerImport'
import type { ImportCreated, RegisterImportPreview } from '../../domain/schemas/registerAdmin'
import { AppError } from '../appError'
import { nextVersion } from '../store/counters'
import type { Store } from '../store/open'
import { liveRows } from '../store/register'
import { putRecord } from '../store/recordWrites'
import { insertImportedHousehold, insertImportedResident, updateImportedHousehold, updateImportedResident } from '../store/registerWrites'
import { liveResidentRows } from '../store/residents'

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

export type ImportPreview = RegisterImportPreview

// ---- reading the file ----

const unsupported = () => new AppError('UNSUPPORTED_MEDIA', '只能导入 .xlsx 或 .csv 文件（CSV 用 UTF-8 或 GBK 编码）')

/** The entries of a zip whose names match, inflated (xlsx is a zip; only the sheet XML is read). */
function zipEntries(buf: Buffer, want: (name: string) => boolean): Map<string, string> {
  const out = new Map<string, string>()
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  if (eocd < 0) return out
  const count = buf.readUInt16LE(eocd + 10)
  let p = buf.readUInt32LE(eocd + 16)
  for (let n = 0; n < count && buf.readUInt32LE(p) === 0x02014b50; n++) {
    const method = buf.readUInt16LE(p + 10)
    const size = buf.readUInt32LE(p + 20)
    const nameLen = buf.readUInt16LE(p + 28)
    const extraLen = buf.readUInt16LE(p + 30)
    const commentLen = buf.readUInt16LE(p + 32)
    const local = buf.readUInt32LE(p + 42)
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen)
    if (want(name)) {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
      const data = buf.subarray(start, start + size)
      out.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'))
    }
    p += 46 + nameLen + extraLen + commentLen
  }
  return out
}

function columnIndex(letters: string): number {
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n - 1
}

/** Cells of the first worksheet that hold a formula, as "row:col". */
function xlsxFormulas(buf: Buffer): Set<string> {
  const sheets = zipEntries(buf, (n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
  const first = [...sheets.keys()].sort()[0]
  const found = new Set<string>()
  if (!first) return found
  const xml = sheets.get(first)!
  const cell = /<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g
  for (let m = cell.exec(xml); m; m = cell.exec(xml)) {
    if (!m[2] || !/<f[\s>/]/.test(m[2])) continue
    const ref = /\br="([A-Z]+)(\d+)"/.exec(m[1]!)
    if (ref) found.add(`${ref[2]}:${columnIndex(ref[1]!)}`)
  }
  return found
}

export async function readRegisterFile(bytes: Buffer, contentType: string | undefined): Promise<RawSheet> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  const isZip = bytes.length > 4 && bytes.readUInt32LE(0) === 0x04034b50
  if (type === XLSX_TYPE || (type === 'application/octet-stream' && isZip)) {
    if (!isZip) throw unsupported()
    let rows: CellValue[][]
    try {
      rows = (await readSheet(bytes)) as unknown as CellValue[][]
    } catch {
      throw new AppError('UNSUPPORTED_MEDIA', '这个 .xlsx 文件打不开，请用 Excel 或 WPS 另存为 .xlsx 后再导入')
    }
    return { rows, formulas: xlsxFormulas(bytes) }
  }
  if (type === 'text/csv' || type === 'application/csv' || type === 'text/comma-separated-values') {
    if (isZip || bytes.includes(0)) throw unsupported()
    return csvSheet(decodeText(bytes))
  }
  throw unsupported()
}

// ---- planning and writing ----

interface Existing {
  id: string
  version: number
  data: Record<string, unknown>
}
interface ExistingResident extends Existing {
  householdId: string | null
  idNumber: string | null
}

interface Write {
  table: 'households' | 'residents'
  kind: 'create' | 'update'
  id: string
  gridId: string
  householdId: string
  data: Record<string, unknown>
  idNumber?: string | null
  changedFields: string[]
}

function changed(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((k) => JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null))
}

const tagOrder = (tags: Iterable<Tag>): Tag[] => [...new Set(tags)].sort((a, b) => TAGS.indexOf(a) - TAGS.indexOf(b))

function createdCounts(c: RegisterCreates): ImportCreated {
  return {
    grids: c.grids.map((g) => ({ code: g.code, name: g.name })),
    compounds: c.compounds,
    buildings: c.buildings.length,
    units: c.units,
    unlocated: c.unlocated,
    buildingsUpdated: c.buildingUpdates.length,
  }
}

async function plan(store: Store, sheet: RawSheet): Promise<{ preview: ImportPreview; writes: Write[]; creates: RegisterCreates }> {
  const parsed = parseRows(sheet)
  if (parsed.headerError) throw new AppError('VALIDATION_FAILED', parsed.headerError)

  const grids = new Map<string, string>()
  for (const g of await liveRows(store, 'grid_cells')) grids.set(GridCell.parse(g.data).code, g.id)
  const buildings = new Map<string, string>()
  const buildingRecords = new Map<string, Building>()
  for (const row of await liveRows(store, 'buildings')) {
    const b = Building.parse(row.data)
    buildings.set(`${b.gridId}|${b.compound}|${b.number}`, b.id)
    buildingRecords.set(b.id, b)
  }
  // One read of the households: by address key for matching, and the units they live in.
  const households = new Map<string, Existing>()
  const units = new Set<string>()
  for (const h of await liveRows(store, 'households')) {
    const data = h.data as Household
    households.set(householdKey(data.gridId, data.buildingId, data.unit, data.room), { id: h.id, version: h.version, data })
    if (data.buildingId && data.unit) units.add(`${data.buildingId}|${data.unit}`)
  }
  const grouped = groupHouseholds(parsed.rows, { grids, buildings, buildingRecords, units })
  const errors = [...parsed.errors, ...grouped.errors].sort((a, b) => a.row - b.row)
  const byIdNumber = new Map<string, ExistingResident>()
  const byHousehold = new Map<string, ExistingResident[]>()
  for (const r of await liveResidentRows(store)) {
    const e: ExistingResident = { id: r.id, version: r.version, data: r.data as Resident, householdId: r.householdId, idNumber: r.idNumber }
    if (r.idNumber) byIdNumber.set(r.idNumber.toUpperCase(), e)
    if (r.householdId) {
      const list = byHousehold.get(r.householdId) ?? []
      list.push(e)
      byHousehold.set(r.householdId, list)
    }
  }

  const counts = { households: { create: 0, update: 0, unchanged: 0 }, residents: { create: 0, update: 0, unchanged: 0 } }
  const writes: Write[] = []
  for (const h of grouped.households) planHousehold(h)
  return { preview: { ...counts, created: createdCounts(grouped.creates), errors }, writes, creates: grouped.creates }

  function planHousehold(h: ImportHousehold): void {
    const existing = households.get(h.key)
    const householdId = existing?.id ?? uuidv7()
    const members: Resident[] = []
    const taken = new Set<string>()
    for (const r of h.rows) {
      const inHousehold = existing ? (byHousehold.get(existing.id) ?? []) : []
      const match =
        (r.idNumber ? byIdNumber.get(r.idNumber) : undefined) ??
        inHousehold.find((e) => !taken.has(e.id) && e.data.name === r.name && (!r.idNumber || !e.idNumber))
      if (match) taken.add(match.id)
      const idNumber = r.idNumber ?? match?.idNumber ?? null
      const record: Resident = {
        id: match?.id ?? uuidv7(),
        householdId,
        gridId: h.gridId,
        name: r.name,
        sex: r.sex,
        birthYear: r.birthYear,
        relation: r.relation,
        phone: r.phone,
        idMasked: idNumber ? maskIdNumber(idNumber) : null,
        political: r.political,
        tags: tagOrder(r.tags),
        // Moving out and dying are recorded at the door (resident:patch), not in the sheet: kept.
        status: (match?.data as Partial<Resident> | undefined)?.status ?? 'present',
        statusDate: (match?.data as Partial<Resident> | undefined)?.statusDate ?? null,
        movedTo: (match?.data as Partial<Resident> | undefined)?.movedTo ?? null,
      }
      members.push(record)
      const fields = match ? changed(match.data, record as unknown as Record<string, unknown>) : []
      const idChanged = match ? (match.idNumber ?? null) !== idNumber : false
      if (!match) counts.residents.create++
      else if (fields.length || idChanged) counts.residents.update++
      else counts.residents.unchanged++
      if (!match || fields.length || idChanged)
        writes.push({ table: 'residents', kind: match ? 'update' : 'create', id: record.id, gridId: h.gridId, householdId, data: record as unknown as Record<string, unknown>, idNumber, changedFields: fields })
    }
    // Residents already in the household but not in the file stay, and count for tags and search.
    const others = existing ? (byHousehold.get(existing.id) ?? []).filter((e) => !taken.has(e.id)).map((e) => e.data as unknown as Resident) : []
    const everyone = [...members, ...others]
    const before = (existing?.data ?? {}) as Partial<Household>
    const record: Household = {
      ...(before as Household),
      id: householdId,
      gridId: h.gridId,
      buildingId: h.buildingId,
      unit: h.unit,
      floor: h.floor,
      room: h.room,
      address: h.address,
      housing: h.housing,
      residency: h.residency,
      phone: members.find((p) => p.relation === 'head')?.phone ?? before.phone ?? null,
      tags: tagOrder(everyone.flatMap((p) => p.tags)),
      attention: h.attention,
      // The same rule as a change at the door (services/residents.ts): those who left do not count.
      headName: householdHeadName(everyone),
      searchKey: pinyinKey(memberNames(everyone)).slice(0, 2000),
      // A sheet without an area (or without the column) keeps the one the register has.
      ...(h.area !== null ? { area: h.area } : {}),
    }
    const fields = existing ? changed(existing.data, record as unknown as Record<string, unknown>) : []
    if (!existing) counts.households.create++
    else if (fields.length) counts.households.update++
    else counts.households.unchanged++
    if (!existing || fields.length)
      writes.push({ table: 'households', kind: existing ? 'update' : 'create', id: householdId, gridId: h.gridId, householdId, data: record as unknown as Record<string, unknown>, changedFields: fields })
  }
}

/** Dry run: the preview only. Otherwise every row must be valid and everything is written in one
 *  transaction, each changed record with a version of its own; unchanged records are not touched. */
export async function importRegister(store: Store, bytes: Buffer, contentType: string | undefined, dryRun: boolean, userId: string | null = null): Promise<ImportPreview> {
  const sheet = await readRegisterFile(bytes, contentType)
  const { preview, writes, creates } = await plan(store, sheet)
  if (dryRun) return preview
  if (preview.errors.length) {
    const first = preview.errors.slice(0, 3).map((e) => e.message).join('；')
    throw new AppError('VALIDATION_FAILED', `导入文件有${preview.errors.length}处错误，什么都没有写入。${first}${preview.errors.length > 3 ? '……' : ''}`, preview)
  }
  // Households first: a new resident's household row exists before the resident's.
  writes.sort((a, b) => (a.table === b.table ? 0 : a.table === 'households' ? -1 : 1))
  await store.transaction().execute(async (trx) => {
    // PIPL: who brought which personal data in, committed with the data itself.
    const created = { grids: creates.grids.length, buildings: creates.buildings.length, buildingsUpdated: creates.buildingUpdates.length }
    await record(trx, { userId, action: 'import', subject: { type: 'register', id: 'households' }, details: { households: preview.households, residents: preview.residents, created } })
    // Cells and buildings before the households that point at them.
    for (const g of creates.grids) await putRecord(trx, 'grid_cells', { id: g.id, gridId: g.id, householdId: null }, GridCell.parse(g), {})
    for (const b of [...creates.buildings, ...creates.buildingUpdates]) await putRecord(trx, 'buildings', { id: b.id, gridId: b.gridId, householdId: null }, Building.parse(b), {})
    for (const w of writes) {
      const version = await nextVersion(trx)
      if (w.table === 'households') {
        const h = { id: w.id, version, gridId: w.gridId, data: w.data }
        if (w.kind === 'create') await insertImportedHousehold(trx, h)
        else await updateImportedHousehold(trx, h, w.changedFields)
      } else {
        const r = { id: w.id, version, gridId: w.gridId, householdId: w.householdId, data: w.data, idNumber: w.idNumber ?? null }
        if (w.kind === 'create') await insertImportedResident(trx, r)
        else await updateImportedResident(trx, r)
      }
    }
  })
  return preview
}
