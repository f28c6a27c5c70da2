import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type Change,
  chinaDay,
  DEFAULT_CASE_DEADLINES,
  type Household,
  type MutationResult,
  type Need,
  type NeedCreate,
  type Offer,
  type ProjectCreate,
  PROTOCOL_VERSION,
  type PullResponse,
  type ResourceCreate,
  type ServiceRecordCreate,
  SETTINGS_ID,
  UNNAMED_VOLUNTEER,
  uuidv7,
} from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { realJpeg, sha256 } from '../support/photos'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 三张清单 on the server, as the workers and the office meet them: what a worker may record and
// see, a menu order (matched at once, within capacity, once however often it is sent), projects
// that meet their needs, volunteers' points only for confirmed hours, and each refusal with its
// code and a plain Chinese message, nothing half-written.

let s: TestServer
const tokens: Record<string, string> = {}
const HOUR = 3_600_000
const DAY = 24 * HOUR
let h1: Household
let h1b: Household
let h2: Household

beforeAll(async () => {
  s = await startTestServer(400)
  for (const u of ['secretary', 'admin', 'grid01', 'grid02']) tokens[u] = await s.login(u)
  h1 = householdOf(s.community, 'grid01', 0)
  h1b = householdOf(s.community, 'grid01', 1)
  h2 = householdOf(s.community, 'grid02', 0)
})
afterAll(() => s.close())

const now = () => new Date().toISOString()
const userId = (u: string) => workerOf(s.community, u).id

async function push(who: string, ...mutations: Array<{ entity: string; id: string; op: string; data: object; mutationId?: string }>): Promise<MutationResult[]> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[who]}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: mutations.map((m) => ({ mutationId: uuidv7(), at: now(), ...m })) },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results
}
const create = (entity: string, data: { id: string } & Record<string, unknown>, mutationId?: string) => ({ entity, id: data.id, op: 'create', data, ...(mutationId ? { mutationId } : {}) })
const move = (entity: string, id: string, data: object) => ({ entity, id, op: 'transition', data: { at: now(), ...data } })
const patch = (entity: string, id: string, data: object) => ({ entity, id, op: 'patch', data })

async function one(who: string, m: Parameters<typeof push>[1]): Promise<MutationResult> {
  return (await push(who, m))[0]!
}
async function applied(who: string, m: Parameters<typeof push>[1]): Promise<number> {
  const r = await one(who, m)
  expect(r.status, JSON.stringify(r.error)).toBe('applied')
  return r.version!
}
function expectRefused(r: MutationResult, code: string, words: RegExp) {
  expect(r.status).toBe('rejected')
  expect(r.error?.code, r.error?.message).toBe(code)
  expect(r.error!.message).toMatch(words)
  // Plain Chinese: no field paths, no ids.
  expect(r.error!.message).toMatch(/[\u4e00-\u9fff]/)
  expect(r.error!.message).not.toMatch(/[A-Za-z]+\.[A-Za-z]+|[0-9a-f]{8}-/)
}

/** Everything the lists could have written, and the change counter. */
async function written() {
  const out: Record<string, unknown> = { version: await readCounter(s.store, 'version') }
  for (const t of ['needs', 'resources', 'projects', 'service_records', 'mutations', 'attachment_refs']) {
    const r = await sql<{ n: number; v: number | null }>`select count(*) as n, ${sql.raw(t === 'mutations' || t === 'attachment_refs' ? 'null' : 'sum(version)')} as v from ${sql.table(t)}`.execute(s.store)
    out[t] = r.rows[0]
  }
  return out
}

async function needRow(id: string): Promise<Need> {
  const r = await s.store.selectFrom('needs').select('data').where('id', '=', id).executeTakeFirstOrThrow()
  return JSON.parse(r.data) as Need
}

async function pullAll(who: string, cursor?: string): Promise<{ changes: Change[]; cursor: string }> {
  const changes: Change[] = []
  for (let c = cursor; ; ) {
    const q = new URLSearchParams({ limit: '2000', ...(c ? { cursor: c } : {}) })
    const body = (await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${tokens[who]}` } })).json<PullResponse>()
    if ('reset' in body) throw new Error('unexpected reset')
    changes.push(...body.changes)
    if (!body.hasMore) return { changes, cursor: body.cursor }
    c = body.cursor
  }
}

function need(who: string, h: Household, over: Partial<NeedCreate> = {}): NeedCreate {
  return { id: uuidv7(), gridId: h.gridId, householdIds: [h.id], category: 'meals', description: '想申请老年助餐', urgency: 'blue', source: { kind: 'office' }, raisedBy: userId(who), raisedAt: now(), ...over }
}
function offer(over: Partial<Offer> = {}): Offer {
  return { id: uuidv7(), category: 'meals', title: '老年助餐', description: '', capacity: null, period: null, schedule: '每天中午', onMenu: true, ...over }
}
function unit(offers: Offer[], over: Partial<ResourceCreate> = {}): ResourceCreate {
  return { id: uuidv7(), kind: 'unit', name: '幸福里长者食堂', unitType: 'company', teamId: null, contactName: '吴经理', contactPhone: '0538-6123456', description: '', offers, volunteer: null, ...over }
}
function volunteer(consent: boolean, name: string): ResourceCreate {
  return { ...unit([]), kind: 'volunteer', name, unitType: null, contactName: name, contactPhone: '13912345678', volunteer: { residentId: null, skills: ['送餐'], availability: '周末', partyMember: true, branch: null, pointsConsent: consent } }
}
async function visitOf(who: string, h: Household): Promise<string> {
  const v = makeVisit(s.community, h, userId(who), { needs: '想申请老年助餐' })
  expect((await push(who, visitMutation(v)))[0]!.status).toBe('applied')
  return v.id
}
async function resource(r: ResourceCreate): Promise<ResourceCreate> {
  await applied('secretary', create('resource', r))
  return r
}

describe('needs heard at the door', () => {
  it('a worker records a need of their own cell’s household, from their visit; the server decides who and where', async () => {
    const visitId = await visitOf('grid01', h1)
    const n = need('grid01', h1, { source: { kind: 'visit', visitId }, raisedBy: userId('grid02'), gridId: h2.gridId })
    await applied('grid01', create('need', n))
    expect(await needRow(n.id)).toMatchObject({ gridId: h1.gridId, raisedBy: userId('grid01'), status: 'open', resourceId: null, dueAt: null, source: { kind: 'visit', visitId } })
  })

  it('another cell’s worker may not record it, and sees none of grid01’s needs; grid01 sees only its cells’', async () => {
    const before = await written()
    expectRefused(await one('grid02', create('need', need('grid02', h1, { source: { kind: 'visit', visitId: await visitOf('grid01', h1) } }))), 'OUT_OF_SCOPE', /网格/)
    // (the visit above is grid01's own write; the refusal wrote nothing of the lists)
    const after = await written()
    expect(after.needs).toEqual(before.needs)
    for (const who of ['grid01', 'grid02']) {
      const cells = workerOf(s.community, who).gridIds
      const needs = (await pullAll(who)).changes.filter((c) => c.entity === 'need')
      const stored = await s.store.selectFrom('needs').select('id').where('grid_id', 'in', cells).where('deleted', '=', 0).execute()
      expect(needs.map((c) => c.id).sort(), who).toEqual(stored.map((r) => r.id).sort())
      expect(needs.length).toBeGreaterThan(0)
    }
  })

  it('a worker enters no need as the office, names no visit of another household, and one need is of one cell', async () => {
    const before = await written()
    expectRefused(await one('grid01', create('need', need('grid01', h1))), 'FORBIDDEN', /走访|专项任务|服务菜单/)
    const other = await visitOf('grid01', h1b)
    const mid = await written()
    expectRefused(await one('grid01', create('need', need('grid01', h1, { source: { kind: 'visit', visitId: other } }))), 'VALIDATION_FAILED', /不是这条需求涉及的户/)
    expectRefused(await one('secretary', create('need', need('secretary', h1, { householdIds: [h1.id, h2.id] }))), 'VALIDATION_FAILED', /同一个网格/)
    expect((await written()).needs).toEqual(before.needs)
    expect(await written()).toEqual(mid)
  })

  it('an unknown category is refused with UNKNOWN_CATEGORY and a plain message, nothing written, for a need and an offer alike', async () => {
    const before = await written()
    const bad = { ...need('grid01', h1, { source: { kind: 'visit', visitId: await visitOf('grid01', h1) } }), category: 'gardening' }
    const afterVisit = await written()
    expectRefused(await one('grid01', create('need', bad)), 'UNKNOWN_CATEGORY', /需求类别「gardening」不在类别表里.*没有保存/)
    expectRefused(await one('secretary', create('resource', unit([{ ...offer(), category: 'gardening' as 'meals' }]))), 'UNKNOWN_CATEGORY', /不在类别表里/)
    expect(await written()).toEqual(afterVisit)
    expect((await written()).needs).toEqual(before.needs)
  })

  it('the office matches, meets, closes and reopens; a worker may not, and a refused move changes nothing', async () => {
    const r = await resource(unit([offer()]))
    const n = need('grid01', h1, { source: { kind: 'visit', visitId: await visitOf('grid01', h1) } })
    await applied('grid01', create('need', n))
    const before = await written()
    expectRefused(await one('grid01', move('need', n.id, { action: 'match', resourceId: r.id })), 'FORBIDDEN', /社区书记或管理员/)
    expectRefused(await one('secretary', move('need', n.id, { action: 'reopen' })), 'INVALID_TRANSITION', /待对接/)
    expectRefused(await one('secretary', move('need', n.id, { action: 'close' })), 'VALIDATION_FAILED', /原因/)
    expectRefused(await one('secretary', move('need', n.id, { action: 'match', resourceId: uuidv7() })), 'NOT_FOUND', /资源/)
    expect(await written()).toEqual(before)
    await applied('secretary', move('need', n.id, { action: 'match', resourceId: r.id }))
    const matched = await needRow(n.id)
    // Served within the settings' handling days unless the office says when.
    expect(matched).toMatchObject({ status: 'matched', resourceId: r.id })
    expect(Date.parse(matched.dueAt!) - Date.parse(matched.matchedAt!)).toBeCloseTo(DEFAULT_CASE_DEADLINES.defaultHandlingDays * DAY, -4)
    await applied('secretary', move('need', n.id, { action: 'close', note: '住户已搬走' }))
    await applied('admin', move('need', n.id, { action: 'reopen' }))
    expect(await needRow(n.id)).toMatchObject({ status: 'open', resourceId: null, closeReason: null })
  })
})

describe('你点我来: ordering from the service menu', () => {
  it('an order arrives matched to the offer’s resource, due by its urgency’s case deadline; sent twice it is one need', async () => {
    const o = offer({ capacity: 5, period: 'week' })
    const r = await resource(unit([o], { name: '点单测试食堂' }))
    const order = need('grid01', h1, { source: { kind: 'order', offerId: o.id, visitId: null }, urgency: 'yellow', category: 'other' })
    const mutationId = uuidv7()
    const first = await one('grid01', create('need', order, mutationId))
    expect(first.status).toBe('applied')
    const stored = await needRow(order.id)
    expect(stored).toMatchObject({ status: 'matched', resourceId: r.id, category: 'meals', matchedAt: new Date(order.raisedAt).toISOString() })
    expect(Date.parse(stored.dueAt!) - Date.parse(order.raisedAt)).toBe(DEFAULT_CASE_DEADLINES.yellowHours * HOUR)
    const before = await written()
    // The same mutation again (its answer was lost), and the same need under another mutation id
    // (queued twice): one need, nothing written, the order counted once.
    expect(await one('grid01', create('need', order, mutationId))).toEqual({ mutationId, status: 'duplicate', version: first.version })
    const again = await one('grid01', create('need', order))
    expect(again).toMatchObject({ status: 'duplicate', version: first.version })
    expect(await s.store.selectFrom('needs').select('id').where('id', '=', order.id).execute()).toHaveLength(1)
    const { version: _v, mutations: _m, ...lists } = await written()
    const { version: _bv, mutations: _bm, ...listsBefore } = before
    expect(lists).toEqual(listsBefore)
    // … but a different need under the same id is not it.
    expectRefused(await one('grid01', create('need', { ...order, description: '另一件事' })), 'ID_TAKEN', /编号已被占用/)
    const used = await s.store.selectFrom('needs').select('id').where('offer_id', '=', o.id).execute()
    expect(used).toHaveLength(1)
  })

  it('an offer full for its week refuses with NO_CAPACITY and writes nothing; a closed order gives its place back; last week is another week', async () => {
    const o = offer({ capacity: 2, period: 'week', title: '上门理发', category: 'elderly_care' })
    await resource(unit([o], { name: '理发志愿队' }))
    const order = (h: Household, raisedAt = now()) => need('grid01', h, { source: { kind: 'order', offerId: o.id, visitId: null }, raisedAt })
    const a = order(h1)
    await applied('grid01', create('need', a))
    await applied('grid01', create('need', order(h1b)))
    const before = await written()
    const third = await one('grid01', create('need', order(h1)))
    expectRefused(third, 'NO_CAPACITY', /上门理发.*2份已经约满，没有下单/)
    expect(third.error!.message).toMatch(/起的一周/)
    expect(await written()).toEqual(before)
    await applied('secretary', move('need', a.id, { action: 'close', note: '老人住院了' }))
    await applied('grid01', create('need', order(h1)))
    expectRefused(await one('grid01', create('need', order(h1b))), 'NO_CAPACITY', /约满/)
    await applied('grid01', create('need', order(h1b, new Date(Date.now() - 7 * DAY).toISOString())))
  })

  it('an offer off the menu, or of a retired resource, cannot be ordered', async () => {
    const off = offer({ onMenu: false })
    const on = offer()
    const r = await resource(unit([off, on], { name: '撤下测试' }))
    const before = await written()
    expectRefused(await one('grid01', create('need', need('grid01', h1, { source: { kind: 'order', offerId: off.id, visitId: null } }))), 'NOT_FOUND', /服务菜单上已经没有这项服务/)
    expectRefused(await one('grid01', create('need', need('grid01', h1, { source: { kind: 'order', offerId: uuidv7(), visitId: null } }))), 'NOT_FOUND', /服务菜单/)
    expect(await written()).toEqual(before)
    await applied('secretary', patch('resource', r.id, { active: false }))
    expectRefused(await one('grid01', create('need', need('grid01', h1, { source: { kind: 'order', offerId: on.id, visitId: null } }))), 'NOT_FOUND', /服务菜单/)
  })
})

describe('a need heard on a campaign’s visit', () => {
  const call = (method: 'POST', url: string, payload?: object) => s.app.inject({ method, url, headers: { authorization: `Bearer ${tokens.secretary}` }, ...(payload ? { payload } : {}) })
  async function campaign(launch: boolean): Promise<string> {
    const gas = s.community.templates.find((t) => t.code === 'gas_inspection')!
    const res = await call('POST', '/api/campaigns', { title: '燃气安全入户排查（需求测试）', kind: 'inspection', templateId: gas.id, startDay: chinaDay(Date.now()), deadline: chinaDay(Date.now() + 10 * DAY), targeting: { gridIds: [h1.gridId] } })
    expect(res.statusCode, res.body).toBe(201)
    const id = res.json<{ id: string }>().id
    if (launch) expect((await call('POST', `/api/campaigns/${id}/launch`)).statusCode).toBe(200)
    return id
  }
  const campaignVisit = (campaignId: string) =>
    makeVisit(s.community, h1, userId('grid01'), { templateId: null, templateVersion: null, answers: {}, campaignId, campaignAnswers: { pipe_ok: true, hose_ok: true }, needs: '软管老化，老人想请人来换' })

  it('pushed with its visit, as the phone queues them: both applied, the need naming the campaign', async () => {
    const c = await campaign(true)
    const v = campaignVisit(c)
    const n = need('grid01', h1, { category: 'elderly_care', source: { kind: 'campaign', campaignId: c, visitId: v.id } })
    const [visit, created] = await push('grid01', visitMutation(v), create('need', n))
    expect([visit!.status, created!.status]).toEqual(['applied', 'applied'])
    const pulled = (await pullAll('grid01')).changes.find((x) => x.id === n.id)!
    expect(pulled.data).toMatchObject({ source: { kind: 'campaign', campaignId: c, visitId: v.id }, status: 'open' })
  })

  it("another campaign's visit, or a draft the worker cannot see, is refused and nothing is written", async () => {
    const c = await campaign(true)
    const other = await campaign(true)
    const v = campaignVisit(c)
    expect((await push('grid01', visitMutation(v)))[0]!.status).toBe('applied')
    const hidden = await campaign(false)
    const before = await written()
    expectRefused(await one('grid01', create('need', need('grid01', h1, { source: { kind: 'campaign', campaignId: other, visitId: v.id } }))), 'VALIDATION_FAILED', /不是专项任务/)
    expectRefused(await one('grid01', create('need', need('grid01', h1, { source: { kind: 'campaign', campaignId: hidden, visitId: null } }))), 'NOT_FOUND', /找不到这个专项任务/)
    expect(await written()).toEqual(before)
  })
})

describe('editing a resource', () => {
  it("the office's edit form sends every field but the id and the kind: applied, and what workers pull says it", async () => {
    const r = await resource(unit([offer()], { name: '编辑测试' }))
    const weekly = offer({ title: '送餐上门', category: 'elderly_care', capacity: 15, period: 'week' })
    const { id: _id, kind: _kind, ...fields } = { ...r, contactName: '吴店长', offers: [...r.offers, weekly] }
    await applied('secretary', patch('resource', r.id, fields))
    const pulled = (await pullAll('grid01')).changes.filter((c) => c.id === r.id).at(-1)!
    expect(pulled.data).toMatchObject({ contactName: '吴店长', kind: 'unit', active: true, offers: [{ id: r.offers[0]!.id }, { id: weekly.id, capacity: 15, period: 'week' }] })
  })

  it('a kind is never changed, a worker edits nothing, and neither writes anything', async () => {
    const r = await resource(unit([offer()], { name: '不改类别' }))
    const before = await written()
    expectRefused(await one('secretary', patch('resource', r.id, { kind: 'team' })), 'VALIDATION_FAILED', /资源/)
    expect((await one('grid01', patch('resource', r.id, { contactName: '别人' }))).error?.code).toBe('FORBIDDEN')
    expect(await written()).toEqual(before)
  })
})

describe('projects', () => {
  const project = (needIds: string[], resourceIds: string[], over: Partial<ProjectCreate> = {}): ProjectCreate => ({
    id: uuidv7(),
    title: '教师新村老年助餐点',
    category: 'meals',
    leadName: '社区书记',
    description: '',
    needIds,
    resourceIds,
    startDay: chinaDay(Date.now()),
    endDay: null,
    ...over,
  })
  async function needsOfGrid01(n: number): Promise<NeedCreate[]> {
    const out: NeedCreate[] = []
    for (let i = 0; i < n; i++) {
      const h = householdOf(s.community, 'grid01', 10 + i)
      const x = need('grid01', h, { source: { kind: 'visit', visitId: await visitOf('grid01', h) } })
      await applied('grid01', create('need', x))
      out.push(x)
    }
    return out
  }

  it('a project without needs is refused with PROJECT_NO_NEEDS, nothing written', async () => {
    const r = await resource(unit([offer()]))
    const before = await written()
    expectRefused(await one('secretary', create('project', project([], [r.id]))), 'PROJECT_NO_NEEDS', /项目要对应至少一条需求.*没有保存/)
    expect(await written()).toEqual(before)
  })

  it('a project naming a need already met is refused, and none of its other needs is matched (nothing half-written)', async () => {
    const [a, b] = await needsOfGrid01(2)
    await applied('secretary', move('need', b!.id, { action: 'meet', note: '已答复' }))
    const before = await written()
    expectRefused(await one('secretary', create('project', project([a!.id, b!.id], []))), 'INVALID_TRANSITION', /已经是「已解决」/)
    expect(await written()).toEqual(before)
    expect(await needRow(a!.id)).toMatchObject({ status: 'open', projectId: null })
  })

  it('joining matches its needs; done, it meets them as new versions grid01’s phone pulls', async () => {
    const r = await resource(unit([offer()], { name: '助餐项目食堂' }))
    const ns = await needsOfGrid01(3)
    // One of them the office had already matched to someone else: it keeps its resource.
    const other = await resource(unit([offer()], { name: '另一家食堂' }))
    await applied('secretary', move('need', ns[2]!.id, { action: 'match', resourceId: other.id }))
    const p = project(ns.map((n) => n.id), [r.id])
    await applied('secretary', create('project', p))
    for (const [i, n] of ns.entries()) expect(await needRow(n.id)).toMatchObject({ status: 'matched', projectId: p.id, resourceId: i === 2 ? other.id : r.id })
    // Another project may not take them.
    expectRefused(await one('secretary', create('project', project([ns[0]!.id], []))), 'INVALID_TRANSITION', /已经在项目「教师新村老年助餐点」里/)
    const { cursor } = await pullAll('grid01')
    expectRefused(await one('secretary', move('project', p.id, { action: 'complete' })), 'INVALID_TRANSITION', /策划/)
    await applied('secretary', move('project', p.id, { action: 'start' }))
    await applied('secretary', move('project', p.id, { action: 'complete', summary: '开了助餐点，每天送餐' }))
    const after = await pullAll('grid01', cursor)
    const pulled = after.changes.filter((c) => c.entity === 'need').map((c) => c.data as Need)
    expect(pulled.map((n) => [n.id, n.status, n.metNote]).sort()).toEqual(ns.map((n) => [n.id, 'met', '项目「教师新村老年助餐点」完成']).sort())
    const done = after.changes.find((c) => c.id === p.id)!.data!
    expect(done).toMatchObject({ status: 'done', householdsServed: 3, summary: '开了助餐点，每天送餐' })
    expectRefused(await one('secretary', move('project', p.id, { action: 'evaluate' })), 'VALIDATION_FAILED', /评价/)
    await applied('secretary', move('project', p.id, { action: 'evaluate', evaluation: '老人们很满意' }))
    expectRefused(await one('secretary', patch('project', p.id, { title: '改名' })), 'INVALID_TRANSITION', /已经评价/)
  })

  it('shows the photos of what was done to the office, never a photo not uploaded; a worker cannot fetch them', async () => {
    const [n] = await needsOfGrid01(1)
    const p = project([n!.id], [])
    await applied('secretary', create('project', p))
    await applied('secretary', move('project', p.id, { action: 'start' }))
    const bytes = realJpeg(1313)
    const photo = sha256(bytes)
    expectRefused(await one('secretary', patch('project', p.id, { photoIds: [photo] })), 'ATTACHMENT_MISSING', /照片还没有上传/)
    const up = await s.app.inject({ method: 'PUT', url: `/api/attachments/${photo}`, headers: { authorization: `Bearer ${tokens.secretary}`, 'content-type': 'image/jpeg' }, payload: bytes })
    expect(up.statusCode, up.body).toBe(200)
    await applied('secretary', move('project', p.id, { action: 'complete', photoIds: [photo], summary: '助餐点开张' }))
    const get = (who: string) => s.app.inject({ method: 'GET', url: `/api/attachments/${photo}`, headers: { authorization: `Bearer ${tokens[who]}` } })
    expect((await get('admin')).statusCode).toBe(200)
    expect((await get('grid01')).statusCode).toBe(404)
    // Shown on a record, so housekeeping never purges it as an upload nobody used.
    expect(await s.store.selectFrom('attachment_refs').select(['entity', 'entity_id', 'grid_id']).where('sha256', '=', photo).execute()).toEqual([{ entity: 'project', entity_id: p.id, grid_id: null }])
  })

  it('a worker may not make or move one', async () => {
    const before = await written()
    expectRefused(await one('grid01', create('project', project([uuidv7()], []))), 'FORBIDDEN', /社区书记或管理员/)
    expect(await written()).toEqual(before)
  })
})

describe('volunteers’ hours and points', () => {
  const hours = (resourceId: string, needId: string, h = 2, day = chinaDay(Date.now())): ServiceRecordCreate => ({ id: uuidv7(), resourceId, projectId: null, needId, day, hours: h, note: '送餐' })
  const pointsOf = async (from: string, to: string) => {
    const res = await s.app.inject({ method: 'GET', url: `/api/points?from=${from}&to=${to}`, headers: { authorization: `Bearer ${tokens.secretary}` } })
    expect(res.statusCode, res.body).toBe(200)
    return res.json<{ volunteers: { resourceId: string | null; name: string; named: boolean; hours: number; points: number }[]; total: { points: number } }>()
  }

  it('points for unconfirmed hours are refused POINTS_UNCONFIRMED, nothing written; hours count only once confirmed, by the rule table', async () => {
    const v = await resource(volunteer(true, '王建华'))
    const meals = need('secretary', h1)
    const care = need('secretary', h1, { category: 'elderly_care', description: '帮老人换燃气软管' })
    await applied('secretary', create('need', meals))
    await applied('secretary', create('need', care))
    const before = await written()
    expectRefused(await one('secretary', create('serviceRecord', { ...hours(v.id, meals.id), points: 20 })), 'POINTS_UNCONFIRMED', /还没有确认，不能带积分/)
    expect(await written()).toEqual(before)

    // The admin gives 养老照护 a rate of its own.
    const rules = [{ category: null, pointsPerHour: 10 }, { category: 'elderly_care', pointsPerHour: 15 }]
    const settings = JSON.parse((await s.store.selectFrom('settings').select('data').where('id', '=', SETTINGS_ID).executeTakeFirstOrThrow()).data) as { id: string }
    await applied('admin', patch('settings', settings.id, { pointRules: rules }))

    const a = hours(v.id, meals.id, 2)
    const b = hours(v.id, care.id, 1.5)
    const c = hours(v.id, meals.id, 3)
    for (const r of [a, b, c]) await applied('secretary', create('serviceRecord', r))
    const today = chinaDay(Date.now())
    expect((await pointsOf(today, today)).volunteers.find((x) => x.resourceId === v.id), 'nothing confirmed, nothing counted').toBeUndefined()
    await applied('secretary', move('serviceRecord', a.id, { action: 'confirm' }))
    await applied('admin', move('serviceRecord', b.id, { action: 'confirm' }))
    expectRefused(await one('secretary', move('serviceRecord', a.id, { action: 'confirm' })), 'INVALID_TRANSITION', /已确认/)
    expectRefused(await one('grid01', move('serviceRecord', c.id, { action: 'confirm' })), 'FORBIDDEN', /社区书记或管理员/)
    const mine = (await pointsOf(today, today)).volunteers.find((x) => x.resourceId === v.id)
    // 2 h of 助餐 by the default 10/h, 1.5 h of 养老照护 by its own 15/h; the 3 h waiting count for nothing.
    expect(mine).toMatchObject({ name: '王建华', named: true, hours: 3.5, points: 42.5 })
    const stored = JSON.parse((await s.store.selectFrom('service_records').select('data').where('id', '=', b.id).executeTakeFirstOrThrow()).data) as { points: number; pointsPerHour: number }
    expect(stored).toMatchObject({ points: 22.5, pointsPerHour: 15 })
    await applied('secretary', move('serviceRecord', c.id, { action: 'reject', note: '当天没到岗' }))
    expect((await pointsOf(today, today)).volunteers.find((x) => x.resourceId === v.id)).toMatchObject({ hours: 3.5, points: 42.5 })
  })

  it('hours go only to a volunteer, on a need or project that exists, not in the future', async () => {
    const u = await resource(unit([offer()]))
    const v = await resource(volunteer(true, '赵小红'))
    const n = need('secretary', h1)
    await applied('secretary', create('need', n))
    const before = await written()
    expectRefused(await one('secretary', create('serviceRecord', hours(u.id, n.id))), 'VALIDATION_FAILED', /只记给志愿者/)
    expectRefused(await one('secretary', create('serviceRecord', hours(v.id, uuidv7()))), 'NOT_FOUND', /需求/)
    expectRefused(await one('secretary', create('serviceRecord', hours(v.id, n.id, 2, chinaDay(Date.now() + 2 * DAY)))), 'VALIDATION_FAILED', /还没到/)
    expect(await written()).toEqual(before)
  })

  it('the points list names only those who agreed', async () => {
    const shy = await resource(volunteer(false, '钱不露'))
    const n = need('secretary', h1)
    await applied('secretary', create('need', n))
    const r = hours(shy.id, n.id, 4)
    await applied('secretary', create('serviceRecord', r))
    await applied('secretary', move('serviceRecord', r.id, { action: 'confirm' }))
    const today = chinaDay(Date.now())
    const res = await s.app.inject({ method: 'GET', url: `/api/points?from=${today}&to=${today}`, headers: { authorization: `Bearer ${tokens.secretary}` } })
    expect(res.body).not.toContain('钱不露')
    expect(res.body).not.toContain(shy.id)
    expect(res.json<{ volunteers: { name: string; named: boolean; points: number }[] }>().volunteers).toContainEqual(expect.objectContaining({ name: UNNAMED_VOLUNTEER, named: false, points: 40 }))
  })
})

describe('the office’s figures, against an independent count of the rows', () => {
  type Row = { data: string; grid_id: string | null; status: string; category: string }
  const rows = async () => (await s.store.selectFrom('needs').select(['data', 'grid_id', 'status', 'category']).where('deleted', '=', 0).execute()) as Row[]

  it('the summary: open needs by category, building and cell, each household once per group', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/needs/summary', headers: { authorization: `Bearer ${tokens.secretary}` } })
    expect(res.statusCode, res.body).toBe(200)
    const body = res.json<{ needs: number; households: number; byCategory: { category: string; needs: number; households: number; buildings: { buildingId: string | null; households: number }[]; line: string }[]; byGrid: { gridId: string; needs: number; households: number }[] }>()
    const households = new Map((await s.store.selectFrom('households').select(['id', 'data']).execute()).map((h) => [h.id, JSON.parse(h.data) as Household]))
    const open = (await rows()).filter((r) => r.status === 'open').map((r) => JSON.parse(r.data) as Need)
    expect(body.needs).toBe(open.length)
    expect(body.households).toBe(new Set(open.flatMap((n) => n.householdIds)).size)
    const categories = [...new Set(open.map((n) => n.category))]
    expect(body.byCategory.map((c) => c.category).sort()).toEqual(categories.sort())
    for (const c of body.byCategory) {
      const mine = open.filter((n) => n.category === c.category)
      expect(c.needs, c.category).toBe(mine.length)
      expect(c.households, c.category).toBe(new Set(mine.flatMap((n) => n.householdIds)).size)
      for (const b of c.buildings) {
        const inIt = new Set(mine.flatMap((n) => n.householdIds).filter((h) => (households.get(h)?.buildingId ?? null) === b.buildingId))
        expect(b.households, `${c.category} ${b.buildingId}`).toBe(inIt.size)
      }
      expect(c.line).toMatch(new RegExp(`^${c.households} 户`))
    }
    for (const g of body.byGrid) {
      const mine = open.filter((n) => n.gridId === g.gridId)
      expect([g.needs, g.households]).toEqual([mine.length, new Set(mine.flatMap((n) => n.householdIds)).size])
    }
    // Sorted by households, most first: the line the office reads first.
    expect(body.byCategory.map((c) => c.households)).toEqual([...body.byCategory.map((c) => c.households)].sort((a, b) => b - a))
  })

  it('the figures: states, the period’s matches and meets with their medians, resources used, projects', async () => {
    const to = chinaDay(Date.now())
    const from = chinaDay(Date.now() - 60 * DAY)
    const res = await s.app.inject({ method: 'GET', url: `/api/lists/figures?from=${from}&to=${to}`, headers: { authorization: `Bearer ${tokens.admin}` } })
    expect(res.statusCode, res.body).toBe(200)
    const f = res.json<{
      needs: Record<string, number>
      openByCategory: { category: string; open: number; matched: number }[]
      openByGrid: { gridId: string; open: number; matched: number }[]
      toMatch: { count: number; medianHours: number | null }
      toMet: { count: number; medianHours: number | null }
      resources: { resourceId: string; matched: number; orders: number; met: number }[]
      projects: Record<string, number>
    }>()
    const all = await rows()
    const byStatus = await s.store.selectFrom('needs').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).where('deleted', '=', 0).groupBy('status').execute()
    for (const r of byStatus) expect(f.needs[r.status], r.status).toBe(Number(r.n))
    const unresolved = await s.store
      .selectFrom('needs')
      .select(['category', 'status'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('deleted', '=', 0)
      .where('status', 'in', ['open', 'matched'])
      .groupBy(['category', 'status'])
      .execute()
    for (const r of unresolved) expect(f.openByCategory.find((c) => c.category === r.category)![r.status as 'open' | 'matched'], `${r.category} ${r.status}`).toBe(Number(r.n))
    const perGrid = await s.store.selectFrom('needs').select(['grid_id']).select((eb) => eb.fn.countAll<number>().as('n')).where('deleted', '=', 0).where('status', '=', 'open').groupBy('grid_id').execute()
    for (const r of perGrid) expect(f.openByGrid.find((g) => g.gridId === r.grid_id)!.open).toBe(Number(r.n))
    // Medians, worked out here from the rows: China-time days, orders left out of the time to match.
    const start = Date.parse(`${from}T00:00:00+08:00`)
    const end = Date.parse(`${to}T00:00:00+08:00`) + DAY
    const inPeriod = (t: string | null) => t !== null && Date.parse(t) >= start && Date.parse(t) < end
    const needs = all.map((r) => JSON.parse(r.data) as Need)
    const mid = (xs: number[]) => {
      const v = [...xs].sort((a, b) => a - b)
      const m = v.length / 2
      return v.length ? Math.round((v.length % 2 ? v[Math.floor(m)]! : (v[m - 1]! + v[m]!) / 2) * 10) / 10 : null
    }
    const waits = needs.filter((n) => n.source.kind !== 'order' && inPeriod(n.matchedAt)).map((n) => (Date.parse(n.matchedAt!) - Date.parse(n.raisedAt)) / HOUR)
    const serves = needs.filter((n) => n.status === 'met' && inPeriod(n.metAt) && n.matchedAt).map((n) => (Date.parse(n.metAt!) - Date.parse(n.matchedAt!)) / HOUR)
    expect(f.toMatch).toEqual({ count: waits.length, medianHours: mid(waits) })
    expect(f.toMet).toEqual({ count: serves.length, medianHours: mid(serves) })
    expect(waits.length).toBeGreaterThan(0)
    for (const r of f.resources) {
      const mine = needs.filter((n) => n.resourceId === r.resourceId)
      expect([r.matched, r.orders, r.met], r.resourceId).toEqual([
        mine.filter((n) => inPeriod(n.matchedAt)).length,
        mine.filter((n) => inPeriod(n.matchedAt) && n.source.kind === 'order').length,
        mine.filter((n) => n.status === 'met' && inPeriod(n.metAt)).length,
      ])
    }
    const projects = await s.store.selectFrom('projects').select(['status']).select((eb) => eb.fn.countAll<number>().as('n')).where('deleted', '=', 0).groupBy('status').execute()
    for (const p of projects) expect(f.projects[p.status], p.status).toBe(Number(p.n))
  })

  it('a worker may not read them', async () => {
    for (const url of ['/api/needs/summary', `/api/lists/figures?from=2026-11-01&to=2026-11-30`, `/api/points?from=2026-11-01&to=2026-11-30`]) {
      const res = await s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens.grid01}` } })
      expect(res.statusCode, url).toBe(403)
    }
  })
})
