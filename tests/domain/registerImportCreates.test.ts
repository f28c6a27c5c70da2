import { describe, expect, it } from 'vitest'
import type { Building } from '../../src/domain'
import { gcj02ToWgs84 } from '../../src/domain/gcj02'
import { type CellValue, groupHouseholds, parseRows, REGISTER_EXAMPLE_ROW, REGISTER_HEADERS, type RegisterLookup } from '../../src/domain/registerImport'

// A real community's first import: the register has none of its cells, compounds, buildings or
// units, and its sheet went through Excel or WPS on the way.

type Over = Partial<Record<(typeof REGISTER_HEADERS)[number], CellValue>>
const H: CellValue[] = [...REGISTER_HEADERS]
const row = (over: Over): CellValue[] => REGISTER_HEADERS.map((h, i) => (h in over ? over[h]! : REGISTER_EXAMPLE_ROW[i]!))
const parse = (...overs: Over[]) => parseRows({ rows: [H, ...overs.map(row)] }, 2026)
const problems = (over: Over) => parse(over).errors.map((e) => e.message)

let n = 0
const ids = () => `id${++n}`
const empty: RegisterLookup = { grids: new Map(), buildings: new Map() }

describe('register import creates what the register lacks', () => {
  it('a new cell, compound, buildings and units from the rows, each once, with the highest floor and the first 经纬度', () => {
    const { rows, errors } = parse(
      { 室: '101', 单元: '1', 楼层: '1', 姓名: '甲', 身份证号: '' },
      { 室: '602', 单元: '3', 楼层: '6', 姓名: '乙', 身份证号: '', 经度: '116.4', 纬度: '39.9' },
      { 室: '201', 单元: '1', 楼层: '2', 姓名: '丙', 身份证号: '' },
      { 楼栋: '5号平房', 楼栋类型: '', 单元: '', 楼层: '', 室: '', 姓名: '丁', 身份证号: '', 经度: '', 纬度: '' },
      { 小区: '和平里', 楼栋: '1号楼', 单元: '东单元', 姓名: '戊', 身份证号: '', 经度: '', 纬度: '' },
    )
    expect(errors).toEqual([])
    const { households, creates } = groupHouseholds(rows, empty, ids)
    expect(households).toHaveLength(5)
    expect(creates.grids).toEqual([{ id: households[0]!.gridId, code: '001', name: '第一网格', polygon: null }])
    expect(creates.compounds).toEqual(['幸福里小区', '和平里'])
    const [b3, bungalow, b1] = creates.buildings
    // 3号楼's first row has the example's 经纬度 (116.397428, 39.90923): the first given wins.
    expect(b3).toMatchObject({ compound: '幸福里小区', number: '3号楼', kind: 'residential', units: 3, floors: 6, location: { lat: 39.90923, lng: 116.397428, source: 'register', accuracy: null } })
    expect(bungalow).toMatchObject({ number: '5号平房', kind: 'bungalow', units: 0, floors: 0, location: null })
    // A unit named, not numbered, still counts as one.
    expect(b1).toMatchObject({ compound: '和平里', number: '1号楼', units: 1, location: null })
    expect(creates.units).toBe(3) // 3号楼 1 and 3, 和平里1号楼 东单元
    expect(creates.unlocated).toBe(2)
    expect(creates.buildingUpdates).toEqual([])
    expect(new Set(households.map((h) => h.buildingId))).toEqual(new Set([b3!.id, bungalow!.id, b1!.id]))
  })

  it('an existing building gets more units or floors, or a first place, and no new unit is counted twice', () => {
    const b: Building = { id: 'b1', gridId: 'g1', compound: '幸福里小区', number: '3号楼', kind: 'residential', units: 2, floors: 5, location: null }
    const lookup: RegisterLookup = { grids: new Map([['001', 'g1']]), buildings: new Map([['g1|幸福里小区|3号楼', 'b1']]), buildingRecords: new Map([['b1', b]]), units: new Set(['b1|东']) }
    const same = groupHouseholds(parse({ 单元: '2', 楼层: '5', 经度: '', 纬度: '' }).rows, lookup, ids).creates
    expect(same).toMatchObject({ grids: [], compounds: [], buildings: [], buildingUpdates: [], units: 0 })
    const more = groupHouseholds(parse({ 单元: '4', 楼层: '9' }, { 单元: '东', 室: '1', 姓名: '乙', 身份证号: '' }).rows, lookup, ids).creates
    expect(more.units).toBe(1)
    expect(more.buildingUpdates).toEqual([{ ...b, units: 4, floors: 9, location: { lat: 39.90923, lng: 116.397428, accuracy: null, source: 'register' } }])
    // A building already placed keeps its place: the admin may have moved it.
    const placed = { ...b, location: { lat: 36, lng: 117, accuracy: null, source: 'manual' as const } }
    const kept = groupHouseholds(parse({ 单元: '2' }).rows, { ...lookup, buildingRecords: new Map([['b1', placed]]) }, ids).creates
    expect(kept.buildingUpdates).toEqual([])
  })

  it('a cell or building is planned only for rows that are accepted', () => {
    const { rows } = parse({ 网格编号: '007', 姓名: '甲', 身份证号: '' }, { 网格编号: '008', 姓名: '乙', 身份证号: '' }, { 网格编号: '008', 姓名: '丙', 身份证号: '' })
    // 丙 is a second 户主 in 008's household: refused, but 008 is planned for 乙.
    const { creates, errors } = groupHouseholds(rows, empty, ids)
    expect(errors.map((e) => e.row)).toEqual([4])
    expect(creates.grids.map((g) => g.code)).toEqual(['007', '008'])
    const onlyBad = groupHouseholds(parse({ 单元: '51', 姓名: '甲', 身份证号: '' }).rows, empty, ids)
    expect(onlyBad.errors.map((e) => e.message)).toEqual(['第2行「单元」：「51」单元太大：一栋楼最多50个单元'])
    expect(onlyBad.creates).toMatchObject({ grids: [], buildings: [], units: 0 })
  })
})

describe('register import: what spreadsheets do to long numbers and codes', () => {
  it('an ID number that became a number, or 3.70902E+17, says its digits are lost', () => {
    const lost = '第2行「身份证号」：身份证号被表格软件当成了数字，后几位已丢失：请把这一列设为文本后重新填写'
    expect(problems({ 身份证号: 370902195601020000 })).toEqual([lost])
    expect(problems({ 身份证号: '3.70902E+17' })).toEqual([lost])
    expect(problems({ 身份证号: '3.70902195601E+17' })).toEqual([lost])
    // Turned back into text after the damage: 15 digits and 000, and the check fails.
    expect(problems({ 身份证号: '370902195601020000' })).toEqual([
      '第2行「身份证号」：「370902195601020000」校验位不对，末三位是000：多半是表格软件把它当成数字后丢了后几位，请把这一列设为文本后重新填写',
    ])
    expect(problems({ 身份证号: '370902195601010001' })).toEqual(['第2行「身份证号」：「370902195601010001」不是有效的18位身份证号（校验位不对或位数不对）'])
  })

  it('a mobile number as a number is fine; a landline that lost its 0 is named', () => {
    expect(parse({ 联系电话: 13812345678 }).rows[0]!.phone).toBe('13812345678')
    expect(problems({ 联系电话: 53112345678 })).toEqual(['第2行「联系电话」：「53112345678」是座机号，前面的0被表格软件去掉了：请把这一列设为文本后重新填写'])
    expect(problems({ 联系电话: '53112345678' })).toEqual(['第2行「联系电话」：「53112345678」不是手机号（1开头11位）或带区号的座机号'])
    expect(problems({ 联系电话: '1.38123E+10' })).toEqual(['第2行「联系电话」：联系电话被表格软件当成了数字，后几位已丢失：请把这一列设为文本后重新填写'])
  })

  it('a 网格编号 whose zeros were dropped (002 → 2) is refused when 002 is known, kept as is when nothing is', () => {
    const numeric = parse({ 网格编号: 2, 姓名: '甲', 身份证号: '' }).rows
    expect(numeric[0]).toMatchObject({ gridCode: '2', gridCodeWasNumber: true })
    const known: RegisterLookup = { grids: new Map([['002', 'g2']]), buildings: new Map() }
    expect(groupHouseholds(numeric, known, ids).errors.map((e) => e.message)).toEqual([
      '第2行「网格编号」：网格编号被表格软件当成了数字，前面的0已丢失（表里是「2」，应为「002」）：请把这一列设为文本后重新填写',
    ])
    // Another row of the same file, typed as text, knows the code too.
    const mixed = parse({ 网格编号: '002', 姓名: '甲', 身份证号: '' }, { 网格编号: 2, 室: '1', 姓名: '乙', 身份证号: '' }).rows
    expect(groupHouseholds(mixed, empty, ids).errors.map((e) => e.row)).toEqual([3])
    // A cell really numbered 2 is found, and with no such code anywhere 2 is a new cell "2".
    expect(groupHouseholds(numeric, { grids: new Map([['2', 'g'], ['002', 'g2']]), buildings: new Map() }, ids).errors).toEqual([])
    expect(groupHouseholds(numeric, empty, ids).creates.grids.map((g) => g.code)).toEqual(['2'])
  })

  it('a birth date that lost its date format is Excel\'s day count, read as its year', () => {
    expect(parse({ 出生年份: 21916 }).rows[0]!.birthYear).toBe(1960) // 1960-01-01
    expect(parse({ 出生年份: 1956 }).rows[0]!.birthYear).toBe(1956)
  })
})

describe('register import: 经度 and 纬度', () => {
  it('GCJ-02 when the header says so (高德 too), converted to WGS-84; WGS-84 otherwise', () => {
    const sheet = (lngHeader: string, latHeader: string) => {
      const header = H.map((h) => (h === '经度' ? lngHeader : h === '纬度' ? latHeader : h))
      return parseRows({ rows: [header, row({ 经度: '117.12', 纬度: '36.19' })] }, 2026)
    }
    const wgs = { lat: 36.19, lng: 117.12 }
    expect(sheet('经度', '纬度').rows[0]!.location).toEqual(wgs)
    expect(sheet('经度(WGS-84)', '纬度(WGS-84)').rows[0]!.location).toEqual(wgs)
    const shifted = gcj02ToWgs84(wgs)
    expect(sheet('经度（GCJ-02）', '纬度（GCJ-02）').rows[0]!.location).toEqual(shifted)
    expect(sheet('经度(高德)', '纬度(高德)').rows[0]!.location).toEqual(shifted)
    // The shift is some hundreds of metres: not a rounding difference.
    expect(Math.abs(shifted.lng - wgs.lng) * 90_000).toBeGreaterThan(100)
    expect(sheet('经度(百度)', '纬度(百度)').headerError).toMatch(/不支持百度坐标（BD-09）/)
    expect(sheet('经度(GCJ-02)', '纬度').headerError).toBe('经度和纬度的表头写的坐标系不一样，请写成同一种（WGS-84 或 GCJ-02）')
    const onlyLng = H.filter((h) => h !== '纬度')
    expect(parseRows({ rows: [onlyLng, onlyLng.map(() => '')] }).headerError).toBe('经度和纬度要一起给：表头只有其中一列')
  })

  it('both or neither, numbers, inside China, not swapped', () => {
    expect(parse({ 经度: '', 纬度: '' }).rows[0]!.location).toBeNull()
    expect(problems({ 经度: '116.4', 纬度: '' })).toEqual(['第2行「纬度」：经度和纬度要一起填，或者都不填'])
    expect(problems({ 经度: '116°24′', 纬度: '39.9' })).toEqual(['第2行「经度」：「116°24′」不是数字（应为小数度数，如 116.397428）'])
    expect(problems({ 经度: '39.9', 纬度: '116.4' })).toEqual(['第2行「经度」：经度和纬度好像填反了：经度应在73.4到135.1之间，纬度在3.8到53.6之间'])
    expect(problems({ 经度: '2.35', 纬度: '48.85' })).toEqual(['第2行「经度」：「2.35, 48.85」不在中国境内，请检查经纬度'])
    expect(problems({ 经度: '116.4', 纬度: '60' })).toEqual(['第2行「纬度」：「116.4, 60」不在中国境内，请检查经纬度'])
  })

  it('楼栋类型 楼房/平房/自建房, or a 平房/自建房 in the building\'s name', () => {
    expect(parse({ 楼栋类型: '自建房' }).rows[0]!.buildingKind).toBe('bungalow')
    expect(parse({ 楼栋类型: '', 楼栋: '东院自建房' }).rows[0]!.buildingKind).toBe('bungalow')
    expect(parse({ 楼栋类型: '' }).rows[0]!.buildingKind).toBe('residential')
    expect(problems({ 楼栋类型: '别墅' })).toEqual(['第2行「楼栋类型」：「别墅」不认识，应为楼房/平房/自建房'])
  })
})
