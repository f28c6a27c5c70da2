import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { REGISTER_HEADERS } from '../../src/domain/registerImport'

// A new message in src/domain written in Chinese only would reach the English UI in Chinese.
// This reads every source file of src/domain and lists the Chinese string literals that are not
// said in both languages. A Chinese literal is fine:
// - inside say(…) (src/domain/language.ts), the one bilingual form;
// - as a word table's value: a const named *_ZH / *_CHAR (the Chinese words of codes, whose English
//   lives in labels.ts or the app's en messages), or a `zh` / 'zh-CN' field next to an `en` one;
// - as a register sheet's column name (REGISTER_HEADERS): the sheet's headers are Chinese in both
//   languages, so messages quote them as they are;
// - in a thrown Error (a bug, not a message to a user), or in a regular expression;
// - in the list below: data, not messages (what is stored, exported or published in Chinese).
const NOT_MESSAGES: Record<string, readonly string[]> = {
  // Stored in the need's record as the server's note of what met it.
  'needFlow.ts': ['`项目「${project.title}」完成`'],
  // The public page and the Chinese refusals' own words for days and periods.
  'publicRules.ts': ["'（号码不公开）'", "'（证件号不公开）'"],
  'matterFlow.ts': ['`${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`'],
  'listRules.ts': [
    "'、'",
    '`${d.getUTCMonth() + 1}月`',
    '`${d.getUTCMonth() + 1}月${d.getUTCDate()}日起的一周`',
    "'其他地址'",
    '`${parts.slice(0, compounds).join(\'、\')}等${parts.length}处`',
    '`${households} 户需要${label}`',
    '`${households} 户需要${label}，其中 ${top.households} 户在${top.span}`',
    '`${households} 户在${buildingSpan(buildings)}需要${label}`',
  ],
  // A place as the notice board and the matter page name it (an address, not a sentence).
  'placeWords.ts': ["'全社区'", '`${name}${scope.unit}单元`'],
  // The register import's sheet: its example row, header aliases and the names it makes up.
  'registerImport.ts': [
    "'第一网格'",
    "'幸福里小区'",
    "'3号楼'",
    "'楼房'",
    "'自住'",
    "'人户一致'",
    "'张三'",
    "'男'",
    "'户主'",
    "'党员'",
    "'独居老人、高龄'",
    "'重点'",
    "'面积'",
    "'出生日期'",
    '`网格${r.gridCode}`',
    "`${r.unit}单元`",
    "`${r.room}室`",
  ],
  // The meeting places a new community starts with (data the office edits).
  'settingsDefaults.ts': ["'邻里议事厅'", "'社区党群服务中心会议室'", "'小区议事亭'", "'楼道议事角'"],
  // The option words of a campaign's results, stored with them.
  'campaignFlow.ts': ["'是'", "'否'"],
  // A volunteer's name in the points ledger when they did not agree to be named.
  'schemas/lists.ts': ["'志愿者（未同意公开）'"],
  // The votes' own bilingual table keeps a Chinese sentence for a count that is short.
  'voteRules.ts': ['`${hh} 户`', '`还需 ${parts}${ar !== null ? \' \' : \'\'}${kind === \'participation\' ? \'参与表决\' : \'同意\'}`', "'参与表决'", "'同意'", "'、'", '`${m} 户缺建筑面积，无法按面积计票`'],
}

const FULL_WIDTH = /[\u3000-\u303f\uff00-\uffef]/
const CHINESE = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/
const DOMAIN = join(__dirname, '../../src/domain')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []))
}

function propName(n: ts.PropertyName): string | undefined {
  return ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : undefined
}

/** Is this literal one of the fine kinds above? Walks up from it. */
function allowed(node: ts.Node): boolean {
  if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && (REGISTER_HEADERS as readonly string[]).includes(node.text)) return true
  for (let n: ts.Node = node; n.parent; n = n.parent) {
    const p = n.parent
    if (ts.isCallExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'say' && p.arguments.includes(n as ts.Expression)) return true
    if (ts.isNewExpression(p) && ts.isIdentifier(p.expression) && p.expression.text === 'Error') return true
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name) && /_(ZH|CHAR)$/.test(p.name.text)) return true
    if (ts.isPropertyAssignment(p) && p.initializer === n && ['zh', 'zh-CN'].includes(propName(p.name) ?? '')) {
      const siblings = (p.parent as ts.ObjectLiteralExpression).properties
      if (siblings.some((s) => s.name && propName(s.name) === 'en')) return true
    }
  }
  return false
}

/** The Chinese literals of a file that are neither said in both languages nor data. */
function untranslated(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      // A template's own text, not what it interpolates (that is visited on its own).
      const own = ts.isTemplateExpression(node) ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('') : node.text
      if (CHINESE.test(own) && !allowed(node)) found.push(node.getText(source))
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('messages of src/domain', () => {
  it('every Chinese message is said in both languages (say), or is data named in NOT_MESSAGES', () => {
    const left: Record<string, string[]> = {}
    const stale: string[] = []
    for (const file of sources(DOMAIN)) {
      const name = relative(DOMAIN, file).replaceAll('\\', '/')
      const known = NOT_MESSAGES[name] ?? []
      const found = untranslated(file, readFileSync(file, 'utf8'))
      const missing = found.filter((lit) => !known.includes(lit))
      if (missing.length) left[name] = missing
      // The list stays honest: an entry whose literal is gone (translated, moved) goes too.
      stale.push(...known.filter((lit) => !found.includes(lit)).map((lit) => `${name}: ${lit}`))
    }
    expect(left).toEqual({})
    expect(stale).toEqual([])
  })

  it("English texts use English punctuation: no full-width 「」，：（） in say's second argument", () => {
    const wide: string[] = []
    for (const file of sources(DOMAIN)) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
      const visit = (node: ts.Node): void => {
        if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'say' && node.arguments[1]) {
          const en = node.arguments[1]
          // Only the English's own text: what it interpolates may be a Chinese word (a column name).
          const own = ts.isTemplateExpression(en) ? [en.head.text, ...en.templateSpans.map((t) => t.literal.text)].join('') : en.getText(source)
          if (FULL_WIDTH.test(own)) wide.push(`${relative(DOMAIN, file)}: ${en.getText(source)}`)
        }
        ts.forEachChild(node, visit)
      }
      visit(source)
    }
    expect(wide).toEqual([])
  })

  it('the scan sees a message written in Chinese only, and one inside say', () => {
    const probe = (code: string) => untranslated('probe.ts', code)
    expect(probe("const A = z.string().min(1, { error: '请写名称' })")).toEqual(["'请写名称'"])
    expect(probe('ctx.addIssue({ code: \'custom\', message: `「${x}」不对` })')).toEqual(['`「${x}」不对`'])
    expect(probe("const A = z.string().min(1, { error: say('请写名称', 'Write a name') })")).toEqual([])
    expect(probe("export const STATE_ZH = { open: '待对接' }")).toEqual([])
  })
})
