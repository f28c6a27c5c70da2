import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type MutationResult, PROTOCOL_VERSION, uuidv7, type Visit } from '../../src/domain'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// What the server refuses of a visit a phone sends, each with its reason in words, and what it
// lets through at the edges (a phone clock a few hours ahead). A refused visit stores nothing.
// (From the mutation run's survivors in services/visits.ts and services/households.ts.)

let s: TestServer
let token = ''
beforeAll(async () => {
  s = await startTestServer(200)
  token = await s.login('grid01')
})
afterAll(() => s.close())

async function push(m: unknown): Promise<MutationResult> {
  const res = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${token}` }, payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [m] } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results[0]!
}
const visit = (over: Partial<Visit> = {}, index = 0) => makeVisit(s.community, householdOf(s.community, 'grid01', index), workerOf(s.community, 'grid01').id, over)
const stored = async (id: string) => (await s.store.selectFrom('visits').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
async function refused(v: Visit, code: string, message: string | RegExp, m = visitMutation(v)) {
  const r = await push(m)
  expect(r).toMatchObject({ status: 'rejected', error: { code } })
  if (typeof message === 'string') expect(r.error!.message).toBe(message)
  else expect(r.error!.message).toMatch(message)
  expect(await stored(v.id)).toBe(false)
  return r
}

describe('a visit the server refuses', () => {
  it('under another id than the mutation names', async () => {
    const v = visit()
    await refused(v, 'VALIDATION_FAILED', '走访记录编号与提交编号不一致', { ...visitMutation(v), id: uuidv7() })
  })

  it('of a household not on the register, or taken off it', async () => {
    await refused(visit({ householdId: uuidv7() }), 'NOT_FOUND', '找不到这一户，可能已被删除')
    const gone = householdOf(s.community, 'grid01', 7)
    await s.store.updateTable('households').set({ deleted: 1 }).where('id', '=', gone.id).execute()
    await refused(visit({}, 7), 'NOT_FOUND', '找不到这一户，可能已被删除')
    await s.store.updateTable('households').set({ deleted: 0 }).where('id', '=', gone.id).execute()
  })

  it('dated more than a day ahead of the server (a phone clock gone wrong); a few hours ahead is fine', async () => {
    await refused(visit({ startedAt: new Date(Date.now() + 25 * 3600_000).toISOString() }), 'VALIDATION_FAILED', '走访时间在将来，请检查手机时间')
    const ahead = visit({ startedAt: new Date(Date.now() + 20 * 3600_000).toISOString() }, 1)
    expect((await push(visitMutation(ahead))).status).toBe('applied')
  })

  it('naming as met a resident of another household, even among the right ones', async () => {
    const own = visit({}, 2).residentIds
    const stranger = s.community.residents.find((r) => r.householdId !== householdOf(s.community, 'grid01', 2).id)!
    await refused(visit({ residentIds: [...own, stranger.id] }, 2), 'VALIDATION_FAILED', '见到的居民不是这一户的成员')
    expect((await push(visitMutation(visit({ residentIds: own }, 2)))).status).toBe('applied')
  })

  it('filled with a checklist the server does not have, or a version of it that never was', async () => {
    await refused(visit({ templateId: uuidv7() }, 3), 'NOT_FOUND', '找不到这份走访清单')
    await refused(visit({ templateVersion: 999 }, 3), 'VALIDATION_FAILED', '走访清单没有第999版')
  })

  it('with answers the checklist does not take: the first problem in words, every one in details', async () => {
    const template = s.community.templates.find((t) => t.code === 'routine')!
    const required = template.items.filter((i) => i.required)
    expect(required.length).toBeGreaterThan(0)
    const r = await refused(visit({ answers: {} }, 4), 'VALIDATION_FAILED', /^清单填写有误：/)
    expect((r.error as { details?: { issues?: unknown[] } }).details?.issues).toHaveLength(required.length)
  })

  it('reusing the id of a visit already stored, under a new mutation: ID_TAKEN; the first one stays', async () => {
    const v = visit({}, 5)
    expect((await push(visitMutation(v))).status).toBe('applied')
    const r = await push(visitMutation({ ...v, notes: '另一条' }))
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'ID_TAKEN', message: '这条走访记录的编号已被占用' } })
    const row = await s.store.selectFrom('visits').select('data').where('id', '=', v.id).executeTakeFirstOrThrow()
    expect((JSON.parse(row.data) as Visit).notes).toBe(v.notes)
  })
})

describe('a household edit the server refuses', () => {
  it('of a household taken off the register: NOT_FOUND in words, and nothing written', async () => {
    const h = householdOf(s.community, 'grid01', 6)
    await s.store.updateTable('households').set({ deleted: 1 }).where('id', '=', h.id).execute()
    const before = await s.store.selectFrom('households').select(['version', 'data']).where('id', '=', h.id).executeTakeFirstOrThrow()
    const r = await push({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', data: { housing: 'vacant' }, at: new Date().toISOString() })
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND', message: '找不到这一户，可能已被删除' } })
    expect(await s.store.selectFrom('households').select(['version', 'data']).where('id', '=', h.id).executeTakeFirstOrThrow()).toEqual(before)
  })

  it('naming a field no patch takes, in words', async () => {
    const h = householdOf(s.community, 'grid01', 8)
    const r = await push({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', data: { address: '别处' }, at: new Date().toISOString() })
    expect(r).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(r.error!.message).toMatch(/^户信息修改/)
  })
})
