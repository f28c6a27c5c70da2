import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidv7 } from '../../src/domain'
import { AuditPage } from '../../src/domain/schemas/admin'
import { record } from '../../src/server/services/audit'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 设置 → 审计日志 as the admin reads it: the entries of a period, newest first, filtered by
// action and by user, a page at a time, with the total the filters match.

let s: TestServer
let token: string
const ids: Record<string, number> = {}
beforeAll(async () => {
  s = await startTestServer(40)
  token = await s.login('admin')
  const g1 = workerOf(s.community, 'grid01')
  const sec = workerOf(s.community, 'secretary')
  // A quiet week in 2020, far from anything the demo or the logins above wrote.
  const entries: Array<[string, Parameters<typeof record>[1]]> = [
    ['a', { userId: g1.id, action: 'login', subject: { type: 'user', id: g1.id }, details: { username: 'grid01' }, at: '2020-01-01T00:00:00.000Z' }],
    ['b', { userId: sec.id, action: 'export', subject: { type: 'export', id: 'visits' }, details: { kind: 'visits', rows: 3 }, at: '2020-01-02T00:00:00.000Z' }],
    ['c', { userId: g1.id, action: 'reveal_id_number', subject: { type: 'resident', id: 'r1' }, details: { gridId: 'g' }, at: '2020-01-03T00:00:00.000Z' }],
    ['d', { userId: g1.id, action: 'login', subject: { type: 'user', id: g1.id }, at: '2020-01-03T00:00:00.000Z' }],
    ['e', { userId: null, action: 'login_failed', details: { username: 'nobody' }, at: '2020-01-04T00:00:00.000Z' }],
    ['f', { userId: uuidv7(), action: 'login', subject: null, at: '2020-01-05T00:00:00.000Z' }],
    ['g', { userId: sec.id, action: 'export', at: '2020-01-08T00:00:00.000Z' }],
  ]
  for (const [name, e] of entries) {
    await record(s.store, e)
    ids[name] = Number((await s.store.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow()).id)
  }
})
afterAll(() => s.close())

async function list(query: string) {
  const res = await s.app.inject({ method: 'GET', url: `/api/admin/audit?${query}`, headers: { authorization: `Bearer ${token}` } })
  expect(res.statusCode, res.body).toBe(200)
  return AuditPage.parse(res.json())
}
const WEEK = `from=${encodeURIComponent('2020-01-01T00:00:00.000Z')}&to=${encodeURIComponent('2020-01-08T00:00:00.000Z')}`
const names = (page: AuditPage) => page.entries.map((e) => Object.keys(ids).find((k) => ids[k] === e.id))

describe('the audit log list', () => {
  it('a period: from included, to excluded, newest first (same instant: the later entry first)', async () => {
    const page = await list(WEEK)
    expect(names(page)).toEqual(['f', 'e', 'd', 'c', 'b', 'a'])
    expect(page.total).toBe(6)
    // A period given in China time means the same instants.
    const china = await list(`from=${encodeURIComponent('2020-01-01T08:00:00+08:00')}&to=${encodeURIComponent('2020-01-03T08:00:00+08:00')}`)
    expect(names(china)).toEqual(['b', 'a'])
    expect(names(await list(`from=${encodeURIComponent('2020-01-07T00:00:00Z')}`)).slice(-1)).toEqual(['g'])
    expect(names(await list(`to=${encodeURIComponent('2020-01-01T00:00:00.001Z')}`))).toEqual(['a'])
  })

  it('each entry: who (with their name when known), what, on what, the details', async () => {
    const g1 = workerOf(s.community, 'grid01')
    const byName = Object.fromEntries((await list(WEEK)).entries.map((e) => [names({ entries: [e], total: 1 })[0], e]))
    expect(byName.c).toEqual({
      id: ids.c,
      at: '2020-01-03T00:00:00.000Z',
      userId: g1.id,
      userName: g1.name,
      action: 'reveal_id_number',
      subjectType: 'resident',
      subjectId: 'r1',
      details: { gridId: 'g' },
    })
    expect(byName.d).toMatchObject({ details: {}, subjectType: 'user', subjectId: g1.id })
    expect(byName.e).toMatchObject({ userId: null, userName: null, subjectType: null, subjectId: null, details: { username: 'nobody' } })
    expect(byName.f).toMatchObject({ userName: null, subjectType: null, subjectId: null, details: {} })
  })

  it('filters by action and by user, alone or together; the total counts all that match, not the page', async () => {
    const g1 = workerOf(s.community, 'grid01')
    expect(names(await list(`${WEEK}&action=login`))).toEqual(['f', 'd', 'a'])
    const mine = await list(`${WEEK}&userId=${g1.id}`)
    expect(names(mine)).toEqual(['d', 'c', 'a'])
    expect(mine.total).toBe(3)
    const both = await list(`${WEEK}&userId=${g1.id}&action=login`)
    expect([names(both), both.total]).toEqual([['d', 'a'], 2])
    const none = await list(`${WEEK}&action=password_reset`)
    expect(none).toEqual({ entries: [], total: 0 })
  })

  it('pages with limit and offset', async () => {
    const first = await list(`${WEEK}&limit=2`)
    expect([names(first), first.total]).toEqual([['f', 'e'], 6])
    const second = await list(`${WEEK}&limit=2&offset=2`)
    expect([names(second), second.total]).toEqual([['d', 'c'], 6])
    const last = await list(`${WEEK}&limit=4&offset=4`)
    expect([names(last), last.total]).toEqual([['b', 'a'], 6])
  })

  it('an entry written without a time gets the time it was written', async () => {
    const t0 = new Date().toISOString()
    await record(s.store, { userId: null, action: 'login_failed', details: { username: 'late' } })
    const t1 = new Date().toISOString()
    const page = await list(`from=${encodeURIComponent(t0)}&action=login_failed`)
    const mine = page.entries.filter((e) => e.details.username === 'late')
    expect(mine).toHaveLength(1)
    expect(mine[0]!.at >= t0 && mine[0]!.at <= t1).toBe(true)
    expect(mine[0]!.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  })
})
