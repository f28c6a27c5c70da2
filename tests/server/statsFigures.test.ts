import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CoverageResponse, DashboardResponse, HouseholdStatsResponse, MutationResult, TrailResponse, Visit } from '../../src/domain'
import { caseCard, DEFAULT_SETTINGS, PROTOCOL_VERSION, SETTINGS_ID, uuidv7 } from '../../src/domain'
import { setGrids } from '../../src/server/services/admin'
import { loadUser, type SessionUser } from '../../src/server/services/auth'
import { dashboard, householdStats, trail } from '../../src/server/services/stats'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// The figures on 统计 and 地图 that the secretary reads, beyond the ones tests/server/stats.test.ts
// recomputes: per-worker weeks, late cases on a given day, long periods, the order of the rows,
// and what changes when the register, the rules or the assignments do.

let s: TestServer
let office: SessionUser
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(200)
  for (const u of ['grid01', 'grid02', 'secretary', 'admin']) tokens[u] = await s.login(u)
  office = (await loadUser(s.store, workerOf(s.community, 'secretary').id))!
})
afterAll(() => s.close())

async function get<T>(username: string, url: string): Promise<{ status: number; body: T & { error?: { code: string; message: string } } }> {
  const res = await s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[username]}` } })
  return { status: res.statusCode, body: res.json() }
}
const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10)
const sessionOf = async (username: string) => (await loadUser(s.store, workerOf(s.community, username).id))!
const adminUser = () => loadUser(s.store, workerOf(s.community, 'admin').id).then((u) => u!)

describe('the dashboard, figure by figure', () => {
  it("a worker's twelve weeks are their own visits, week by week; a long period counts visits before the twelve weeks too", async () => {
    for (const [from, to] of [['2026-10-22', '2026-11-20'], ['2026-01-01', '2026-11-20'], ['2026-11-16', '2026-11-18']] as const) {
      const d = (await get<DashboardResponse>('secretary', `/api/stats/dashboard?from=${from}&to=${to}`)).body
      const week = (iso: string) => d.weeks.filter((w) => w <= chinaDay(iso)).length - 1
      const gridOf = new Map(s.community.households.map((h) => [h.id, h.gridId]))
      for (const r of d.byWorker) {
        const mine = s.community.visits.filter((v) => v.workerId === r.key && chinaDay(v.startedAt) <= to)
        const weekly = Array(12).fill(0)
        for (const v of mine) if (chinaDay(v.startedAt) >= d.weeks[0]!) weekly[week(v.startedAt)]++
        expect([r.label, r.weekly]).toEqual([r.label, weekly])
        expect([r.label, r.visits]).toEqual([r.label, mine.filter((v) => chinaDay(v.startedAt) >= from).length])
      }
      for (const r of d.byGrid)
        expect([r.label, r.visits]).toEqual([r.label, s.community.visits.filter((v) => gridOf.get(v.householdId) === r.key && chinaDay(v.startedAt) >= from && chinaDay(v.startedAt) <= to).length])
      expect(d.byWorker.reduce((n, r) => n + r.visits, 0)).toBeGreaterThan(0)
    }
  })

  it('visits at the edges: 00:00 China time opens a period and a week, a millisecond before belongs to the day and week before', async () => {
    const me = workerOf(s.community, 'grid02')
    const h = householdOf(s.community, 'grid02', 0)
    const row = async (from: string) => {
      const d = await dashboard(s.store, office, { from, to: '2026-11-20' })
      return { worker: d.byWorker.find((r) => r.key === me.id)!, grid: d.byGrid.find((r) => r.key === h.gridId)!, weeks: d.weeks }
    }
    const [shortBefore, longBefore] = [await row('2026-11-18'), await row('2026-08-31')]
    expect(shortBefore.weeks[0]).toBe('2026-08-31')
    expect(shortBefore.weeks[11]).toBe('2026-11-16')
    const at = [
      '2026-08-30T16:00:00.000Z', // Monday 31 August 00:00 China: the first of the twelve weeks, and the long period's first instant
      '2026-08-30T15:59:59.999Z', // before both
      '2026-11-15T16:00:00.000Z', // Monday 16 November 00:00: the last week
      '2026-11-15T15:59:59.999Z', // Sunday 15 November: the week before
      '2026-11-17T16:00:00.000Z', // Wednesday 18 November 00:00: the short period's first instant
      '2026-11-17T15:59:59.999Z', // Tuesday 17 November: before it
    ]
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid02}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: at.map((t) => visitMutation(makeVisit(s.community, h, me.id, { startedAt: t }))) },
    })
    expect((res.json().results as MutationResult[]).every((r) => r.status === 'applied')).toBe(true)
    const [shortAfter, longAfter] = [await row('2026-11-18'), await row('2026-08-31')]
    const plus = (weekly: number[], add: Record<number, number>) => weekly.map((n, i) => n + (add[i] ?? 0))
    // Week 0 gets the first visit only; week 10 (9 November) the Sunday; week 11 (16 November) Monday, Tuesday and Wednesday.
    const added = { 0: 1, 10: 1, 11: 3 }
    for (const [before, after] of [[shortBefore, shortAfter], [longBefore, longAfter]] as const) {
      expect(after.worker.weekly).toEqual(plus(before.worker.weekly, added))
      expect(after.grid.weekly).toEqual(plus(before.grid.weekly, added))
    }
    expect([shortAfter.worker.visits, shortAfter.grid.visits]).toEqual([shortBefore.worker.visits + 1, shortBefore.grid.visits + 1])
    expect([longAfter.worker.visits, longAfter.grid.visits]).toEqual([longBefore.worker.visits + 5, longBefore.grid.visits + 5])
  })

  it("a worker's row sums the figures of their grid cells", async () => {
    const d = (await get<DashboardResponse>('secretary', '/api/stats/dashboard?from=2026-10-01&to=2026-10-31')).body
    for (const r of d.byWorker) {
      const cells = workerOf(s.community, s.community.users.find((u) => u.id === r.key)!.username).gridIds
      const mine = d.byGrid.filter((g) => cells.includes(g.key))
      const sum = (k: 'vulnerableNeeded' | 'vulnerableVisited' | 'overdue' | 'openCases' | 'overdueCases') => mine.reduce((n, g) => n + g[k], 0)
      expect(r).toMatchObject({ vulnerableNeeded: sum('vulnerableNeeded'), vulnerableVisited: sum('vulnerableVisited'), overdue: sum('overdue'), openCases: sum('openCases'), overdueCases: sum('overdueCases') })
      expect(r.vulnerableCoverage).toBe(r.vulnerableNeeded ? r.vulnerableVisited / r.vulnerableNeeded : null)
    }
    expect(d.byWorker.some((r) => r.vulnerableNeeded > 0 && r.vulnerableVisited > 0 && r.vulnerableVisited < r.vulnerableNeeded)).toBe(true)
  })

  it('late cases: the ones with a 督办 card on the day asked, open ones only', async () => {
    const settings = DEFAULT_SETTINGS.caseDeadlines
    for (const now of [Date.UTC(2026, 10, 20, 12), Date.UTC(2026, 10, 22, 12), Date.UTC(2026, 11, 30)]) {
      const d = await dashboard(s.store, office, { from: '2026-11-01', to: '2026-11-20' }, now)
      for (const r of d.byGrid) {
        const open = s.community.cases.filter((c) => c.gridId === r.key && c.state !== 'closed')
        expect([r.label, r.openCases, r.overdueCases]).toEqual([r.label, open.length, open.filter((c) => caseCard(c, now, settings).card !== 'none').length])
      }
    }
    const late = await dashboard(s.store, office, { from: '2026-11-01', to: '2026-11-20' }, Date.UTC(2026, 11, 30))
    const early = await dashboard(s.store, office, { from: '2026-11-01', to: '2026-11-20' }, Date.UTC(2026, 10, 20, 12))
    expect(late.byGrid.reduce((n, r) => n + r.overdueCases, 0)).toBeGreaterThan(early.byGrid.reduce((n, r) => n + r.overdueCases, 0))
  })

  it('a worker sees their own row only; a worker filter keeps that worker and their cells', async () => {
    const me = workerOf(s.community, 'grid02')
    const mine = await dashboard(s.store, await sessionOf('grid02'), { from: '2026-10-01', to: '2026-10-31' })
    expect(mine.byWorker.map((r) => r.key)).toEqual([me.id])
    expect(mine.byGrid.map((r) => r.key)).toEqual(me.gridIds)
    const filtered = await dashboard(s.store, office, { from: '2026-10-01', to: '2026-10-31', workerId: me.id })
    expect(filtered.byWorker).toEqual(mine.byWorker)
    expect(filtered.byGrid).toEqual(mine.byGrid)
  })
})

describe('what a query may ask', () => {
  it("a worker asking about someone who is not in their grid cells (or no one) is told it is out of scope, the same either way", async () => {
    for (const workerId of [workerOf(s.community, 'grid03').id, uuidv7(), workerOf(s.community, 'secretary').id]) {
      const { status, body } = await get('grid01', `/api/stats/coverage?from=2026-10-01&to=2026-10-31&workerId=${workerId}`)
      expect([status, body.error]).toEqual([403, { code: 'OUT_OF_SCOPE', message: '这位网格员不在你负责的网格里' }])
    }
    const cell = await get('grid01', `/api/stats/coverage?from=2026-10-01&to=2026-10-31&gridId=${uuidv7()}`)
    expect([cell.status, cell.body.error]).toEqual([403, { code: 'OUT_OF_SCOPE', message: '这个网格不在你负责的范围里' }])
  })

  it('the office asking about unknown ids: 404 in words; about the secretary (no grid cells): nothing', async () => {
    const unknownWorker = await get('secretary', `/api/stats/dashboard?from=2026-10-01&to=2026-10-31&workerId=${uuidv7()}`)
    expect([unknownWorker.status, unknownWorker.body.error]).toEqual([404, { code: 'NOT_FOUND', message: '没有这位网格员' }])
    const unknownCell = await get('secretary', `/api/stats/dashboard?from=2026-10-01&to=2026-10-31&gridId=${uuidv7()}`)
    expect([unknownCell.status, unknownCell.body.error]).toEqual([404, { code: 'NOT_FOUND', message: '没有这个网格' }])
    const sec = await get<DashboardResponse>('secretary', `/api/stats/dashboard?from=2026-10-01&to=2026-10-31&workerId=${workerOf(s.community, 'secretary').id}`)
    expect(sec.status).toBe(200)
    expect([sec.body.byGrid, sec.body.byWorker]).toEqual([[], []])
    const cov = await get<CoverageResponse>('secretary', `/api/stats/coverage?from=2026-10-01&to=2026-10-31&workerId=${workerOf(s.community, 'secretary').id}`)
    expect(cov.body.grids).toEqual([])
  })

  it('an ordinary tag is fine for a worker; a 政法 tag only for a role granted it', async () => {
    const me = workerOf(s.community, 'grid01')
    const { status, body } = await get<HouseholdStatsResponse>('grid01', '/api/stats/households?from=2026-10-01&to=2026-10-31&tag=elderly_alone')
    expect(status).toBe(200)
    expect(body.households.map((h) => h.id).sort()).toEqual(s.community.households.filter((h) => me.gridIds.includes(h.gridId) && h.tags.includes('elderly_alone')).map((h) => h.id).sort())
    const refused = await get('grid01', '/api/stats/dashboard?from=2026-10-01&to=2026-10-31&tag=drug')
    expect([refused.status, refused.body.error]).toEqual([403, { code: 'FORBIDDEN', message: '你的角色不能按这个标签统计' }])
  })
})

describe('trail', () => {
  it('the office asking for no one is 404; visits without a place, deleted ones and other days are left out; same time: by id', async () => {
    const theirs = await get('grid01', `/api/stats/trail?workerId=${workerOf(s.community, 'grid02').id}&day=2026-11-19`)
    expect([theirs.status, theirs.body.error]).toEqual([403, { code: 'OUT_OF_SCOPE', message: '只能查看自己的走访轨迹' }])
    const unknown = await get('secretary', `/api/stats/trail?workerId=${uuidv7()}&day=2026-11-19`)
    expect([unknown.status, unknown.body.error]).toEqual([404, { code: 'NOT_FOUND', message: '没有这位网格员' }])

    const me = workerOf(s.community, 'grid01')
    const h = householdOf(s.community, 'grid01', 1)
    const at = '2026-11-18T01:30:00.000Z'
    const located = (lat: number, extra: Partial<Visit> = {}) => makeVisit(s.community, h, me.id, { startedAt: at, location: { lat, lng: 117.1, accuracy: 12, source: 'gps' }, ...extra })
    const visits = [located(36.61), located(36.62), makeVisit(s.community, h, me.id, { startedAt: at, location: null }), located(36.63, { startedAt: '2026-11-18T16:00:00.000Z' }), located(36.64, { startedAt: '2026-11-17T15:59:59.000Z' }), located(36.65, { startedAt: '2026-11-17T16:00:00.000Z', outcome: 'not_home', residentIds: [] }), located(36.66, { startedAt: '2026-11-18T15:59:59.000Z', outcome: 'phone', residentIds: [] })]
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid01}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: visits.map((v) => visitMutation(v)) },
    })
    expect((res.json().results as MutationResult[]).every((r) => r.status === 'applied')).toBe(true)
    const deleted = s.community.visits.find((v) => v.workerId === me.id && v.location && chinaDay(v.startedAt) === '2026-11-18')
    if (deleted) await s.store.updateTable('visits').set({ deleted: 1 }).where('id', '=', deleted.id).execute()

    const t = await trail(s.store, office, me.id, '2026-11-18')
    const want = [...s.community.visits.filter((v) => v.workerId === me.id && v.location && chinaDay(v.startedAt) === '2026-11-18' && v !== deleted), visits[0]!, visits[1]!, visits[5]!, visits[6]!]
    want.sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id))
    expect(t).toEqual({
      workerId: me.id,
      day: '2026-11-18',
      points: want.map((v) => ({ visitId: v.id, householdId: v.householdId, at: new Date(v.startedAt).toISOString(), outcome: v.outcome, lat: v.location!.lat, lng: v.location!.lng, accuracy: v.location!.accuracy })),
    })
    expect(t.points.filter((p) => p.at === at).map((p) => p.visitId)).toEqual([visits[0]!.id, visits[1]!.id].sort())
    const asWorker = (await get<TrailResponse>('grid01', `/api/stats/trail?workerId=${me.id}&day=2026-11-18`)).body
    expect(asWorker).toEqual(t)
  })
})

describe('the figures follow the register, the rules and the assignments', () => {
  it('a household edited in the register is counted as it is now, at the next request', async () => {
    const q = '/api/stats/households?from=2026-10-01&to=2026-10-31&attention=high'
    const before = (await get<HouseholdStatsResponse>('secretary', q)).body.households.map((h) => h.id)
    const h = s.community.households.find((x) => x.attention !== 'high')!
    const row = await s.store.selectFrom('households').select(['data', 'version']).where('id', '=', h.id).executeTakeFirstOrThrow()
    const head = (await s.store.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirstOrThrow()).value + 1
    await s.store.updateTable('counters').set({ value: head }).where('name', '=', 'version').execute()
    await s.store.updateTable('households').set({ data: JSON.stringify({ ...JSON.parse(row.data), attention: 'high' }), version: head }).where('id', '=', h.id).execute()
    const after = (await get<HouseholdStatsResponse>('secretary', q)).body.households.map((h) => h.id)
    expect(after.sort()).toEqual([...before, h.id].sort())
    // Taken off the register: no longer counted.
    await s.store.updateTable('households').set({ deleted: 1, version: head + 1 }).where('id', '=', h.id).execute()
    await s.store.updateTable('counters').set({ value: head + 1 }).where('name', '=', 'version').execute()
    expect((await get<HouseholdStatsResponse>('secretary', q)).body.households.map((h) => h.id).sort()).toEqual(before.sort())
  })

  it('settings taken off (deleted) mean the default rules again', async () => {
    const from = '2026-10-01'
    const to = '2026-10-31'
    const defaults = await householdStats(s.store, office, { from, to })
    const row = await s.store.selectFrom('settings').select('data').where('id', '=', SETTINGS_ID).executeTakeFirstOrThrow()
    const strict = { ...DEFAULT_SETTINGS, visitRules: [{ attention: 'any', tag: 'any', days: 3 }] }
    await s.store.updateTable('settings').set({ data: JSON.stringify(strict) }).where('id', '=', SETTINGS_ID).execute()
    try {
      const withStrict = await householdStats(s.store, office, { from, to })
      expect(withStrict.households.filter((h) => h.needed).length).toBeGreaterThan(defaults.households.filter((h) => h.needed).length)
      await s.store.updateTable('settings').set({ deleted: 1 }).where('id', '=', SETTINGS_ID).execute()
      expect((await householdStats(s.store, office, { from, to })).households).toEqual(defaults.households)
    } finally {
      await s.store.updateTable('settings').set({ deleted: 0, data: row.data }).where('id', '=', SETTINGS_ID).execute()
    }
  })

  it('rows in order: grid cells by code as numbers, workers by username as numbers; a worker who lost their cells drops out', async () => {
    const admin = await adminUser()
    // Two cells with codes that sort differently as text and as numbers.
    const square = (lng: number) => ({ type: 'Polygon', coordinates: [[[lng, 36], [lng + 0.01, 36], [lng + 0.01, 36.01], [lng, 36.01], [lng, 36]]] })
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/admin/grid-cells/geojson',
      headers: { authorization: `Bearer ${tokens.admin}` },
      payload: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '9', name: '九号网格' }, geometry: square(117) }, { type: 'Feature', properties: { code: '100', name: '一百号网格' }, geometry: square(118) }] },
    })
    expect(res.statusCode, res.body).toBe(200)
    const cells = await s.store.selectFrom('grid_cells').select(['id', 'data']).execute()
    const idOf = (code: string) => cells.find((c) => JSON.parse(c.data).code === code)!.id
    for (const [username, code] of [['grid9', '9'], ['grid100', '100']] as const) {
      const created = await s.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: `Bearer ${tokens.admin}` }, payload: { username, name: `网格员${code}`, role: 'worker', password: 'password1' } })
      await setGrids(s.store, admin, (created.json() as { id: string }).id, [idOf(code)])
    }
    // grid03 loses their cell to grid04.
    const [g3, g4] = [workerOf(s.community, 'grid03'), workerOf(s.community, 'grid04')]
    await setGrids(s.store, admin, g4.id, [...g4.gridIds, ...g3.gridIds])

    const d = (await get<DashboardResponse>('secretary', '/api/stats/dashboard?from=2026-10-01&to=2026-10-31')).body
    const codes = [...s.community.gridCells.map((g) => g.code), '9', '100'].sort((a, b) => Number(a) - Number(b))
    const nameOf = (code: string) => s.community.gridCells.find((g) => g.code === code)?.name ?? { 9: '九号网格', 100: '一百号网格' }[code]
    expect(d.byGrid.map((r) => r.label)).toEqual(codes.map(nameOf))
    const usernames = s.community.users.filter((u) => u.role === 'worker' && u.username !== 'grid03').map((u) => u.username)
    const byNumber = [...usernames, 'grid9', 'grid100'].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    expect(d.byWorker.map((r) => r.label)).toEqual(byNumber.map((u) => s.community.users.find((x) => x.username === u)?.name ?? `网格员${u.slice(4)}`))
    const four = d.byWorker.find((r) => r.key === g4.id)!
    const theirCells = d.byGrid.filter((g) => [...g4.gridIds, ...g3.gridIds].includes(g.key))
    expect(four.openCases).toBe(theirCells.reduce((n, g) => n + g.openCases, 0))
    const cov = (await get<CoverageResponse>('secretary', '/api/stats/coverage?from=2026-10-01&to=2026-10-31')).body
    expect(cov.grids.map((g) => g.gridId)).toEqual(d.byGrid.map((r) => r.key))
    expect(cov.grids.find((g) => g.gridId === idOf('9'))).toMatchObject({ households: 0, needed: 0, coverage: null })
  })

  it('a worker with no grid cells sees empty figures, not everyone', async () => {
    const created = await s.app.inject({ method: 'POST', url: '/api/admin/users', headers: { authorization: `Bearer ${tokens.admin}` }, payload: { username: 'nocells', name: '待分配', role: 'worker', password: 'password1' } })
    expect(created.statusCode).toBe(201)
    tokens.nocells = await s.login('nocells', 'password1')
    const q = 'from=2026-10-01&to=2026-10-31'
    expect((await get<HouseholdStatsResponse>('nocells', `/api/stats/households?${q}`)).body.households).toEqual([])
    expect((await get<CoverageResponse>('nocells', `/api/stats/coverage?${q}`)).body.grids).toEqual([])
    const d = (await get<DashboardResponse>('nocells', `/api/stats/dashboard?${q}`)).body
    expect([d.byGrid, d.byWorker]).toEqual([[], []])
  })
})
