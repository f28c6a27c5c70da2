import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dismissCellLeft, readCellsLeft } from '../../src/app/sync/cellsLeft'
import { createLocal } from '../../src/app/sync/outbox'
import type { PullResponse } from '../../src/domain'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, type DeviceOptions, login, SMALL_COMMUNITY } from './harness'

// A grid cell moved to another worker leaves the old worker's phone at its next sync (a reset
// and a re-pull). The phone must then say which cell left, when and to whom, and that the visits
// made offline were kept — not show an unexplained 共 0 户. The server names the cells that left
// in the answer to a pull from the start; a phone facing an older server still says which left.

let s: TestServer
let baseUrl: string
let adminToken: string
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  adminToken = await login(baseUrl, 'admin')
})
afterAll(async () => {
  for (const d of devices) d.db.close()
  await s.close()
})

async function newDevice(username: string, options: DeviceOptions = {}) {
  const d = new Device(baseUrl, await login(baseUrl, username), options)
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

async function setGrids(userId: string, gridIds: string[]) {
  const res = await fetch(`${baseUrl}/api/admin/users/${userId}/grids`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ gridIds }),
  })
  expect(res.status).toBe(200)
  return (await res.json()) as { gridIds: string[] }
}

const cellName = (gridId: string) => s.community.gridCells.find((g) => g.id === gridId)!.name
const moveTimes = async (gridId: string, userId: string) =>
  (await s.store.selectFrom('grid_assignments').select('unassigned_at').where('grid_id', '=', gridId).where('user_id', '=', userId).execute()).map((r) => r.unassigned_at)

describe('a grid cell that left a worker, on their phone', () => {
  it('says which cell went to whom and when, and keeps the visits made offline (sent, or refused in 待处理)', async () => {
    const g1 = workerOf(s.community, 'grid01')
    const g2 = workerOf(s.community, 'grid02')
    const cell = g1.gridIds[0]!
    const d1 = await newDevice('grid01')
    const d2 = await newDevice('grid02')
    expect(await readCellsLeft(d1.db)).toEqual([])

    // Offline: one visit while the cell is still grid01's, then the move, then another.
    const household = householdOf(s.community, 'grid01')
    const before = makeVisit(s.community, household, g1.id, { startedAt: new Date(Date.now() - 60_000).toISOString() })
    await createLocal(d1.db, 'visit', before)
    await setGrids(g2.id, [...g2.gridIds, cell])
    await new Promise((r) => setTimeout(r, 5))
    const after = makeVisit(s.community, household, g1.id, { startedAt: new Date().toISOString() })
    await createLocal(d1.db, 'visit', after)

    await d1.engine.syncOnce()
    expect((await d1.db.households.toArray()).filter((h) => h.gridId === cell)).toEqual([])
    const [at] = await moveTimes(cell, g1.id)
    const notices = await readCellsLeft(d1.db)
    expect(notices).toEqual([
      { gridId: cell, gridName: cellName(cell), at: new Date(at!).toISOString(), noticedAt: expect.any(String), toName: g2.name, visitIds: [before.id, after.id] },
    ])
    // The one made after the move waits in 待处理; the other reached the server.
    expect((await d1.db.outbox.toArray()).map((r) => [r.entityId, r.state])).toEqual([[after.id, 'rejected']])

    // The notice stays through later syncs until dismissed, and does not come back after.
    await d1.engine.syncOnce()
    expect(await readCellsLeft(d1.db)).toEqual(notices)
    await dismissCellLeft(d1.db, cell)
    await d1.engine.syncOnce()
    expect(await readCellsLeft(d1.db)).toEqual([])

    // The worker who received the cell lost nothing and is told nothing.
    await d2.engine.syncOnce()
    expect(await readCellsLeft(d2.db)).toEqual([])
  })

  it('names the cells in the answer to a pull from the start, for a worker only, and not on a pull that continues', async () => {
    const g3 = workerOf(s.community, 'grid03')
    const g4 = workerOf(s.community, 'grid04')
    const cell = g3.gridIds[0]!
    await setGrids(g4.id, [...g4.gridIds, cell])
    const pull = async (username: string, cursor?: string) => {
      const q = new URLSearchParams({ limit: '5', ...(cursor ? { cursor } : {}) })
      const res = await fetch(`${baseUrl}/api/sync/pull?${q}`, { headers: { authorization: `Bearer ${await login(baseUrl, username)}` } })
      return (await res.json()) as Extract<PullResponse, { changes: unknown }>
    }
    const first = await pull('grid03')
    const [at] = await moveTimes(cell, g3.id)
    expect(first.cellsLeft).toEqual([{ gridId: cell, gridName: cellName(cell), at: new Date(at!).toISOString(), toName: g4.name }])
    expect((await pull('grid03', first.cursor)).cellsLeft).toBeUndefined()
    // The worker who took it over has lost nothing; the office has no cells of its own.
    expect((await pull('grid04')).cellsLeft).toEqual([])
    expect((await pull('secretary')).cellsLeft).toBeUndefined()
  })

  it('says a cell was taken off with nobody named when no one holds it', async () => {
    const g5 = workerOf(s.community, 'grid05')
    const d5 = await newDevice('grid05')
    const [cell, ...rest] = g5.gridIds
    await setGrids(g5.id, rest)
    await d5.engine.syncOnce()
    expect(await readCellsLeft(d5.db)).toMatchObject([{ gridId: cell, gridName: cellName(cell!), toName: null, visitIds: [] }])
  })

  it('still says which cell left when the server does not say (an older server), and drops the notice when the cell comes back', async () => {
    const g6 = workerOf(s.community, 'grid06')
    const g7 = workerOf(s.community, 'grid07')
    const cell = g6.gridIds[0]!
    const older: DeviceOptions['wrap'] = (t) => ({
      ...t,
      pull: async (cursor, limit) => {
        const res = await t.pull(cursor, limit)
        if ('cellsLeft' in res) delete res.cellsLeft
        return res
      },
    })
    const d6 = await newDevice('grid06', { wrap: older })
    await setGrids(g7.id, [...g7.gridIds, cell])
    await d6.engine.syncOnce()
    const [notice] = await readCellsLeft(d6.db)
    expect(notice).toEqual({ gridId: cell, gridName: cellName(cell), at: null, noticedAt: expect.any(String), visitIds: [] })
    expect(notice).not.toHaveProperty('toName')

    await setGrids(g6.id, [...g6.gridIds])
    await d6.engine.syncOnce()
    expect((await d6.db.households.toArray()).some((h) => h.gridId === cell)).toBe(true)
    expect(await readCellsLeft(d6.db)).toEqual([])
  })
})
