import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Change, Household, PullResponse } from '../../src/domain'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
beforeAll(async () => {
  s = await startTestServer()
})
afterAll(() => s.close())

async function pullAll(token: string, limit = 1000, start?: string) {
  const changes: Change[] = []
  let cursor: string | undefined = start
  let pages = 0
  for (;;) {
    const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) })
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${token}` } })
    expect(res.statusCode).toBe(200)
    const body = res.json() as PullResponse
    if ('reset' in body) throw new Error('unexpected reset')
    changes.push(...body.changes)
    cursor = body.cursor
    pages++
    if (!body.hasMore) return { changes, cursor, pages }
  }
}

describe('pull', () => {
  it("a worker gets only their own grid cell's households, residents and visits", async () => {
    const token = await s.login('grid01')
    const gridId = workerOf(s.community, 'grid01').gridIds[0]!
    const { changes } = await pullAll(token)
    const households = changes.filter((c) => c.entity === 'household')
    const expected = s.community.households.filter((h) => h.gridId === gridId)
    expect(households.length).toBe(expected.length)
    expect(households.every((c) => (c.data as Household).gridId === gridId)).toBe(true)
    for (const entity of ['resident', 'visit', 'building'] as const)
      expect(changes.filter((c) => c.entity === entity).every((c) => c.data!.gridId === gridId)).toBe(true)
    expect(changes.filter((c) => c.entity === 'visit').length).toBe(s.community.visits.filter((v) => v.gridId === gridId).length)
    expect(changes.filter((c) => c.entity === 'gridCell').map((c) => c.id)).toEqual([gridId])
    expect(changes.filter((c) => c.entity === 'checklistTemplate').length).toBe(s.community.templates.length)
  })

  it('the secretary gets the whole community', async () => {
    const { changes } = await pullAll(await s.login('secretary'))
    expect(changes.filter((c) => c.entity === 'household').length).toBe(s.community.households.length)
    expect(changes.filter((c) => c.entity === 'gridCell').length).toBe(13)
  })

  it('from a cursor, small pages return every record exactly once, in version order', async () => {
    const token = await s.login('grid02')
    const epoch = (await pullAll(token, 2000)).cursor.split('.')[1]
    const whole = await pullAll(token, 2000, `1.${epoch}.0`)
    const paged = await pullAll(token, 37, `1.${epoch}.0`)
    expect(paged.pages).toBeGreaterThan(3)
    expect(paged.changes.map((c) => c.id)).toEqual(whole.changes.map((c) => c.id))
    expect(new Set(paged.changes.map((c) => c.id)).size).toBe(paged.changes.length)
    const versions = paged.changes.map((c) => c.version)
    expect([...versions].sort((a, b) => a - b)).toEqual(versions)
  })

  it("a first pull (no cursor) brings the same records, each household's visits together", async () => {
    const token = await s.login('grid02')
    const epoch = (await pullAll(token, 2000)).cursor.split('.')[1]
    const byVersion = await pullAll(token, 2000, `1.${epoch}.0`)
    const first = await pullAll(token, 37)
    expect(first.changes.map((c) => `${c.entity}:${c.id}`).sort()).toEqual(byVersion.changes.map((c) => `${c.entity}:${c.id}`).sort())
    expect(first.cursor).toBe(byVersion.cursor)
    // Entity by entity, and one household's visits one after another.
    const visits = first.changes.filter((c) => c.entity === 'visit').map((c) => (c.data as { householdId: string }).householdId)
    const runs = visits.filter((h, i) => i === 0 || visits[i - 1] !== h)
    expect(new Set(runs).size).toBe(runs.length)
    expect(new Set(visits).size).toBeGreaterThan(5)
  })

  it('a caught-up cursor returns nothing new', async () => {
    const token = await s.login('grid03')
    const { cursor } = await pullAll(token)
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${cursor}`, headers: { authorization: `Bearer ${token}` } })
    expect(res.json()).toMatchObject({ changes: [], hasMore: false, cursor })
  })

  it('政法 tags never reach a worker, but do reach the secretary', async () => {
    const sensitive = ['correction', 'released', 'mental_illness', 'drug']
    const tagged = s.community.residents.filter((r) => r.tags.some((t) => sensitive.includes(t)))
    expect(tagged.length).toBeGreaterThan(0)
    for (const username of s.community.users.filter((u) => u.role === 'worker').map((u) => u.username).slice(0, 13)) {
      const { changes } = await pullAll(await s.login(username))
      for (const c of changes)
        if (c.entity === 'household' || c.entity === 'resident')
          expect((c.data!.tags as string[]).filter((t) => sensitive.includes(t))).toEqual([])
    }
    const secretary = await pullAll(await s.login('secretary'))
    const seen = secretary.changes.filter((c) => c.entity === 'resident' && (c.data!.tags as string[]).some((t) => sensitive.includes(t)))
    expect(seen.length).toBe(tagged.length)
  })

  it('full ID numbers never leave the server', async () => {
    const { changes } = await pullAll(await s.login('secretary'))
    const residents = changes.filter((c) => c.entity === 'resident')
    expect(residents.some((c) => 'idNumber' in c.data!)).toBe(false)
    expect(residents.filter((c) => c.data!.idMasked).every((c) => /\*{8}/.test(c.data!.idMasked as string))).toBe(true)
  })

  it('asks the device to start over when the scope changed or the cursor is from another database', async () => {
    const token = await s.login('grid04')
    const { cursor } = await pullAll(token)
    const user = workerOf(s.community, 'grid04')
    const ahead = cursor.replace(/\.\d+$/, '.99999999')
    const r1 = await s.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${ahead}`, headers: { authorization: `Bearer ${token}` } })
    expect(r1.json()).toEqual({ reset: true })
    await s.store.updateTable('users').set({ scope_epoch: 2 }).where('id', '=', user.id).execute()
    const r2 = await s.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${cursor}`, headers: { authorization: `Bearer ${token}` } })
    expect(r2.json()).toEqual({ reset: true })
  })

  it('rejects an unreadable cursor or limit with 400 and a code', async () => {
    const token = await s.login('grid05')
    for (const q of ['cursor=garbage', 'limit=0', 'limit=abc', 'limit=100000']) {
      const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: { authorization: `Bearer ${token}` } })
      expect(res.statusCode).toBe(400)
      expect(['CURSOR_INVALID', 'VALIDATION_FAILED']).toContain(res.json().error.code)
    }
  })

  it('refuses an anonymous pull', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/sync/pull' })
    expect(res.statusCode).toBe(401)
  })
})
