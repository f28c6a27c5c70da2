import writeExcelFile from 'write-excel-file/node'
import { TAGS } from '../../domain'
import {
  ATTENTION_ZH,
  BUILDING_KIND_ZH,
  HOUSING_ZH,
  POLITICAL_ZH,
  REGISTER_EXAMPLE_ROW,
  REGISTER_HEADERS,
  type RegisterHeader,
  RELATION_ZH,
  REQUIRED_HEADERS,
  RESIDENCY_ZH,
  SEX_ZH,
  TAG_ZH,
} from '../../domain/registerImport'

// The register import template (台账导入模板.xlsx), made for people who fill it in Excel or WPS:
//  - the 台账 sheet first (the import reads the first sheet), required headers shaded;
//  - code and number columns formatted as text, so 001 stays 001 and an 18-digit ID number
//    keeps its digits (a number cell keeps 15);
//  - drop-down lists of the allowed values on coded columns (data validation), and a range
//    check on 经度/纬度;
//  - a 说明 sheet: what each column means, whether it is required, what it may hold.

/** Rows the drop-downs and text format cover: far more than any community's register. */
const LAST_ROW = 20_000

/** Columns kept as text: codes with leading zeros and numbers too long for a number cell. */
const TEXT_COLUMNS: readonly RegisterHeader[] = ['网格编号', '单元', '室', '联系电话', '身份证号']

const keys = (m: Record<string, unknown>) => Object.keys(m)
const TAG_LABELS = TAGS.map((t) => Object.keys(TAG_ZH).find((zh) => TAG_ZH[zh] === t)!).filter(Boolean)

/** Drop-downs. 标签 may hold several, joined with 、: its list offers one and lets any be typed. */
const LISTS: Partial<Record<RegisterHeader, { values: string[]; strict: boolean }>> = {
  楼栋类型: { values: keys(BUILDING_KIND_ZH), strict: true },
  住房: { values: keys(HOUSING_ZH), strict: true },
  人户状态: { values: keys(RESIDENCY_ZH), strict: true },
  性别: { values: keys(SEX_ZH), strict: true },
  与户主关系: { values: keys(RELATION_ZH), strict: true },
  政治面貌: { values: keys(POLITICAL_ZH), strict: true },
  关注程度: { values: keys(ATTENTION_ZH), strict: true },
  标签: { values: TAG_LABELS, strict: false },
}

const RANGES: Partial<Record<RegisterHeader, [number, number]>> = { 经度: [73.4, 135.1], 纬度: [3.8, 53.6] }

/** What the 说明 sheet says of each column. */
const HELP: Record<RegisterHeader, string> = {
  网格编号: '网格的编号，如 001。台账里没有的编号会新建网格（导入后请到「台账」页画网格范围）',
  网格名称: '新建网格时用的名称，如 第一网格；已有的网格不改名',
  小区: '小区（院落）名称，没有的会新建',
  楼栋: '楼栋号，如 3号楼；平房、自建房也填一个名称，如 东院5号',
  楼栋类型: '楼房 / 平房 / 自建房；不填时按楼栋名称判断，其余为楼房',
  单元: '单元号，如 2；没有单元的楼留空',
  楼层: '所在楼层，数字；地下室填负数',
  室: '门牌号，如 502',
  地址: '不填时由小区、楼栋、单元、室拼成',
  经度: '楼栋位置，小数度数，如 116.397428。默认 WGS-84（GPS）；用高德、腾讯坐标时把表头改成「经度(GCJ-02)」「纬度(GCJ-02)」。不填的楼栋导入后在地图上点出位置',
  纬度: '与经度一起填，如 39.90923',
  住房: '自住 / 出租 / 空置',
  人户状态: '人户一致 / 人在户不在 / 户在人不在',
  姓名: '居民姓名',
  性别: '男 / 女',
  出生年份: '如 1956，也可填出生日期 1956-01-01（列名也可以叫「出生日期」）',
  与户主关系: '户主 / 配偶 / 子女 / 父母 / 孙辈 / 兄弟姐妹 / 其他；一户只能有一个户主',
  联系电话: '手机号 11 位，或带区号的座机号，如 0531-88123456',
  身份证号: '18 位。本列已设为文本：不要改成数字格式，否则后几位会丢失',
  政治面貌: '党员 / 团员 / 群众；不填为群众',
  标签: '可填多个，用顿号隔开，如 独居老人、高龄',
  关注程度: '一般 / 重点 / 高风险；不填为一般；一户取其成员中最高的',
  建筑面积: '专有部分建筑面积，平方米，最多两位小数，如 89.5；表头也可写「面积」；同一户只填一个值，不填则保留台账里已有的（表决按面积计票）',
}

const REQUIRED_FILL = '#FFF2CC'

function columnLetter(index: number): string {
  let s = ''
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** `<dataValidations>` for the 台账 sheet. */
function validationsXml(): string {
  const items: string[] = []
  REGISTER_HEADERS.forEach((h, i) => {
    const ref = `${columnLetter(i)}2:${columnLetter(i)}${LAST_ROW}`
    const list = LISTS[h]
    if (list) {
      const error = list.strict ? ` showErrorMessage="1" errorTitle="${xmlText(h)}" error="${xmlText(`请从下拉列表里选：${list.values.join('、')}`)}"` : ''
      items.push(`<dataValidation type="list" allowBlank="1" showInputMessage="1"${error} sqref="${ref}"><formula1>"${xmlText(list.values.join(','))}"</formula1></dataValidation>`)
    }
    const range = RANGES[h]
    if (range)
      items.push(
        `<dataValidation type="decimal" allowBlank="1" showErrorMessage="1" errorTitle="${h}" error="${xmlText(`${h}应在${range[0]}到${range[1]}之间（中国境内）`)}" sqref="${ref}"><formula1>${range[0]}</formula1><formula2>${range[1]}</formula2></dataValidation>`,
      )
  })
  return `<dataValidations count="${items.length}">${items.join('')}</dataValidations>`
}

/** Elements that must come after <dataValidations> in a worksheet (ECMA-376 part 1, CT_Worksheet). */
const AFTER_VALIDATIONS = ['hyperlinks', 'printOptions', 'pageMargins', 'pageSetup', 'headerFooter', 'rowBreaks', 'colBreaks', 'drawing', 'legacyDrawing', 'tableParts', 'extLst']

/** Adds the drop-downs, and gives the text columns the example row's text style. */
function finishRegisterSheet(xml: string): string {
  const textStyle = new RegExp(`<c r="${columnLetter(REGISTER_HEADERS.indexOf(TEXT_COLUMNS[0]!))}2" s="(\\d+)"`).exec(xml)?.[1]
  if (textStyle)
    for (const h of TEXT_COLUMNS) {
      const n = REGISTER_HEADERS.indexOf(h) + 1
      xml = xml.replace(new RegExp(`<col min="${n}" max="${n}"`), `<col min="${n}" max="${n}" style="${textStyle}"`)
    }
  const at = AFTER_VALIDATIONS.map((tag) => xml.indexOf(`<${tag}`)).filter((i) => i >= 0)
  const pos = at.length ? Math.min(...at) : xml.lastIndexOf('</worksheet>')
  return xml.slice(0, pos) + validationsXml() + xml.slice(pos)
}

export async function registerTemplate(): Promise<Buffer> {
  const header = REGISTER_HEADERS.map((h) => ({
    value: h,
    fontWeight: 'bold' as const,
    ...(REQUIRED_HEADERS.includes(h) ? { backgroundColor: REQUIRED_FILL } : {}),
  }))
  const example = REGISTER_HEADERS.map((h, i) => {
    const value = REGISTER_EXAMPLE_ROW[i]!
    if (TEXT_COLUMNS.includes(h)) return { value, format: '@' }
    // Coordinates as numbers, as the range check on their column expects; the area too.
    return h in RANGES || h === '建筑面积' ? { value: Number(value) } : { value }
  })
  const help = [
    [{ value: '列名', fontWeight: 'bold' as const }, { value: '必填', fontWeight: 'bold' as const }, { value: '填写说明', fontWeight: 'bold' as const }, { value: '可填的值', fontWeight: 'bold' as const }],
    ...REGISTER_HEADERS.map((h) => [
      { value: h },
      { value: REQUIRED_HEADERS.includes(h) ? '必填' : '' },
      { value: HELP[h] },
      { value: LISTS[h]?.values.join('、') ?? '' },
    ]),
    [],
    [{ value: '一行一个居民；同一网格、小区、楼栋、单元、室的行是同一户。表头（第1行）不要改动，黄色为必填列。' }],
    [{ value: '导入前先「预览」：有错误的行会逐行说明，全部改对之前什么都不会写入；同一个文件导入两次不会重复。' }],
  ]
  const features = [{ files: { transform: { 'xl/worksheets/sheet{id}.xml': { transform: (xml: string, _o: unknown, p: { sheetIndex: number }) => (p.sheetIndex === 0 ? finishRegisterSheet(xml) : xml) } } } }]
  return writeExcelFile(
    [
      {
        data: [header, example],
        sheet: '台账',
        columns: REGISTER_HEADERS.map((h) => ({ width: h === '地址' || h === '身份证号' ? 22 : 12 })),
        stickyRowsCount: 1,
      },
      { data: help, sheet: '说明', columns: [{ width: 12 }, { width: 6 }, { width: 70 }, { width: 40 }] },
    ],
    { features },
  ).toBuffer()
}
