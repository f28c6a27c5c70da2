import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocal } from '../../src/app/sync/outbox'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, login } from './harness'
import { findVisit } from '../../src/app/db/visits'

// A reassignment while a worker is offline (design.md, "The sync contract", Scope): visits recorded
// while the household was still theirs are accepted; visits recorded after are refused and kept;
// the old worker's device drops the cell at its next pull, the new worker's device gets it.

let s: TestServer
let baseUrl: string
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer()
  baseUrl = await s.listen()
})
afterAll(async () => {
  for (const d of devices) d.db.close()
  await s.close()
})

async function newDevice(username: string) {
  const d = new Device(baseUrl, await login(baseUrl, username))
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

const householdsOfCell = (gridId: string) => s.community.households.filter((h) => h.gridId === gridId).map((h) => h.id).sort()

async function deviceHouseholdsOf(d: Device, gridId: string) {
  return (await d.db.households.toArray()).filter((h) => h.gridId === gridId).map((h) => h.id).sort()
}

describe('reassigning a grid cell while its worker is offline', () => {
  it('accepts visits made while assigned, refuses later ones, and moves the cell between devices', async () => {
    const g1 = workerOf(s.community, 'grid01')
    const g2 = workerOf(s.community, 'grid02')
    const cell = g1.gridIds[0]!
    const d1 = await newDevice('grid01')
    const d2 = await newDevice('grid02')
    expect(await deviceHouseholdsOf(d1, cell)).toEqual(householdsOfCell(cell))
    expect(await deviceHouseholdsOf(d2, cell)).toEqual([])

    // Offline: grid01 records a visit while cell 001 is still theirs.
    const household = householdOf(s.community, 'grid01')
    const before = makeVisit(s.community, household, g1.id, { startedAt: new Date(Date.now() - 60_000).toISOString() })
    await createLocal(d1.db, 'visit', before)

    // The admin moves cell 001 to grid02 (grid01 keeps nothing).
    const adminToken = await login(baseUrl, 'admin')
    const res = await fetch(`${baseUrl}/api/admin/users/${g2.id}/grids`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gridIds: [...g2.gridIds, cell] }),
    })
    expect(res.status).toBe(200)
    await new Promise((r) => setTimeout(r, 5))

    // Still offline, grid01 records another visit, now after the reassignment.
    const after = makeVisit(s.community, household, g1.id, { startedAt: new Date().toISOString() })
    await createLocal(d1.db, 'visit', after)

    // Back online.
    const report = await d1.engine.syncOnce()
    expect(report.rejected).toBe(1)

    // The visit made while assigned is applied and the secretary sees it.
    const onServer = await s.store.selectFrom('visits').select(['id', 'worker_id', 'grid_id']).where('id', 'in', [before.id, after.id]).execute()
    expect(onServer).toEqual([{ id: before.id, worker_id: g1.id, grid_id: cell }])
    const { version } = await s.store.selectFrom('visits').select('version').where('id', '=', before.id).executeTakeFirstOrThrow()
    const secretaryToken = await login(baseUrl, 'secretary')
    const page = await fetch(`${baseUrl}/api/sync/pull?cursor=1.1.${Number(version) - 1}&limit=10`, { headers: { authorization: `Bearer ${secretaryToken}` } })
    const pulled = (await page.json()) as { changes: Array<{ entity: string; id: string }> }
    expect(pulled.changes.some((c) => c.entity === 'visit' && c.id === before.id)).toBe(true)

    // The later one is refused and kept in the device's "needs attention" list.
    const outbox = await d1.db.outbox.toArray()
    expect(outbox).toHaveLength(1)
    expect(outbox[0]).toMatchObject({ entityId: after.id, state: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    expect(await findVisit(d1.db, after.id)).toBeDefined()

    // grid01's device dropped the cell's households (reset, re-pull, outbox kept).
    expect(await deviceHouseholdsOf(d1, cell)).toEqual([])

    // grid02's device gets them, and the accepted visit, at its next pull.
    await d2.engine.syncOnce()
    expect(await deviceHouseholdsOf(d2, cell)).toEqual(householdsOfCell(cell))
    expect(await findVisit(d2.db, before.id)).toMatchObject({ id: before.id, workerId: g1.id })
  })
})
