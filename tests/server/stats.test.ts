import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, Migrator, SqliteDialect } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CoverageResponse, DashboardResponse, Household, HouseholdStatsResponse, MutationResult, TrailResponse, Visit } from '../../src/domain'
import { CoverageResponse as CoverageSchema, DashboardResponse as DashboardSchema, HouseholdStatsResponse as HouseholdsSchema, PROTOCOL_VERSION, TrailResponse as TrailSchema, uuidv7 } from '../../src/domain'
import { openStore } from '../../src/server/store/open'
import { migrations } from '../../src/server/store/migrations'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(800)
  for (const u of ['grid01', 'grid02', 'secretary', 'admin']) tokens[u] = await s.login(u)
})
afterAll(() => s.close())

async function get<T>(username: string, url: string): Promise<{ status: number; body: T & { error?: { code: string; message: string } } }> {
  const res = await s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${tokens[username]}` } })
  return { status: res.statusCode, body: res.json() }
}

// ---- The expectation, computed the long way round from the generated community ----------------
// Written independently of src/domain/coverage.ts: calendar days as strings, China time by adding
// eight hours, the default rule table spelled out by hand.

const chinaDay = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10)
const addDays = (day: string, n: number) => new Date(Date.parse(day) + n * 86_400_000).toISOString().slice(0, 10)
/** The seeded settings are the defaults: 高风险 weekly, 重点 monthly, tagged 一般 quarterly, others twice a year. */
const intervalByHand = (h: Household) => (h.attention === 'high' ? 7 : h.attention === 'key' ? 30 : h.tags.length ? 91 : 182)

interface Expected {
  state: string
  dueDay: string | null
  visited: boolean
  needed: boolean
  visitsInPeriod: number
  lastCompletedAt: string | null
  gridId: string
  vulnerable: boolean
}

/** Where a household stands on `day`, from the visits `seen` (those up to then), by hand: the
 *  rule's due day, brought forward by the latest promised follow-up when nobody has been reached
 *  since the visit that promised it (and the promise is for a day after that visit). */
function standing(h: Household, seen: Visit[], day: string): { state: string; dueDay: string | null } {
  const completed = seen.filter((v) => v.outcome === 'met' || v.outcome === 'phone')
  if (completed.length === 0) return { state: 'never', dueDay: null }
  const last = completed.reduce((a, v) => (Date.parse(v.startedAt) > Date.parse(a.startedAt) ? v : a))
  let due = addDays(chinaDay(last.startedAt), intervalByHand(h))
  let promised = false
  const promises = seen.filter((v) => v.followUpDate !== null)
  if (promises.length) {
    const p = promises.reduce((a, v) => (Date.parse(v.startedAt) > Date.parse(a.startedAt) ? v : a))
    const kept = completed.some((v) => Date.parse(v.startedAt) > Date.parse(p.startedAt))
    if (!kept && p.followUpDate! > chinaDay(p.startedAt) && p.followUpDate! < due) {
      due = p.followUpDate!
      promised = true
    }
  }
  const state = due > day ? 'ok' : due === day ? 'due' : promised ? 'followup_missed' : 'overdue'
  return { state, dueDay: due }
}

function expectedStats(from: string, to: string, households: Household[] = s.community.households): Map<string, Expected> {
  const visitsOf = new Map<string, Visit[]>()
  for (const v of s.community.visits) visitsOf.set(v.householdId, [...(visitsOf.get(v.householdId) ?? []), v])
  const out = new Map<string, Expected>()
  for (const h of households) {
    const upTo = (visitsOf.get(h.id) ?? []).filter((v) => chinaDay(v.startedAt) <= to)
    const inPeriod = upTo.filter((v) => chinaDay(v.startedAt) >= from)
    const before = upTo.filter((v) => chinaDay(v.startedAt) < from)
    const completed = upTo.filter((v) => v.outcome === 'met' || v.outcome === 'phone')
    const lastCompleted = completed.length ? completed.map((v) => new Date(v.startedAt).toISOString()).sort().at(-1)! : null
    const now = standing(h, upTo, to)
    out.set(h.id, {
      state: now.state,
      dueDay: now.dueDay,
      visited: inPeriod.some((v) => v.outcome === 'met' || v.outcome === 'phone'),
      needed: standing(h, before, to).state !== 'ok',
      visitsInPeriod: inPeriod.length,
      lastCompletedAt: lastCompleted,
      gridId: h.gridId,
      vulnerable: h.tags.length > 0 || h.attention !== 'normal',
    })
  }
  return out
}

const PERIODS = [
  // One household of the demo falls due exactly on 30 September: 'due' is rare by nature.
  { from: '2026-09-01', to: '2026-09-30' },
  { from: '2026-10-01', to: '2026-10-31' },
  { from: '2026-08-24', to: '2026-11-20' },
  { from: '2025-11-21', to: '2026-11-20' },
]

describe('household states and coverage', () => {
  const seenStates = new Set<string>()
  // Every state occurs in these periods, so the comparisons are not vacuous.
  afterAll(() => expect([...seenStates].sort()).toEqual(['due', 'followup_missed', 'never', 'ok', 'overdue', 'visited']))

  it.each(PERIODS)('match a direct computation over the demo data for $from … $to', async ({ from, to }) => {
    const expected = expectedStats(from, to)
    const { status, body } = await get<HouseholdStatsResponse>('secretary', `/api/stats/households?from=${from}&to=${to}`)
    expect(status).toBe(200)
    expect(body.households).toHaveLength(s.community.households.length)
    // The app parses every answer with the shared schema: the server must keep to it exactly.
    expect(HouseholdsSchema.parse(body)).toEqual(body)
    const mismatches = body.households.filter((h) => {
      const e = expected.get(h.id)!
      return (
        h.state !== e.state ||
        h.dueDay !== e.dueDay ||
        h.visited !== e.visited ||
        h.needed !== e.needed ||
        h.visitsInPeriod !== e.visitsInPeriod ||
        h.lastCompletedAt !== e.lastCompletedAt ||
        h.gridId !== e.gridId
      )
    })
    expect(mismatches.slice(0, 3).map((h) => ({ got: h, want: expected.get(h.id) }))).toEqual([])
    for (const h of body.households) for (const x of [h.state, h.visited && 'visited']) if (x) seenStates.add(x)

    const coverage = await get<CoverageResponse>('secretary', `/api/stats/coverage?from=${from}&to=${to}`)
    expect(coverage.status).toBe(200)
    expect(coverage.body.grids).toHaveLength(s.community.gridCells.length)
    expect(CoverageSchema.parse(coverage.body)).toEqual(coverage.body)
    for (const g of coverage.body.grids) {
      const mine = [...expected.values()].filter((e) => e.gridId === g.gridId)
      const needed = mine.filter((e) => e.needed)
      const neededVisited = needed.filter((e) => e.visited)
      expect(g).toEqual({
        gridId: g.gridId,
        households: mine.length,
        needed: needed.length,
        neededVisited: neededVisited.length,
        coverage: needed.length ? neededVisited.length / needed.length : null,
        visitsInPeriod: mine.reduce((n, e) => n + e.visitsInPeriod, 0),
        overdue: mine.filter((e) => e.state === 'overdue' || e.state === 'followup_missed').length,
        never: mine.filter((e) => e.state === 'never').length,
      })
    }
  })

  it('the dashboard counts per grid cell and per worker, with twelve Monday weeks ending with `to`', async () => {
    const from = '2026-10-22'
    const to = '2026-11-20'
    const expected = expectedStats(from, to)
    const { status, body } = await get<DashboardResponse>('secretary', `/api/stats/dashboard?from=${from}&to=${to}`)
    expect(status).toBe(200)
    expect(DashboardSchema.parse(body)).toEqual(body)
    expect(body.weeks[11]).toBe('2026-11-16')
    expect(body.weeks[0]).toBe('2026-08-31')
    expect(body.byGrid.map((r) => r.label)).toEqual([...s.community.gridCells].sort((a, b) => a.code.localeCompare(b.code)).map((g) => g.name))
    const gridOf = new Map(s.community.households.map((h) => [h.id, h.gridId]))
    const week = (iso: string) => body.weeks.filter((w) => w <= chinaDay(iso)).length - 1
    for (const r of body.byGrid) {
      const mine = [...expected.values()].filter((e) => e.gridId === r.key)
      const vulnerableNeeded = mine.filter((e) => e.vulnerable && e.needed)
      expect(r.visits).toBe(s.community.visits.filter((v) => gridOf.get(v.householdId) === r.key && chinaDay(v.startedAt) >= from && chinaDay(v.startedAt) <= to).length)
      expect(r.vulnerableNeeded).toBe(vulnerableNeeded.length)
      expect(r.vulnerableVisited).toBe(vulnerableNeeded.filter((e) => e.visited).length)
      expect(r.overdue).toBe(mine.filter((e) => ['overdue', 'followup_missed', 'never'].includes(e.state)).length)
      expect(r.openCases).toBe(s.community.cases.filter((c) => c.gridId === r.key && c.state !== 'closed').length)
      expect(r.overdueCases).toBeLessThanOrEqual(r.openCases)
      const weekly = Array(12).fill(0)
      for (const v of s.community.visits) {
        if (gridOf.get(v.householdId) !== r.key || chinaDay(v.startedAt) > to || chinaDay(v.startedAt) < body.weeks[0]!) continue
        weekly[week(v.startedAt)]++
      }
      expect(r.weekly).toEqual(weekly)
    }
    expect(body.byGrid.reduce((n, r) => n + r.openCases, 0)).toBeGreaterThan(0)
    expect(body.byGrid.reduce((n, r) => n + r.overdueCases, 0)).toBeGreaterThan(0)

    const workers = s.community.users.filter((u) => u.role === 'worker')
    expect(body.byWorker.map((r) => r.label).sort()).toEqual(workers.map((w) => w.name).sort())
    for (const r of body.byWorker) {
      expect(r.visits).toBe(s.community.visits.filter((v) => v.workerId === r.key && chinaDay(v.startedAt) >= from && chinaDay(v.startedAt) <= to).length)
      const grid = body.byGrid.find((g) => g.key === workers.find((w) => w.id === r.key)!.gridIds[0])!
      expect(r.openCases).toBe(grid.openCases)
      expect(r.vulnerableCoverage).toBe(grid.vulnerableCoverage)
    }
  })
})

describe('filters', () => {
  const from = '2026-10-01'
  const to = '2026-10-31'

  it('gridId and workerId narrow to those grid cells', async () => {
    const grid02 = workerOf(s.community, 'grid02')
    const byGrid = await get<CoverageResponse>('secretary', `/api/stats/coverage?from=${from}&to=${to}&gridId=${grid02.gridIds[0]}`)
    expect(byGrid.body.grids.map((g) => g.gridId)).toEqual(grid02.gridIds)
    const byWorker = await get<HouseholdStatsResponse>('secretary', `/api/stats/households?from=${from}&to=${to}&workerId=${grid02.id}`)
    expect(byWorker.status).toBe(200)
    expect(byWorker.body.households).toHaveLength(s.community.households.filter((h) => grid02.gridIds.includes(h.gridId)).length)
    expect(byWorker.body.households.every((h) => grid02.gridIds.includes(h.gridId))).toBe(true)
    const dash = await get<DashboardResponse>('secretary', `/api/stats/dashboard?from=${from}&to=${to}&workerId=${grid02.id}`)
    expect(dash.body.byWorker.map((r) => r.key)).toEqual([grid02.id])
    expect(dash.body.byGrid.map((r) => r.key)).toEqual(grid02.gridIds)
  })

  it('tag and attention filter households, and states stay what they were', async () => {
    const all = expectedStats(from, to)
    for (const [q, keep] of [
      ['tag=dibao', (h: Household) => h.tags.includes('dibao')],
      ['attention=high', (h: Household) => h.attention === 'high'],
      ['tag=disabled&attention=key', (h: Household) => h.tags.includes('disabled') && h.attention === 'key'],
    ] as const) {
      const want = s.community.households.filter(keep)
      expect(want.length).toBeGreaterThan(0)
      const { status, body } = await get<HouseholdStatsResponse>('secretary', `/api/stats/households?from=${from}&to=${to}&${q}`)
      expect(status).toBe(200)
      expect(body.households.map((h) => h.id).sort()).toEqual(want.map((h) => h.id).sort())
      for (const h of body.households) expect(h.state).toBe(all.get(h.id)!.state)
      const coverage = await get<CoverageResponse>('secretary', `/api/stats/coverage?from=${from}&to=${to}&${q}`)
      expect(coverage.body.grids.reduce((n, g) => n + g.households, 0)).toBe(want.length)
    }
  })

  it('a 政法 tag filter is refused to a user not granted those tags', async () => {
    const worker = await get('grid01', `/api/stats/households?from=${from}&to=${to}&tag=correction`)
    expect(worker.status).toBe(403)
    expect(worker.body.error!.code).toBe('FORBIDDEN')
    expect((await get('secretary', `/api/stats/coverage?from=${from}&to=${to}&tag=correction`)).status).toBe(200)
  })
})

describe('scope', () => {
  const q = 'from=2026-10-01&to=2026-10-31'

  it('a worker sees only the households and grid cells assigned to them', async () => {
    const me = workerOf(s.community, 'grid01')
    const households = await get<HouseholdStatsResponse>('grid01', `/api/stats/households?${q}`)
    expect(households.status).toBe(200)
    expect(households.body.households).toHaveLength(s.community.households.filter((h) => me.gridIds.includes(h.gridId)).length)
    expect(households.body.households.every((h) => me.gridIds.includes(h.gridId))).toBe(true)
    const coverage = await get<CoverageResponse>('grid01', `/api/stats/coverage?${q}`)
    expect(coverage.body.grids.map((g) => g.gridId)).toEqual(me.gridIds)
    const dash = await get<DashboardResponse>('grid01', `/api/stats/dashboard?${q}`)
    expect(dash.body.byGrid.map((r) => r.key)).toEqual(me.gridIds)
    expect(dash.body.byWorker.map((r) => r.key)).toEqual([me.id])
    // Their own grid and their own id are fine.
    expect((await get('grid01', `/api/stats/coverage?${q}&gridId=${me.gridIds[0]}&workerId=${me.id}`)).status).toBe(200)
  })

  it("another grid cell's gridId or workerId is OUT_OF_SCOPE", async () => {
    const other = workerOf(s.community, 'grid02')
    for (const url of [
      `/api/stats/households?${q}&gridId=${other.gridIds[0]}`,
      `/api/stats/coverage?${q}&workerId=${other.id}`,
      `/api/stats/dashboard?${q}&gridId=${other.gridIds[0]}`,
      `/api/stats/trail?workerId=${other.id}&day=2026-10-15`,
    ]) {
      const { status, body } = await get('grid01', url)
      expect([url, status, body.error?.code]).toEqual([url, 403, 'OUT_OF_SCOPE'])
    }
  })

  it('an unknown grid cell or worker is NOT_FOUND for the office', async () => {
    expect((await get('secretary', `/api/stats/coverage?${q}&gridId=${uuidv7()}`)).body.error!.code).toBe('NOT_FOUND')
    expect((await get('admin', `/api/stats/coverage?${q}&workerId=${uuidv7()}`)).body.error!.code).toBe('NOT_FOUND')
  })

  it('asks for a login first', async () => {
    const res = await s.app.inject({ method: 'GET', url: `/api/stats/coverage?${q}` })
    expect(res.statusCode).toBe(401)
    expect(res.json().error.code).toBe('UNAUTHORIZED')
  })
})

describe('bad queries are 400 VALIDATION_FAILED, never 500', () => {
  it.each([
    ['from after to', 'from=2026-11-02&to=2026-11-01'],
    ['a month 13', 'from=2026-13-01&to=2026-12-31'],
    ['not a date', 'from=yesterday&to=2026-11-01'],
    ['a time instead of a day', 'from=2026-11-01T00:00:00Z&to=2026-11-02'],
    ['more than a year', 'from=2025-01-01&to=2026-11-01'],
    ['no `to`', 'from=2026-11-01'],
    ['a gridId that is no id', 'from=2026-11-01&to=2026-11-02&gridId=1%27%20or%201=1'],
    ['an unknown tag', 'from=2026-11-01&to=2026-11-02&tag=rich'],
    ['a repeated from', 'from=2026-11-01&from=2026-11-02&to=2026-11-03'],
  ])('%s', async (_what, query) => {
    for (const endpoint of ['households', 'coverage', 'dashboard']) {
      const { status, body } = await get('secretary', `/api/stats/${endpoint}?${query}`)
      expect([endpoint, status, body.error?.code]).toEqual([endpoint, 400, 'VALIDATION_FAILED'])
    }
  })

  it('trail needs a worker id and a day', async () => {
    for (const query of ['day=2026-11-01', `workerId=${workerOf(s.community, 'grid01').id}&day=11/01/2026`]) {
      const { status, body } = await get('secretary', `/api/stats/trail?${query}`)
      expect([status, body.error?.code]).toEqual([400, 'VALIDATION_FAILED'])
    }
  })
})

describe('trail', () => {
  it("the worker's located visits of one China day, in time order", async () => {
    const me = workerOf(s.community, 'grid01')
    // The day of their busiest recent day, so there is something to order.
    const counts = new Map<string, number>()
    for (const v of s.community.visits) if (v.workerId === me.id && v.location) counts.set(chinaDay(v.startedAt), (counts.get(chinaDay(v.startedAt)) ?? 0) + 1)
    const day = [...counts].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0]![0]
    const want = s.community.visits
      .filter((v) => v.workerId === me.id && v.location && chinaDay(v.startedAt) === day)
      .sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt))
    expect(want.length).toBeGreaterThan(2)
    for (const user of ['secretary', 'grid01']) {
      const { status, body } = await get<TrailResponse>(user, `/api/stats/trail?workerId=${me.id}&day=${day}`)
      expect(status).toBe(200)
      expect(TrailSchema.parse(body)).toEqual(body)
      expect(body.points.map((p) => p.visitId)).toEqual(want.map((v) => v.id))
      expect(body.points[0]).toMatchObject({ lat: want[0]!.location!.lat, lng: want[0]!.location!.lng, outcome: want[0]!.outcome })
      const times = body.points.map((p) => p.at)
      expect([...times].sort()).toEqual(times)
    }
  })
})

describe('visits pushed from a device', () => {
  it('count by their China day even when sent with a +08:00 offset', async () => {
    const me = workerOf(s.community, 'grid01')
    const day = '2026-11-20'
    // A household grid01 did not complete a visit with on that day.
    const visitedThatDay = new Set(s.community.visits.filter((v) => chinaDay(v.startedAt) === day).map((v) => v.householdId))
    let h = householdOf(s.community, 'grid01')
    for (let i = 1; visitedThatDay.has(h.id); i++) h = householdOf(s.community, 'grid01', i)
    const before = (await get<HouseholdStatsResponse>('grid01', `/api/stats/households?from=${day}&to=${day}`)).body.households.find((x) => x.id === h.id)!
    expect(before.visited).toBe(false)

    // 23:30 in China on the 20th is 15:30 UTC: stored as text it would sort after the day's end.
    const visit = makeVisit(s.community, h, me.id, { startedAt: `${day}T23:30:00+08:00`, outcome: 'phone', residentIds: [] })
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid01}` },
      payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [visitMutation(visit)] },
    })
    expect((res.json().results as MutationResult[])[0]).toMatchObject({ status: 'applied' })
    const row = await s.store.selectFrom('visits').select(['started_at', 'outcome']).where('id', '=', visit.id).executeTakeFirstOrThrow()
    expect(row).toEqual({ started_at: '2026-11-20T15:30:00.000Z', outcome: 'phone' })

    const after = (await get<HouseholdStatsResponse>('grid01', `/api/stats/households?from=${day}&to=${day}`)).body.households.find((x) => x.id === h.id)!
    expect(after).toMatchObject({ visited: true, visitsInPeriod: before.visitsInPeriod + 1, lastCompletedAt: '2026-11-20T15:30:00.000Z' })
    const next = (await get<HouseholdStatsResponse>('grid01', `/api/stats/households?from=2026-11-21&to=2026-11-21`)).body.households.find((x) => x.id === h.id)!
    expect(next.visitsInPeriod).toBe(0)
  })
})

describe('migration 0003', () => {
  it('backfills outcome from each visit and brings started_at to UTC', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoufang-migration-'))
    try {
      const file = join(dir, 'old.sqlite')
      // A store as it was before 0003: the first two migrations only.
      const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(file) }) })
      const upTo0002 = { getMigrations: async () => ({ '0001_initial': migrations['0001_initial']!, '0002_cases_comments_photos': migrations['0002_cases_comments_photos']! }) }
      expect((await new Migrator({ db: old, provider: upTo0002 }).migrateToLatest()).error).toBeUndefined()
      const rows = Array.from({ length: 2500 }, (_, i) => {
        const outcome = (['met', 'not_home', 'refused', 'phone'] as const)[i % 4]
        const startedAt = i === 7 ? '2026-11-20T23:30:00+08:00' : new Date(Date.UTC(2026, 9, 1) + i * 3600_000).toISOString()
        const id = uuidv7(Date.UTC(2026, 0, 1) + i)
        return { id, version: i + 1, deleted: 0, grid_id: null, household_id: null, worker_id: 'w', started_at: startedAt, data: JSON.stringify({ id, outcome, startedAt }) }
      })
      const typed = old as unknown as Kysely<{ visits: (typeof rows)[number] }>
      for (let i = 0; i < rows.length; i += 500) await typed.insertInto('visits').values(rows.slice(i, i + 500)).execute()
      await old.destroy()

      const store = await openStore(file)
      const after = await store.selectFrom('visits').select(['id', 'outcome', 'started_at']).orderBy('id').execute()
      expect(after).toHaveLength(2500)
      for (const [i, r] of after.entries()) expect(r.outcome).toBe(JSON.parse(rows[i]!.data).outcome)
      expect(after[7]!.started_at).toBe('2026-11-20T15:30:00.000Z')
      expect(after[8]!.started_at).toBe(rows[8]!.started_at)
      await store.destroy()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
