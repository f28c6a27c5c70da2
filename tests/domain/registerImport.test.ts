import { describe, expect, it } from 'vitest'
import {
  checkHeaders,
  csvSheet,
  decodeText,
  groupHouseholds,
  isValidIdNumber,
  isValidPhone,
  parseCsv,
  parseRows,
  REGISTER_EXAMPLE_ROW,
  REGISTER_HEADERS,
} from '../../src/domain/registerImport'

const H = [...REGISTER_HEADERS]
function row(over: Partial<Record<(typeof REGISTER_HEADERS)[number], string>>): string[] {
  return H.map((h, i) => over[h] ?? REGISTER_EXAMPLE_ROW[i]!)
}

describe('register import: parsing', () => {
  it('checks GB 11643 check digits', () => {
    expect(isValidIdNumber('110105195601010016')).toBe(true)
    expect(isValidIdNumber('11010519491231002X')).toBe(true)
    expect(isValidIdNumber('110105195601010014')).toBe(false) // wrong check digit
    expect(isValidIdNumber('11010519560101001')).toBe(false) // 17 chars
  })

  it('accepts mobiles and landlines with area code only', () => {
    expect(isValidPhone('13812345678')).toBe(true)
    expect(isValidPhone('0531-88123456')).toBe(true)
    expect(isValidPhone('88123456')).toBe(false)
    expect(isValidPhone('2381234567')).toBe(false)
  })

  it('parses quoted CSV fields with commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b,c","d""e"\r\n"x\ny",,z\n')).toEqual([
      ['a', 'b,c', 'd"e'],
      ['x\ny', '', 'z'],
    ])
  })

  it('decodes UTF-8 with BOM, and GBK when the bytes are not UTF-8', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('姓名')]))).toBe('姓名')
    expect(decodeText(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名') // 姓名 in GBK
  })

  it('names the missing columns', () => {
    const r = checkHeaders(['网格编号', '小区', '姓名'])
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.missing).toEqual(['楼栋', '住房', '人户状态', '性别', '出生年份', '与户主关系'])
    expect(checkHeaders(H.map((h) => (h === '出生年份' ? '出生日期' : h))).ok).toBe(true)
  })

  it('reports each bad cell with its Excel row number and column, skips empty rows', () => {
    const sheet = csvSheet(
      [
        H.join(','),
        row({}).join(','),
        H.map(() => '').join(','),
        row({ 身份证号: '110105195601010014', 姓名: '李四', 与户主关系: '配偶' }).join(','),
        row({ 联系电话: '12345', 姓名: '王五', 与户主关系: '子女', 身份证号: '' }).join(','),
        row({ 标签: '低保、外星人', 姓名: '赵六', 与户主关系: '子女', 身份证号: '' }).join(','),
        row({ 姓名: '=HYPERLINK("x")', 与户主关系: '子女', 身份证号: '' }).join(','),
        row({ 出生年份: '1980-05-01', 姓名: '钱七', 与户主关系: '女婿', 身份证号: '' }).join(','),
      ].join('\n'),
    )
    const { rows, errors } = parseRows(sheet)
    expect(rows.map((r) => r.row)).toEqual([2])
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [4, '身份证号'],
      [5, '联系电话'],
      [6, '标签'],
      [7, '姓名'],
      [8, '与户主关系'],
    ])
    expect(errors[0]!.message).toMatch(/^第4行「身份证号」/)
    expect(errors[3]!.message).toContain('公式')
    expect(rows[0]).toMatchObject({ housing: 'owner', sex: 'M', birthYear: 1956, relation: 'head', political: 'party', tags: ['elderly_alone', 'aged_80'], attention: 'key' })
  })

  it('groups residents into households and refuses a second 户主 and unknown buildings', () => {
    const { rows } = parseRows({
      rows: [
        H,
        row({}),
        row({ 姓名: '李四', 与户主关系: '配偶', 身份证号: '', 关注程度: '高风险' }),
        row({ 姓名: '王五', 身份证号: '' }),
        row({ 楼栋: '99号楼', 姓名: '孙八', 身份证号: '' }),
        row({ 网格编号: '999', 姓名: '周九', 身份证号: '' }),
      ],
    })
    const lookup = { grids: new Map([['001', 'g1']]), buildings: new Map([['g1|幸福里小区|3号楼', 'b1']]) }
    const { households, errors } = groupHouseholds(rows, lookup)
    expect(households).toHaveLength(1)
    expect(households[0]!.rows.map((r) => r.name)).toEqual(['张三', '李四'])
    expect(households[0]!.attention).toBe('high')
    expect(households[0]!.address).toBe('幸福里小区3号楼2单元502室')
    expect(errors.map((e) => [e.row, e.column])).toEqual([
      [4, '与户主关系'],
      [5, '楼栋'],
      [6, '网格编号'],
    ])
  })
})
