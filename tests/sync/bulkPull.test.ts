import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { effectScope, nextTick } from 'vue'
import { bulkPull, useLiveQuery } from '../../src/app/db/useLiveQuery'
import { getMeta, TABLE_OF } from '../../src/app/db/database'
import { allRecords } from '../../src/app/db/records'
import type { SyncReport } from '../../src/app/sync/engine'
import { noteVisitWindow, pruneVisits } from '../../src/app/sync/visitWindow'
import { COMPLETES, type Entity, type Visit, uuidv7, visitHistories } from '../../src/domain'
import { createLocal } from '../../src/app/sync/outbox'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, login, SMALL_COMMUNITY } from './harness'
import { allVisits, countVisits, putVisits } from '../../src/app/db/visits'
import { countResidents } from '../../src/app/db/residents'

// A first sync of a big community is many pages. A live query over whole tables, re-run after
// each page, reads everything stored so far every time: the sync slows down page by page (a
// 10,000-household secretary waited minutes). Such queries hold still while pages arrive and run
// once at the end. And an office device keeps only recent visits.

let s: TestServer
let baseUrl: string
const devices: Device[] = []
beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
})
afterAll(() => s.close())
afterEach(() => {
  for (const d of devices.splice(0)) d.db.close()
  bulkPull.value = false
})

async function device(user: string, opts: ConstructorParameters<typeof Device>[2] = {}) {
  const d = new Device(baseUrl, await login(baseUrl, user), { onBulkPull: (a) => (bulkPull.value = a), ...opts })
  devices.push(d)
  return d
}

const serverVisits = async () => (await s.store.selectFrom('visits').select('data').where('deleted', '=', 0).execute()).map((r) => JSON.parse(r.data) as Visit)

const settle = async () => {
  for (let i = 0; i < 5; i++) {
    await nextTick()
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('a first sync of many pages with live queries open', () => {
  it('a whole-table query reads nothing while pages arrive, then everything once', async () => {
    const reads: number[] = [] // records read by the query since the last page
    let read = 0
    const pages: SyncReport[] = []
    const d = await device('grid01', {
      pullLimit: 15,
      onProgress: (r) => {
        pages.push({ ...r })
        reads.push(read)
        read = 0
      },
    })
    const scope = effectScope()
    const visits = scope.run(() =>
      useLiveQuery(async () => {
        const rows = await allVisits(d.db)
        read += rows.length
        return rows.length
      }, -1, undefined, { wholeTables: true }),
    )!
    // The same query, not marked: what the marked one saves.
    let unmarkedReads = 0
    scope.run(() => useLiveQuery(async () => (unmarkedReads += (await allVisits(d.db)).length), 0))
    await settle()
    const report = await d.engine.syncOnce()
    await settle()
    const pulls = pages.filter((p, i) => i > 0 && p.pulled > pages[i - 1]!.pulled)
    expect(pulls.length).toBeGreaterThan(10)
    // Page by page, the marked query read nothing: constant, not growing with what is stored.
    expect(reads.slice(1)).toEqual(reads.slice(1).map(() => 0))
    // Once the pull ended it ran once, over everything, and shows it.
    const stored = await countVisits(d.db)
    expect(stored).toBeGreaterThan(40)
    expect(visits.value).toBe(stored)
    expect(read).toBe(stored)
    // The unmarked one re-read the visits stored so far after page after page.
    expect(unmarkedReads).toBeGreaterThan(stored * 3)
    expect(bulkPull.value).toBe(false)
    // The progress had a total from the start: the percent the home page shows.
    expect(pages.slice(1).every((p) => p.total === report.pulled)).toBe(true)
    scope.stop()
  })

  it('a pull of one page does not hold the queries still', async () => {
    const flags: boolean[] = []
    const d2 = new Device(baseUrl, await login(baseUrl, 'grid01'), { pullLimit: 50, onBulkPull: (a) => flags.push(a) })
    devices.push(d2)
    await d2.engine.syncOnce() // the first sync: more than one page
    expect(flags).toEqual([true, false])
    flags.length = 0
    await createLocal(d2.db, 'visit', makeVisit(s.community, householdOf(s.community, 'grid01'), workerOf(s.community, 'grid01').id))
    await d2.engine.syncOnce()
    expect(flags).toEqual([])
  })

  it('the next page is asked for while this one is written, and pages still land in order, each once', async () => {
    const events: string[] = []
    let pulls = 0
    const d = await device('grid01', {
      pullLimit: 20,
      onProgress: (r) => events.push(`applied ${r.pulled}`),
      wrap: (t) => ({ ...t, pull: (c, l, n) => (events.push(`pull ${++pulls}`), t.pull(c, l, n)) }),
    })
    const report = await d.engine.syncOnce()
    const pulled = events.filter((e) => e.startsWith('applied ') && e !== 'applied 0')
    expect(pulls).toBeGreaterThan(5)
    // Page k+1 was asked for before page k was written.
    for (let k = 1; k < pulls; k++) expect(events.indexOf(`pull ${k + 1}`), `pull ${k + 1}`).toBeLessThan(events.indexOf(pulled[k - 1]!))
    const stored = (await Promise.all((Object.keys(TABLE_OF) as Entity[]).map((e) => allRecords(d.db, e)))).reduce((a, rs) => a + rs.length, 0)
    expect(stored).toBe(report.pulled)
  })

  it('a page that fails to arrive after others were written: what was written stays, the next pass goes on from there', async () => {
    let pulls = 0
    let failed = false
    const d = await device('grid01', {
      pullLimit: 20,
      wrap: (t) => ({ ...t, pull: async (c, l, n) => (++pulls === 4 && !failed ? ((failed = true), Promise.reject(new Error('network gone'))) : t.pull(c, l, n)) }),
    })
    await expect(d.engine.syncOnce()).rejects.toThrow('network gone')
    const cursor = await getMeta<string>(d.db, 'cursor')
    expect(cursor).toBeDefined()
    const before = await d.db.households.count() + (await countResidents(d.db))
    expect(before).toBeGreaterThan(0)
    const second = await d.engine.syncOnce()
    expect(second.pulled).toBeGreaterThan(0)
    const gridId = workerOf(s.community, 'grid01').gridIds[0]!
    expect(await d.db.households.count()).toBe(s.community.households.filter((h) => h.gridId === gridId).length)
  })

  it('a pull that fails mid-way lets the queries go again', async () => {
    let pages = 0
    const d = await device('grid01', {
      pullLimit: 30,
      wrap: (t) => ({ ...t, pull: async (c, l, n) => (++pages === 4 ? Promise.reject(new Error('network gone')) : t.pull(c, l, n)) }),
    })
    await expect(d.engine.syncOnce()).rejects.toThrow('network gone')
    expect(bulkPull.value).toBe(false)
  })
})

describe("the office device's visits", () => {
  it("the secretary's device holds the recent visits, every household's latest completed one, and every case", async () => {
    const d = await device('secretary', { today: () => '2026-12-01' })
    await d.engine.syncOnce()
    // A pull from the start brought exactly the window: today's pruning is done without a scan.
    expect(await getMeta(d.db, 'visitsPrunedOn')).toBe('2026-12-01')
    const from = await getMeta<string>(d.db, 'visitsFrom')
    expect(from).toBeDefined()
    const onDevice = await allVisits(d.db)
    const all = await serverVisits()
    expect(onDevice.length).toBeLessThan(all.length)
    expect(onDevice.length).toBe(all.filter((v) => v.startedAt >= from!).length + onDevice.filter((v) => v.startedAt < from!).length)
    const latest = visitHistories(all)
    for (const v of onDevice.filter((x) => x.startedAt < from!)) expect(v.startedAt).toBe(latest.get(v.householdId)!.lastCompletedAt)
    expect(await d.db.cases.count()).toBe(s.community.cases.length)
    expect(await d.db.households.count()).toBe(s.community.households.length)
  })

  it("a worker's device holds every visit of their cells and no window", async () => {
    const d = await device('grid01')
    await d.engine.syncOnce()
    expect(await getMeta(d.db, 'visitsFrom')).toBeUndefined()
    expect(await getMeta(d.db, 'visitsPrunedOn')).toBeUndefined()
    const gridId = workerOf(s.community, 'grid01').gridIds[0]!
    expect(await countVisits(d.db)).toBe((await serverVisits()).filter((v) => v.gridId === gridId).length)
  })

  it('visits that left the window are dropped once a day, but for the latest completed and the unsent', async () => {
    const d = await device('secretary')
    const h = s.community.households[0]!
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString()
    const v = (daysAgo: number, outcome: Visit['outcome'], householdId = h.id): Visit => ({ ...makeVisit(s.community, h, workerOf(s.community, 'secretary').id), householdId, startedAt: at(daysAgo), outcome })
    const old = v(200, 'met')
    const latestMet = v(120, 'phone')
    const oldNotHome = v(100, 'not_home')
    const recent = v(10, 'not_home')
    const otherLatest = v(300, 'met', s.community.households[1]!.id)
    await putVisits(d.db, [old, latestMet, oldNotHome, recent, otherLatest].map((x) => ({ ...x, _v: 1 })))
    const unsent = v(150, 'not_home')
    await createLocal(d.db, 'visit', unsent)
    await d.db.meta.put({ key: 'visitsFrom', value: at(90) })
    expect(COMPLETES.phone).toBe(true)

    expect(await pruneVisits(d.db, '2026-12-01')).toBe(2)
    const left = new Set((await allVisits(d.db)).map((x) => x.id))
    expect(left).toEqual(new Set([latestMet.id, recent.id, otherLatest.id, unsent.id]))
    // Once a day: the same day again drops nothing, even what is newly old.
    await putVisits(d.db, [{ ...v(95, 'refused'), _v: 1, id: uuidv7() }])
    expect(await pruneVisits(d.db, '2026-12-01')).toBe(0)
    expect(await pruneVisits(d.db, '2026-12-02')).toBe(1)
  })

  it("of two old completed visits of a household only the later stays; one begun at the window's first instant is in it", async () => {
    const d = await device('secretary')
    const h = s.community.households[2]!
    const from = new Date(Date.now() - 90 * 86_400_000).toISOString()
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString()
    const v = (startedAt: string, outcome: Visit['outcome']): Visit => ({ ...makeVisit(s.community, h, workerOf(s.community, 'secretary').id), startedAt, outcome })
    const later = v(at(100), 'met')
    const earlier = v(at(150), 'met')
    const atEdge = v(from, 'not_home')
    // The later one first: the order they are read in must not matter.
    await putVisits(d.db, [later, earlier, atEdge].map((x) => ({ ...x, _v: 1 })))
    await d.db.meta.put({ key: 'visitsFrom', value: from })
    expect(await pruneVisits(d.db, '2026-12-01')).toBe(1)
    expect(new Set((await allVisits(d.db)).map((x) => x.id))).toEqual(new Set([later.id, atEdge.id]))
  })

  it('a device with no window (a worker’s) drops nothing, and a window the server no longer states is forgotten', async () => {
    const d = await device('grid01')
    const h = householdOf(s.community, 'grid01')
    const old = { ...makeVisit(s.community, h, workerOf(s.community, 'grid01').id), startedAt: '2024-01-01T00:00:00.000Z', outcome: 'not_home' as const }
    await putVisits(d.db, [{ ...old, _v: 1 }])
    expect(await pruneVisits(d.db, '2026-12-01')).toBe(0)
    expect(await countVisits(d.db)).toBe(1)
    await noteVisitWindow(d.db, '2026-09-02T00:00:00.000Z')
    expect(await getMeta(d.db, 'visitsFrom')).toBe('2026-09-02T00:00:00.000Z')
    await noteVisitWindow(d.db, undefined)
    expect(await getMeta(d.db, 'visitsFrom')).toBeUndefined()
    expect(await pruneVisits(d.db, '2026-12-02')).toBe(0)
  })
})
