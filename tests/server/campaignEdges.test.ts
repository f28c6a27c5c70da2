import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Campaign,
  type CampaignHouseholdsResponse,
  type CampaignPreview,
  type CampaignProgressResponse,
  type CampaignResultsResponse,
  chinaDay,
  type ErrorBody,
  type Household,
  type MutationResult,
  PROTOCOL_VERSION,
  uuidv7,
  type Visit,
} from '../../src/domain'
import { REGISTER_HEADERS } from '../../src/domain/registerImport'
import { MAJOR_MATTER } from '../../src/domain/voteRules'
import { readCounter } from '../../src/server/store/counters'
import { parseCsv } from '../support/csv'
import { makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 专项任务 at their edges, as the office reads them: the audit trail of every step, the words of
// each refusal, places a vote scope names, the preview's and the household list's walking order,
// what the list and the figures say of a draft, a running and a closed campaign, and a campaign
// whose checklist is gone.

let s: TestServer
const tokens: Record<string, string> = {}
const DAY = 86_400_000
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
  title: '燃气安全入户排查（边界）',
  kind: 'inspection',
  templateId: gas.id,
  startDay: chinaDay(Date.now()),
  deadline: chinaDay(Date.now() + 10 * DAY),
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

function refusal(res: { statusCode: number; json: () => unknown }, status: number, code: string): string {
  const { error } = res.json() as ErrorBody
  expect([res.statusCode, error.code]).toEqual([status, code])
  return error.message
}

async function register(): Promise<Household[]> {
  const rows = await s.store.selectFrom('households').select('data').where('deleted', '=', 0).execute()
  return rows.map((r) => JSON.parse(r.data) as Household)
}

async function audit(campaignId: string) {
  const rows = await s.store.selectFrom('audit_log').select(['action', 'subject_type', 'subject_id', 'user_id', 'details']).where('subject_id', '=', campaignId).orderBy('id').execute()
  return rows.map((r) => ({ action: r.action, subject: [r.subject_type, r.subject_id], user: r.user_id, details: JSON.parse(r.details) as unknown }))
}

const secretaryId = () => workerOf(s.community, 'secretary').id
const cellOf = (id: string) => s.community.gridCells.find((g) => g.id === id)!
const buildingOf = (id: string) => s.community.buildings.find((b) => b.id === id)!

describe('the audit trail of a campaign', () => {
  it('each step is logged as a campaign change, with what it did', async () => {
    const c = await draft({ title: '审计用的任务' })
    expect((await call('PATCH', `/api/campaigns/${c.id}`, { title: '审计用的任务（改）', secondAttempt: false })).statusCode).toBe(200)
    const launch = await call('POST', `/api/campaigns/${c.id}/launch`)
    expect(launch.statusCode, launch.body).toBe(200)
    const targets = launch.json<Campaign>().targetCount
    const outside = s.community.households.find((h) => h.gridId === g2)!
    expect((await call('POST', `/api/campaigns/${c.id}/targets`, { householdIds: [outside.id] })).json()).toMatchObject({ added: 1 })
    // Adding households it targets already changes nothing, and logs nothing.
    const version = await readCounter(s.store, 'version')
    expect((await call('POST', `/api/campaigns/${c.id}/targets`, { householdIds: [outside.id] })).json()).toMatchObject({ added: 0, campaign: { targetCount: targets + 1 } })
    expect(await readCounter(s.store, 'version')).toBe(version)
    const h = s.community.households.find((x) => x.gridId === g1)!
    expect((await push('grid01', [campaignVisit('grid01', h, c.id)]))[0]!.status).toBe('applied')
    expect((await call('POST', `/api/campaigns/${c.id}/close`)).statusCode).toBe(200)

    const gone = await draft({ title: '要删掉的草稿' })
    expect((await call('DELETE', `/api/campaigns/${gone.id}`)).statusCode).toBe(204)

    const subject = ['campaign', c.id]
    const user = secretaryId()
    expect(await audit(c.id)).toEqual([
      { action: 'campaign_change', subject, user, details: { created: true, title: '审计用的任务' } },
      { action: 'campaign_change', subject, user, details: { changed: ['title', 'secondAttempt'] } },
      { action: 'campaign_change', subject, user, details: { launched: true, targets } },
      { action: 'campaign_change', subject, user, details: { added: 1 } },
      { action: 'campaign_change', subject, user, details: { closed: true, done: 1, targets: targets + 1 } },
    ])
    expect((await audit(gone.id)).map((r) => [r.action, r.subject, r.details])).toEqual([
      ['campaign_change', ['campaign', gone.id], { created: true, title: '要删掉的草稿' }],
      ['campaign_change', ['campaign', gone.id], { discarded: true }],
    ])
  })
})

describe('refusals, in words that say what was refused', () => {
  it('a launched campaign is not edited, deleted or launched again; a draft is neither closed nor added to', async () => {
    const c = await launched()
    expect(refusal(await call('PATCH', `/api/campaigns/${c.id}`, { title: '改名' }), 409, 'INVALID_TRANSITION')).toContain('不能再修改')
    expect(refusal(await call('DELETE', `/api/campaigns/${c.id}`), 409, 'INVALID_TRANSITION')).toContain('不能再删除')
    expect(refusal(await call('POST', `/api/campaigns/${c.id}/launch`), 409, 'INVALID_TRANSITION')).toContain('不能再发布')
    const d = await draft()
    expect(refusal(await call('POST', `/api/campaigns/${d.id}/close`), 409, 'INVALID_TRANSITION')).toContain('还是草稿')
    expect(refusal(await call('POST', `/api/campaigns/${d.id}/targets`, { householdIds: [s.community.households[0]!.id] }), 409, 'INVALID_TRANSITION')).toContain('还是草稿')
    expect(await audit(d.id)).toHaveLength(1)
  })

  it('households to add that are not on the register, or a targeting that selects nobody', async () => {
    const c = await launched()
    const version = await readCounter(s.store, 'version')
    expect(refusal(await call('POST', `/api/campaigns/${c.id}/targets`, { householdIds: [uuidv7()] }), 404, 'NOT_FOUND')).toBe('要加入的户里有找不到的，可能已从台账撤销')
    const h = s.community.households.find((x) => x.gridId === g1 && x.buildingId)!
    const nobody = { units: [{ buildingId: h.buildingId, unit: '99' }] }
    expect(refusal(await call('POST', `/api/campaigns/${c.id}/targets`, { targeting: nobody }), 409, 'CAMPAIGN_NO_TARGETS')).toContain('没有选到任何一户')
    expect(await readCounter(s.store, 'version')).toBe(version)
  })

  it('an edit that makes the draft invalid names the campaign and what is wrong', async () => {
    const d = await draft()
    const msg = refusal(await call('PATCH', `/api/campaigns/${d.id}`, { startDay: chinaDay(Date.now() + 30 * DAY) }), 400, 'VALIDATION_FAILED')
    expect(msg).toMatch(/^专项任务不正确：/)
    expect(msg).toContain('截止日期不能早于开始日期')
  })

  it('a deadline of today is still ahead', async () => {
    const today = chinaDay(Date.now())
    const c = await launched({ startDay: today, deadline: today })
    expect(c.deadline).toBe(today)
  })

  it('an answer by phone is checked against the checklist as one at the door', async () => {
    const c = await launched()
    const h = s.community.households.find((x) => x.gridId === g1)!
    const [r] = await push('grid01', [campaignVisit('grid01', h, c.id, { outcome: 'phone', campaignAnswers: { hose_ok: true } })])
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(r!.error!.message).toMatch(/^任务清单填写有误：/)
    const issues = (r!.error as { details?: { issues: { itemId: string }[] } }).details?.issues
    expect(issues?.map((i) => i.itemId)).toContain('pipe_ok')
  })

  it('after the close, the refusal names the day it closed', async () => {
    const c = await launched()
    const closed = (await call('POST', `/api/campaigns/${c.id}/close`)).json<Campaign>()
    const h = s.community.households.find((x) => x.gridId === g1)!
    const [r] = await push('grid01', [campaignVisit('grid01', h, c.id)])
    expect(r!.error!.message).toContain(`已于 ${chinaDay(Date.parse(closed.closedAt!))} 结束`)
  })
})

describe('the places a vote names', () => {
  it('a scope’s building or compound must be on the register, at creation and on an edit', async () => {
    const vote = (scope: object) => ({ kind: 'vote', templateId: elevator.id, targeting: {}, vote: { rule: MAJOR_MATTER, scope } })
    expect(refusal(await call('POST', '/api/campaigns', draftBody(vote({ kind: 'building', buildingId: uuidv7() }))), 404, 'NOT_FOUND')).toBe('表决范围的楼栋不存在')
    expect(refusal(await call('POST', '/api/campaigns', draftBody(vote({ kind: 'unit', buildingId: uuidv7(), unit: '1' }))), 404, 'NOT_FOUND')).toBe('表决范围的楼栋不存在')
    expect(refusal(await call('POST', '/api/campaigns', draftBody(vote({ kind: 'compound', compound: '没有的花园' }))), 404, 'NOT_FOUND')).toBe('没有叫「没有的花园」的小区')
    const d = await draft(vote({ kind: 'building', buildingId: s.community.buildings[0]!.id }))
    const edit = { vote: { rule: MAJOR_MATTER, scope: { kind: 'building', buildingId: uuidv7() } } }
    expect(refusal(await call('PATCH', `/api/campaigns/${d.id}`, edit), 404, 'NOT_FOUND')).toBe('表决范围的楼栋不存在')
  })

  it('a compound scope targets the compound’s households; a targeting by compound previews them', async () => {
    const compound = '前进街平房'
    const buildings = new Set(s.community.buildings.filter((b) => b.compound === compound).map((b) => b.id))
    expect(buildings.size).toBeGreaterThan(1)
    const want = (await register()).filter((h) => h.buildingId && buildings.has(h.buildingId)).map((h) => h.id).sort()
    const c = await launched({ title: '平房改造表决', kind: 'vote', templateId: elevator.id, targeting: {}, vote: { rule: MAJOR_MATTER, scope: { kind: 'compound', compound } } })
    const rows = await s.store.selectFrom('campaign_targets').select('household_id').where('campaign_id', '=', c.id).execute()
    expect(rows.map((r) => r.household_id).sort()).toEqual(want)
    const preview = (await call('POST', '/api/campaigns/preview', { targeting: { compounds: [compound] } })).json<CampaignPreview>()
    expect(preview.count).toBe(want.length)
  })
})

describe('what the preview names', () => {
  it('each cell by its code and name, each building by its compound and number, with its count', async () => {
    const building = s.community.households.find((h) => h.gridId === g2 && h.buildingId)!.buildingId!
    const res = await call('POST', '/api/campaigns/preview', { targeting: { gridIds: [g1], buildingIds: [building] } })
    expect(res.statusCode, res.body).toBe(200)
    const p = res.json<CampaignPreview>()
    const now = await register()
    const want = now.filter((h) => h.gridId === g1 || h.buildingId === building)
    const count = (xs: Household[], f: (h: Household) => string) => {
      const m = new Map<string, number>()
      for (const h of xs) m.set(f(h), (m.get(f(h)) ?? 0) + 1)
      return m
    }
    const cells = [...count(want, (h) => h.gridId)].map(([id, n]) => ({ gridId: id, code: cellOf(id).code, name: cellOf(id).name, count: n }))
    expect([...p.byGrid].sort((a, b) => a.code.localeCompare(b.code))).toEqual(cells.sort((a, b) => a.code.localeCompare(b.code)))
    const blocks = [...count(want, (h) => `${h.gridId}|${h.buildingId}`)].map(([k, n]) => {
      const [gridId, buildingId] = k.split('|') as [string, string]
      return { gridId, buildingId, compound: buildingOf(buildingId).compound, number: buildingOf(buildingId).number, count: n }
    })
    const byKey = (a: { gridId: string; buildingId: string | null }, b: { gridId: string; buildingId: string | null }) => `${a.gridId}${a.buildingId}`.localeCompare(`${b.gridId}${b.buildingId}`)
    expect(blocks.length).toBeGreaterThan(1)
    expect([...p.byBuilding].sort(byKey)).toEqual(blocks.sort(byKey))
  })
})

describe('walking order', () => {
  // Two flats imported into one stairwell: one below every other, one on the eleventh floor
  // (a room "1101" comes after "601" by number, before "201" by letters).
  let stairwell: Household[]
  let otherUnit: Household[]
  let b: { id: string; compound: string; number: string }

  beforeAll(async () => {
    const now = await register()
    const units = new Map<string, Household[]>()
    for (const h of now) if (h.buildingId && h.unit && h.room) units.set(`${h.buildingId}|${h.unit}`, [...(units.get(`${h.buildingId}|${h.unit}`) ?? []), h])
    const [key] = [...units.keys()].filter((k) => units.has(`${k.split('|')[0]}|2`) && k.endsWith('|1'))
    const [buildingId] = key!.split('|') as [string]
    b = buildingOf(buildingId)
    const cell = cellOf(units.get(key!)![0]!.gridId)
    const line = (room: string, name: string) => {
      const row: Record<string, string> = { 网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 单元: '1', 楼层: room.slice(0, -2), 室: room, 住房: '自住', 人户状态: '人户一致', 姓名: name, 性别: '女', 出生年份: '1960', 与户主关系: '户主' }
      return REGISTER_HEADERS.map((h) => row[h] ?? '').join(',')
    }
    const csvText = `${REGISTER_HEADERS.join(',')}\r\n${line('1101', '高层住户')}\r\n${line('100', '底层住户')}\r\n`
    const imported = await s.app.inject({ method: 'POST', url: '/api/admin/register/import', headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': 'text/csv' }, payload: csvText })
    expect(imported.statusCode, imported.body).toBe(200)
    const after = await register()
    stairwell = after.filter((h) => h.buildingId === buildingId && h.unit === '1')
    otherUnit = after.filter((h) => h.buildingId === buildingId && h.unit === '2')
    expect(stairwell.map((h) => h.room)).toEqual(expect.arrayContaining(['100', '1101']))
  })

  const byRoom = (hs: Household[]) => [...hs].sort((x, y) => Number(x.room) - Number(y.room)).map((h) => h.id)

  it('the preview’s sample goes floor by floor, rooms counted as numbers', async () => {
    const p = (await call('POST', '/api/campaigns/preview', { targeting: { units: [{ buildingId: b.id, unit: '1' }] } })).json<CampaignPreview>()
    expect(p.sample.map((x) => x.householdId)).toEqual(byRoom(stairwell).slice(0, 20))
  })

  it('the household list is in walking order, households added later among the others', async () => {
    const c = await launched({ targeting: { units: [{ buildingId: b.id, unit: '2' }] } })
    const added = await call('POST', `/api/campaigns/${c.id}/targets`, { targeting: { units: [{ buildingId: b.id, unit: '1' }] } })
    expect(added.json()).toMatchObject({ added: stairwell.length })
    const list = (await call('GET', `/api/campaigns/${c.id}/households`)).json<CampaignHouseholdsResponse>().households
    expect(list.map((h) => h.householdId)).toEqual([...byRoom(stairwell), ...byRoom(otherUnit)])
    expect(list[0]).toMatchObject({ unit: '1', room: '100', state: 'not_yet', visits: 0, lastVisitAt: null, open: true })
  })
})

describe('what the office reads of a draft, a running and a closed campaign', () => {
  it('the list: a draft has no totals, a closed campaign its frozen ones', async () => {
    const d = await draft({ title: '列表里的草稿' })
    const c = await launched({ title: '列表里结束的任务' })
    const h = s.community.households.find((x) => x.gridId === g1)!
    expect((await push('grid01', [campaignVisit('grid01', h, c.id)]))[0]!.status).toBe('applied')
    const closed = (await call('POST', `/api/campaigns/${c.id}/close`)).json<Campaign>()
    const rows = (await call('GET', '/api/campaigns')).json<{ campaigns: { campaign: Campaign; totals: unknown }[] }>().campaigns
    expect(rows.find((r) => r.campaign.id === d.id)).toEqual({ campaign: d, totals: null })
    const row = rows.find((r) => r.campaign.id === c.id)!
    expect([row.campaign.status, row.totals]).toEqual(['closed', closed.results!.progress.totals])
    expect(closed.results!.progress.totals).toMatchObject({ targets: c.targetCount, done: 1 })
  })

  it('a running campaign’s figures are live and name its buildings', async () => {
    const c = await launched()
    const p = (await call('GET', `/api/campaigns/${c.id}/progress`)).json<CampaignProgressResponse>()
    expect(p).toMatchObject({ campaignId: c.id, status: 'launched', secondAttempt: c.secondAttempt, frozen: false })
    for (const row of p.byBuilding) expect([row.compound, row.number]).toEqual([buildingOf(row.buildingId!).compound, buildingOf(row.buildingId!).number])
    const r = (await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>()
    expect(r).toMatchObject({ campaignId: c.id, status: 'launched', frozen: false })
  })

  it('a closed vote’s exported results are those decided at the close, whatever the register says since', async () => {
    const h = (await register()).find((x) => x.gridId === g1 && x.buildingId && x.unit)!
    const scope = { kind: 'unit', buildingId: h.buildingId, unit: h.unit }
    const c = await launched({ title: '导出用的表决', kind: 'vote', templateId: elevator.id, targeting: {}, vote: { rule: MAJOR_MATTER, scope } })
    const v = campaignVisit('grid01', h, c.id, { campaignAnswers: { stance: 'agree' }, respondent: 'owner' })
    expect((await push('grid01', [v]))[0]!.status).toBe('applied')
    const closed = (await call('POST', `/api/campaigns/${c.id}/close`)).json<Campaign>()
    const frozenArea = closed.results!.vote!.tally.area.total
    await s.store.updateTable('households').set({ data: JSON.stringify({ ...h, area: 9999 }) }).where('id', '=', h.id).execute()
    const file = await call('GET', `/api/exports/campaigns/${c.id}/results.csv`)
    expect(file.statusCode, file.body).toBe(200)
    const rows = parseCsv(file.rawPayload.toString('utf8').replace(/^\uFEFF/, ''))
    const total = rows.find((r) => r[0] === '表决' && r[1] === '业主总数')!
    expect(Number(total[4])).toBe(frozenArea)
    expect(Number(total[4])).not.toBe(frozenArea - (h.area ?? 0) + 9999)
  })
})

describe('a campaign whose checklist is gone', () => {
  it('counts no answers, and refuses answers sent to it', async () => {
    const c = await launched()
    const h = s.community.households.find((x) => x.gridId === g1)!
    expect((await push('grid01', [campaignVisit('grid01', h, c.id)]))[0]!.status).toBe('applied')
    expect((await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>().answeredHouseholds).toBe(1)
    await s.store.updateTable('checklist_templates').set({ deleted: 1 }).where('id', '=', gas.id).execute()
    try {
      const r = (await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>()
      expect([r.answeredHouseholds, r.items, r.hazards]).toEqual([0, [], []])
      const other = s.community.households.filter((x) => x.gridId === g1)[1]!
      const [refused] = await push('grid01', [campaignVisit('grid01', other, c.id)])
      expect(refused).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND', message: '找不到这份走访清单' } })
    } finally {
      await s.store.updateTable('checklist_templates').set({ deleted: 0 }).where('id', '=', gas.id).execute()
    }
  })
})
