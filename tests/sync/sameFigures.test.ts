import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { mapState } from '../../src/app/map/colors'
import { createLocal } from '../../src/app/sync/outbox'
import type { CoverageResponse, DashboardResponse, HouseholdStatsResponse, Visit } from '../../src/domain'
import { DEFAULT_SETTINGS, SETTINGS_ID } from '../../src/domain'
import { buildTodayList, lateByGrid } from '../../src/domain/duePolicy'
import { visitHistories } from '../../src/domain/householdState'
import { parseCsv } from '../support/csv'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, login, SMALL_COMMUNITY } from './harness'
import { allVisits } from '../../src/app/db/visits'

// Issue 10, part 5: one community, the same figures on every view. Per grid cell, the late
// households (never visited, overdue, follow-up missed) and the never visited, as
//   - the worker's 今日 and the home page count them on the device (each worker's own phone, and
//     the secretary's, which holds the whole community), from what sync brought there;
//   - the dashboard (/api/stats/dashboard, 逾期未访);
//   - the map (/api/stats/coverage per cell, and each household's colour from /api/stats/households);
//   - the dashboard export (.csv, 逾期未访户数).
// Promised follow-ups are planted in two cells, missed and kept, so the views that forgot them
// (the office's, before) would disagree with the worker's list.

// Tuesday 24 November 2026, 10:00 in China: a few days after the demo's last visits.
const NOW = Date.parse('2026-11-24T10:00:00+08:00')
const TO = '2026-11-24'
const FROM = '2026-10-26'
const china = (day: string, time = '10:00') => new Date(`${day}T${time}:00+08:00`).toISOString()

let s: TestServer
let baseUrl: string
const devices: Device[] = []
const tokens: Record<string, string> = {}
let cells: { id: string; name: string }[] = []

beforeAll(async () => {
  // Only Date is faked: the server judges "today" by it, and IndexedDB and HTTP need real timers.
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  for (const u of s.community.users) if (u.role !== 'admin') tokens[u.username] = await login(baseUrl, u.username)
  cells = [...s.community.gridCells].sort((a, b) => a.code.localeCompare(b.code, 'zh-CN', { numeric: true })).map((g) => ({ id: g.id, name: g.name }))
})
afterAll(async () => {
  for (const d of devices) d.db.close()
  await s.close()
  vi.useRealTimers()
})

async function device(username: string) {
  const d = new Device(baseUrl, tokens[username]!)
  devices.push(d)
  await d.syncUntilOk()
  return d
}

async function get<T>(username: string, path: string): Promise<T> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${tokens[username]}` } })
  expect(res.status, path).toBe(200)
  return (path.includes('.csv') ? await res.text() : await res.json()) as T
}

/** Recorded on the worker's phone, offline, then sent by sync: as the app does it. */
async function plant(d: Device, username: string) {
  const me = workerOf(s.community, username)
  // Households the demo did not visit since the 14th, so only the planted visits decide them
  // (whatever the demo's random draws: a demo visit on the 19th would keep a "missed" promise).
  const lately = new Set(s.community.visits.filter((v) => v.startedAt >= china('2026-11-14', '00:00')).map((v) => v.householdId))
  const quiet = Array.from({ length: 200 }, (_, i) => householdOf(s.community, username, i)).filter((h, i, all) => !lately.has(h.id) && all.indexOf(h) === i)
  const at = (index: number) => quiet[index]!
  const visit = (h: ReturnType<typeof at>, startedAt: string, outcome: Visit['outcome'], followUpDate: string | null = null) =>
    makeVisit(s.community, h, me.id, outcome === 'met' ? { startedAt, followUpDate } : { startedAt, outcome, followUpDate, residentIds: [], templateId: null, templateVersion: null, answers: {} })
  const visits = [
    // Missed: promised for the 21st, nobody came.
    visit(at(0), china('2026-11-18'), 'met', '2026-11-21'),
    // Missed too: someone came on the 22nd, but nobody was at home.
    visit(at(1), china('2026-11-15'), 'met', '2026-11-20'),
    visit(at(1), china('2026-11-22'), 'not_home'),
    // Kept: reached by phone the day after the promised day.
    visit(at(2), china('2026-11-15'), 'met', '2026-11-20'),
    visit(at(2), china('2026-11-21'), 'phone', null),
    // Promised for today: due, not late.
    visit(at(3), china('2026-11-20'), 'met', TO),
  ]
  visits[4]!.residentIds = s.community.residents.filter((r) => r.householdId === at(2).id).slice(0, 1).map((r) => r.id)
  for (const v of visits) await createLocal(d.db, 'visit', v)
  await d.syncUntilOk()
  expect(await d.db.outbox.count()).toBe(0)
  return { missed: [at(0).id, at(1).id], kept: at(2).id, dueToday: at(3).id }
}

type Figures = Record<string, { late: number; never: number }>

/** The device's own figures: the today list and the home counts are built from these. */
async function deviceFigures(d: Device): Promise<Figures> {
  const [households, visits, settings] = await Promise.all([d.db.households.toArray(), allVisits(d.db), d.db.settings.get(SETTINGS_ID)])
  const list = buildTodayList(households, visitHistories(visits), (settings ?? DEFAULT_SETTINGS).visitRules, Date.now())
  const byGrid = lateByGrid(list)
  const out: Figures = {}
  for (const g of new Set(households.map((h) => h.gridId))) out[g] = { late: byGrid.get(g)?.overdue ?? 0, never: byGrid.get(g)?.never ?? 0 }
  // The home page's count is the list's: one number, the sum of the cells.
  expect(list.overdue.length).toBe(Object.values(out).reduce((n, f) => n + f.late, 0))
  return out
}

describe('one community, the same figures on every view', () => {
  let planted: Awaited<ReturnType<typeof plant>>[] = []
  let views: Record<string, Figures> = {}

  beforeAll(async () => {
    const phones = { grid01: await device('grid01'), grid02: await device('grid02') }
    planted = [await plant(phones.grid01, 'grid01'), await plant(phones.grid02, 'grid02')]
    // Every other worker's phone too: each holds its own cells only, with the tags it may see.
    const others = await Promise.all(s.community.users.filter((u) => u.role === 'worker' && !(u.username in phones)).map((u) => device(u.username)))
    const secretary = await device('secretary')
    await Promise.all(Object.values(phones).map((p) => p.syncUntilOk()))

    const q = `from=${FROM}&to=${TO}`
    const [dashboard, coverage, households, csv] = await Promise.all([
      get<DashboardResponse>('secretary', `/api/stats/dashboard?${q}`),
      get<CoverageResponse>('secretary', `/api/stats/coverage?${q}`),
      get<HouseholdStatsResponse>('secretary', `/api/stats/households?${q}`),
      get<string>('secretary', `/api/exports/dashboard.csv?${q}`),
    ])
    const pick = (f: (id: string) => { late: number; never: number } | undefined): Figures =>
      Object.fromEntries(cells.map((g) => [g.id, f(g.id) ?? { late: NaN, never: NaN }]))

    const rows = parseCsv(csv.replace(/^\uFEFF/, ''))
    const col = rows[0]!.indexOf('逾期未访户数')
    const mapDots: Figures = pick(() => ({ late: 0, never: 0 }))
    for (const h of households.households) {
      const shown = mapState(h)
      if (shown === 'overdue' || shown === 'never') mapDots[h.gridId]!.late++
      if (shown === 'never') mapDots[h.gridId]!.never++
    }
    const neverOf = (id: string) => coverage.grids.find((g) => g.gridId === id)!.never
    views = {
      'dashboard (逾期未访)': pick((id) => ({ late: dashboard.byGrid.find((r) => r.key === id)!.overdue, never: neverOf(id) })),
      'map, per cell (逾期 + 从未走访)': pick((id) => {
        const g = coverage.grids.find((x) => x.gridId === id)!
        return { late: g.overdue + g.never, never: g.never }
      }),
      'map, the households drawn': mapDots,
      'export (逾期未访户数)': pick((id) => {
        const r = rows.find((x) => x[0] === '网格' && x[1] === cells.find((g) => g.id === id)!.name)
        return r && { late: Number(r[col]), never: neverOf(id) }
      }),
      "secretary's phone (home counts)": await deviceFigures(secretary),
      "workers' phones (今日)": pick(() => ({ late: 0, never: 0 })),
    }
    for (const phone of [...Object.values(phones), ...others]) Object.assign(views["workers' phones (今日)"]!, await deviceFigures(phone))
  })

  it('every view counts the same late and never-visited households in every grid cell', () => {
    const reference = views['dashboard (逾期未访)']!
    for (const [view, figures] of Object.entries(views))
      for (const [gridId, f] of Object.entries(figures)) expect([view, cells.find((g) => g.id === gridId)!.name, f]).toEqual([view, cells.find((g) => g.id === gridId)!.name, reference[gridId]])
  })

  it('the figures are not empty, and the planted promises are in them', async () => {
    const total = Object.values(views['dashboard (逾期未访)']!).reduce((n, f) => n + f.late, 0)
    const never = Object.values(views['dashboard (逾期未访)']!).reduce((n, f) => n + f.never, 0)
    expect(total).toBeGreaterThan(never)
    expect(never).toBeGreaterThan(0)
    const { households } = await get<HouseholdStatsResponse>('secretary', `/api/stats/households?from=${FROM}&to=${TO}`)
    const state = new Map(households.map((h) => [h.id, h]))
    for (const p of planted) {
      for (const id of p.missed) expect(state.get(id)).toMatchObject({ state: 'followup_missed', followUp: true })
      expect(state.get(p.kept)).toMatchObject({ state: 'ok', followUp: false, visited: true })
      expect(state.get(p.dueToday)).toMatchObject({ state: 'due', dueDay: TO, followUp: true })
    }
    expect(state.get(planted[0]!.missed[0]!)!.dueDay).toBe('2026-11-21')
  })
})
