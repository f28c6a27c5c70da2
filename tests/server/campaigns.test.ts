import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Campaign,
  type CampaignPreview,
  type Change,
  chinaDay,
  type ErrorBody,
  type Household,
  type MutationResult,
  PROTOCOL_VERSION,
  type PullResponse,
  uuidv7,
  type Visit,
} from '../../src/domain'
import { REGISTER_HEADERS } from '../../src/domain/registerImport'
import { MAJOR_MATTER } from '../../src/domain/voteRules'
import { readCounter } from '../../src/server/store/counters'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 专项任务 on the server, as the office and the workers meet it: a draft and its preview, the
// launch that fixes the target list, what each device pulls, the answers the server takes and
// those it refuses (outside the targets, after the close, a vote without who answered), and the
// refusals of bad input, each with its code and a plain Chinese message, nothing half-written.

let s: TestServer
const tokens: Record<string, string> = {}
const DAY = 86_400_000
const deadline = (days = 10) => chinaDay(Date.now() + days * DAY)
let gas: { id: string; version: number }
let elevator: { id: string; version: number }
let g1: string
let g2: string

beforeAll(async () => {
  s = await startTestServer(400)
  for (const u of ['secretary', 'admin', 'grid01', 'grid02']) tokens[u] = await s.login(u)
  const t = (code: string) => s.community.templates.find((x) => x.code === code)!
  gas = t('gas_inspection')
  elevator = t('elevator_vote')
  g1 = workerOf(s.community, 'grid01').gridIds[0]!
  g2 = workerOf(s.community, 'grid02').gridIds[0]!
})
afterAll(() => s.close())

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, who = 'secretary') =>
  s.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload === undefined ? {} : { payload: payload as object }) })

const draftBody = (over: Record<string, unknown> = {}) => ({
  title: '燃气安全入户排查（测试）',
  kind: 'inspection',
  templateId: gas.id,
  startDay: chinaDay(Date.now()),
  deadline: deadline(),
  targeting: { gridIds: [g1] },
  ...over,
})

async function draft(over: Record<string, unknown> = {}): Promise<Campaign> {
  const res = await call('POST', '/api/campaigns', draftBody(over))
  expect(res.statusCode, res.body).toBe(201)
  return res.json<Campaign>()
}

async function launched(over: Record<string, unknown> = {}): Promise<Campaign> {
  const c = await draft(over)
  const res = await call('POST', `/api/campaigns/${c.id}/launch`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Campaign>()
}

async function push(who: string, visits: Visit[]): Promise<MutationResult[]> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[who]}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: visits.map((v) => visitMutation(v)) },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results
}

/** A visit for the campaign only (no routine checklist), by the household's cell's worker. */
function campaignVisit(who: string, h: Household, campaignId: string, over: Partial<Visit> = {}): Visit {
  const reached = (over.outcome ?? 'met') === 'met' || over.outcome === 'phone'
  return makeVisit(s.community, h, workerOf(s.community, who).id, {
    templateId: null,
    templateVersion: null,
    answers: {},
    campaignId,
    ...(reached ? { campaignAnswers: { pipe_ok: true, hose_ok: true } } : { residentIds: [] }),
    ...over,
  })
}

async function pullAll(who: string): Promise<Change[]> {
  const changes: Change[] = []
  for (let cursor = ''; ; ) {
    const q = new URLSearchParams({ limit: '2000', ...(cursor ? { cursor } : {}) })
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${tokens[who]}` } })
    const body = res.json<PullResponse>()
    if ('reset' in body) throw new Error('unexpected reset')
    changes.push(...body.changes)
    if (!body.hasMore) return changes
    cursor = body.cursor
  }
}

async function targetIds(campaignId: string): Promise<string[]> {
  const rows = await s.store.selectFrom('campaign_targets').select('household_id').where('campaign_id', '=', campaignId).execute()
  return rows.map((r) => r.household_id!).sort()
}

/** What the database holds, in a few numbers that any write moves. */
async function fingerprint() {
  const n = async (t: 'visits' | 'campaign_targets' | 'campaigns' | 'mutations' | 'audit_log') =>
    Number((await s.store.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
  return { version: await readCounter(s.store, 'version'), visits: await n('visits'), targets: await n('campaign_targets'), campaigns: await n('campaigns'), mutations: await n('mutations'), audit: await n('audit_log') }
}

function expectRefusal(res: { statusCode: number; json: () => unknown }, status: number, code: string): string {
  expect(res.statusCode).toBe(status)
  const { error } = res.json() as ErrorBody
  expect(error.code).toBe(code)
  expect(error.message, 'a plain Chinese message').toMatch(/[\u4e00-\u9fff]{4}/)
  return error.message
}

const householdsOfCell = (gridId: string) => s.community.households.filter((h) => h.gridId === gridId)
/** The register as it is now (a test may have imported a household). */
async function register(): Promise<Household[]> {
  const rows = await s.store.selectFrom('households').select('data').where('deleted', '=', 0).execute()
  return rows.map((r) => JSON.parse(r.data) as Household)
}

describe('a draft, its preview and its launch', () => {
  it('the preview counts what the targeting selects now, per cell and building, names masked; it writes nothing', async () => {
    const building = householdsOfCell(g2)[0]!.buildingId!
    const before = await fingerprint()
    const res = await call('POST', '/api/campaigns/preview', { targeting: { gridIds: [g1], buildingIds: [building] } })
    expect(res.statusCode, res.body).toBe(200)
    const p = res.json<CampaignPreview>()
    const want = s.community.households.filter((h) => h.gridId === g1 || h.buildingId === building)
    expect(p.count).toBe(want.length)
    expect(p.byGrid.map((g) => [g.gridId, g.count]).sort()).toEqual(
      [[g1, householdsOfCell(g1).length], [g2, want.filter((h) => h.gridId === g2).length]].sort(),
    )
    expect(p.byBuilding.reduce((n, b) => n + b.count, 0)).toBe(want.length)
    expect(p.sample.length).toBe(Math.min(20, want.length))
    for (const line of p.sample) {
      const h = s.community.households.find((x) => x.id === line.householdId)!
      if (h.headName.length > 1) expect(line.headNameMasked).not.toBe(h.headName)
      expect(line.headNameMasked).toContain('*')
    }
    expect(await fingerprint()).toEqual(before)
  })

  it('launch fixes the target list: every household the targeting selects, once; one added to the register afterwards is not a target', async () => {
    const elderly = s.community.households.filter((h) => h.gridId === g1 && h.tags.includes('aged_80'))
    expect(elderly.length).toBeGreaterThan(0)
    const c = await draft({ title: '高龄老人入户核查', kind: 'registerCheck', targeting: { gridIds: [g1], tags: ['aged_80'] } })
    expect(c).toMatchObject({ status: 'draft', targetCount: 0, templateVersion: gas.version, launchedAt: null })
    expect(await targetIds(c.id)).toEqual([])
    const before = await readCounter(s.store, 'version')
    const res = await call('POST', `/api/campaigns/${c.id}/launch`)
    expect(res.statusCode, res.body).toBe(200)
    const after = res.json<Campaign>()
    expect(after).toMatchObject({ status: 'launched', targetCount: elderly.length })
    expect(after.launchedAt).not.toBeNull()
    expect(await targetIds(c.id)).toEqual(elderly.map((h) => h.id).sort())
    // Each target is a record of its own, with a version of its own after the launch began: devices pull them.
    const rows = await s.store.selectFrom('campaign_targets').select(['version', 'grid_id', 'data']).where('campaign_id', '=', c.id).execute()
    expect(new Set(rows.map((r) => Number(r.version))).size).toBe(rows.length)
    for (const r of rows) {
      expect(Number(r.version)).toBeGreaterThan(before)
      expect(r.grid_id).toBe(g1)
    }

    // A new resident of 80+ moves into a new flat of grid01's cell: the register has them, the campaign does not.
    const home = elderly[0]!
    const b = s.community.buildings.find((x) => x.id === home.buildingId)!
    const cell = s.community.gridCells.find((g) => g.id === g1)!
    const row: Record<string, string> = { 网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 单元: '1', 楼层: '9', 室: '9901', 住房: '自住', 人户状态: '人户一致' }
    Object.assign(row, { 姓名: '新来的老人', 性别: '女', 出生年份: '1940', 与户主关系: '户主', 标签: '高龄' })
    const csvText = `${REGISTER_HEADERS.join(',')}\r\n${REGISTER_HEADERS.map((h) => row[h] ?? '').join(',')}\r\n`
    const imported = await s.app.inject({ method: 'POST', url: '/api/admin/register/import', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'text/csv' }, payload: csvText })
    expect(imported.statusCode, imported.body).toBe(200)
    const newcomer = (await s.store.selectFrom('households').select(['id', 'data']).execute()).map((r) => JSON.parse(r.data) as Household).find((h) => h.room === '9901' && h.buildingId === b.id)!
    expect(newcomer.tags).toContain('aged_80')
    expect(await targetIds(c.id), 'the list stays as launched').toEqual(elderly.map((h) => h.id).sort())
    const progress = (await call('GET', `/api/campaigns/${c.id}/progress`)).json<{ totals: { targets: number } }>()
    expect(progress.totals.targets).toBe(elderly.length)
    const preview = (await call('POST', '/api/campaigns/preview', { targeting: c.targeting, campaignId: c.id })).json<CampaignPreview>()
    expect([preview.count, preview.alreadyTargets], 'the same targeting selects the newcomer now').toEqual([elderly.length + 1, elderly.length])

    // … so an answer for them is refused, until the office adds them.
    const v = campaignVisit('grid01', newcomer, c.id, { residentIds: [] })
    const [refused] = await push('grid01', [v])
    expect(refused).toMatchObject({ status: 'rejected', error: { code: 'CAMPAIGN_NOT_TARGET' } })
    expect(refused!.error!.message).toContain(c.title)
    const added = await call('POST', `/api/campaigns/${c.id}/targets`, { householdIds: [newcomer.id, home.id] })
    expect(added.statusCode, added.body).toBe(200)
    expect(added.json()).toMatchObject({ added: 1, campaign: { targetCount: elderly.length + 1 } })
    const again = await call('POST', `/api/campaigns/${c.id}/targets`, { targeting: c.targeting })
    expect(again.json(), 'adding twice adds once').toMatchObject({ added: 0, campaign: { targetCount: elderly.length + 1 } })
    expect((await push('grid01', [{ ...v, id: uuidv7() }]))[0]!.status).toBe('applied')
  })

  it('a vote targets its scope’s households whatever else; the draft may be edited, the launched campaign not', async () => {
    const h = householdsOfCell(g1).find((x) => x.buildingId && x.unit)!
    const unit = (await register()).filter((x) => x.buildingId === h.buildingId && x.unit === h.unit)
    const vote = { rule: MAJOR_MATTER, scope: { kind: 'unit', buildingId: h.buildingId, unit: h.unit } }
    const c = await draft({ title: '加装电梯表决（测试）', kind: 'vote', templateId: elevator.id, targeting: {}, vote })
    const edited = await call('PATCH', `/api/campaigns/${c.id}`, { title: '加装电梯表决', secondAttempt: false })
    expect(edited.statusCode, edited.body).toBe(200)
    expect(edited.json()).toMatchObject({ title: '加装电梯表决', secondAttempt: false, vote })
    const res = await call('POST', `/api/campaigns/${c.id}/launch`)
    expect(res.statusCode, res.body).toBe(200)
    expect(await targetIds(c.id)).toEqual(unit.map((x) => x.id).sort())
    const msg = expectRefusal(await call('PATCH', `/api/campaigns/${c.id}`, { title: '改个名' }), 409, 'INVALID_TRANSITION')
    expect(msg).toContain('已经发布')
    expectRefusal(await call('DELETE', `/api/campaigns/${c.id}`), 409, 'INVALID_TRANSITION')
  })
})

describe('what each device pulls', () => {
  it('a worker gets the launched campaign and only their cells’ targets, never a draft; the office gets drafts too', async () => {
    const both = await launched({ title: '两个网格的排查', targeting: { gridIds: [g1, g2] } })
    const secret = await draft({ title: '还没发布的任务' })
    const discarded = await draft({ title: '作废的草稿' })
    expect((await call('DELETE', `/api/campaigns/${discarded.id}`)).statusCode).toBe(204)
    const now = await register()
    for (const [who, cell] of [['grid01', g1], ['grid02', g2]] as const) {
      const changes = await pullAll(who)
      const campaigns = changes.filter((c) => c.entity === 'campaign')
      expect(campaigns.some((c) => c.id === both.id), `${who} gets the launched campaign`).toBe(true)
      expect(campaigns.filter((c) => c.id === secret.id || c.id === discarded.id), `${who} never gets a draft`).toEqual([])
      expect(campaigns.every((c) => (c.data as Campaign).status !== 'draft')).toBe(true)
      const targets = changes.filter((c) => c.entity === 'campaignTarget')
      expect(targets.length).toBeGreaterThan(0)
      expect(targets.filter((t) => t.data!.gridId !== cell), `${who} gets only the targets of its cell`).toEqual([])
      const mine = targets.filter((t) => t.data!.campaignId === both.id).map((t) => t.data!.householdId as string).sort()
      expect(mine).toEqual(now.filter((h) => h.gridId === cell).map((h) => h.id).sort())
    }
    const office = await pullAll('secretary')
    const ids = office.filter((c) => c.entity === 'campaign').map((c) => c.id)
    expect(ids).toContain(secret.id)
    expect(office.filter((c) => c.id === discarded.id).at(-1)?.deleted, 'a discarded draft is a tombstone').toBe(true)
    expect(office.filter((c) => c.entity === 'campaignTarget' && c.data?.campaignId === both.id)).toHaveLength(now.filter((h) => h.gridId === g1 || h.gridId === g2).length)
  })

  it('workers may not manage campaigns or read their figures', async () => {
    const c = await launched()
    for (const [method, url, body] of [
      ['GET', '/api/campaigns'],
      ['POST', '/api/campaigns', draftBody()],
      ['POST', `/api/campaigns/${c.id}/close`],
      ['GET', `/api/campaigns/${c.id}/progress`],
      ['GET', `/api/campaigns/${c.id}/results`],
    ] as const) {
      const res = await call(method, url, body, 'grid01')
      expectRefusal(res, 403, 'FORBIDDEN')
    }
  })
})

describe('answers the server refuses', () => {
  it('for a household the campaign does not target, for a draft, and for another cell: nothing stored', async () => {
    const c = await launched({ targeting: { gridIds: [g1] } })
    const outside = householdOf(s.community, 'grid02', 1)
    const before = await fingerprint()
    const [r1] = await push('grid02', [campaignVisit('grid02', outside, c.id)])
    expect(r1).toMatchObject({ status: 'rejected', error: { code: 'CAMPAIGN_NOT_TARGET' } })
    const d = await draft()
    const afterDraft = await fingerprint()
    const [r2] = await push('grid01', [campaignVisit('grid01', householdOf(s.community, 'grid01', 1), d.id)])
    expect(r2, 'a draft answers as an unknown campaign').toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND', message: '找不到这个专项任务，可能已被删除' } })
    const [r3] = await push('grid02', [campaignVisit('grid02', householdOf(s.community, 'grid01', 1), c.id)])
    expect(r3).toMatchObject({ status: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    expect({ ...(await fingerprint()), audit: 0 }).toEqual({ ...afterDraft, audit: 0 })
    expect(afterDraft.visits).toBe(before.visits)
  })

  it('answers that do not fit the campaign’s checklist at its fixed version', async () => {
    const c = await launched()
    const h = householdOf(s.community, 'grid01', 2)
    const [missing] = await push('grid01', [campaignVisit('grid01', h, c.id, { campaignAnswers: { hose_ok: true } })])
    expect(missing).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(missing!.error!.message).toMatch(/^任务清单填写有误：「燃气管道、阀门完好无泄漏」必须填写/)
    const [stranger] = await push('grid01', [campaignVisit('grid01', h, c.id, { campaignAnswers: { pipe_ok: true, hose_ok: true, color: '红' } })])
    expect(stranger!.error!.message).toContain('清单里没有这一项 (color)')
    // A closed door carries no answers, and needs none.
    expect((await push('grid01', [campaignVisit('grid01', h, c.id, { outcome: 'not_home' })]))[0]!.status).toBe('applied')
  })

  it('a vote’s answer without who gave it: RESPONDENT_REQUIRED; with it, and a closed door without it, applied', async () => {
    const h = householdOf(s.community, 'grid01', 3)
    const vote = { rule: MAJOR_MATTER, scope: { kind: 'unit', buildingId: h.buildingId, unit: h.unit } }
    const c = await launched({ title: '单元加装电梯表决', kind: 'vote', templateId: elevator.id, targeting: {}, vote })
    const answers = { stance: 'agree' }
    const before = await fingerprint()
    const [r] = await push('grid01', [campaignVisit('grid01', h, c.id, { campaignAnswers: answers })])
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'RESPONDENT_REQUIRED' } })
    expect(r!.error!.message).toContain('业主本人')
    expect(await fingerprint(), 'nothing written').toEqual(before)
    const ok = await push('grid01', [
      campaignVisit('grid01', h, c.id, { campaignAnswers: answers, respondent: 'owner' }),
      campaignVisit('grid01', h, c.id, { outcome: 'not_home' }),
    ])
    expect(ok.map((x) => x.status)).toEqual(['applied', 'applied'])
  })

  it('after the close: CAMPAIGN_CLOSED in words that say what became of it, and nothing half-written', async () => {
    const c = await launched()
    const h = householdOf(s.community, 'grid01', 4)
    expect((await push('grid01', [campaignVisit('grid01', h, c.id)]))[0]!.status).toBe('applied')
    const closed = await call('POST', `/api/campaigns/${c.id}/close`)
    expect(closed.statusCode, closed.body).toBe(200)
    expect(closed.json<Campaign>()).toMatchObject({ status: 'closed', results: { progress: { totals: { done: 1 } } } })
    // A routine visit that also answers the campaign: neither part is kept.
    const late = makeVisit(s.community, h, workerOf(s.community, 'grid01').id, { campaignId: c.id, campaignAnswers: { pipe_ok: false, hose_ok: true } })
    const before = await fingerprint()
    const [r] = await push('grid01', [late])
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'CAMPAIGN_CLOSED' } })
    expect(r!.error!.message).toContain('已于')
    expect(r!.error!.message).toContain('待处理')
    expect(await fingerprint()).toEqual(before)
    expect(await s.store.selectFrom('visits').select('id').where('id', '=', late.id).executeTakeFirst()).toBeUndefined()
    // The figures stay as they were at the close.
    const progress = (await call('GET', `/api/campaigns/${c.id}/progress`)).json<{ frozen: boolean; totals: { done: number } }>()
    expect(progress).toMatchObject({ frozen: true, totals: { done: 1 } })
  })
})

describe('bad input, refused in words', () => {
  it('a campaign without targets: CAMPAIGN_NO_TARGETS at launch; it stays a draft and nothing is written', async () => {
    const h = householdsOfCell(g1)[0]!
    const c = await draft({ targeting: { units: [{ buildingId: h.buildingId, unit: '99' }] } })
    const before = await fingerprint()
    const msg = expectRefusal(await call('POST', `/api/campaigns/${c.id}/launch`), 409, 'CAMPAIGN_NO_TARGETS')
    expect(msg).toContain('没有选到任何一户')
    expect(await fingerprint()).toEqual(before)
    expect((await call('GET', `/api/campaigns/${c.id}`)).json()).toMatchObject({ status: 'draft', targetCount: 0 })
    const empty = await call('POST', '/api/campaigns', draftBody({ targeting: {} }))
    expect(expectRefusal(empty, 400, 'VALIDATION_FAILED')).toContain('请至少选一个条件')
  })

  it('a deadline in the past: DEADLINE_PASSED, when made and when launched', async () => {
    const before = await fingerprint()
    const yesterday = chinaDay(Date.now() - DAY)
    const msg = expectRefusal(await call('POST', '/api/campaigns', draftBody({ startDay: chinaDay(Date.now() - 3 * DAY), deadline: yesterday })), 400, 'DEADLINE_PASSED')
    expect(msg).toContain(yesterday)
    expect(await fingerprint()).toEqual(before)
    // A draft left lying until its deadline passed.
    const c = await draft()
    const row = await s.store.selectFrom('campaigns').select('data').where('id', '=', c.id).executeTakeFirstOrThrow()
    const old = { ...(JSON.parse(row.data) as Campaign), startDay: chinaDay(Date.now() - 5 * DAY), deadline: yesterday }
    await s.store.updateTable('campaigns').set({ data: JSON.stringify(old) }).where('id', '=', c.id).execute()
    const mid = await fingerprint()
    expectRefusal(await call('POST', `/api/campaigns/${c.id}/launch`), 400, 'DEADLINE_PASSED')
    expect(await fingerprint()).toEqual(mid)
    expectRefusal(await call('PATCH', `/api/campaigns/${c.id}`, { deadline: yesterday }), 400, 'DEADLINE_PASSED')
    expect((await call('PATCH', `/api/campaigns/${c.id}`, { deadline: deadline(3) })).statusCode).toBe(200)
    expect((await call('POST', `/api/campaigns/${c.id}/launch`)).statusCode).toBe(200)
  })

  it('a closed campaign: no second close, no households added; a draft is not closed; a vote needs its rule, scope and a 表态 item', async () => {
    const c = await launched()
    expect((await call('POST', `/api/campaigns/${c.id}/close`)).statusCode).toBe(200)
    expect(expectRefusal(await call('POST', `/api/campaigns/${c.id}/close`), 409, 'INVALID_TRANSITION')).toContain('已经结束')
    expectRefusal(await call('POST', `/api/campaigns/${c.id}/targets`, { householdIds: [householdsOfCell(g1)[0]!.id] }), 409, 'CAMPAIGN_CLOSED')
    expectRefusal(await call('POST', `/api/campaigns/${c.id}/launch`), 409, 'INVALID_TRANSITION')
    const d = await draft()
    expectRefusal(await call('POST', `/api/campaigns/${d.id}/close`), 409, 'INVALID_TRANSITION')
    expectRefusal(await call('POST', `/api/campaigns/${d.id}/targets`, { householdIds: [householdsOfCell(g1)[0]!.id] }), 409, 'INVALID_TRANSITION')

    const noRule = await draft({ kind: 'vote', templateId: elevator.id })
    expect(expectRefusal(await call('POST', `/api/campaigns/${noRule.id}/launch`), 409, 'VOTE_INCOMPLETE')).toContain('表决规则')
    const h = householdsOfCell(g1)[0]!
    const noStance = await draft({ kind: 'vote', vote: { rule: MAJOR_MATTER, scope: { kind: 'building', buildingId: h.buildingId } } })
    expect(expectRefusal(await call('POST', `/api/campaigns/${noStance.id}/launch`), 409, 'VOTE_INCOMPLETE')).toContain('表态项')
  })

  it('unknown things: a template, a campaign, a cell or building in the targeting; a 政法 tag as a criterion', async () => {
    expect(expectRefusal(await call('POST', '/api/campaigns', draftBody({ templateId: uuidv7() })), 404, 'NOT_FOUND')).toBe('找不到这份走访清单')
    expectRefusal(await call('GET', `/api/campaigns/${uuidv7()}/progress`), 404, 'NOT_FOUND')
    expectRefusal(await call('POST', `/api/campaigns/${uuidv7()}/launch`), 404, 'NOT_FOUND')
    expect(expectRefusal(await call('POST', '/api/campaigns', draftBody({ targeting: { gridIds: [uuidv7()] } })), 404, 'NOT_FOUND')).toContain('网格')
    expect(expectRefusal(await call('POST', '/api/campaigns/preview', { targeting: { buildingIds: [uuidv7()] } }), 404, 'NOT_FOUND')).toContain('楼栋')
    expect(expectRefusal(await call('POST', '/api/campaigns/preview', { targeting: { compounds: ['没有这个小区'] } }), 404, 'NOT_FOUND')).toContain('没有这个小区')
    expect(expectRefusal(await call('POST', '/api/campaigns', draftBody({ targeting: { tags: ['drug'] } })), 400, 'VALIDATION_FAILED')).toContain('政法标签')
  })
})
