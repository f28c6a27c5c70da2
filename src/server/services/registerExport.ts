import { Building, GridCell, Household, maskIdNumber, maskName, maskPhone, Resident } from '../../domain'
import {
  ATTENTION_LABEL_ZH,
  BUILDING_KIND_LABEL_ZH,
  HOUSING_LABEL_ZH,
  POLITICAL_LABEL_ZH,
  RELATION_LABEL_ZH,
  RESIDENCY_LABEL_ZH,
  SEX_LABEL_ZH,
  TAG_LABEL_ZH,
} from '../../domain/labels'
import { REGISTER_HEADERS } from '../../domain/registerImport'
import { AppError } from '../appError'
import type { Store } from '../store/open'
import { liveRows } from '../store/register'
import { liveResidentRows } from '../store/residents'
import type { SessionUser } from './auth'
import { type ExportFile, type Format, logExport, type Table, toCsv, toXlsx } from './exports'
import { visibleTags } from './scope'

// The register (台账) as a file: one row per resident, the columns of the import layout
// (src/domain/registerImport.ts), so an unmasked export can be imported again. PIPL: masked by
// default (张*明, 138****1234, 370902********1234); full values only for the admin, asked for
// explicitly (?unmasked=1). Every export is logged (exports_log + audit) with `unmasked`.

const WIDTHS: Partial<Record<(typeof REGISTER_HEADERS)[number], number>> = { 小区: 16, 地址: 28, 联系电话: 14, 身份证号: 22, 标签: 20 }

const SORT_COLUMNS = ['网格编号', '小区', '楼栋', '单元', '楼层', '室'] as const

/** Six decimals of a degree: about 10 cm, more than any building needs. */
const round6 = (x: number) => Math.round(x * 1e6) / 1e6

export async function registerTable(store: Store, user: SessionUser, unmasked: boolean): Promise<Table> {
  const parse = <T>(rows: { data: unknown }[], schema: { parse(v: unknown): T }) => rows.map((r) => schema.parse(r.data))
  const grids = new Map(parse(await liveRows(store, 'grid_cells'), GridCell).map((g) => [g.id, g]))
  const buildings = new Map(parse(await liveRows(store, 'buildings'), Building).map((b) => [b.id, b]))
  const households = new Map(parse(await liveRows(store, 'households'), Household).map((h) => [h.id, h]))
  const residents = await liveResidentRows(store)

  const rows: (string | number | null)[][] = []
  for (const r of residents) {
    const p = Resident.parse(r.data)
    const h = households.get(p.householdId)
    if (!h) continue
    const b = h.buildingId ? buildings.get(h.buildingId) : undefined
    const id = r.idNumber
    const tags = visibleTags(user, p.tags).map((t) => TAG_LABEL_ZH[t])
    const values: Record<(typeof REGISTER_HEADERS)[number], string | number | null> = {
      网格编号: grids.get(h.gridId)?.code ?? '',
      网格名称: grids.get(h.gridId)?.name ?? '',
      小区: b?.compound ?? '',
      楼栋: b?.number ?? '',
      楼栋类型: b ? BUILDING_KIND_LABEL_ZH[b.kind] : '',
      单元: h.unit,
      楼层: h.floor,
      室: h.room,
      地址: h.address,
      // The building's place (WGS-84, as stored), so an export imports again with its map position.
      经度: b?.location ? round6(b.location.lng) : null,
      纬度: b?.location ? round6(b.location.lat) : null,
      住房: HOUSING_LABEL_ZH[h.housing],
      人户状态: RESIDENCY_LABEL_ZH[h.residency],
      姓名: unmasked ? p.name : maskName(p.name),
      性别: SEX_LABEL_ZH[p.sex],
      出生年份: p.birthYear,
      与户主关系: RELATION_LABEL_ZH[p.relation],
      联系电话: p.phone ? (unmasked ? p.phone : maskPhone(p.phone)) : null,
      身份证号: id ? (unmasked ? id : maskIdNumber(id)) : null,
      政治面貌: POLITICAL_LABEL_ZH[p.political],
      标签: tags.join('、'),
      关注程度: ATTENTION_LABEL_ZH[h.attention],
      建筑面积: h.area ?? null,
    }
    rows.push(REGISTER_HEADERS.map((k) => values[k]))
  }
  // Grouped as the office reads a register: by grid cell, compound, building, unit, room.
  const at = SORT_COLUMNS.map((h) => REGISTER_HEADERS.indexOf(h))
  const key = (r: (string | number | null)[]) => at.map((i) => String(r[i] ?? '').padStart(8, '0')).join('|')
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  return { sheet: '台账', columns: REGISTER_HEADERS.map((h) => ({ header: h, width: WIDTHS[h] ?? 10 })), rows }
}

export async function buildRegisterExport(store: Store, user: SessionUser, format: Format, unmasked: boolean, now = Date.now()): Promise<ExportFile> {
  if (unmasked && user.role !== 'admin') throw new AppError('FORBIDDEN', '只有管理员可以导出未打码的台账')
  const table = await registerTable(store, user, unmasked)
  const body = format === 'xlsx' ? await toXlsx(table) : toCsv(table)
  const at = new Date(now).toISOString()
  await logExport(store, user, 'register', format, { unmasked }, table.rows.length, at)
  const day = at.slice(0, 10)
  return {
    filename: `台账${unmasked ? '' : '-打码'}-${day}.${format}`,
    asciiFilename: `zoufang-register${unmasked ? '' : '-masked'}-${day}.${format}`,
    contentType: format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8',
    body,
    rows: table.rows.length,
  }
}
