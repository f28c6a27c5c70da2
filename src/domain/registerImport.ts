import type { Attention, Tag } from './tags'
import type { Building, GridCell, Household, Resident } from './schemas/register'
import { Phone } from './schemas/common'
import { FloorArea } from './schemas/register'
import { gcj02ToWgs84 } from './gcj02'
import { uuidv7 } from './ids'
import {
  ATTENTION_LABEL_ZH,
  BUILDING_KIND_LABEL_ZH,
  HOUSING_LABEL_ZH,
  POLITICAL_LABEL_ZH,
  RELATION_LABEL_ZH,
  RESIDENCY_LABEL_ZH,
  SEX_LABEL_ZH,
  TAG_LABEL_ZH,
} from './labels'
import { say } from './language'

// Import of a community register (台账) from Excel or CSV: one row per resident, Chinese headers.
// Pure: the column layout, decoding, CSV parsing and row validation. The server looks up grid
// cells and buildings and passes them in; it never trusts a row this file has not validated.
//
// Column layout (header row = Excel row 1; order free, extra columns ignored):
//   网格编号*  网格名称 (for a new cell)  小区*  楼栋*  楼栋类型 (楼房/平房/自建房)  单元  楼层  室
//   地址 (free text; built from the parts if empty)
//   经度  纬度 (WGS-84; "经度(GCJ-02)" or "经度(高德)" in the header for GCJ-02, converted here)
//   住房* (自住/出租/空置)  人户状态* (人户一致/人在户不在/户在人不在)
//   姓名*  性别* (男/女)  出生年份* or 出生日期 (1980 / 1980-05-01)
//   与户主关系* (户主/配偶/子女/父母/孙辈/兄弟姐妹/其他)  联系电话  身份证号
//   政治面貌 (党员/团员/群众; empty = 群众)  标签 (、-separated, e.g. 低保、独居老人)
//   关注程度 (一般/重点/高风险; empty = 一般; a household takes the highest of its rows)
//   建筑面积 or 面积 (㎡, up to two decimals; one value per household; empty keeps what is there)
// A household is the same 网格编号+小区+楼栋+单元+室; its residents are the rows sharing them.
// Grid cells, compounds, buildings and units the register lacks are created from the rows (a real
// community's first import has none of them); the preview says how many.

export const REGISTER_HEADERS = [
  '网格编号',
  '网格名称',
  '小区',
  '楼栋',
  '楼栋类型',
  '单元',
  '楼层',
  '室',
  '地址',
  '经度',
  '纬度',
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
  '建筑面积',
] as const
export type RegisterHeader = (typeof REGISTER_HEADERS)[number]

/** Columns that must be present in the header row (出生日期 stands in for 出生年份). */
export const REQUIRED_HEADERS: readonly RegisterHeader[] = ['网格编号', '小区', '楼栋', '住房', '人户状态', '姓名', '性别', '出生年份', '与户主关系']

/** One example row for the template, in header order. */
export const REGISTER_EXAMPLE_ROW: readonly string[] = [
  '001',
  '第一网格',
  '幸福里小区',
  '3号楼',
  '楼房',
  '2',
  '5',
  '502',
  '',
  '116.397428',
  '39.90923',
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
  '89.5',
]

/** Word → code, read off the labels (labels.ts) so the sheet and the app say the same words. */
const reverse = <C extends string>(labels: Record<C, string>): Record<string, C> =>
  Object.fromEntries(Object.entries(labels).map(([code, zh]) => [zh, code])) as Record<string, C>

export const HOUSING_ZH = reverse(HOUSING_LABEL_ZH)
export const RESIDENCY_ZH = reverse(RESIDENCY_LABEL_ZH)
/** 自建房 is how many sheets write a self-built house; the app calls it 平房. */
export const BUILDING_KIND_ZH: Record<string, Building['kind']> = { ...reverse(BUILDING_KIND_LABEL_ZH), 自建房: 'bungalow' }
export const SEX_ZH = reverse(SEX_LABEL_ZH)
export const RELATION_ZH = reverse(RELATION_LABEL_ZH)
export const POLITICAL_ZH = reverse(POLITICAL_LABEL_ZH)
export const ATTENTION_ZH = reverse(ATTENTION_LABEL_ZH)
export const TAG_ZH = reverse(TAG_LABEL_ZH)

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
  /** The 网格编号 cell was a number, not text: a spreadsheet may have dropped its leading zeros. */
  gridCodeWasNumber: boolean
  gridName: string | null
  compound: string
  building: string
  buildingKind: Building['kind']
  /** WGS-84, converted from GCJ-02 when the header says so. */
  location: { lat: number; lng: number } | null
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
  /** 建筑面积 in ㎡; null when the row gives none. */
  area: number | null
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

/** Day 0 of Excel's (and LibreOffice's, and WPS's) 1900 date system. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

function cellText(v: CellValue | undefined): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  return String(v).trim()
}

/** 1980, "1980", "1980-05-01", "1980/5/1", "19800501" or a date cell → 1980. */
function birthYearOf(v: CellValue | undefined): number | null {
  if (v instanceof Date) return v.getUTCFullYear()
  // A date cell that lost its date format reads as Excel's day count (1960-01-01 is 21916).
  if (typeof v === 'number' && v > 2100 && v < 80_000 && Number.isInteger(v)) return new Date(EXCEL_EPOCH + v * 86_400_000).getUTCFullYear()
  const s = cellText(v)
  const m = /^(\d{4})(?:$|[-/.年]\d{1,2}[-/.月]\d{1,2}日?$|\d{4}$)/.exec(s)
  return m ? Number(m[1]) : null
}

export type Datum = 'wgs84' | 'gcj02'
export type HeaderCheck = { ok: true; index: Map<string, number>; datum: Datum } | { ok: false; message: string; missing: string[] }

/** The datum a 经度/纬度 header names: "经度（GCJ-02）", "经度(高德)" … ; WGS-84 when it names none.
 *  Baidu's BD-09 is refused: converting it needs another formula, and nobody should guess. */
function datumOf(header: string): Datum | 'bd09' {
  if (/BD-?09|百度/i.test(header)) return 'bd09'
  if (/GCJ|高德|火星|腾讯|国测局/i.test(header)) return 'gcj02'
  return 'wgs84'
}

export function checkHeaders(header: readonly CellValue[]): HeaderCheck {
  const index = new Map<string, number>()
  const datums = new Set<Datum | 'bd09'>()
  header.forEach((h, i) => {
    let name = cellText(h)
    // Coordinates carry their datum in the header: "经度(GCJ-02)" is the 经度 column.
    const coord = /^(经度|纬度)/.exec(name)
    if (coord) {
      datums.add(datumOf(name))
      name = coord[1]!
    }
    // "建筑面积(㎡)", "面积（平方米）": the area column, whatever unit its header names.
    if (/^(建筑面积|面积)\s*([(（].*[)）])?$/.test(name)) name = /^面积/.test(name) ? '面积' : '建筑面积'
    if (name && !index.has(name)) index.set(name, i)
  })
  if (!index.has('出生年份') && index.has('出生日期')) index.set('出生年份', index.get('出生日期')!)
  if (!index.has('建筑面积') && index.has('面积')) index.set('建筑面积', index.get('面积')!)
  const missing = REQUIRED_HEADERS.filter((h) => !index.has(h))
  if (missing.length) return { ok: false, missing, message: say(`表头缺少这些列：${missing.join('、')}（请用导入模板的表头，表头在第1行）`, `The header lacks these columns: ${missing.join(', ')} (use the headers of the import template, in row 1)`)() }
  if (index.has('经度') !== index.has('纬度'))
    return { ok: false, missing: [index.has('经度') ? '纬度' : '经度'], message: say('经度和纬度要一起给：表头只有其中一列', 'Longitude and latitude go together: the header has only one of them')() }
  if (datums.has('bd09')) return { ok: false, missing: [], message: say('不支持百度坐标（BD-09）：请给 WGS-84（GPS）或 GCJ-02（高德、腾讯）的经纬度，并在表头写明，如「经度(GCJ-02)」', 'Baidu coordinates (BD-09) are not supported: give WGS-84 (GPS) or GCJ-02 (Amap, Tencent) coordinates and say which in the header, e.g. "经度(GCJ-02)"')() }
  if (datums.size > 1) return { ok: false, missing: [], message: say('经度和纬度的表头写的坐标系不一样，请写成同一种（WGS-84 或 GCJ-02）', 'The longitude and latitude headers name different coordinate systems: use the same one (WGS-84 or GCJ-02)')() }
  return { ok: true, index, datum: datums.has('gcj02') ? 'gcj02' : 'wgs84' }
}

/** 中国境内 (a generous box): a point outside it is a typo or swapped columns. */
const CHINA = { latMin: 3.8, latMax: 53.6, lngMin: 73.4, lngMax: 135.1 }

/** Excel shows a number of 12 or more digits as 3.70902E+17 and keeps only 15 of them. */
const SCIENTIFIC = /^\d(\.\d+)?E\+?\d+$/i
/** A long number the spreadsheet shortened: `what` names the column in both languages. */
const lostDigits = (zh: string, en: string) =>
  say(`${zh}被表格软件当成了数字，后几位已丢失：请把这一列设为文本后重新填写`, `The spreadsheet took the ${en} for a number and lost its last digits: set this column to text and fill it in again`)()

/** A row's error as the import shows it: "第3行「姓名」：不能为空". */
const rowMessage = (row: number, column: string | null, message: string) =>
  say(`第${row}行${column ? `「${column}」` : ''}：${message}`, `Row ${row}${column ? ` "${column}"` : ''}: ${message}`)()

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
    const err = (column: string | null, message: string) => errs.push({ row, column, message: rowMessage(row, column, message) })
    for (const [name, col] of h.index)
      if (sheet.formulas?.has(`${row}:${col}`)) err(name, say('不能是公式，请粘贴为数值后再导入', 'Cannot be a formula: paste it as values, then import again')())
    if (errs.length) return errors.push(...errs)
    const raw = (name: RegisterHeader) => {
      const col = h.index.get(name)
      return col === undefined ? undefined : cells[col]
    }
    const text = (name: RegisterHeader) => cellText(raw(name))
    const required = (name: RegisterHeader, max: number) => {
      const v = text(name)
      if (!v) err(name, say('不能为空', 'Cannot be empty')())
      else if (v.length > max) err(name, say(`太长（最多${max}个字）`, `Too long (at most ${max} characters)`)())
      return v
    }
    const optional = (name: RegisterHeader, max: number) => {
      const v = text(name)
      if (v.length > max) err(name, say(`太长（最多${max}个字）`, `Too long (at most ${max} characters)`)())
      return v || null
    }
    const choice = <T>(name: RegisterHeader, map: Record<string, T>, fallback?: T): T => {
      const v = text(name)
      if (!v && fallback !== undefined) return fallback
      const hit = Object.hasOwn(map, v) ? map[v] : undefined
      if (hit === undefined) err(name, v ? say(`「${v}」不认识，应为${Object.keys(map).join('/')}`, `"${v}" is not known; it should be ${Object.keys(map).join('/')}`)() : say('不能为空', 'Cannot be empty')())
      return hit as T
    }
    /** 经度 and 纬度 both or neither, inside China, as WGS-84. */
    function coordinates(): { lat: number; lng: number } | null {
      const lngText = text('经度')
      const latText = text('纬度')
      if (!lngText && !latText) return null
      if (!lngText || !latText) {
        err(lngText ? '纬度' : '经度', say('经度和纬度要一起填，或者都不填', 'Fill in longitude and latitude together, or neither')())
        return null
      }
      const lng = Number(lngText)
      const lat = Number(latText)
      if (!Number.isFinite(lng) || !Number.isFinite(lat)) {
        err(Number.isFinite(lng) ? '纬度' : '经度', say(`「${Number.isFinite(lng) ? latText : lngText}」不是数字（应为小数度数，如 116.397428）`, `"${Number.isFinite(lng) ? latText : lngText}" is not a number (it should be decimal degrees, e.g. 116.397428)`)())
        return null
      }
      const inChina = (la: number, ln: number) => la >= CHINA.latMin && la <= CHINA.latMax && ln >= CHINA.lngMin && ln <= CHINA.lngMax
      if (!inChina(lat, lng)) {
        if (inChina(lng, lat)) err('经度', say(`经度和纬度好像填反了：经度应在${CHINA.lngMin}到${CHINA.lngMax}之间，纬度在${CHINA.latMin}到${CHINA.latMax}之间`, `Longitude and latitude seem swapped: longitude should be between ${CHINA.lngMin} and ${CHINA.lngMax}, latitude between ${CHINA.latMin} and ${CHINA.latMax}`)())
        else err(lngText && !(lng >= CHINA.lngMin && lng <= CHINA.lngMax) ? '经度' : '纬度', say(`「${lngText}, ${latText}」不在中国境内，请检查经纬度`, `"${lngText}, ${latText}" is outside China: check the coordinates`)())
        return null
      }
      return h.ok && h.datum === 'gcj02' ? gcj02ToWgs84({ lat, lng }) : { lat, lng }
    }
    const gridCode = required('网格编号', 20)
    const gridName = optional('网格名称', 50)
    const compound = required('小区', 50)
    const building = required('楼栋', 20)
    const buildingKind = choice('楼栋类型', BUILDING_KIND_ZH, /平房|自建房/.test(building) ? 'bungalow' : 'residential')
    const location = coordinates()
    const unit = optional('单元', 10)
    const room = optional('室', 20)
    const address = optional('地址', 200)
    let floor: number | null = null
    const floorText = text('楼层')
    if (floorText) {
      floor = Number(floorText.replace(/层$/, ''))
      if (!Number.isInteger(floor) || floor < -5 || floor > 120) err('楼层', say(`「${floorText}」不是楼层数（-5到120的整数）`, `"${floorText}" is not a floor (a whole number from -5 to 120)`)())
    }
    const housing = choice('住房', HOUSING_ZH)
    const residency = choice('人户状态', RESIDENCY_ZH)
    const name = required('姓名', 30)
    const sex = choice('性别', SEX_ZH)
    const birthCol = h.index.has('出生年份') && header?.some((c) => cellText(c) === '出生年份') ? '出生年份' : '出生日期'
    const birthYear = birthYearOf(raw('出生年份'))
    if (birthYear === null || birthYear < 1900 || birthYear > thisYear)
      err(birthCol, text('出生年份') ? say(`「${text('出生年份')}」不是出生年份或日期`, `"${text('出生年份')}" is not a year or date of birth`)() : say('不能为空', 'Cannot be empty')())
    const relation = choice('与户主关系', RELATION_ZH)
    const phone = text('联系电话').replace(/\s/g, '') || null
    if (phone !== null && SCIENTIFIC.test(phone)) err('联系电话', lostDigits('联系电话', 'phone number'))
    else if (phone !== null && !isValidPhone(phone)) {
      if (typeof raw('联系电话') === 'number' && isValidPhone(`0${phone}`))
        err('联系电话', say(`「${phone}」是座机号，前面的0被表格软件去掉了：请把这一列设为文本后重新填写`, `"${phone}" is a landline whose leading 0 the spreadsheet dropped: set this column to text and fill it in again`)())
      else err('联系电话', say(`「${phone}」不是手机号（1开头11位）或带区号的座机号`, `"${phone}" is not a mobile number (11 digits starting with 1) or a landline with its area code`)())
    }
    const idNumber = text('身份证号').toUpperCase() || null
    // 18 digits never survive as a number: Excel keeps 15 of them, a JavaScript number 16.
    if (idNumber !== null && (typeof raw('身份证号') === 'number' || SCIENTIFIC.test(idNumber))) err('身份证号', lostDigits('身份证号', 'ID number'))
    else if (idNumber !== null && !isValidIdNumber(idNumber))
      err(
        '身份证号',
        /^\d{15}0{3}$/.test(idNumber)
          ? say(`「${idNumber}」校验位不对，末三位是000：多半是表格软件把它当成数字后丢了后几位，请把这一列设为文本后重新填写`, `"${idNumber}" has a wrong check digit and ends in 000: the spreadsheet probably took it for a number and lost its last digits; set this column to text and fill it in again`)()
          : say(`「${idNumber}」不是有效的18位身份证号（校验位不对或位数不对）`, `"${idNumber}" is not a valid 18-digit ID number (wrong check digit or length)`)(),
      )
    const political = choice('政治面貌', POLITICAL_ZH, 'masses')
    const tags: Tag[] = []
    for (const label of text('标签').split(/[、，,;；\s]+/).filter(Boolean)) {
      const tag = Object.hasOwn(TAG_ZH, label) ? TAG_ZH[label] : undefined
      if (!tag) err('标签', say(`「${label}」不是已知的标签`, `"${label}" is not a known tag`)())
      else if (!tags.includes(tag)) tags.push(tag)
    }
    const attention = choice('关注程度', ATTENTION_ZH, 'normal')
    let area: number | null = null
    const areaText = text('建筑面积').replace(/\s*(㎡|平方米|平米|m2|m²)$/i, '')
    if (areaText) {
      const parsed = FloorArea.safeParse(Number(areaText))
      if (parsed.success) area = parsed.data
      else err('建筑面积', say(`「${text('建筑面积')}」不是建筑面积：${Number.isFinite(Number(areaText)) ? parsed.error.issues[0]!.message : say('应为平方米数，如 89.5', 'it should be square metres, e.g. 89.5')()}`, `"${text('建筑面积')}" is not a floor area: ${Number.isFinite(Number(areaText)) ? parsed.error.issues[0]!.message : say('应为平方米数，如 89.5', 'it should be square metres, e.g. 89.5')()}`)())
    }
    if (errs.length) return errors.push(...errs)
    rows.push({
      row,
      gridCode,
      gridCodeWasNumber: typeof raw('网格编号') === 'number',
      gridName,
      compound,
      building,
      buildingKind,
      location,
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
      area,
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
  /** The buildings themselves, by id: the rows may add units or floors, or give a first place. */
  buildingRecords?: ReadonlyMap<string, Building>
  /** `${buildingId}|${unit}` of every unit a household already lives in. */
  units?: ReadonlySet<string>
}

/** What the register lacks and the rows bring: created in the same transaction as the households. */
export interface RegisterCreates {
  /** New grid cells, without a boundary until the admin draws one. */
  grids: GridCell[]
  /** Compound names new to the community. */
  compounds: string[]
  buildings: Building[]
  /** Buildings already on the register that the rows give more units or floors, or a first place. */
  buildingUpdates: Building[]
  /** Units new to the register (in new buildings, or beyond an existing building's count). */
  units: number
  /** New buildings the rows give no 经纬度: the admin places them on the map. */
  unlocated: number
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
  /** 建筑面积 from the first of its rows that gives one; null when none does. */
  area: number | null
  rows: ParsedRow[]
}

const ATTENTION_RANK: Record<Attention, number> = { normal: 0, key: 1, high: 2 }

export function householdKey(gridId: string, buildingId: string | null, unit: string | null, room: string | null): string {
  return `${gridId}|${buildingId ?? ''}|${unit ?? ''}|${room ?? ''}`
}

const MAX_UNITS = 50

/** Resolves grid and building (planning the missing ones), groups rows into households and checks
 *  what only the whole file shows: two 户主 in a household, the same ID number twice, the same
 *  name twice in a household, a 网格编号 whose leading zeros a spreadsheet dropped. */
export function groupHouseholds(
  rows: readonly ParsedRow[],
  lookup: RegisterLookup,
  newId: () => string = () => uuidv7(),
): { households: ImportHousehold[]; errors: RowError[]; creates: RegisterCreates } {
  const errors: RowError[] = []
  const err = (row: number, column: string | null, message: string) =>
    errors.push({ row, column, message: rowMessage(row, column, message) })
  const byKey = new Map<string, ImportHousehold>()
  const ids = new Map<string, number>()
  const grids = new Map(lookup.grids)
  const buildings = new Map(lookup.buildings)
  const newGrids: GridCell[] = []
  const newBuildings = new Map<string, Building>()
  // 002 typed as a number arrives as 2: known codes with leading zeros, by their digits alone.
  const padded = new Map<string, string>()
  for (const code of [...lookup.grids.keys(), ...rows.filter((r) => !r.gridCodeWasNumber).map((r) => r.gridCode)])
    if (/^0+\d/.test(code)) padded.set(code.replace(/^0+(?=\d)/, ''), code)
  // Per building: the units, highest floor and first 经纬度 its rows name.
  const seen = new Map<string, { units: Set<string>; floor: number; location: ParsedRow['location'] }>()

  for (const r of rows) {
    if (r.gridCodeWasNumber && !grids.has(r.gridCode) && padded.has(r.gridCode)) {
      err(r.row, '网格编号', say(`网格编号被表格软件当成了数字，前面的0已丢失（表里是「${r.gridCode}」，应为「${padded.get(r.gridCode)}」）：请把这一列设为文本后重新填写`, `The spreadsheet took the grid cell code for a number and dropped its leading 0 (the sheet has "${r.gridCode}", it should be "${padded.get(r.gridCode)}"): set this column to text and fill it in again`)())
      continue
    }
    if (r.unit !== null && /^\d+$/.test(r.unit) && Number(r.unit) > MAX_UNITS) {
      err(r.row, '单元', say(`「${r.unit}」单元太大：一栋楼最多${MAX_UNITS}个单元`, `Stairwell "${r.unit}" is too high: a building has at most ${MAX_UNITS} stairwells`)())
      continue
    }
    if (r.idNumber) {
      const first = ids.get(r.idNumber)
      if (first !== undefined) {
        err(r.row, '身份证号', say(`与第${first}行的身份证号重复`, `The same ID number as row ${first}`)())
        continue
      }
    }
    // A missing cell or building is planned only once a row in it is accepted.
    const gridId = grids.get(r.gridCode) ?? newId()
    const bKey = `${gridId}|${r.compound}|${r.building}`
    const buildingId = buildings.get(bKey) ?? newId()
    const key = householdKey(gridId, buildingId, r.unit, r.room)
    let h = byKey.get(key)
    const head = h?.rows.find((o) => o.relation === 'head')
    if (r.relation === 'head' && head) {
      err(r.row, '与户主关系', say(`这一户已有户主（第${head.row}行），一户只能有一个户主`, `This household already has a head (row ${head.row}); a household has only one head`)())
      continue
    }
    const areaRow = h?.rows.find((o) => o.area !== null)
    if (r.area !== null && areaRow && areaRow.area !== r.area) {
      err(r.row, '建筑面积', say(`同一户的建筑面积和第${areaRow.row}行不一样（${areaRow.area} ㎡）：一户只有一个面积`, `The floor area differs from row ${areaRow.row} of the same household (${areaRow.area} m²): a household has one area`)())
      continue
    }
    const sameName = h?.rows.find((o) => o.name === r.name && (!o.idNumber || !r.idNumber))
    if (sameName) {
      err(r.row, '姓名', say(`同一户里已有「${r.name}」（第${sameName.row}行），没有身份证号时无法区分`, `The household already has "${r.name}" (row ${sameName.row}); without ID numbers they cannot be told apart`)())
      continue
    }
    if (r.idNumber) ids.set(r.idNumber, r.row)
    if (!grids.has(r.gridCode)) {
      grids.set(r.gridCode, gridId)
      newGrids.push({ id: gridId, code: r.gridCode, name: r.gridName ?? `网格${r.gridCode}`, polygon: null })
    }
    if (!buildings.has(bKey)) {
      buildings.set(bKey, buildingId)
      newBuildings.set(buildingId, { id: buildingId, gridId, compound: r.compound, number: r.building, kind: r.buildingKind, units: 0, floors: 0, location: null })
    }
    if (!h) {
      const address = r.address ?? `${r.compound}${r.building}${r.unit ? `${r.unit}单元` : ''}${r.room ? `${r.room}室` : ''}`
      h = { key, gridId, buildingId, unit: r.unit, floor: r.floor, room: r.room, address, housing: r.housing, residency: r.residency, attention: r.attention, area: null, rows: [] }
      byKey.set(key, h)
    }
    if (ATTENTION_RANK[r.attention] > ATTENTION_RANK[h.attention]) h.attention = r.attention
    h.area ??= r.area
    h.rows.push(r)
    const b = seen.get(buildingId) ?? { units: new Set<string>(), floor: 0, location: null }
    if (r.unit !== null) b.units.add(r.unit)
    if (r.floor !== null && r.floor > b.floor) b.floor = r.floor
    b.location ??= r.location
    seen.set(buildingId, b)
  }

  const creates: RegisterCreates = { grids: newGrids, compounds: [], buildings: [], buildingUpdates: [], units: 0, unlocated: 0 }
  const knownCompounds = new Set([...(lookup.buildingRecords?.values() ?? [])].map((b) => b.compound))
  for (const [id, facts] of seen) {
    const fresh = newBuildings.get(id)
    const before = fresh ?? lookup.buildingRecords?.get(id)
    if (!before) continue // a building the caller did not describe: nothing to add to it
    const numbered = [...facts.units].filter((u) => /^\d+$/.test(u)).map(Number)
    const units = Math.max(before.units, ...numbered, fresh ? facts.units.size : 0)
    const after: Building = {
      ...before,
      units,
      floors: Math.max(before.floors, facts.floor),
      location: before.location ?? (facts.location ? { ...facts.location, accuracy: null, source: 'register' } : null),
    }
    for (const u of facts.units)
      if (fresh || (!lookup.units?.has(`${id}|${u}`) && !(/^\d+$/.test(u) && Number(u) <= before.units))) creates.units++
    if (fresh) {
      creates.buildings.push(after)
      if (!after.location) creates.unlocated++
      if (!knownCompounds.has(after.compound) && !creates.compounds.includes(after.compound)) creates.compounds.push(after.compound)
    } else if (JSON.stringify(after) !== JSON.stringify(before)) creates.buildingUpdates.push(after)
  }
  return { households: [...byKey.values()], errors: errors.sort((a, b) => a.row - b.row), creates }
}
