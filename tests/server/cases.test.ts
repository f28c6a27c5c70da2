import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CaseReport, MutationResult } from '../../src/domain'
import { PROTOCOL_VERSION, SETTINGS_ID, uuidv7 } from '../../src/domain'
import { householdOf } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer()
  for (const u of ['grid01', 'grid02', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function push(username: string, mutations: unknown[]): Promise<MutationResult[]> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[username]}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations },
  })
  expect(res.statusCode).toBe(200)
  return res.json().results
}

function report(username = 'grid01', over: Partial<CaseReport> = {}): CaseReport {
  const h = householdOf(s.community, username)
  return {
    id: uuidv7(),
    kind: 'dispute',
    category: 'neighbor',
    title: '楼上漏水影响楼下',
    description: '502室卫生间漏水，楼下402天花板发霉，两家多次争吵',
    gridId: h.gridId,
    householdIds: [h.id],
    residentIds: [],
    location: null,
    place: '',
    urgency: 'yellow',
    photoIds: [],
    visitId: null,
    reporterId: workerOf(s.community, username).id,
    reportedAt: new Date().toISOString(),
    ...over,
  }
}

const create = (c: CaseReport) => ({ mutationId: uuidv7(), entity: 'case', id: c.id, op: 'create', data: c, at: new Date().toISOString() })
const step = (caseId: string, action: string, extra: Record<string, unknown> = {}) => ({
  mutationId: uuidv7(),
  entity: 'case',
  id: caseId,
  op: 'transition',
  data: { stepId: uuidv7(), action, note: '', at: new Date().toISOString(), ...extra },
  at: new Date().toISOString(),
})
const caseRow = async (id: string) => JSON.parse((await s.store.selectFrom('cases').select('data').where('id', '=', id).executeTakeFirstOrThrow()).data)
const stepsOf = async (id: string) =>
  (await s.store.selectFrom('case_steps').select(['data', 'version']).where('case_id', '=', id).orderBy('version').execute()).map((r) => JSON.parse(r.data))
const team = () => s.community.teams.find((t) => t.kind === 'mediation')!

describe('cases', () => {
  it('a worker reports a dispute in their grid: stored as 上报 with its first step', async () => {
    const c = report()
    expect((await push('grid01', [create(c)]))[0]).toMatchObject({ status: 'applied' })
    expect(await caseRow(c.id)).toMatchObject({ state: 'reported', reporterId: workerOf(s.community, 'grid01').id, handlerTeamId: null })
    expect((await stepsOf(c.id)).map((x) => [x.action, x.from, x.to])).toEqual([['report', null, 'reported']])
  })

  it('refuses a report for another grid, an unknown category, or a category of another kind', async () => {
    const other = report('grid02')
    expect((await push('grid01', [create(other)]))[0]).toMatchObject({ status: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    const unknown = (await push('grid01', [create({ ...report(), category: 'aliens' as never })]))[0]!
    expect(unknown.error!.code).toBe('VALIDATION_FAILED')
    const mismatch = (await push('grid01', [create({ ...report(), kind: 'hazard', category: 'neighbor' })]))[0]!
    expect(mismatch).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(mismatch.error!.message).toContain('类别')
    const rows = await s.store.selectFrom('cases').select('id').where('id', 'in', [other.id]).execute()
    expect(rows).toHaveLength(0)
  })

  it('runs the whole closed loop in order: 上报 → 受理 → 分派 → 处置 → 办结 → 核查 → 结案', async () => {
    const c = report()
    await push('grid01', [create(c)])
    const r = [
      ...(await push('secretary', [step(c.id, 'accept'), step(c.id, 'assign', { handlerTeamId: team().id })])),
      ...(await push('grid01', [step(c.id, 'start'), step(c.id, 'resolve', { note: '调解室组织两家协商，楼上已修好防水' })])),
      ...(await push('grid01', [step(c.id, 'verify', { note: '回访楼下，天花板已不再渗水' })])),
      ...(await push('secretary', [step(c.id, 'close')])),
    ]
    expect(r.map((x) => x.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'applied'])
    const stored = await caseRow(c.id)
    expect(stored).toMatchObject({ state: 'closed', handlerTeamId: team().id })
    expect(Date.parse(stored.deadline)).toBeGreaterThan(Date.now())
    const steps = await stepsOf(c.id)
    expect(steps.map((x) => x.action)).toEqual(['report', 'accept', 'assign', 'start', 'resolve', 'verify', 'close'])
    expect(steps.map((x) => x.to)).toEqual(['reported', 'accepted', 'assigned', 'in_progress', 'resolved', 'verified', 'closed'])
    expect(steps[1].actorName).toBe(s.community.users.find((u) => u.username === 'secretary')!.name)
  })

  it('refuses transitions the state machine does not allow, with the reason, and changes nothing', async () => {
    const c = report()
    await push('grid01', [create(c)])
    const [close] = await push('secretary', [step(c.id, 'close')])
    expect(close).toMatchObject({ status: 'rejected', error: { code: 'INVALID_TRANSITION' } })
    expect(close!.error!.message).toContain('上报')
    const [accept] = await push('grid01', [step(c.id, 'accept')])
    expect(accept).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN' } })
    expect(accept!.error!.message).toContain('社区书记')
    const [ret] = await push('secretary', [step(c.id, 'return')])
    expect(ret).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    const [assign] = await push('secretary', [step(c.id, 'accept'), step(c.id, 'assign', { handlerTeamId: uuidv7() })]).then((x) => x.slice(1))
    expect(assign).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } })
    expect(await caseRow(c.id)).toMatchObject({ state: 'accepted' })
    expect(await stepsOf(c.id)).toHaveLength(2)
  })

  it('a returned case goes back to the reporter and can be reported again', async () => {
    const c = report()
    await push('grid01', [create(c)])
    await push('secretary', [step(c.id, 'return', { note: '请补充当事人的联系方式' })])
    expect(await caseRow(c.id)).toMatchObject({ state: 'returned' })
    expect((await push('grid01', [step(c.id, 'resubmit', { note: '已补充' })]))[0]!.status).toBe('applied')
    expect(await caseRow(c.id)).toMatchObject({ state: 'reported' })
  })

  it('steps are append-only: no operation edits or deletes them', async () => {
    const c = report()
    await push('grid01', [create(c)])
    const [first] = await stepsOf(c.id)
    for (const op of ['patch', 'delete', 'create'])
      expect((await push('secretary', [{ mutationId: uuidv7(), entity: 'caseStep', id: first.id, op, data: { note: '改写历史' }, at: new Date().toISOString() }]))[0]!.error!.code).toBe(
        'UNSUPPORTED_OPERATION',
      )
    expect((await stepsOf(c.id))[0].note).toBe(first.note)
  })

  it("a worker cannot read or touch another grid's cases", async () => {
    const c = report('grid01')
    await push('grid01', [create(c)])
    const [r] = await push('grid02', [step(c.id, 'start')])
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    const res = await s.app.inject({ method: 'GET', url: '/api/sync/pull?limit=2000', headers: { authorization: `Bearer ${tokens.grid02}` } })
    let body = res.json()
    const seen = [...body.changes]
    while (body.hasMore) {
      body = (await s.app.inject({ method: 'GET', url: `/api/sync/pull?limit=2000&cursor=${body.cursor}`, headers: { authorization: `Bearer ${tokens.grid02}` } })).json()
      seen.push(...body.changes)
    }
    const grid02 = workerOf(s.community, 'grid02').gridIds[0]
    for (const ch of seen.filter((x: { entity: string }) => ['case', 'caseStep', 'comment'].includes(x.entity))) expect(ch.data.gridId).toBe(grid02)
    expect(seen.some((x: { id: string }) => x.id === c.id)).toBe(false)
    expect(seen.filter((x: { entity: string }) => x.entity === 'team').length).toBe(s.community.teams.length)
  })
})

describe('comments (点评)', () => {
  it('the secretary comments on a visit; a worker may not', async () => {
    const visit = s.community.visits.find((v) => v.gridId === workerOf(s.community, 'grid01').gridIds[0])!
    const comment = { id: uuidv7(), visitId: visit.id, text: '走访记录很详细，继续保持', at: new Date().toISOString() }
    const m = (c: typeof comment) => ({ mutationId: uuidv7(), entity: 'comment', id: c.id, op: 'create', data: c, at: c.at })
    expect((await push('secretary', [m(comment)]))[0]!.status).toBe('applied')
    const row = await s.store.selectFrom('comments').select('data').where('id', '=', comment.id).executeTakeFirstOrThrow()
    expect(JSON.parse(row.data)).toMatchObject({ gridId: visit.gridId, authorName: s.community.users.find((u) => u.username === 'secretary')!.name })
    // The worker of that grid sees it on their next pull.
    const head = Number((await s.store.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirstOrThrow()).value)
    const pulled = await s.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=1.1.${head - 1}`, headers: { authorization: `Bearer ${tokens.grid01}` } })
    expect(pulled.json().changes.map((c: { id: string }) => c.id)).toContain(comment.id)
    const mine = { ...comment, id: uuidv7() }
    expect((await push('grid01', [m(mine)]))[0]).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN' } })
  })
})

describe('settings', () => {
  const patch = (data: unknown) => ({ mutationId: uuidv7(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data, at: new Date().toISOString() })

  it('only the admin edits the visit rules; bad rules are refused with a reason', async () => {
    const rules = [{ attention: 'any', tag: 'dibao', days: 14 }, { attention: 'any', tag: 'none', days: 120 }]
    expect((await push('secretary', [patch({ visitRules: rules })]))[0]!.error!.code).toBe('FORBIDDEN')
    const bad = (await push('admin', [patch({ visitRules: [{ attention: 'any', tag: 'none', days: 0 }] })]))[0]!
    expect(bad).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(bad.error!.message).toContain('间隔至少1天')
    // A worker's device picks the new rules up on its next pull (from just before the change;
    // households with 政法 tags come again too, with the interval the new rules give them).
    const head = Number((await s.store.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirstOrThrow()).value)
    expect((await push('admin', [patch({ visitRules: rules })]))[0]!.status).toBe('applied')
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=1.1.${head}`, headers: { authorization: `Bearer ${tokens.grid01}` } })
    const settings = res.json().changes.find((c: { entity: string }) => c.entity === 'settings')
    expect(settings.data.visitRules).toEqual(rules)
  })
})
