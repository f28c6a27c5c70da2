import type { Attention, Tag } from './tags'
import type { Household, Resident } from './schemas/register'
import { Phone } from './schemas/common'

// Import of a community register (台账) from Excel or CSV: one row per resident, Chinese headers.
// Pure: the column layout, decoding, CSV parsing and row validation. The server looks up grid
// cells and buildings and passes them in; it never trusts a row this file has not validated.
//
// Column layout (header row = Excel row 1; order free, extra columns ignored):
//   网格编号*  小区*  楼栋*  单元  楼层  室  地址 (free text; built from the parts if empty)
//   住房* (自住/出租/空置)  人户状态* (人户一致/人在户不在/户在人不在)
//   姓名*  性别* (男/女)  出生年份* or 出生日期 (1980 / 1980-05-01)
//   与户主关系* (户主/配偶/子女/父母/孙辈/兄弟姐妹/其他)  联系电话  身份证号
//   政治面貌 (党员/团员/群众; empty = 群众)  标签 (、-separated, e.g. 低保、独居老人)
//   关注程度 (一般/重点/高风险; empty = 一般; a household takes the highest of its rows)
// A household is the same 网格编号+小区+楼栋+单元+室; its residents are the rows sharing them.

export const REGISTER_HEADERS = [
  '网格编号',
  '小区',
  '楼栋',
  '单元',
  '楼层',
  '室',
  '地址',
  '住房',
  '人户状态',
  '姓名',
  '性别',
  '出生年份',
  '与户主关系',
  '联系电话',
  '身份证号',
  '政治面貌',
  '标签',
  '关注程度',
] as const
export type RegisterHeader = (typeof REGISTER_HEADERS)[number]

/** Columns that must be present in the header row (出生日期 stands in for 出生年份). */
export const REQUIRED_HEADERS: readonly RegisterHeader[] = ['网格编号', '小区', '楼栋', '住房', '人户状态', '姓名', '性别', '出生年份', '与户主关系']

/** One example row for the template, in header order. */
export const REGISTER_EXAMPLE_ROW: readonly string[] = [
  '001',
  '幸福里小区',
  '3号楼',
  '2',
  '5',
  '502',
  '',
  '自住',
  '人户一致',
  '张三',
  '男',
  '1956',
  '户主',
  '13812345678',
  '110105195601010016',
  '党员',
  '独居老人、高龄',
  '重点',
]

export const HOUSING_ZH: Record<string, Household['housing']> = { 自住: 'owner', 出租: 'rented', 空置: 'vacant' }
export const RESIDENCY_ZH: Record<string, Household['residency']> = {
  人户一致: 'consistent',
  人在户不在: 'present_unregistered',
  户在人不在: 'registered_absent',
}
export const SEX_ZH: Record<string, Resident['sex']> = { 男: 'M', 女: 'F' }
export const RELATION_ZH: Record<string, Resident['relation']> = {
  户主: 'head',
  配偶: 'spouse',
  子女: 'child',
  父母: 'parent',
  孙辈: 'grandchild',
  兄弟姐妹: 'sibling',
  其他: 'other',
}
export const POLITICAL_ZH: Record<string, Resident['political']> = { 党员: 'party', 团员: 'league', 群众: 'masses' }
export const ATTENTION_ZH: Record<string, Attention> = { 一般: 'normal', 重点: 'key', 高风险: 'high' }
export const TAG_ZH: Record<string, Tag> = {
  低保: 'dibao',
  特困: 'tekun',
  残疾: 'disabled',
  独居老人: 'elderly_alone',
  空巢老人: 'empty_nest',
  高龄: 'aged_80',
  失能失智: 'dementia_disabled',
  大病: 'serious_illness',
  下岗失业: 'unemployed',
  留守儿童: 'left_behind_child',
  困境儿童: 'child_in_need',
  优抚对象: 'veteran_family',
  流动人口: 'migrant',
  出租房: 'rental',
  社区矫正: 'correction',
  刑满释放: 'released',
  严重精神障碍: 'mental_illness',
  吸毒: 'drug',
}

export interface RowError {
  /** Row number as Excel shows it: the header is row 1. */
  row: number
  column: string | null
  message: string
}

export type CellValue = string | number | boolean | Date | null

/** A sheet: rows of cells, the header first. `formulas` holds "row:col" (1-based row, 0-based
 *  column) of cells that are formulas in the source file. */
export interface RawSheet {
  rows: CellValue[][]
  formulas?: ReadonlySet<string>
}

/** A valid row, codes already translated; grid and building still as the file names them. */
export interface ParsedRow {
  row: number
  gridCode: string
  compound: string
  building: string
  unit: string | null
  floor: number | null
  room: string | null
  address: string | null
  housing: Household['housing']
  residency: Household['residency']
  name: string
  sex: Resident['sex']
  birthYear: number
  relation: Resident['relation']
  phone: string | null
  idNumber: string | null
  political: Resident['political']
  tags: Tag[]
  attention: Attention
}

// ---- decoding and CSV ----

/** UTF-8 (BOM or not) if the bytes are valid UTF-8, else GBK (Excel's "CSV" on Chinese Windows). */
export function decodeText(bytes: Uint8Array): string {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    text = new TextDecoder('gbk').decode(bytes)
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i += 2
          continue
        }
        quoted = false
      } else field += c
      i++
      continue
    }
    if (c === '"' && field === '') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\r' || c === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      if (c === '\r' && text[i + 1] === '\n') i++
    } else field += c
    i++
  }
  if (field !== '' || row.length) {
    row.push(field)
    rows.push(row)
  }
  return rows
}

/** CSV text as a sheet; a cell starting with '=' is a formula (CSV injection), reported per row. */
export function csvSheet(text: string): RawSheet {
  const rows = parseCsv(text)
  const formulas = new Set<string>()
  rows.forEach((r, i) => r.forEach((v, c) => v.trim().startsWith('=') && formulas.add(`${i + 1}:${c}`)))
  return { rows, formulas }
}

// ---- checks ----

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

/** GB 11643-1999: 17 digits plus a check character (0-9 or X) computed mod 11. */
export function isValidIdNumber(id: string): boolean {
  const s = id.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(s)) return false
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(s[i]) * ID_WEIGHTS[i]!
  return ID_CHECK[sum % 11] === s[17]
}

export function isValidPhone(phone: string): boolean {
  return Phone.safeParse(phone).success
}

function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return String(v).trim()
}

/** 1980, "1980", "1980-05-01", "1980/5/1", "19800501" or a date cell → 1980. */
function birthYearOf(v: CellValue | undefined): number | null {
  if (v instanceof Date) return v.getUTCFullYear()
  const s = cellText(v)
  const m = /^(\d{4})(?:$|[-/.年]\d{1,2}[-/.月]\d{1,2}日?$|\d{4}$)/.exec(s)
  return m ? Number(m[1]) : null
}

export type HeaderCheck = { ok: true; index: Map<string, number> } | { ok: false; message: string; missing: string[] }

export function checkHeaders(header: readonly CellValue[]): HeaderCheck {
  const index = new Map<string, number>()
  header.forEach((h, i) => {
    const name = cellText(h)
    if (name && !index.has(name)) index.set(name, i)
  })
  if (!index.has('出生年份') && index.has('出生日期')) index.set('出生年份', index.get('出生日期')!)
  const missing = REQUIRED_HEADERS.filter((h) => !index.has(h))
  if (missing.length) return { ok: false, missing, message: `表头缺少这些列：${missing.join('、')}（请用导入模板的表头，表头在第1行）` }
  return { ok: true, index }
}

/** Validates every row on its own (lookups against the database come later, in resolveRows). */
export function parseRows(sheet: RawSheet, thisYear = new Date().getFullYear()): { rows: ParsedRow[]; errors: RowError[]; headerError?: string } {
  const [header, ...body] = sheet.rows
  const h = checkHeaders(header ?? [])
  if (!h.ok) return { rows: [], errors: [], headerError: h.message }
  const rows: ParsedRow[] = []
  const errors: RowError[] = []
  body.forEach((cells, i) => {
    const row = i + 2
    if (cells.every((c) => cellText(c) === '')) return // empty rows are skipped
    const errs: RowError[] = []
    const err = (column: string | null, message: string) => errs.push({ row, column, message: `第${row}行${column ? `「${column}」` : ''}：${message}` })
    for (const [name, col] of h.index)
      if (sheet.formulas?.has(`${row}:${col}`)) err(name, '不能是公式，请粘贴为数值后再导入')
    if (errs.length) return errors.push(...errs)
    const raw = (name: RegisterHeader) => {
      const col = h.index.get(name)
      return col === undefined ? undefined : cells[col]
    }
    const text = (name: RegisterHeader) => cellText(raw(name))
    const required = (name: RegisterHeader, max: number) => {
      const v = text(name)
      if (!v) err(name, '不能为空')
      else if (v.length > max) err(name, `太长（最多${max}个字）`)
      return v
    }
    const optional = (name: RegisterHeader, max: number) => {
      const v = text(name)
      if (v.length > max) err(name, `太长（最多${max}个字）`)
      return v || null
    }
    const choice = <T>(name: RegisterHeader, map: Record<string, T>, fallback?: T): T => {
      const v = text(name)
      if (!v && fallback !== undefined) return fallback
      const hit = Object.hasOwn(map, v) ? map[v] : undefined
      if (hit === undefined) err(name, v ? `「${v}」不认识，应为${Object.keys(map).join('/')}` : '不能为空')
      return hit as T
    }
    const gridCode = required('网格编号', 20)
    const compound = required('小区', 50)
    const building = required('楼栋', 20)
    const unit = optional('单元', 10)
    const room = optional('室', 20)
    const address = optional('地址', 200)
    let floor: number | null = null
    const floorText = text('楼层')
    if (floorText) {
      floor = Number(floorText.replace(/层$/, ''))
      if (!Number.isInteger(floor) || floor < -5 || floor > 120) err('楼层', `「${floorText}」不是楼层数（-5到120的整数）`)
    }
    const housing = choice('住房', HOUSING_ZH)
    const residency = choice('人户状态', RESIDENCY_ZH)
    const name = required('姓名', 30)
    const sex = choice('性别', SEX_ZH)
    const birthCol = h.index.has('出生年份') && header?.some((c) => cellText(c) === '出生年份') ? '出生年份' : '出生日期'
    const birthYear = birthYearOf(raw('出生年份'))
    if (birthYear === null || birthYear < 1900 || birthYear > thisYear)
      err(birthCol, text('出生年份') ? `「${text('出生年份')}」不是出生年份或日期` : '不能为空')
    const relation = choice('与户主关系', RELATION_ZH)
    const phone = text('联系电话').replace(/\s/g, '') || null
    if (phone !== null && !isValidPhone(phone)) err('联系电话', `「${phone}」不是手机号（1开头11位）或带区号的座机号`)
    const idNumber = text('身份证号').toUpperCase() || null
    if (idNumber !== null && !isValidIdNumber(idNumber)) err('身份证号', `「${idNumber}」不是有效的18位身份证号（校验位不对或位数不对）`)
    const political = choice('政治面貌', POLITICAL_ZH, 'masses')
    const tags: Tag[] = []
    for (const label of text('标签').split(/[、，,;；\s]+/).filter(Boolean)) {
      const tag = Object.hasOwn(TAG_ZH, label) ? TAG_ZH[label] : undefined
      if (!tag) err('标签', `「${label}」不是已知的标签`)
      else if (!tags.includes(tag)) tags.push(tag)
    }
    const attention = choice('关注程度', ATTENTION_ZH, 'normal')
    if (errs.length) return errors.push(...errs)
    rows.push({
      row,
      gridCode,
      compound,
      building,
      unit,
      floor,
      room,
      address,
      housing,
      residency,
      name,
      sex,
      birthYear: birthYear!,
      relation,
      phone,
      idNumber,
      political,
      tags,
      attention,
    })
  })
  return { rows, errors }
}

// ---- grouping into households, against the community's grid cells and buildings ----

export interface RegisterLookup {
  /** grid code → grid id */
  grids: ReadonlyMap<string, string>
  /** `${gridId}|${compound}|${number}` → building id */
  buildings: ReadonlyMap<string, string>
}

export interface ImportHousehold {
  key: string
  gridId: string
  buildingId: string
  unit: string | null
  floor: number | null
  room: string | null
  address: string
  housing: Household['housing']
  residency: Household['residency']
  attention: Attention
  rows: ParsedRow[]
}

const ATTENTION_RANK: Record<Attention, number> = { normal: 0, key: 1, high: 2 }

export function householdKey(gridId: string, buildingId: string | null, unit: string | null, room: string | null): string {
  return `${gridId}|${buildingId ?? ''}|${unit ?? ''}|${room ?? ''}`
}

/** Resolves grid and building, groups rows into households and checks what only the whole file
 *  shows: two 户主 in a household, the same ID number twice, the same name twice in a household. */
export function groupHouseholds(rows: readonly ParsedRow[], lookup: RegisterLookup): { households: ImportHousehold[]; errors: RowError[] } {
  const errors: RowError[] = []
  const err = (row: number, column: string | null, message: string) =>
    errors.push({ row, column, message: `第${row}行${column ? `「${column}」` : ''}：${message}` })
  const byKey = new Map<string, ImportHousehold>()
  const ids = new Map<string, number>()
  for (const r of rows) {
    const gridId = lookup.grids.get(r.gridCode)
    if (!gridId) {
      err(r.row, '网格编号', `没有编号为「${r.gridCode}」的网格`)
      continue
    }
    const buildingId = lookup.buildings.get(`${gridId}|${r.compound}|${r.building}`)
    if (!buildingId) {
      err(r.row, '楼栋', `网格「${r.gridCode}」的「${r.compound}」里没有「${r.building}」，请先在台账里建好楼栋`)
      continue
    }
    if (r.idNumber) {
      const first = ids.get(r.idNumber)
      if (first !== undefined) {
        err(r.row, '身份证号', `与第${first}行的身份证号重复`)
        continue
      }
      ids.set(r.idNumber, r.row)
    }
    const key = householdKey(gridId, buildingId, r.unit, r.room)
    let h = byKey.get(key)
    if (!h) {
      const address = r.address ?? `${r.compound}${r.building}${r.unit ? `${r.unit}单元` : ''}${r.room ? `${r.room}室` : ''}`
      h = { key, gridId, buildingId, unit: r.unit, floor: r.floor, room: r.room, address, housing: r.housing, residency: r.residency, attention: r.attention, rows: [] }
      byKey.set(key, h)
    }
    const head = h.rows.find((o) => o.relation === 'head')
    if (r.relation === 'head' && head) {
      err(r.row, '与户主关系', `这一户已有户主（第${head.row}行），一户只能有一个户主`)
      continue
    }
    const sameName = h.rows.find((o) => o.name === r.name && (!o.idNumber || !r.idNumber))
    if (sameName) {
      err(r.row, '姓名', `同一户里已有「${r.name}」（第${sameName.row}行），没有身份证号时无法区分`)
      continue
    }
    if (ATTENTION_RANK[r.attention] > ATTENTION_RANK[h.attention]) h.attention = r.attention
    h.rows.push(r)
  }
  return { households: [...byKey.values()], errors: errors.sort((a, b) => a.row - b.row) }
}
