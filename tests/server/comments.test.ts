import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Change, Comment, MutationResult, PullResponse } from '../../src/domain'
import { PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 点评: the secretary (or the admin) comments on a worker's visit log; the worker reads it on the phone.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(40)
  for (const u of ['grid01', 'grid02', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function comment(username: string, data: Record<string, unknown>, id = data.id as string): Promise<MutationResult> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens[username]}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'comment', id, op: 'create', data, at: new Date().toISOString() }] },
  })
  expect(res.statusCode, res.body).toBe(200)
  return (res.json() as { results: MutationResult[] }).results[0]!
}

async function pulled(username: string): Promise<Change[]> {
  const res = await s.app.inject({ method: 'GET', url: '/api/sync/pull?limit=2000', headers: { authorization: `Bearer ${tokens[username]}` } })
  return (res.json() as Extract<PullResponse, { changes: unknown }>).changes
}

const grid01 = () => workerOf(s.community, 'grid01')
const visitOf = (username: string) => s.community.visits.find((v) => v.gridId === workerOf(s.community, username).gridIds[0])!
const input = (visitId: string, text = '记录很细致，下次记得问问用药情况') => ({ id: uuidv7(), visitId, text, at: new Date().toISOString() })
const commentRows = () => s.store.selectFrom('comments').select('id').execute()

describe('comments on visit logs', () => {
  it('the secretary comments; the worker of that grid cell pulls it, with the author and grid cell the server filled in', async () => {
    const visit = visitOf('grid01')
    const secretary = workerOf(s.community, 'secretary')
    const data = input(visit.id)
    const head = await readCounter(s.store, 'version')
    // Whatever the device claims about author and grid cell, the server decides them.
    const r = await comment('secretary', { ...data, authorId: grid01().id, authorName: '冒名', gridId: workerOf(s.community, 'grid02').gridIds[0] })
    expect(r).toEqual({ mutationId: expect.any(String), status: 'applied', version: head + 1 })

    const row = await s.store.selectFrom('comments').selectAll().where('id', '=', data.id).executeTakeFirstOrThrow()
    const want: Comment = { ...data, gridId: visit.gridId, authorId: secretary.id, authorName: secretary.name }
    expect({ ...row, data: JSON.parse(row.data) }).toEqual({
      id: data.id,
      version: head + 1,
      deleted: 0,
      grid_id: visit.gridId,
      household_id: visit.householdId,
      visit_id: visit.id,
      data: want,
    })

    const mine = (await pulled('grid01')).filter((c) => c.id === data.id)
    expect(mine).toEqual([{ entity: 'comment', id: data.id, version: head + 1, deleted: false, data: want }])
    expect((await pulled('grid02')).some((c) => c.id === data.id)).toBe(false)
  })

  it('the admin may comment too', async () => {
    const data = input(visitOf('grid02').id, '请补拍一张门牌照片')
    expect(await comment('admin', data)).toMatchObject({ status: 'applied' })
    expect((await pulled('grid02')).find((c) => c.id === data.id)?.data).toMatchObject({ authorId: workerOf(s.community, 'admin').id, text: '请补拍一张门牌照片' })
  })

  it('a worker may not comment, not even on their own visits', async () => {
    const before = await commentRows()
    expect(await comment('grid01', input(visitOf('grid01').id))).toMatchObject({ status: 'rejected', error: { code: 'FORBIDDEN', message: '只有社区书记和管理员可以点评' } })
    expect(await commentRows()).toEqual(before)
  })

  it('refuses what does not add up, and writes nothing', async () => {
    const before = await commentRows()
    const visit = visitOf('grid01')
    expect(await comment('secretary', input(visit.id), uuidv7())).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED', message: '点评编号与提交编号不一致' } })
    expect(await comment('secretary', input(visit.id, '   '))).toMatchObject({ status: 'rejected', error: { code: 'VALIDATION_FAILED' } })
    expect(await comment('secretary', input(uuidv7()))).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND', message: '找不到这条走访记录' } })
    expect(await commentRows()).toEqual(before)
  })

  it('a comment id already used is ID_TAKEN, even sent as a new mutation', async () => {
    const data = input(visitOf('grid01').id)
    expect(await comment('secretary', data)).toMatchObject({ status: 'applied' })
    const again = await comment('secretary', { ...data, text: '改一下' })
    expect(again).toMatchObject({ status: 'rejected', error: { code: 'ID_TAKEN', message: '这条点评的编号已被占用' } })
    const row = await s.store.selectFrom('comments').select('data').where('id', '=', data.id).executeTakeFirstOrThrow()
    expect(JSON.parse(row.data).text).toBe(data.text)
  })

  it('a deleted visit cannot be commented on', async () => {
    const visit = s.community.visits.filter((v) => v.gridId === grid01().gridIds[0])[1]!
    await s.store.updateTable('visits').set({ deleted: 1 }).where('id', '=', visit.id).execute()
    const before = await commentRows()
    expect(await comment('secretary', input(visit.id))).toMatchObject({ status: 'rejected', error: { code: 'NOT_FOUND' } })
    expect(await commentRows()).toEqual(before)
  })
})
