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

  it('groups residents into households, refuses a second 户主, and plans a cell and buildings the register lacks', () => {
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
    const { households, errors, creates } = groupHouseholds(rows, lookup)
    expect(households).toHaveLength(3)
    expect(households[0]!.rows.map((r) => r.name)).toEqual(['张三', '李四'])
    expect(households[0]!.attention).toBe('high')
    expect(households[0]!.address).toBe('幸福里小区3号楼2单元502室')
    expect(errors.map((e) => [e.row, e.column])).toEqual([[4, '与户主关系']])
    expect(creates.grids.map((g) => [g.code, g.name, g.polygon])).toEqual([['999', '第一网格', null]])
    expect(creates.buildings.map((b) => [b.gridId === 'g1', b.compound, b.number])).toEqual([
      [true, '幸福里小区', '99号楼'],
      [false, '幸福里小区', '3号楼'],
    ])
    expect(households[2]!.gridId).toBe(creates.grids[0]!.id)
  })
})

/** One data row under the template's header: what parseRows makes of it. */
function parseOne(over: Partial<Record<(typeof REGISTER_HEADERS)[number], string>>, thisYear = 2026) {
  return parseRows({ rows: [H, row(over)] }, thisYear)
}
/** The messages for a single row, or [] when it is valid. */
const problems = (over: Partial<Record<(typeof REGISTER_HEADERS)[number], string>>, thisYear?: number) => parseOne(over, thisYear).errors.map((e) => e.message)

describe('register import: the template', () => {
  it('has every column in the order of the download, and an example row that imports as it reads', () => {
    expect(REGISTER_HEADERS).toEqual(['网格编号', '网格名称', '小区', '楼栋', '楼栋类型', '单元', '楼层', '室', '地址', '经度', '纬度', '住房', '人户状态', '姓名', '性别', '出生年份', '与户主关系', '联系电话', '身份证号', '政治面貌', '标签', '关注程度', '建筑面积'])
    const { rows, errors } = parseRows({ rows: [H, [...REGISTER_EXAMPLE_ROW]] }, 2026)
    expect(errors).toEqual([])
    expect(rows).toEqual([
      {
        row: 2,
        gridCode: '001',
        gridCodeWasNumber: false,
        gridName: '第一网格',
        compound: '幸福里小区',
        building: '3号楼',
        buildingKind: 'residential',
        location: { lat: 39.90923, lng: 116.397428 },
        unit: '2',
        floor: 5,
        room: '502',
        address: null,
        housing: 'owner',
        residency: 'consistent',
        name: '张三',
        sex: 'M',
        birthYear: 1956,
        relation: 'head',
        phone: '13812345678',
        idNumber: '110105195601010016',
        political: 'party',
        tags: ['elderly_alone', 'aged_80'],
        attention: 'key',
        area: 89.5,
      },
    ])
  })
})

describe('register import: ID numbers (GB 11643)', () => {
  it('accepts every check character, 0-9 and X, when it is the right one', () => {
    // People born in January 1980 in 朝阳区, one for each check character.
    const valid = ['110105198001031140', '110105198001191021', '110105198001231062', '110105198001261093', '110105198001171004', '110105198001211045']
    valid.push('110105198001241076', '110105198001021137', '110105198001181018', '110105198001221059', '11010519800125108X')
    for (const id of valid) expect(isValidIdNumber(id), id).toBe(true)
    expect(valid.map((id) => id[17]).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X'])
    // For 17 digits exactly one of the 11 check characters is right.
    for (const base of ['11010519560101001', '37090219500101123', '44030819900101123']) {
      const right = '0123456789X'.split('').filter((c) => isValidIdNumber(base + c))
      expect(right, base).toHaveLength(1)
    }
  })

  it('takes a lower-case x and surrounding spaces, nothing else', () => {
    expect(isValidIdNumber('11010519491231002x')).toBe(true)
    expect(isValidIdNumber(' 110105195601010016 ')).toBe(true)
    expect(isValidIdNumber('1101051956010100160')).toBe(false) // 19 characters
    expect(isValidIdNumber('X10105195601010016')).toBe(false) // X only as the check character
    expect(isValidIdNumber('11010519560101001A')).toBe(false)
    expect(isValidIdNumber('a110105195601010016')).toBe(false)
    expect(isValidIdNumber('110105195601010016a')).toBe(false)
    expect(isValidIdNumber('')).toBe(false)
  })

  it('shows a bad one in the row, and keeps a good one upper-cased', () => {
    expect(problems({ 身份证号: '110105195601010014' })).toEqual(['第2行「身份证号」：「110105195601010014」不是有效的18位身份证号（校验位不对或位数不对）'])
    expect(parseOne({ 身份证号: '11010519491231002x' }).rows[0]!.idNumber).toBe('11010519491231002X')
    expect(parseOne({ 身份证号: '' }).rows[0]!.idNumber).toBeNull()
  })
})

describe('register import: phone numbers', () => {
  it('a mobile is 1 and ten more digits', () => {
    expect(isValidPhone('13812345678')).toBe(true)
    expect(isValidPhone('1381234567')).toBe(false)
    expect(isValidPhone('138123456789')).toBe(false)
    expect(isValidPhone('23812345678')).toBe(false)
    expect(isValidPhone(' 13812345678 ')).toBe(true)
  })

  it('a landline is 0, a 2–3 digit rest of area code, an optional dash and 7–8 digits', () => {
    for (const p of ['010-1234567', '010-12345678', '0531-1234567', '0531-88123456', '01012345678', '053188123456']) expect(isValidPhone(p), p).toBe(true)
    for (const p of ['01-1234567', '05311-1234567', '010-123456', '010-123456789', '110-1234567', '010--1234567', '010 1234567']) expect(isValidPhone(p), p).toBe(false)
  })

  it('nothing before or after the number', () => {
    expect(isValidPhone('x13812345678')).toBe(false)
    expect(isValidPhone('13812345678x')).toBe(false)
    expect(isValidPhone('tel:0531-88123456')).toBe(false)
    expect(isValidPhone('0531-88123456转1')).toBe(false)
  })

  it('in a row: spaces inside are dropped, a bad one is named, an empty one is no phone', () => {
    expect(parseOne({ 联系电话: '138 1234 5678' }).rows[0]!.phone).toBe('13812345678')
    expect(parseOne({ 联系电话: '' }).rows[0]!.phone).toBeNull()
    expect(problems({ 联系电话: '5551234' })).toEqual(['第2行「联系电话」：「5551234」不是手机号（1开头11位）或带区号的座机号'])
  })
})

describe('register import: the header row', () => {
  it('says which columns are missing, in plain Chinese', () => {
    const r = checkHeaders(['网格编号', '小区', '楼栋', '住房', '人户状态', '姓名', '性别'])
    expect(r).toEqual({
      ok: false,
      missing: ['出生年份', '与户主关系'],
      message: '表头缺少这些列：出生年份、与户主关系（请用导入模板的表头，表头在第1行）',
    })
    expect(parseRows({ rows: [['姓名']] }).headerError).toBe('表头缺少这些列：网格编号、小区、楼栋、住房、人户状态、性别、出生年份、与户主关系（请用导入模板的表头，表头在第1行）')
  })

  it('an empty file has no header at all', () => {
    const r = parseRows({ rows: [] })
    expect(r.rows).toEqual([])
    expect(r.headerError).toContain('表头缺少这些列：网格编号')
  })

  it('finds columns in any order, with spaces around their names, and ignores extra ones', () => {
    const header = ['备注', ...[...H].reverse().map((h) => ` ${h} `)]
    const cells = ['随便写', ...row({}).reverse()]
    const r = parseRows({ rows: [header, cells] })
    expect(r.errors).toEqual([])
    expect(r.rows[0]).toMatchObject({ gridCode: '001', name: '张三', birthYear: 1956 })
  })

  it('reads the first of two columns with the same name', () => {
    const r = checkHeaders([...H, '姓名'])
    expect(r.ok && r.index.get('姓名')).toBe(H.indexOf('姓名'))
  })

  it('takes 出生日期 for 出生年份, and names it in errors', () => {
    const header = H.map((h) => (h === '出生年份' ? '出生日期' : h))
    const ok = parseRows({ rows: [header, row({ 出生年份: '1956-03-08' })] }, 2026)
    expect(ok.rows[0]!.birthYear).toBe(1956)
    const bad = parseRows({ rows: [header, row({ 出生年份: '三月' })] }, 2026)
    expect(bad.errors.map((e) => e.message)).toEqual(['第2行「出生日期」：「三月」不是出生年份或日期'])
  })

  it('with both columns, 出生年份 is the one read', () => {
    const r = checkHeaders([...H, '出生日期'])
    expect(r.ok && r.index.get('出生年份')).toBe(H.indexOf('出生年份'))
  })
})

describe('register import: birth years', () => {
  it.each([
    ['1956', 1956],
    ['1980-05-01', 1980],
    ['1980/5/1', 1980],
    ['1980.5.1', 1980],
    ['1980年5月1日', 1980],
    ['1980年05月01', 1980],
    ['19800501', 1980],
  ])('reads %s as %i', (text, year) => {
    expect(parseOne({ 出生年份: text }).rows[0]!.birthYear).toBe(year)
  })

  it.each(['56', '198', '1980-5', '1980-05-01 08:00', '19800501x', 'x1980', '1980-123-1', '一九八〇'])('refuses %s', (text) => {
    expect(problems({ 出生年份: text })).toEqual([`第2行「出生年份」：「${text}」不是出生年份或日期`])
  })

  it('reads a date cell and a number cell from a spreadsheet', () => {
    const withCell = (v: Date | number) => parseRows({ rows: [H, H.map((h, i) => (h === '出生年份' ? v : REGISTER_EXAMPLE_ROW[i]!))] }, 2026)
    expect(withCell(new Date(Date.UTC(1962, 0, 1))).rows[0]!.birthYear).toBe(1962)
    expect(withCell(1971).rows[0]!.birthYear).toBe(1971)
  })

  it('from 1900 to this year', () => {
    expect(problems({ 出生年份: '1900' })).toEqual([])
    expect(problems({ 出生年份: '1899' })).toEqual(['第2行「出生年份」：「1899」不是出生年份或日期'])
    expect(problems({ 出生年份: '2026' }, 2026)).toEqual([])
    expect(problems({ 出生年份: '2027' }, 2026)).toEqual(['第2行「出生年份」：「2027」不是出生年份或日期'])
    expect(problems({ 出生年份: '' })).toEqual(['第2行「出生年份」：不能为空'])
  })
})

describe('register import: floors, lengths and choices', () => {
  it('a floor is a whole number from -5 to 120, 层 allowed', () => {
    for (const [text, floor] of [
      ['5', 5],
      ['5层', 5],
      ['-5', -5],
      ['120', 120],
      ['', null],
    ] as const)
      expect(parseOne({ 楼层: text }).rows[0]!.floor, text).toBe(floor)
    for (const text of ['-6', '121', '5.5', '五', '5楼'])
      expect(problems({ 楼层: text }), text).toEqual([`第2行「楼层」：「${text}」不是楼层数（-5到120的整数）`])
  })

  it.each([
    ['网格编号', 20],
    ['小区', 50],
    ['楼栋', 20],
    ['姓名', 30],
  ] as const)('%s: up to %i characters', (column, max) => {
    expect(problems({ [column]: '字'.repeat(max) })).toEqual([])
    expect(problems({ [column]: '字'.repeat(max + 1) })).toEqual([`第2行「${column}」：太长（最多${max}个字）`])
    expect(problems({ [column]: '  ' })).toEqual([`第2行「${column}」：不能为空`])
  })

  it.each([
    ['单元', 10],
    ['室', 20],
    ['地址', 200],
  ] as const)('%s (may be empty): up to %i characters', (column, max) => {
    expect(problems({ [column]: '' })).toEqual([])
    expect(problems({ [column]: 'x'.repeat(max) })).toEqual([])
    expect(problems({ [column]: 'x'.repeat(max + 1) })).toEqual([`第2行「${column}」：太长（最多${max}个字）`])
  })

  it('empty optional cells are null, filled ones trimmed', () => {
    expect(parseOne({ 单元: '', 室: '', 地址: '' }).rows[0]).toMatchObject({ unit: null, room: null, address: null })
    expect(parseOne({ 单元: ' 2 ', 室: ' 502 ', 地址: ' 幸福里小区3号楼2单元502 ' }).rows[0]).toMatchObject({ unit: '2', room: '502', address: '幸福里小区3号楼2单元502' })
  })

  it('a choice must be one of its words; the message lists them', () => {
    expect(problems({ 住房: '借住' })).toEqual(['第2行「住房」：「借住」不认识，应为自住/出租/空置'])
    expect(problems({ 人户状态: '不详' })).toEqual(['第2行「人户状态」：「不详」不认识，应为人户一致/人在户不在/户在人不在'])
    expect(problems({ 性别: '未知' })).toEqual(['第2行「性别」：「未知」不认识，应为男/女'])
    expect(problems({ 政治面貌: '民主党派' })).toEqual(['第2行「政治面貌」：「民主党派」不认识，应为党员/团员/群众'])
    expect(problems({ 关注程度: '特别' })).toEqual(['第2行「关注程度」：「特别」不认识，应为一般/重点/高风险'])
    expect(problems({ 住房: '' })).toEqual(['第2行「住房」：不能为空'])
  })

  it('does not take the name of a built-in property for a word', () => {
    expect(problems({ 住房: 'constructor' })).toEqual(['第2行「住房」：「constructor」不认识，应为自住/出租/空置'])
    expect(problems({ 标签: 'toString' })).toEqual(['第2行「标签」：「toString」不是已知的标签'])
  })

  it('reads every word of each choice', () => {
    const pick = (over: Parameters<typeof parseOne>[0]) => parseOne(over).rows[0]!
    expect(['自住', '出租', '空置'].map((v) => pick({ 住房: v }).housing)).toEqual(['owner', 'rented', 'vacant'])
    expect(['人户一致', '人在户不在', '户在人不在'].map((v) => pick({ 人户状态: v }).residency)).toEqual(['consistent', 'present_unregistered', 'registered_absent'])
    expect(['男', '女'].map((v) => pick({ 性别: v }).sex)).toEqual(['M', 'F'])
    expect(['户主', '配偶', '子女', '父母', '孙辈', '兄弟姐妹', '其他'].map((v) => pick({ 与户主关系: v }).relation)).toEqual(['head', 'spouse', 'child', 'parent', 'grandchild', 'sibling', 'other'])
    expect(['党员', '团员', '群众', ''].map((v) => pick({ 政治面貌: v }).political)).toEqual(['party', 'league', 'masses', 'masses'])
    expect(['一般', '重点', '高风险', ''].map((v) => pick({ 关注程度: v }).attention)).toEqual(['normal', 'key', 'high', 'normal'])
  })

  it('tags: any of 、，,;； or spaces between them, each once, in the order written', () => {
    expect(parseOne({ 标签: '低保，残疾,大病;高龄；空巢老人 独居老人、低保' }).rows[0]!.tags).toEqual(['dibao', 'disabled', 'serious_illness', 'aged_80', 'empty_nest', 'elderly_alone'])
    expect(parseOne({ 标签: '' }).rows[0]!.tags).toEqual([])
    expect(parseOne({ 标签: '、' }).rows[0]!.tags).toEqual([])
  })

  it('knows every tag by its Chinese name', () => {
    const names = ['低保', '特困', '残疾', '独居老人', '空巢老人', '高龄', '失能失智', '大病', '下岗失业', '留守儿童', '困境儿童', '优抚对象', '流动人口', '出租房', '社区矫正', '刑满释放', '严重精神障碍', '吸毒']
    expect(parseOne({ 标签: names.join('、') }).rows[0]!.tags).toEqual([
      'dibao',
      'tekun',
      'disabled',
      'elderly_alone',
      'empty_nest',
      'aged_80',
      'dementia_disabled',
      'serious_illness',
      'unemployed',
      'left_behind_child',
      'child_in_need',
      'veteran_family',
      'migrant',
      'rental',
      'correction',
      'released',
      'mental_illness',
      'drug',
    ])
  })

  it('reports every bad cell of a row, and keeps none of it', () => {
    const r = parseOne({ 小区: '', 性别: '男性', 联系电话: '110' })
    expect(r.rows).toEqual([])
    expect(r.errors.map((e) => e.column)).toEqual(['小区', '性别', '联系电话'])
  })
})

describe('register import: CSV', () => {
  it('keeps a quote inside an unquoted field, and the last line without a line break', () => {
    expect(parseCsv('a"b,c\r\nd,e')).toEqual([
      ['a"b', 'c'],
      ['d', 'e'],
    ])
  })

  it('a line break ends a row whether it is \\r\\n, \\n or \\r; a blank line is a row of one empty cell', () => {
    expect(parseCsv('a\rb\nc\r\n\r\nd')).toEqual([['a'], ['b'], ['c'], [''], ['d']])
    expect(parseCsv('')).toEqual([])
    expect(parseCsv('a,')).toEqual([['a', '']])
  })

  it('takes a cell starting with = (after spaces) for a formula, and only such cells', () => {
    const sheet = csvSheet('姓名,备注\n =1+1,a=b\n')
    expect([...sheet.formulas!]).toEqual(['2:0'])
  })

  it('a formula anywhere in a known column refuses the row, with its number', () => {
    const lines = [H.join(','), row({}).join(','), row({ 联系电话: '=1+1', 姓名: '李四', 与户主关系: '配偶', 身份证号: '' }).join(',')]
    const { rows, errors } = parseRows(csvSheet(lines.join('\n')))
    expect(rows.map((r) => r.row)).toEqual([2])
    expect(errors.map((e) => e.message)).toEqual(['第3行「联系电话」：不能是公式，请粘贴为数值后再导入'])
  })

  it('skips rows of blank cells, counting them in the row numbers', () => {
    const r = parseRows({ rows: [H, H.map(() => '  '), [], row({ 姓名: '' })] })
    expect(r.errors.map((e) => e.message)).toEqual(['第4行「姓名」：不能为空'])
  })

  it('decodes plain UTF-8 without a BOM, and leaves a BOM-like character inside the text alone', () => {
    expect(decodeText(new TextEncoder().encode('姓名,性别'))).toBe('姓名,性别')
    expect(decodeText(new TextEncoder().encode('a\ufeffb'))).toBe('a\ufeffb')
  })
})

describe('register import: households', () => {
  const lookup = { grids: new Map([['001', 'g1']]), buildings: new Map([['g1|幸福里小区|3号楼', 'b1']]) }
  const parsed = (...overs: Parameters<typeof row>[0][]) => {
    const r = parseRows({ rows: [H, ...overs.map((o) => row(o))] }, 2026)
    expect(r.errors).toEqual([])
    return r.rows
  }

  it('builds the address from its parts when the row has none', () => {
    const at = (over: Parameters<typeof row>[0]) => groupHouseholds(parsed(over), lookup).households[0]!.address
    expect(at({})).toBe('幸福里小区3号楼2单元502室')
    expect(at({ 单元: '' })).toBe('幸福里小区3号楼502室')
    expect(at({ 室: '' })).toBe('幸福里小区3号楼2单元')
    expect(at({ 地址: '幸福里小区3号楼2单元502（东户）' })).toBe('幸福里小区3号楼2单元502（东户）')
  })

  it('keeps the household as the first row gives it, and takes the highest attention of its rows', () => {
    const rows = parsed({ 关注程度: '重点' }, { 姓名: '李四', 与户主关系: '配偶', 身份证号: '', 关注程度: '一般' })
    const { households } = groupHouseholds(rows, lookup)
    expect(households).toHaveLength(1)
    expect(households[0]).toMatchObject({ key: 'g1|b1|2|502', gridId: 'g1', buildingId: 'b1', unit: '2', floor: 5, room: '502', housing: 'owner', residency: 'consistent', attention: 'key' })
  })

  it('refuses an ID number already given in an earlier row', () => {
    const rows = parsed({}, { 姓名: '李四', 与户主关系: '配偶', 室: '503' })
    const { households, errors } = groupHouseholds(rows, lookup)
    expect(errors).toEqual([{ row: 3, column: '身份证号', message: '第3行「身份证号」：与第2行的身份证号重复' }])
    expect(households.map((h) => h.rows.length)).toEqual([1])
  })

  it('refuses the same name twice in a household unless both rows have an ID number', () => {
    const noIds = parsed({ 身份证号: '' }, { 与户主关系: '子女', 身份证号: '' })
    expect(groupHouseholds(noIds, lookup).errors.map((e) => e.message)).toEqual(['第3行「姓名」：同一户里已有「张三」（第2行），没有身份证号时无法区分'])
    const oneId = parsed({}, { 与户主关系: '子女', 身份证号: '' })
    expect(groupHouseholds(oneId, lookup).errors.map((e) => e.column)).toEqual(['姓名'])
    const bothIds = parsed({}, { 与户主关系: '子女', 身份证号: '11010519491231002X' })
    expect(groupHouseholds(bothIds, lookup)).toMatchObject({ errors: [], households: [{ rows: [{ name: '张三' }, { name: '张三' }] }] })
    // The same name in another household is no problem.
    expect(groupHouseholds(parsed({ 身份证号: '' }, { 室: '503', 身份证号: '' }), lookup).errors).toEqual([])
  })

  it('lists errors by row, whatever order the rows were checked in', () => {
    const rows = parsed({ 姓名: '甲', 身份证号: '' }, { 姓名: '乙', 与户主关系: '户主', 身份证号: '' }, { 姓名: '丙', 身份证号: '' })
    const { errors } = groupHouseholds([...rows].reverse(), lookup)
    expect(errors.map((e) => e.row)).toEqual([2, 3])
  })

  it('a second 户主 is refused with the row of the first', () => {
    const { errors } = groupHouseholds(parsed({ 身份证号: '' }, { 姓名: '李四', 身份证号: '' }), lookup)
    expect(errors.map((e) => e.message)).toEqual(['第3行「与户主关系」：这一户已有户主（第2行），一户只能有一个户主'])
  })
})

describe('register import: cells as a spreadsheet gives them', () => {
  it('an empty cell (null) or a row shorter than the header is an empty value', () => {
    const cells: (string | null)[] = row({})
    cells[H.indexOf('单元')] = null
    cells[H.indexOf('联系电话')] = null
    const short = cells.slice(0, H.indexOf('身份证号')) // no 身份证号, 政治面貌, 标签 or 关注程度
    const r = parseRows({ rows: [H, short] }, 2026)
    expect(r.errors).toEqual([])
    expect(r.rows[0]).toMatchObject({ unit: null, phone: null, idNumber: null, political: 'masses', tags: [], attention: 'normal' })
  })

  it('a date cell out of range is shown as the date it is', () => {
    const cells = H.map((h, i) => (h === '出生年份' ? new Date(Date.UTC(1850, 4, 1)) : REGISTER_EXAMPLE_ROW[i]!))
    expect(parseRows({ rows: [H, cells] }, 2026).errors.map((e) => e.message)).toEqual(['第2行「出生年份」：「1850-05-01」不是出生年份或日期'])
  })

  it('层 may only end a floor', () => {
    expect(problems({ 楼层: '层5' })).toEqual(['第2行「楼层」：「层5」不是楼层数（-5到120的整数）'])
  })

  it('a file whose header is wrong reports only that', () => {
    expect(parseRows({ rows: [['姓名'], row({})] })).toEqual({ rows: [], errors: [], headerError: expect.stringContaining('表头缺少这些列') })
  })

  it('a blank line between rows is a row of one empty cell, not lost', () => {
    expect(parseCsv('a\n\nb')).toEqual([['a'], [''], ['b']])
    expect(parseCsv('a\r\rb')).toEqual([['a'], [''], ['b']])
  })

  it('a 户主 listed after the spouse is the household\'s one head', () => {
    const { rows } = parseRows({ rows: [H, row({ 姓名: '李四', 与户主关系: '配偶', 身份证号: '' }), row({})] }, 2026)
    const { households, errors } = groupHouseholds(rows, { grids: new Map([['001', 'g1']]), buildings: new Map([['g1|幸福里小区|3号楼', 'b1']]) })
    expect(errors).toEqual([])
    expect(households[0]!.rows.map((r) => r.relation)).toEqual(['spouse', 'head'])
  })
})
