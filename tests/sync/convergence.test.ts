import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createLocal, discardRejected, patchHouseholdLocal, resendRejected } from '../../src/app/sync/outbox'
import { ApiFailure } from '../../src/app/api/client'
import { uuidv7 } from '../../src/domain'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged as converged, login } from './harness'
import { findVisit } from '../../src/app/db/visits'

let s: TestServer
let baseUrl: string
let token: string
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer()
  baseUrl = await s.listen()
  token = await login(baseUrl, 'grid01')
})
afterAll(() => s.close())
afterEach(() => {
  for (const d of devices.splice(0)) d.db.close()
})

async function newDevice(tok = token) {
  const d = new Device(baseUrl, tok)
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

const grid01 = () => workerOf(s.community, 'grid01')
const gridId = () => grid01().gridIds[0]!

async function recordVisits(d: Device, n: number, offset = 0) {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const v = makeVisit(s.community, householdOf(s.community, 'grid01', offset + i), grid01().id, { notes: `第${offset + i}次测试走访` })
    await createLocal(d.db, 'visit', v)
    ids.push(v.id)
  }
  return ids
}

async function serverCounts(ids: string[]) {
  const rows = await s.store.selectFrom('visits').select('id').where('id', 'in', ids).execute()
  const counts = new Map<string, number>()
  for (const r of rows) counts.set(r.id, (counts.get(r.id) ?? 0) + 1)
  return ids.map((id) => counts.get(id) ?? 0)
}

/** Every synced table, as grid01's phone may hold it (workers never receive 政法 tags). */
const expectConverged = (d: Device) => converged(s, d, { gridIds: grid01().gridIds, sensitiveTags: false })

describe('sync convergence against the real server', () => {
  it('first sync brings exactly the worker’s grid cell', async () => {
    const d = await newDevice()
    await expectConverged(d)
    expect(await d.db.households.count()).toBe(s.community.households.filter((h) => h.gridId === gridId()).length)
  })

  it('a dropped request: the visit is sent again and stored once', async () => {
    const d = await newDevice()
    const ids = await recordVisits(d, 3)
    d.faults.push('drop-request')
    await expect(d.engine.syncOnce()).rejects.toBeInstanceOf(ApiFailure)
    expect(await d.db.outbox.count()).toBe(3)
    await d.syncUntilOk()
    expect(await serverCounts(ids)).toEqual([1, 1, 1])
    await expectConverged(d)
  })

  it('a response dropped after the server committed: the resend is a duplicate, stored once', async () => {
    const d = await newDevice()
    const ids = await recordVisits(d, 4, 10)
    d.faults.push('drop-response')
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    // The server already has them; the device does not know yet.
    expect(await serverCounts(ids)).toEqual([1, 1, 1, 1])
    expect(await d.db.outbox.count()).toBe(4)
    await d.syncUntilOk()
    expect(await serverCounts(ids)).toEqual([1, 1, 1, 1])
    const ledger = await s.store.selectFrom('mutations').selectAll().where('device_id', '=', d.deviceId).execute()
    expect(ledger).toHaveLength(4)
    await expectConverged(d)
  })

  it('a 500 then success', async () => {
    const d = await newDevice()
    const ids = await recordVisits(d, 2, 20)
    d.faults.push('server-500')
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'server', status: 500 })
    await d.syncUntilOk()
    expect(await serverCounts(ids)).toEqual([1, 1])
    await expectConverged(d)
  })

  it('a reload with 50 queued mutations, and faults on the way', async () => {
    const d = await newDevice()
    const ids = await recordVisits(d, 50, 30)
    await d.reload()
    expect(await d.db.outbox.count()).toBe(50)
    d.faults.push('drop-response', 'server-500', 'drop-request')
    await d.syncUntilOk(6)
    expect(await serverCounts(ids)).toEqual(ids.map(() => 1))
    await expectConverged(d)
  })

  it('a dropped pull response repeats the page, never skips it', async () => {
    const d = new Device(baseUrl, token)
    devices.push(d)
    // push is skipped (nothing queued), so the first request is a pull page.
    d.faults.push('drop-response')
    await expect(d.engine.syncOnce()).rejects.toBeInstanceOf(ApiFailure)
    await d.syncUntilOk()
    await expectConverged(d)
  })

  it('a refused visit is kept with the reason, does not block other records, and can be fixed', async () => {
    const d = await newDevice()
    const good = await recordVisits(d, 1, 90)
    const other = householdOf(s.community, 'grid02')
    const bad = makeVisit(s.community, other, grid01().id)
    await createLocal(d.db, 'visit', bad)
    const good2 = await recordVisits(d, 1, 91)
    const report = await d.engine.syncOnce()
    expect(report.rejected).toBe(1)
    expect(await serverCounts([...good, ...good2])).toEqual([1, 1])
    const [row] = await d.db.outbox.toArray()
    expect(row).toMatchObject({ entityId: bad.id, state: 'rejected', error: { code: 'OUT_OF_SCOPE' } })
    expect(await findVisit(d.db, bad.id)).toBeDefined() // still on the device, visible
    // Syncing again does not drop it.
    await d.engine.syncOnce()
    expect(await d.db.outbox.count()).toBe(1)
    // The user fixes it (right household) and resends.
    const fixedHousehold = householdOf(s.community, 'grid01', 92)
    await resendRejected(d.db, row!.seq!, { ...bad, householdId: fixedHousehold.id, gridId: fixedHousehold.gridId, residentIds: [] })
    await d.engine.syncOnce()
    expect(await serverCounts([bad.id])).toEqual([1])
    await expectConverged(d)
  })

  it('discarding a refused visit removes it from the device on purpose', async () => {
    const d = await newDevice()
    const bad = makeVisit(s.community, householdOf(s.community, 'grid02'), grid01().id)
    await createLocal(d.db, 'visit', bad)
    await d.engine.syncOnce()
    const [row] = await d.db.outbox.toArray()
    await discardRejected(d.db, row!.seq!)
    expect(await findVisit(d.db, bad.id)).toBeUndefined()
    await expectConverged(d)
  })

  it('pull never overwrites a record with unsent changes; both converge once it is sent', async () => {
    const a = await newDevice()
    const b = await newDevice(await login(baseUrl, 'grid01'))
    const h = householdOf(s.community, 'grid01', 95)
    await patchHouseholdLocal(a.db, h.id, { phone: '13711112222' })
    await patchHouseholdLocal(b.db, h.id, { housing: 'vacant' })
    await b.engine.syncOnce()
    // Device a pulls b's change while its own edit waits: a's edit must stay visible...
    a.faults.push('server-500') // the push fails; the pull that follows it still runs
    await expect(a.engine.syncOnce()).rejects.toBeInstanceOf(ApiFailure)
    expect(await a.db.parked.count()).toBe(1)
    expect((await a.db.households.get(h.id))!.phone).toBe('13711112222')
    await a.syncUntilOk()
    await b.syncUntilOk()
    const onServer = JSON.parse((await s.store.selectFrom('households').select('data').where('id', '=', h.id).executeTakeFirstOrThrow()).data)
    expect(onServer).toMatchObject({ phone: '13711112222', housing: 'vacant' })
    await expectConverged(a)
    await expectConverged(b)
  })

  it('a lost push response while another device edits: the parked server copy wins once acknowledged', async () => {
    const a = await newDevice()
    const b = await newDevice(await login(baseUrl, 'grid01'))
    const h = householdOf(s.community, 'grid01', 96)
    await patchHouseholdLocal(a.db, h.id, { phone: '13755556666' })
    a.faults.push('drop-response')
    await expect(a.engine.syncOnce()).rejects.toBeInstanceOf(ApiFailure)
    await patchHouseholdLocal(b.db, h.id, { housing: 'rented' })
    await b.syncUntilOk()
    await a.syncUntilOk()
    expect(await a.db.households.get(h.id)).toMatchObject({ phone: '13755556666', housing: 'rented' })
    await expectConverged(a)
  })

  it('an expired session stops sync with an auth failure and leaves the outbox untouched', async () => {
    const d = new Device(baseUrl, 'expired-token')
    devices.push(d)
    await createLocal(d.db, 'visit', makeVisit(s.community, householdOf(s.community, 'grid01'), grid01().id))
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'auth' })
    expect(await d.db.outbox.count()).toBe(1)
  })

  it('a reset from the server re-pulls everything and keeps the outbox', async () => {
    const d = await newDevice()
    const ids = await recordVisits(d, 2, 100)
    // The worker's scope epoch changes (as on reassignment): the cursor is no longer valid.
    await s.store.updateTable('users').set({ scope_epoch: 7 }).where('id', '=', grid01().id).execute()
    await d.db.households.put({ ...(await d.db.households.toCollection().first())!, id: uuidv7() }) // stale junk
    await d.syncUntilOk()
    expect(await serverCounts(ids)).toEqual([1, 1])
    await expectConverged(d)
    await s.store.updateTable('users').set({ scope_epoch: 1 }).where('id', '=', grid01().id).execute()
  })
})
