import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Answers,
  type Campaign,
  type CampaignHouseholdsResponse,
  type CampaignProgressResponse,
  type CampaignResultsResponse,
  chinaDay,
  type ChecklistTemplate,
  type Household,
  type MutationResult,
  PROTOCOL_VERSION,
  uuidv7,
  type Visit,
} from '../../src/domain'
import { MAJOR_MATTER } from '../../src/domain/voteRules'
import { makeVisit, visitMutation } from '../support/fixtures'
import { parseCsv } from '../support/csv'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// The office's figures of a campaign against a count made here, independently, from the raw
// visits in the database: per grid cell, building and unit; per item and answer; the hazard list;
// a vote's participation and consent by number and area. Visits arrive out of order and several
// per household, from two workers; a household counts once, by its latest answer.

let s: TestServer
const tokens: Record<string, string> = {}
let gas: ChecklistTemplate
let elevator: ChecklistTemplate
let g1: string
let g2: string
const DAY = 86_400_000
const HOUR = 3_600_000

beforeAll(async () => {
  s = await startTestServer(400)
  for (const u of ['secretary', 'admin', 'grid01', 'grid02']) tokens[u] = await s.login(u)
  gas = s.community.templates.find((t) => t.code === 'gas_inspection')!
  elevator = s.community.templates.find((t) => t.code === 'elevator_vote')!
  g1 = workerOf(s.community, 'grid01').gridIds[0]!
  g2 = workerOf(s.community, 'grid02').gridIds[0]!
})
afterAll(() => s.close())

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, who = 'secretary') =>
  s.app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload === undefined ? {} : { payload: payload as object }) })

async function launch(body: Record<string, unknown>): Promise<Campaign> {
  const made = await call('POST', '/api/campaigns', { startDay: chinaDay(Date.now()), deadline: chinaDay(Date.now() + 10 * DAY), ...body })
  expect(made.statusCode, made.body).toBe(201)
  const res = await call('POST', `/api/campaigns/${made.json<Campaign>().id}/launch`)
  expect(res.statusCode, res.body).toBe(200)
  return res.json<Campaign>()
}

async function push(who: string, visits: Visit[]): Promise<MutationResult[]> {
  const out: MutationResult[] = []
  for (let i = 0; i < visits.length; i += 100) {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens[who]}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: visits.slice(i, i + 100).map((v) => visitMutation(v)) },
    })
    expect(res.statusCode, res.body).toBe(200)
    out.push(...res.json<{ results: MutationResult[] }>().results)
  }
  return out
}

/** A small deterministic generator (the test must say the same every run). */
function lcg(seed: number) {
  let x = seed
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648
  return { next, pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p }
}

const whoOf = (gridId: string) => (gridId === g1 ? 'grid01' : 'grid02')

// ---- the independent count ----

type State = 'done' | 'attempted' | 'refused' | 'not_yet'
interface Count {
  targets: number
  done: number
  attempted: number
  refused: number
  notYet: number
  open: number
}
const zero = (): Count => ({ targets: 0, done: 0, attempted: 0, refused: 0, notYet: 0, open: 0 })

/** Each target's visits oldest first: reached makes it done (its answers the latest so far), a
 *  refusal before anyone was reached makes it refused, a closed door before anything an attempt. */
function standOf(visits: Visit[]): { state: State; answers: Answers | null; visits: number } {
  let state: State = 'not_yet'
  let answers: Answers | null = null
  const sorted = [...visits].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || (a.id < b.id ? -1 : 1))
  for (const v of sorted) {
    if (v.outcome === 'met' || v.outcome === 'phone') {
      state = 'done'
      answers = v.campaignAnswers ?? {}
    } else if (v.outcome === 'refused' && state !== 'done') state = 'refused'
    else if (v.outcome === 'not_home' && state === 'not_yet') state = 'attempted'
  }
  return { state, answers, visits: visits.length }
}

function add(c: Count, state: State, secondAttempt: boolean) {
  c.targets++
  if (state === 'done') c.done++
  if (state === 'attempted' || state === 'refused') c.attempted++
  if (state === 'refused') c.refused++
  if (state === 'not_yet') c.notYet++
  if (state === 'not_yet' || (state === 'attempted' && secondAttempt)) c.open++
}

async function countFromDatabase(c: Campaign) {
  const targetRows = await s.store
    .selectFrom('campaign_targets')
    .innerJoin('households', 'households.id', 'campaign_targets.household_id')
    .select(['households.data'])
    .where('campaign_targets.campaign_id', '=', c.id)
    .execute()
  const targets = targetRows.map((r) => JSON.parse(r.data) as Household)
  const visitRows = await s.store.selectFrom('visits').select('data').execute()
  const visits = visitRows.map((r) => JSON.parse(r.data) as Visit).filter((v) => v.campaignId === c.id)
  const totals = zero()
  const byGrid = new Map<string, Count>()
  const byBuilding = new Map<string, Count>()
  const byUnit = new Map<string, Count>()
  const stands = new Map<string, ReturnType<typeof standOf>>()
  for (const h of targets) {
    const st = standOf(visits.filter((v) => v.householdId === h.id))
    stands.set(h.id, st)
    for (const [m, k] of [[byGrid, h.gridId], [byBuilding, `${h.gridId}|${h.buildingId}`], [byUnit, `${h.buildingId}|${h.unit}`]] as const) {
      if (!m.has(k)) m.set(k, zero())
      add(m.get(k)!, st.state, c.secondAttempt)
    }
    add(totals, st.state, c.secondAttempt)
  }
  return { targets, visits, totals, byGrid, byBuilding, byUnit, stands }
}

function gasAnswers(r: ReturnType<typeof lcg>): Answers {
  const a: Answers = { pipe_ok: r.chance(0.8), hose_ok: r.chance(0.85) }
  if (r.chance(0.7)) a.flame_guard = r.pick(['有', '没有', '不清楚'])
  if (r.chance(0.6)) a.ventilation = r.chance(0.8)
  if (r.chance(0.5)) a.alarm = r.chance(0.5)
  if (r.chance(0.2)) a.advice = '更换软管'
  return a
}

describe('the figures of a campaign', () => {
  let c: Campaign
  let expected: Awaited<ReturnType<typeof countFromDatabase>>
  let flipped: Household

  beforeAll(async () => {
    c = await launch({ title: '燃气安全入户排查（统计）', kind: 'inspection', templateId: gas.id, targeting: { gridIds: [g1, g2] } })
    const targets = (await countFromDatabase(c)).targets
    const r = lcg(20261201)
    const visits: Visit[] = []
    const now = Date.now()
    let minute = 0
    const at = () => new Date(now - 5 * DAY + ++minute * 7 * 60_000).toISOString()
    const v = (h: Household, outcome: Visit['outcome'], answers?: Answers, startedAt = at()) =>
      makeVisit(s.community, h, workerOf(s.community, whoOf(h.gridId)).id, {
        startedAt,
        outcome,
        templateId: null,
        templateVersion: null,
        answers: {},
        residentIds: outcome === 'met' ? makeVisit(s.community, h, '').residentIds : [],
        campaignId: c.id,
        ...(answers ? { campaignAnswers: answers } : {}),
      })
    for (const h of targets) {
      const plan = r.pick(['none', 'none', 'met', 'met', 'met', 'not_home', 'refused', 'not_home_met', 'met_met', 'refused_met', 'met_not_home', 'not_home_refused', 'phone'])
      if (plan === 'none') continue
      for (const step of plan.split('_').reduce<string[]>((acc, p) => (p === 'home' ? [...acc.slice(0, -1), 'not_home'] : [...acc, p]), [])) {
        const outcome = step as Visit['outcome']
        visits.push(v(h, outcome, outcome === 'met' || outcome === 'phone' ? gasAnswers(r) : undefined))
      }
    }
    // One household answered twice: the earlier answer found a hazard, the later none. The later
    // one is pushed first: the count goes by when they were made, not by when they arrived.
    flipped = targets.find((h) => h.gridId === g1 && !visits.some((x) => x.householdId === h.id))!
    const early = v(flipped, 'met', { pipe_ok: false, hose_ok: true }, new Date(now - 2 * DAY).toISOString())
    const late = v(flipped, 'met', { pipe_ok: true, hose_ok: true }, new Date(now - DAY).toISOString())
    const shuffled = visits.map((x) => ({ x, k: r.next() })).sort((a, b) => a.k - b.k).map((y) => y.x)
    for (const who of ['grid01', 'grid02']) {
      const mine = shuffled.filter((x) => whoOf(x.gridId) === who)
      const results = await push(who, who === 'grid01' ? [late, ...mine, early] : mine)
      expect(results.filter((x) => x.status !== 'applied'), who).toEqual([])
    }
    expected = await countFromDatabase(c)
  })

  it('progress per cell, building and unit equals a count from the raw visits', async () => {
    const res = await call('GET', `/api/campaigns/${c.id}/progress`)
    expect(res.statusCode, res.body).toBe(200)
    const p = res.json<CampaignProgressResponse>()
    expect(p.frozen).toBe(false)
    const strip = ({ targets, done, attempted, refused, notYet, open }: Count) => ({ targets, done, attempted, refused, notYet, open })
    expect(p.totals).toEqual(expected.totals)
    // Enough of every kind that a wrong rule shows.
    for (const k of ['done', 'attempted', 'refused', 'notYet'] as const) expect(expected.totals[k], k).toBeGreaterThan(3)
    expect(new Map(p.byGrid.map((g) => [g.gridId, strip(g)]))).toEqual(expected.byGrid)
    expect(new Map(p.byBuilding.map((b) => [`${b.gridId}|${b.buildingId}`, strip(b)]))).toEqual(expected.byBuilding)
    expect(new Map(p.byUnit.map((u) => [`${u.buildingId}|${u.unit}`, strip(u)]))).toEqual(expected.byUnit)
    expect(p.byGrid.map((g) => g.name)).toEqual(
      [g1, g2].map((id) => s.community.gridCells.find((x) => x.id === id)!).sort((a, b) => a.code.localeCompare(b.code)).map((x) => x.name),
    )
  })

  it('each household’s state, in walking order, names masked', async () => {
    const res = await call('GET', `/api/campaigns/${c.id}/households`)
    expect(res.statusCode, res.body).toBe(200)
    const { households } = res.json<CampaignHouseholdsResponse>()
    expect(households).toHaveLength(expected.targets.length)
    for (const h of households) {
      const st = expected.stands.get(h.householdId)!
      expect([h.state, h.visits], h.address).toEqual([st.state, st.visits])
      expect(h.open).toBe(st.state === 'not_yet' || st.state === 'attempted')
    }
    const real = new Map(expected.targets.map((h) => [h.id, h.headName]))
    expect(households.filter((h) => (real.get(h.householdId)?.length ?? 0) > 1 && h.headNameMasked === real.get(h.householdId))).toEqual([])
    const inOrder = households.filter((h) => h.gridId === g1).map((h) => h.buildingId)
    expect(inOrder.filter((b, i) => i > 0 && b !== inOrder[i - 1]).length, 'each building’s households together').toBe(new Set(inOrder).size - 1)
  })

  it('item results: counts and shares per answer over each household’s latest answer; the hazard list', async () => {
    const res = await call('GET', `/api/campaigns/${c.id}/results`)
    expect(res.statusCode, res.body).toBe(200)
    const got = res.json<CampaignResultsResponse>()
    const counted = [...expected.stands.entries()].filter(([, st]) => st.answers !== null)
    expect(got.answeredHouseholds).toBe(counted.length)
    for (const item of gas.items) {
      const given = counted.map(([, st]) => st.answers![item.id]).filter((a) => a !== undefined && a !== '')
      const r = got.items.find((i) => i.itemId === item.id)!
      expect(r.answered, item.id).toBe(given.length)
      for (const o of r.options) {
        const n = given.filter((a) => a === o.value).length
        expect(o.count, `${item.id} ${o.label}`).toBe(n)
        expect(o.share).toBeCloseTo(given.length ? n / given.length : 0, 10)
      }
      if (item.kind === 'yesno' || item.kind === 'choice') expect(r.options.reduce((n, o) => n + o.count, 0)).toBe(given.length)
    }
    const hazardous = (a: Answers) => a.pipe_ok === false || a.hose_ok === false || a.flame_guard === '没有' || a.ventilation === false
    const want = counted.filter(([, st]) => hazardous(st.answers!)).map(([id]) => id).sort()
    expect(want.length).toBeGreaterThan(3)
    expect(got.hazards.map((x) => x.householdId).sort()).toEqual(want)
    expect(got.hazardHouseholds).toBe(want.length)
    const one = got.hazards[0]!
    const visit = expected.visits.filter((v) => v.householdId === one.householdId && (v.outcome === 'met' || v.outcome === 'phone')).sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0]!
    expect(one.visitId, 'the visit a case is to name').toBe(visit.id)
    expect(one.items.every((i) => i.label.length > 0)).toBe(true)
    expect(one.headNameMasked).toContain('*')
  })

  it('two visits of one household count once, by the later: its earlier hazard is not listed', async () => {
    const got = (await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>()
    expect(got.hazards.map((x) => x.householdId)).not.toContain(flipped.id)
    expect(expected.stands.get(flipped.id)!.answers).toEqual({ pipe_ok: true, hose_ok: true })
    const households = (await call('GET', `/api/campaigns/${c.id}/households`)).json<CampaignHouseholdsResponse>().households
    expect(households.find((h) => h.householdId === flipped.id)).toMatchObject({ state: 'done', visits: 2 })
  })

  it('a case reported from a hazard’s visit is listed with it', async () => {
    const hazard = (await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>().hazards.find((x) => x.gridId === g1)!
    expect(hazard.caseIds).toEqual([])
    const id = uuidv7()
    const report = {
      id,
      kind: 'hazard',
      category: 'gas',
      title: '燃气软管老化',
      description: '入户排查发现',
      gridId: hazard.gridId,
      householdIds: [hazard.householdId],
      residentIds: [],
      location: null,
      place: '',
      urgency: 'yellow',
      photoIds: [],
      visitId: hazard.visitId,
      reporterId: workerOf(s.community, 'secretary').id,
      reportedAt: new Date().toISOString(),
    }
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.secretary}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'case', id, op: 'create', data: report, at: new Date().toISOString() }] },
    })
    expect(res.json<{ results: MutationResult[] }>().results[0]!.status).toBe('applied')
    const after = (await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>().hazards.find((x) => x.householdId === hazard.householdId)!
    expect(after.caseIds).toEqual([id])
  })

  it('the list of campaigns carries the same totals', async () => {
    const res = await call('GET', '/api/campaigns')
    expect(res.statusCode, res.body).toBe(200)
    const row = res.json<{ campaigns: { campaign: Campaign; totals: Count | null }[] }>().campaigns.find((x) => x.campaign.id === c.id)!
    expect(row.totals).toEqual(expected.totals)
  })

  it('exports: progress per household and the hazard list masked, the results; each logged; unmasked only for the admin', async () => {
    const file = async (part: string, format = 'csv', who = 'secretary', q = '') => call('GET', `/api/exports/campaigns/${c.id}/${part}.${format}${q}`, undefined, who)
    const progress = await file('progress')
    expect(progress.statusCode, progress.body).toBe(200)
    const rows = parseCsv(progress.rawPayload.toString('utf8').replace(/^\uFEFF/, ''))
    expect(rows[0]).toEqual(['网格', '小区', '楼栋', '单元', '室', '地址', '户主', '状态', '走访次数', '最近走访', '还需走访'])
    expect(rows.length - 1).toBe(expected.targets.length)
    const names = new Set(expected.targets.filter((h) => h.headName.length > 1).map((h) => h.headName))
    expect(rows.slice(1).filter((r) => names.has(r[6]!)), 'names masked').toEqual([])
    const states = rows.slice(1).map((r) => r[7]!)
    expect(states.filter((x) => x === '已完成').length).toBe(expected.totals.done)
    expect(states.filter((x) => x === '未走访').length).toBe(expected.totals.notYet)
    const results = await file('results', 'xlsx')
    expect(results.statusCode).toBe(200)
    expect(results.headers['content-type']).toContain('spreadsheetml')
    const hazards = await file('hazards')
    expect(Number(hazards.headers['x-export-rows'])).toBe((await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>().hazardHouseholds)
    const logged = await s.store.selectFrom('exports_log').select(['kind', 'format', 'filters', 'row_count']).orderBy('id').execute()
    expect(logged.slice(-3).map((l) => [l.kind, l.format, JSON.parse(l.filters)])).toEqual([
      ['campaign-progress', 'csv', { campaignId: c.id, unmasked: false }],
      ['campaign-results', 'xlsx', { campaignId: c.id, unmasked: false }],
      ['campaign-hazards', 'csv', { campaignId: c.id, unmasked: false }],
    ])
    const denied = await file('progress', 'csv', 'secretary', '?unmasked=1')
    expect([denied.statusCode, denied.json().error.code]).toEqual([403, 'FORBIDDEN'])
    const open = await file('progress', 'csv', 'admin', '?unmasked=1')
    const full = parseCsv(open.rawPayload.toString('utf8').replace(/^\uFEFF/, ''))
    expect(full.slice(1).some((r) => names.has(r[6]!)), 'the admin asked on purpose').toBe(true)
    expect((await file('progress', 'csv', 'grid01')).statusCode).toBe(403)
  })
})

describe('a vote’s tally', () => {
  it('counts the scope’s households by their owner’s latest answer, by number and area; frozen at close', async () => {
    const register = (await s.store.selectFrom('households').select('data').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data) as Household)
    const pick = register.filter((h) => h.gridId === g1 && h.unit !== null)
    const byUnit = new Map<string, Household[]>()
    for (const h of pick) byUnit.set(`${h.buildingId}|${h.unit}`, [...(byUnit.get(`${h.buildingId}|${h.unit}`) ?? []), h])
    const stairwell = [...byUnit.values()].sort((a, b) => b.length - a.length)[0]!
    expect(stairwell.length).toBeGreaterThanOrEqual(6)
    const first = stairwell[0]!
    const c = await launch({
      title: '加装电梯表决（统计）',
      kind: 'vote',
      templateId: elevator.id,
      targeting: {},
      vote: { rule: MAJOR_MATTER, scope: { kind: 'unit', buildingId: first.buildingId, unit: first.unit } },
    })
    expect(c.targetCount).toBe(stairwell.length)
    const worker = workerOf(s.community, 'grid01').id
    const now = Date.now()
    const v = (h: Household, hoursAgo: number, stance: string, respondent: Visit['respondent']) =>
      makeVisit(s.community, h, worker, { startedAt: new Date(now - hoursAgo * HOUR).toISOString(), templateId: null, templateVersion: null, answers: {}, campaignId: c.id, respondent, campaignAnswers: { stance, ...(stance === 'conditional' ? { stance_note: '要补偿' } : {}) } })
    const [a, b, d, e, f] = stairwell
    const visits = [
      v(a!, 30, 'oppose', 'owner'),
      v(a!, 10, 'agree', 'owner'), // the owner changed their mind: agree counts
      v(a!, 5, 'oppose', 'family'), // a relative's answer later does not count
      v(b!, 20, 'agree', 'tenant'), // only the tenant answered: not counted
      v(d!, 20, 'abstain', 'owner'),
      v(e!, 20, 'conditional', 'owner'),
      v(f!, 20, 'agree', 'owner'),
    ]
    expect((await push('grid01', visits.reverse())).map((x) => x.status)).toEqual(visits.map(() => 'applied'))

    const area = (h: Household) => h.area ?? 0
    const live = (await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>()
    const t = live.vote!.tally
    expect(live.vote!.answeredByOthersOnly).toBe(1)
    expect([t.households.total, t.households.participants, t.households.agree, t.households.abstain, t.households.conditional, t.households.oppose]).toEqual([stairwell.length, 4, 2, 1, 1, 0])
    const sum = (hs: Household[]) => Math.round(hs.reduce((n, h) => n + area(h) * 100, 0)) / 100
    expect([t.area.total, t.area.participants, t.area.agree]).toEqual([sum(stairwell), sum([a!, d!, e!, f!]), sum([a!, f!])])
    expect(t.passed).toBe(false)

    const closed = (await call('POST', `/api/campaigns/${c.id}/close`)).json<Campaign>()
    expect(closed.results!.vote).toEqual(live.vote)
    // The register's areas are corrected after the close: the decided result does not move.
    await s.store.updateTable('households').set({ data: JSON.stringify({ ...a!, area: 9999 }) }).where('id', '=', a!.id).execute()
    const frozen = (await call('GET', `/api/campaigns/${c.id}/results`)).json<CampaignResultsResponse>()
    expect(frozen).toMatchObject({ frozen: true, vote: live.vote })
    // The record every device pulls names no household.
    const record = (await s.store.selectFrom('campaigns').select('data').where('id', '=', c.id).executeTakeFirstOrThrow()).data
    for (const h of stairwell) expect(record.includes(h.id)).toBe(false)
  })
})
