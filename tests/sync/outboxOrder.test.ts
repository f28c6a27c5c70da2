import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { discardRejected, patchHouseholdLocal } from '../../src/app/sync/outbox'
import { householdOf } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged, login, SMALL_COMMUNITY } from './harness'

// The order of one record's queued changes, as the worker and the secretary see it: a refused
// change holds back the later changes of its record (design.md: "later mutations of the same record
// wait behind it"), and our own successive edits of a record never look to the server like
// someone else's (no false conflict for the secretary to settle).

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
})

async function newDevice(username = 'grid01') {
  const d = new Device(baseUrl, await login(baseUrl, username))
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

const grid01 = () => workerOf(s.community, 'grid01')
const viewer = () => ({ gridIds: grid01().gridIds, sensitiveTags: false })
const onServer = async (id: string) =>
  JSON.parse((await s.store.selectFrom('households').select('data').where('id', '=', id).executeTakeFirstOrThrow()).data) as Record<string, unknown>
/** The conflicts the secretary is shown for a household. */
const conflictsOf = async (id: string) =>
  s.store.selectFrom('conflicts').select(['field', 'kept_value', 'overwritten_value']).where('entity_id', '=', id).execute()

describe('a refused change holds back the later changes of its record', () => {
  it('queued together: the later edit waits, then goes once the refused one is discarded', async () => {
    const d = await newDevice()
    const h = householdOf(s.community, 'grid01', 3)
    const before = await onServer(h.id)
    await patchHouseholdLocal(d.db, h.id, { phone: '电话坏了' }) // the server refuses: not a phone number
    await patchHouseholdLocal(d.db, h.id, { housing: before.housing === 'vacant' ? 'rented' : 'vacant' })
    const report = await d.engine.syncOnce()
    expect(report.rejected).toBe(1)
    // The later edit did not overtake the refused one: the server has neither...
    expect(await onServer(h.id)).toEqual(before)
    // ...and it waits on the phone behind the refusal shown in 待处理.
    const rows = await d.db.outbox.orderBy('seq').toArray()
    expect(rows.map((r) => [r.state, r.error?.code])).toEqual([
      ['rejected', 'VALIDATION_FAILED'],
      ['pending', undefined],
    ])
    // Another pass changes nothing.
    await d.engine.syncOnce()
    expect(await onServer(h.id)).toEqual(before)
    expect(await d.db.outbox.count()).toBe(2)
    // The worker gives up the bad number on purpose: the later edit goes, and nothing else.
    await discardRejected(d.db, rows[0]!.seq!)
    await d.syncUntilOk()
    expect(await onServer(h.id)).toEqual({ ...before, housing: before.housing === 'vacant' ? 'rented' : 'vacant' })
    await expectConverged(s, d, viewer())
  })

  it('made after the refusal: the new edit waits behind it, pass after pass', async () => {
    const d = await newDevice()
    const h = householdOf(s.community, 'grid01', 4)
    const before = await onServer(h.id)
    await patchHouseholdLocal(d.db, h.id, { phone: '12' })
    await d.engine.syncOnce()
    expect((await d.db.outbox.toArray()).map((r) => r.state)).toEqual(['rejected'])
    await patchHouseholdLocal(d.db, h.id, { attention: before.attention === 'high' ? 'normal' : 'high' })
    const report = await d.engine.syncOnce()
    expect(report).toMatchObject({ pushed: 0, rejected: 0 })
    expect(await onServer(h.id)).toEqual(before)
    expect((await d.db.outbox.orderBy('seq').toArray()).map((r) => r.state)).toEqual(['rejected', 'pending'])
  })
})

describe('a refused edit given up on purpose', () => {
  it('the phone shows the server’s value again after the next sync, and later passes do not pull everything again', async () => {
    const d = await newDevice()
    const h = householdOf(s.community, 'grid01', 10)
    const before = await onServer(h.id)
    await patchHouseholdLocal(d.db, h.id, { phone: '坏号码' })
    await d.engine.syncOnce()
    const [row] = await d.db.outbox.toArray()
    expect((await d.db.households.get(h.id))!.phone).toBe('坏号码') // shown, with the refusal, until given up
    await discardRejected(d.db, row!.seq!)
    const repull = await d.engine.syncOnce()
    expect((await d.db.households.get(h.id))!.phone).toBe(before.phone)
    expect(repull.pulled).toBeGreaterThan(100) // everything again: the simplest way back to the server's copy
    expect((await d.engine.syncOnce()).pulled).toBe(0)
    await expectConverged(s, d, viewer())
  })
})

describe('our own successive edits of a record are not a conflict', () => {
  it('two edits of the same field made offline: the later one wins, no conflict for the secretary', async () => {
    const d = await newDevice()
    const h = householdOf(s.community, 'grid01', 5)
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000001' })
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000002' }) // the worker fixed a typo
    await d.syncUntilOk()
    expect((await onServer(h.id)).phone).toBe('13700000002')
    expect(await conflictsOf(h.id)).toEqual([])
    await expectConverged(s, d, viewer())
  })

  it('the first edit’s answer was lost: resent as a duplicate, the next edit is no conflict either', async () => {
    const d = await newDevice()
    const h = householdOf(s.community, 'grid01', 6)
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000011' })
    d.faults.push('drop-response') // the server applied it; the phone never heard
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000012' })
    await d.syncUntilOk()
    expect((await onServer(h.id)).phone).toBe('13700000012')
    expect(await conflictsOf(h.id)).toEqual([])
    await expectConverged(s, d, viewer())
  })

  it('a real conflict is recorded once, not again for our own next edit of the field', async () => {
    const a = await newDevice()
    const b = await newDevice()
    const h = householdOf(s.community, 'grid01', 7)
    await patchHouseholdLocal(b.db, h.id, { phone: '13900000000' })
    await b.syncUntilOk()
    // a, offline, never saw b's number, and edits the field twice.
    await patchHouseholdLocal(a.db, h.id, { phone: '13700000021' })
    await patchHouseholdLocal(a.db, h.id, { phone: '13700000022' })
    await a.syncUntilOk()
    expect((await onServer(h.id)).phone).toBe('13700000022')
    expect(await conflictsOf(h.id)).toEqual([{ field: 'phone', kept_value: '"13700000021"', overwritten_value: '"13900000000"' }])
    await expectConverged(s, a, viewer())
  })

  it('an edit of a field someone else changed is a conflict even when an earlier edit of the record was answered first', async () => {
    const a = await newDevice()
    const b = await newDevice()
    const h = householdOf(s.community, 'grid01', 8)
    const before = await onServer(h.id)
    await patchHouseholdLocal(b.db, h.id, { phone: '13900000031' })
    await b.syncUntilOk()
    // a, offline, still shows the old number: first it edits another field, then the number.
    await patchHouseholdLocal(a.db, h.id, { housing: before.housing === 'vacant' ? 'rented' : 'vacant' })
    await patchHouseholdLocal(a.db, h.id, { phone: '13700000031' })
    await a.syncUntilOk()
    // The later write wins, and b's number is not lost silently: the secretary sees it.
    expect((await onServer(h.id)).phone).toBe('13700000031')
    expect(await conflictsOf(h.id)).toEqual([{ field: 'phone', kept_value: '"13700000031"', overwritten_value: '"13900000031"' }])
    await expectConverged(s, a, viewer())
  })

  it('an edit made after our earlier edit was answered, but before a pull brought the server’s copy, is still checked', async () => {
    const a = await newDevice()
    const b = await newDevice()
    const h = householdOf(s.community, 'grid01', 9)
    const before = await onServer(h.id)
    await patchHouseholdLocal(b.db, h.id, { phone: '13900000041' })
    await b.syncUntilOk()
    await patchHouseholdLocal(a.db, h.id, { housing: before.housing === 'vacant' ? 'rented' : 'vacant' })
    a.faults.push('none', 'server-500') // the edit is answered; the pull after it fails
    await expect(a.engine.syncOnce()).rejects.toMatchObject({ kind: 'server' })
    // a still shows the old number, and changes it.
    expect((await a.db.households.get(h.id))!.phone).toBe(before.phone)
    await patchHouseholdLocal(a.db, h.id, { phone: '13700000041' })
    await a.syncUntilOk()
    expect(await conflictsOf(h.id)).toEqual([{ field: 'phone', kept_value: '"13700000041"', overwritten_value: '"13900000041"' }])
    await expectConverged(s, a, viewer())
  })
})
