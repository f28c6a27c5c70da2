import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Change, PullResponse, Visit } from '../../src/domain'
import { COMPLETES, DEFAULT_VISIT_RULES, householdState, PROTOCOL_VERSION, PULL_PAGE_BYTES, SETTINGS_ID, uuidv7, visitHistories } from '../../src/domain'
import { pull } from '../../src/server/services/pull'
import { authenticateToken } from '../../src/server/services/auth'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// The office's devices read the map and the dashboard from the server, so they keep only the last
// `officeVisitDays` of visits (plus each household's latest that reached somebody, which its due
// date needs); a worker's device keeps every visit of their cells. Pages are sized by bytes too,
// and a first sync can say how much is to come.

let s: TestServer
const tokens: Record<string, string> = {}
const DAY = 86_400_000
beforeAll(async () => {
  s = await startTestServer(800)
  for (const u of ['grid01', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function page(user: string, query: Record<string, string>) {
  const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${new URLSearchParams(query)}`, headers: { authorization: `Bearer ${tokens[user]}` } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Exclude<PullResponse, { reset: true }> & { reset?: true }
}

async function pullAll(user: string, limit = 1000, cursor?: string) {
  const pages: Change[][] = []
  let first: Awaited<ReturnType<typeof page>> | null = null
  for (;;) {
    const body = await page(user, { limit: String(limit), ...(cursor ? { cursor } : {}), ...(first ? {} : { count: '1' }) })
    if (body.reset) throw new Error('unexpected reset')
    first ??= body
    pages.push(body.changes)
    cursor = body.cursor
    if (!body.hasMore) return { pages, changes: pages.flat(), cursor: cursor!, first: first! }
  }
}

async function setOfficeDays(days: number) {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens.admin}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data: { officeVisitDays: days }, at: new Date().toISOString() }] },
  })
  expect(res.json().results[0].status).toBe('applied')
}

describe("the office device's window of visits", () => {
  it('the secretary gets the last 90 days of visits and each household’s latest completed one: every due date as on the server', async () => {
    const t0 = Date.now()
    const { changes, first, cursor } = await pullAll('secretary')
    const from = Date.parse(first.visitsFrom!)
    expect(Math.abs(from - (t0 - 90 * DAY))).toBeLessThan(60_000)
    expect(cursor).toMatch(/\.90$/)
    const sent = changes.filter((c) => c.entity === 'visit').map((c) => c.data as Visit)
    const all = s.community.visits
    const recent = all.filter((v) => Date.parse(v.startedAt) >= from)
    // Fewer than the whole history, and every recent visit is there.
    expect(sent.length).toBeLessThan(all.length * 0.6)
    const sentIds = new Set(sent.map((v) => v.id))
    expect(recent.every((v) => sentIds.has(v.id))).toBe(true)
    // The older ones sent are exactly each household's latest completed visit, where that is old.
    const older = sent.filter((v) => Date.parse(v.startedAt) < from)
    expect(older.length).toBeGreaterThan(0)
    const histories = visitHistories(all)
    for (const v of older) {
      expect(COMPLETES[v.outcome]).toBe(true)
      expect(v.startedAt).toBe(histories.get(v.householdId)!.lastCompletedAt)
    }
    // So each household's standing on the device is the one the whole history gives.
    const onDevice = visitHistories(sent)
    const rules = DEFAULT_VISIT_RULES
    const today = new Date().toISOString().slice(0, 10)
    const differs = s.community.households.filter(
      (h) => householdState(h, onDevice.get(h.id), rules, today).state !== householdState(h, histories.get(h.id), rules, today).state,
    )
    expect(differs.length).toBeLessThanOrEqual(s.community.households.length * 0.01)
    // Everything else is whole: every household.
    expect(changes.filter((c) => c.entity === 'household')).toHaveLength(s.community.households.length)
  })

  it("a worker's device gets every visit of their cells, whatever its age", async () => {
    const gridId = workerOf(s.community, 'grid01').gridIds[0]!
    const { changes, first, cursor } = await pullAll('grid01')
    expect(first.visitsFrom).toBeUndefined()
    expect(cursor).not.toMatch(/^1\.\d+\.\d+\.\d+$/)
    expect(changes.filter((c) => c.entity === 'visit')).toHaveLength(s.community.visits.filter((v) => v.gridId === gridId).length)
  })

  it('count=1 says how many records are to come, from the start and from a cursor mid-way', async () => {
    const { changes, first, pages } = await pullAll('secretary', 300)
    expect(pages.length).toBeGreaterThan(2)
    expect(first.total).toBe(changes.length)
    const mid = await page('secretary', { limit: '300' })
    const rest = await page('secretary', { limit: '300', cursor: mid.cursor, count: '1' })
    expect(rest.total).toBe(changes.length - mid.changes.length)
    const plain = await page('secretary', { limit: '300', cursor: mid.cursor })
    expect(plain.total).toBeUndefined()
  })

  it('pages stop growing past the byte budget, and still hold every record once', async () => {
    const { user } = await authenticateToken(s.deployment, `Bearer ${tokens.secretary}`)
    const budget = 60_000
    const pages: Change[][] = []
    let cursor: string | undefined
    for (;;) {
      const body = await pull(s.store, user, cursor, 2000, { pageBytes: budget })
      if ('reset' in body) throw new Error('unexpected reset')
      pages.push(body.changes)
      cursor = body.cursor
      if (!body.hasMore) break
    }
    const changes = pages.flat()
    const bytes = (p: Change[]) => p.reduce((n, c) => n + JSON.stringify(c.data).length, 0)
    expect(pages.length).toBeGreaterThan(changes.length / 300)
    // Each page is within the budget by at most its last record (redaction and the envelope
    // aside) — on a first pull, its last household's visits, which a page never splits.
    const lastGroup = (p: Change[]) => {
      const last = p[p.length - 1]!
      if (last.entity !== 'visit') return [last]
      const h = (last.data as { householdId: string }).householdId
      let i = p.length
      while (i > 0 && p[i - 1]!.entity === 'visit' && (p[i - 1]!.data as { householdId: string }).householdId === h) i--
      return p.slice(i)
    }
    for (const p of pages) expect(bytes(p) - bytes(lastGroup(p))).toBeLessThanOrEqual(budget * 1.05)
    expect(new Set(changes.map((c) => `${c.entity}:${c.id}`)).size).toBe(changes.length)
    expect(changes.length).toBe((await pullAll('secretary')).changes.length)
    // The real budget lets a page of ordinary records be full.
    expect(PULL_PAGE_BYTES).toBeGreaterThanOrEqual(1000 * 700)
  })

  it('widening the window makes an office device start over; narrowing it does not', async () => {
    const { cursor } = await pullAll('secretary')
    await setOfficeDays(30)
    const narrower = await page('secretary', { cursor })
    expect(narrower.reset).toBeUndefined()
    expect(narrower.cursor).toMatch(/\.30$/)
    await setOfficeDays(365)
    expect((await page('secretary', { cursor: narrower.cursor })).reset).toBe(true)
    // A device from before the window (its cursor names no days) holds every visit: it goes on.
    const old = narrower.cursor.split('.').slice(0, 3).join('.')
    expect((await page('secretary', { cursor: old })).reset).toBeUndefined()
    await setOfficeDays(90)
  })

  it('a cursor naming no whole number of days above zero is refused as unreadable', async () => {
    const { cursor } = await pullAll('secretary')
    const base = cursor.split('.').slice(0, 3).join('.')
    for (const days of ['0', '-30', '1.5', 'x', '90.1']) {
      const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?cursor=${base}.${days}`, headers: { authorization: `Bearer ${tokens.secretary}` } })
      expect(res.statusCode, days).toBe(400)
      expect(res.json().error.code).toBe('CURSOR_INVALID')
    }
  })
})

describe("a household's older visits", () => {
  const get = (user: string, id: string) => s.app.inject({ method: 'GET', url: `/api/households/${id}/visits`, headers: { authorization: `Bearer ${tokens[user]}` } })

  it('the office gets every visit of a household, newest first', async () => {
    const h = s.community.households.find((x) => s.community.visits.filter((v) => v.householdId === x.id).length >= 3)!
    const res = await get('secretary', h.id)
    expect(res.statusCode).toBe(200)
    const visits = (res.json() as { visits: Visit[] }).visits
    expect(visits.map((v) => v.id).sort()).toEqual(s.community.visits.filter((v) => v.householdId === h.id).map((v) => v.id).sort())
    expect(visits.map((v) => v.startedAt)).toEqual([...visits.map((v) => v.startedAt)].sort().reverse())
  })

  it("a worker gets their own cell's household, and another cell's answers as an unknown one does", async () => {
    const mine = workerOf(s.community, 'grid01').gridIds[0]!
    const own = s.community.households.find((h) => h.gridId === mine)!
    expect((await get('grid01', own.id)).statusCode).toBe(200)
    const other = s.community.households.find((h) => h.gridId !== mine)!
    const theirs = await get('grid01', other.id)
    const unknown = await get('grid01', uuidv7())
    expect(theirs.statusCode).toBe(404)
    expect(theirs.json()).toEqual(unknown.json())
    expect((await get('grid01', 'not-an-id')).json().error.code).toBe('VALIDATION_FAILED')
  })
})
