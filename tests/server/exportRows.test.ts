import { readSheet } from 'read-excel-file/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Case, DashboardResponse, MutationResult, StatsQuery } from '../../src/domain'
import { caseCard, CARD_LABEL_ZH, CATEGORY_LABEL_ZH, DEFAULT_CASE_DEADLINES, KIND_LABEL_ZH, OUTCOME_LABEL_ZH, PROTOCOL_VERSION, STATE_LABEL_ZH, URGENCY_LABEL_ZH, uuidv7 } from '../../src/domain'
import { loadUser, type SessionUser } from '../../src/server/services/auth'
import { buildExport, chinaDateTime, contentDisposition, scrub, toCsv, toXlsx, type Table } from '../../src/server/services/exports'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { parseCsv } from '../support/csv'
import { xlsxFiles } from '../support/xlsx'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// The office's exports, cell by cell, as the secretary opens them in Excel or WPS: the rows of the
// period and filters asked for, each column holding what its header says, and nothing that must
// not leave the server.

let s: TestServer
let secretary: SessionUser
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(200)
  for (const u of ['grid01', 'secretary']) tokens[u] = await s.login(u)
  secretary = (await loadUser(s.store, workerOf(s.community, 'secretary').id))!
})
afterAll(() => s.close())

const FROM = '2026-10-01'
const TO = '2026-11-20'
// Two days after the demo's today: one case late by less than its grace (yellow card), one by more (red).
const NOW = Date.UTC(2026, 10, 22, 12)
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10)
const chinaTime = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(11, 16)
const query = (extra: Partial<StatsQuery> = {}): StatsQuery => ({ from: FROM, to: TO, ...extra }) as StatsQuery

const csvOf = (body: Buffer) => parseCsv(body.toString('utf8').replace(/^\uFEFF/, ''))


describe('the pieces every export is made of', () => {
  it('times in China wall-clock time, two digits each', () => {
    expect(chinaDateTime('2026-11-20T16:05:00.000Z')).toBe('2026-11-21 00:05')
    expect(chinaDateTime('2026-01-01T01:02:00Z')).toBe('2026-01-01 09:02')
    expect(chinaDateTime('2026-06-30T15:59:00+00:00')).toBe('2026-06-30 23:59')
    expect(chinaDateTime('2026-03-05T08:30:00+08:00')).toBe('2026-03-05 08:30')
  })

  it('free text loses ID numbers and mobile numbers, and keeps every other number', () => {
    expect(scrub('身份证370902195601010016，电话13812345678。')).toBe('身份证370902********0016，电话138****5678。')
    expect(scrub('11010519491231002x')).toBe('110105********002X')
    expect(scrub('11010519491231002X号')).toBe('110105********002X号')
    expect(scrub('a13812345678b')).toBe('a138****5678b')
    // Longer runs of digits, or digits glued to letters, are something else (an order number, a code).
    for (const kept of ['3709021956010100161', 'A370902195601010016', '370902195601010016A', '138123456789', '013812345678', '23812345678', '1381234567', '门牌1号2单元302室', '2026-11-21'])
      expect(scrub(kept), kept).toBe(kept)
    expect(scrub('13812345678和13900001111')).toBe('138****5678和139****1111')
  })

  it('a CSV Excel in China opens right: BOM, CRLF, quotes where needed, formulas defused, percentages', () => {
    const table: Table = {
      sheet: '表',
      columns: [{ header: '文字' }, { header: '数' }, { header: '比例', percent: true }, { header: '备注,说明' }],
      rows: [
        ['平常', 3, 0.5, null],
        ['=SUM(A1)', 0, 0, '+1'],
        ['-2', 1.5, 1, '@x'],
        ['\t制表', -4, 0.1234, '\r回车'],
        [' 前后空格 ', 7, null, '他说"好"'],
        ['中间-减号=等号', 2, 0.0005, '逗号,和\n换行'],
      ],
    }
    const text = toCsv(table).toString('utf8')
    expect(text.startsWith('\uFEFF')).toBe(true)
    expect(text.slice(1).split('\r\n')).toEqual([
      '文字,数,比例,"备注,说明"',
      '平常,3,50.0%,',
      "'=SUM(A1),0,0.0%,'+1",
      "'-2,1.5,100.0%,'@x",
      "'\t制表,-4,12.3%,\"'\r回车\"",
      '" 前后空格 ",7,,"他说""好"""',
      '中间-减号=等号,2,0.1%,"逗号,和\n换行"',
      '',
    ])
  })

  it('an .xlsx names its sheet, bolds and freezes the header row, sets the widths and shows ratios as percentages', async () => {
    const table: Table = { sheet: '走访记录', columns: [{ header: '名称', width: 30 }, { header: '覆盖率', percent: true }, { header: '次数' }], rows: [['一号网格', 0.25, 4], ['二号网格', null, 0]] }
    const buf = await toXlsx(table)
    expect(await readSheet(buf)).toEqual([['名称', '覆盖率', '次数'], ['一号网格', 0.25, 4], ['二号网格', null, 0]])
    const files = xlsxFiles(buf)
    expect(files.get('xl/workbook.xml')).toContain('name="走访记录"')
    const sheet = [...files].find(([n]) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))![1]
    expect(sheet).toMatch(/<col [^>]*width="30"/)
    expect(sheet).toMatch(/<col [^>]*width="12"/)
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"/)
    const styles = files.get('xl/styles.xml')!
    expect(styles).toContain('formatCode="0.0%"')
    expect(styles).toMatch(/<b\s*\/>/)
  })

  it('a Content-Disposition every browser reads: an ASCII name and the Chinese one, escaped', () => {
    expect(contentDisposition({ filename: "走访(11月)*'s.csv", asciiFilename: 'zoufang-visits.csv' })).toBe(
      "attachment; filename=\"zoufang-visits.csv\"; filename*=UTF-8''%E8%B5%B0%E8%AE%BF%2811%E6%9C%88%29%2A%27s.csv",
    )
  })
})

describe('the visits export', () => {
  let mine: ReturnType<typeof makeVisit>
  beforeAll(async () => {
    const me = workerOf(s.community, 'grid01')
    mine = makeVisit(s.community, householdOf(s.community, 'grid01', 2), me.id, {
      startedAt: '2026-11-19T17:04:00.000Z',
      outcome: 'not_home',
      residentIds: [],
      notes: '邻居说户主住院了，身份证370902195601010016在家属那',
      needs: '回电13812345678',
      followUpDate: '2026-11-25',
    })
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid01}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [visitMutation(mine)] },
    })
    expect((res.json().results as MutationResult[])[0]!.status).toBe('applied')
  })

  it('one row per visit of the period, in time order, each column what its header says', async () => {
    const file = await buildExport(s.store, secretary, 'visits', 'csv', query(), NOW)
    const rows = csvOf(file.body)
    expect(rows[0]).toEqual(['日期', '时间', '网格', '网格员', '户主', '地址', '走访结果', '见到人数', '情况记录', '诉求', '约定回访日期'])
    const visits = [...s.community.visits, mine].filter((v) => chinaDay(v.startedAt) >= FROM && chinaDay(v.startedAt) <= TO)
    visits.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id))
    expect(file.rows).toBe(visits.length)
    const name = (id: string) => s.community.users.find((u) => u.id === id)?.name ?? ''
    const want = visits.map((v) => {
      const h = s.community.households.find((x) => x.id === v.householdId)!
      const head = Array.from(h.headName)
      return [
        chinaDay(v.startedAt),
        chinaTime(v.startedAt),
        s.community.gridCells.find((g) => g.id === h.gridId)!.name,
        name(v.workerId),
        head.length <= 1 ? h.headName : head.length === 2 ? `${head[0]}*` : `${head[0]}${'*'.repeat(head.length - 2)}${head.at(-1)}`,
        h.address,
        OUTCOME_LABEL_ZH[v.outcome],
        String(v.residentIds.length),
        v === mine ? '邻居说户主住院了，身份证370902********0016在家属那' : v.notes,
        v === mine ? '回电138****5678' : v.needs,
        v.followUpDate ?? '',
      ]
    })
    expect(rows.slice(1)).toEqual(want)
    expect(rows.find((r) => r[9] === '回电138****5678')).toEqual(['2026-11-20', '01:04', expect.any(String), workerOf(s.community, 'grid01').name, expect.any(String), expect.any(String), '不在家', '0', expect.any(String), '回电138****5678', '2026-11-25'])
  })

  it('narrowed to a grid cell, or to the households with a tag, like the dashboard', async () => {
    const cell = workerOf(s.community, 'grid02').gridIds[0]!
    const byGrid = csvOf((await buildExport(s.store, secretary, 'visits', 'csv', query({ gridId: cell }), NOW)).body).slice(1)
    const gridName = s.community.gridCells.find((g) => g.id === cell)!.name
    const inGrid = s.community.visits.filter((v) => v.gridId === cell && chinaDay(v.startedAt) >= FROM && chinaDay(v.startedAt) <= TO)
    expect(inGrid.length).toBeGreaterThan(0)
    expect(byGrid).toHaveLength(inGrid.length)
    expect(byGrid.every((r) => r[2] === gridName)).toBe(true)

    const dibao = new Set(s.community.households.filter((h) => h.tags.includes('dibao')).map((h) => h.id))
    const tagged = csvOf((await buildExport(s.store, secretary, 'visits', 'csv', query({ tag: 'dibao' }), NOW)).body).slice(1)
    const want = s.community.visits.filter((v) => dibao.has(v.householdId) && chinaDay(v.startedAt) >= FROM && chinaDay(v.startedAt) <= TO)
    expect(want.length).toBeGreaterThan(0)
    expect(tagged).toHaveLength(want.length)
    const addresses = new Set(s.community.households.filter((h) => dibao.has(h.id)).map((h) => h.address))
    expect(tagged.every((r) => addresses.has(r[5]!))).toBe(true)
  })

  it('the period is China days: a visit at 00:04 China time on the 20th is in a period ending the 20th, not one ending the 19th', async () => {
    const day20 = csvOf((await buildExport(s.store, secretary, 'visits', 'csv', query({ from: '2026-11-20', to: '2026-11-20' }), NOW)).body)
    expect(day20.some((r) => r[9] === '回电138****5678')).toBe(true)
    expect(day20.slice(1).every((r) => r[0] === '2026-11-20')).toBe(true)
    const day19 = csvOf((await buildExport(s.store, secretary, 'visits', 'csv', query({ from: '2026-11-19', to: '2026-11-19' }), NOW)).body)
    expect(day19.some((r) => r[9] === '回电138****5678')).toBe(false)
    expect(day19.slice(1).every((r) => r[0] === '2026-11-19')).toBe(true)
    expect(day19.length).toBeGreaterThan(1)
  })
})

describe('the cases export', () => {
  const teamName = (id: string | null) => (id ? s.community.teams.find((t) => t.id === id)!.name : '')
  const caseRow = (c: Case) => [
    `${chinaDay(c.reportedAt)} ${chinaTime(c.reportedAt)}`,
    s.community.gridCells.find((g) => g.id === c.gridId)!.name,
    KIND_LABEL_ZH[c.kind],
    CATEGORY_LABEL_ZH[c.category as keyof typeof CATEGORY_LABEL_ZH],
    c.title,
    URGENCY_LABEL_ZH[c.urgency],
    STATE_LABEL_ZH[c.state],
    teamName(c.handlerTeamId),
    c.deadline ? `${chinaDay(c.deadline)} ${chinaTime(c.deadline)}` : '',
    CARD_LABEL_ZH[caseCard(c, NOW, DEFAULT_CASE_DEADLINES).card],
  ]
  const inPeriod = (c: Case, from = '2026-01-01', to = TO) => chinaDay(c.reportedAt) >= from && chinaDay(c.reportedAt) <= to
  const byTime = (a: Case, b: Case) => a.reportedAt.localeCompare(b.reportedAt) || a.id.localeCompare(b.id)

  it('one row per case reported in the period, oldest first: kind, category, state, team, deadline and card in words', async () => {
    const file = await buildExport(s.store, secretary, 'cases', 'csv', query({ from: '2026-01-01' }), NOW)
    const rows = csvOf(file.body)
    expect(rows[0]).toEqual(['上报时间', '网格', '问题种类', '类别', '标题', '紧急程度', '状态', '处置单位', '办理期限', '督办'])
    const want = s.community.cases.filter((c) => inPeriod(c)).sort(byTime)
    expect(rows.slice(1)).toEqual(want.map(caseRow))
    expect(file.rows).toBe(want.length)
    // The comparison covers handled and unhandled cases, deadlines and both cards.
    const cols = (i: number) => new Set(rows.slice(1).map((r) => r[i]))
    expect(cols(7).has('')).toBe(true)
    expect(cols(7).size).toBeGreaterThan(1)
    expect(cols(8).has('')).toBe(true)
    expect(cols(9)).toEqual(new Set(['', '黄牌督办', '红牌督办']))
  })

  it('with a tag or attention filter: the cases that involve one of those households', async () => {
    for (const extra of [{ attention: 'key' }, { tag: 'elderly_alone' }] as const) {
      const keep = new Set(
        s.community.households.filter((h) => ('attention' in extra ? h.attention === extra.attention : h.tags.includes(extra.tag))).map((h) => h.id),
      )
      const rows = csvOf((await buildExport(s.store, secretary, 'cases', 'csv', query({ from: '2026-01-01', ...extra }), NOW)).body).slice(1)
      const want = s.community.cases.filter((c) => inPeriod(c) && c.householdIds.some((id) => keep.has(id))).sort(byTime)
      expect(want.length, JSON.stringify(extra)).toBeGreaterThan(0)
      expect(want.length).toBeLessThan(s.community.cases.filter((c) => inPeriod(c)).length)
      expect(rows).toEqual(want.map(caseRow))
    }
  })

  it('narrowed to a grid cell and to the period', async () => {
    const cell = s.community.cases[0]!.gridId
    const rows = csvOf((await buildExport(s.store, secretary, 'cases', 'csv', query({ from: '2026-01-01', gridId: cell }), NOW)).body).slice(1)
    expect(rows).toEqual(s.community.cases.filter((c) => c.gridId === cell && inPeriod(c)).sort(byTime).map(caseRow))
    const month = csvOf((await buildExport(s.store, secretary, 'cases', 'csv', query({ from: '2026-11-01', to: '2026-11-15' }), NOW)).body).slice(1)
    expect(month).toEqual(s.community.cases.filter((c) => inPeriod(c, '2026-11-01', '2026-11-15')).sort(byTime).map(caseRow))
  })
})

describe('an export of no grid cells', () => {
  it('the office filtering by someone with no grid cells gets the headers and no rows', async () => {
    const q = query({ workerId: workerOf(s.community, 'secretary').id })
    for (const kind of ['visits', 'cases', 'dashboard'] as const) {
      const file = await buildExport(s.store, secretary, kind, 'csv', q, NOW)
      expect([kind, file.rows, csvOf(file.body).length]).toEqual([kind, 0, 1])
    }
  })
})

describe('the dashboard export', () => {
  it('the dashboard as the secretary sees it on screen: grid cells, then workers, coverage as a percentage, twelve weeks', async () => {
    const coverages = new Set<string>()
    for (const extra of [{}, { tag: 'tekun' as const }]) {
      const q = query({ from: '2026-11-01', ...extra })
      const params = new URLSearchParams(q as Record<string, string>)
      const dash = (await s.app.inject({ method: 'GET', url: `/api/stats/dashboard?${params}`, headers: { authorization: `Bearer ${tokens.secretary}` } })).json() as DashboardResponse
      const file = await buildExport(s.store, secretary, 'dashboard', 'csv', q, Date.now())
      const rows = csvOf(file.body)
      expect(rows[0]).toEqual([
        '分组', '名称', '走访次数', '重点人群应访户数', '重点人群已访户数', '重点人群覆盖率', '逾期未访户数', '未结问题', '超时问题',
        ...dash.weeks.map((w) => `${w.slice(5, 7)}/${w.slice(8)}起一周`),
      ])
      const pct = (v: number | null) => (v === null ? '' : `${(v * 100).toFixed(1)}%`)
      const line = (group: string, r: DashboardResponse['byGrid'][number]) =>
        [group, r.label, r.visits, r.vulnerableNeeded, r.vulnerableVisited, pct(r.vulnerableCoverage), r.overdue, r.openCases, r.overdueCases, ...r.weekly].map(String)
      expect(rows.slice(1)).toEqual([...dash.byGrid.map((r) => line('网格', r)), ...dash.byWorker.map((r) => line('网格员', r))])
      expect(file.rows).toBe(dash.byGrid.length + dash.byWorker.length)
      for (const r of rows.slice(1)) coverages.add(r[5]!)
    }
    // Both a coverage and a grid cell with nothing to cover (an empty cell, not 0 %).
    expect(coverages.has('')).toBe(true)
    expect([...coverages].some((c) => /^\d+\.\d%$/.test(c) && c !== '0.0%' && c !== '100.0%')).toBe(true)
  })
})

describe('the file and its log', () => {
  it('is named by what and which period, in the format asked, and every download is logged with its filters', async () => {
    for (const [kind, format, type] of [
      ['visits', 'xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      ['cases', 'csv', 'text/csv; charset=utf-8'],
      ['dashboard', 'csv', 'text/csv; charset=utf-8'],
    ] as const) {
      const q = query({ gridId: s.community.gridCells[1]!.id })
      const file = await buildExport(s.store, secretary, kind, format, q, NOW)
      const zh = { visits: '走访', cases: '问题', dashboard: '统计' }[kind]
      expect(file).toMatchObject({ filename: `${zh}-${FROM}至${TO}.${format}`, asciiFilename: `zoufang-${kind}-${FROM}_${TO}.${format}`, contentType: type })
      if (format === 'xlsx') expect((await readSheet(file.body)).length - 1).toBe(file.rows)
      else expect(csvOf(file.body).length - 1).toBe(file.rows)
      const log = await s.store.selectFrom('exports_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect(log).toMatchObject({ user_id: secretary.id, at: new Date(NOW).toISOString(), kind, format, row_count: file.rows })
      expect(JSON.parse(log.filters)).toEqual(q)
      const audit = await s.store.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow()
      expect({ ...audit, details: JSON.parse(audit.details) }).toMatchObject({
        user_id: secretary.id,
        at: new Date(NOW).toISOString(),
        action: 'export',
        subject_type: 'export',
        subject_id: kind,
        details: { kind, format, filters: q, rows: file.rows },
      })
      // The same table as a workbook: its sheet named for what it holds, the header row frozen.
      const book = xlsxFiles((await buildExport(s.store, secretary, kind, 'xlsx', q, NOW)).body)
      expect(book.get('xl/workbook.xml')).toContain(`name="${{ visits: '走访记录', cases: '问题', dashboard: '统计' }[kind]}"`)
      expect(book.get('xl/worksheets/sheet1.xml')).toMatch(/<pane [^>]*ySplit="1"/)
    }
  })
})
