import { describe, expect, it } from 'vitest'
import { groupHouseholds, parseRows, REGISTER_EXAMPLE_ROW, REGISTER_HEADERS } from '../../src/domain/registerImport'

// 建筑面积 in the register sheet: a vote counts owners by it (issue 12). One value per household,
// given on any of its rows; the header may say 面积 or name its unit.

const H = [...REGISTER_HEADERS]
const row = (over: Partial<Record<(typeof REGISTER_HEADERS)[number], string>>) => H.map((h, i) => over[h] ?? REGISTER_EXAMPLE_ROW[i]!)
const lookup = { grids: new Map([['001', 'g1']]), buildings: new Map([['g1|幸福里小区|3号楼', 'b1']]) }

describe('register import: 建筑面积', () => {
  it('reads square metres, with or without the unit written after them; empty is none', () => {
    const areas = ['89.5', '120', '75.25㎡', '66 平方米', '']
    const { rows, errors } = parseRows({ rows: [H, ...areas.map((a, i) => row({ 建筑面积: a, 室: `50${i}`, 身份证号: '' }))] })
    expect(errors).toEqual([])
    expect(rows.map((r) => r.area)).toEqual([89.5, 120, 75.25, 66, null])
  })

  it('finds the column as 面积 or 建筑面积(㎡) too, and does without it', () => {
    for (const header of ['面积', '建筑面积(㎡)', '建筑面积（平方米）', '面积（㎡）']) {
      const h = H.map((x) => (x === '建筑面积' ? header : x))
      expect(parseRows({ rows: [h, row({ 建筑面积: '98.76' })] }).rows[0]!.area, header).toBe(98.76)
    }
    const without = H.filter((x) => x !== '建筑面积')
    const values = row({}).filter((_, i) => H[i] !== '建筑面积')
    expect(parseRows({ rows: [without, values] }).rows[0]!.area).toBeNull()
  })

  it('refuses what is not an area, in words', () => {
    const bad = ['0', '-5', '二十', '89.123', '20000']
    const { rows, errors } = parseRows({ rows: [H, ...bad.map((a) => row({ 建筑面积: a }))] })
    expect(rows).toEqual([])
    expect(errors.map((e) => e.message)).toEqual([
      '第2行「建筑面积」：「0」不是建筑面积：建筑面积要大于0',
      '第3行「建筑面积」：「-5」不是建筑面积：建筑面积要大于0',
      '第4行「建筑面积」：「二十」不是建筑面积：应为平方米数，如 89.5',
      '第5行「建筑面积」：「89.123」不是建筑面积：建筑面积最多两位小数',
      '第6行「建筑面积」：「20000」不是建筑面积：建筑面积最多10000平方米',
    ])
  })

  it('one area per household: from whichever row gives it; two different ones are refused', () => {
    const { rows } = parseRows({
      rows: [
        H,
        row({ 建筑面积: '' }),
        row({ 姓名: '李四', 与户主关系: '配偶', 身份证号: '', 建筑面积: '88.8' }),
        row({ 姓名: '王五', 与户主关系: '子女', 身份证号: '', 建筑面积: '88.8' }),
        row({ 姓名: '赵六', 与户主关系: '子女', 身份证号: '', 建筑面积: '90' }),
      ],
    })
    const { households, errors } = groupHouseholds(rows, lookup)
    expect(households.map((h) => [h.area, h.rows.length])).toEqual([[88.8, 3]])
    expect(errors.map((e) => e.message)).toEqual(['第5行「建筑面积」：同一户的建筑面积和第3行不一样（88.8 ㎡）：一户只有一个面积'])
  })
})
