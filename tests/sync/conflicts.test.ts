import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchConflicts, fetchMyConflicts, settleConflict } from '../../src/app/api/conflicts'
import { patchHouseholdLocal } from '../../src/app/sync/outbox'
import { ApiFailure } from '../../src/app/api/client'
import { householdOf } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged, login, SMALL_COMMUNITY } from './harness'

// Issue 10, part 4: the same field of one household changed on two devices, each offline from
// the same version — grid01's phone at the door, the secretary's laptop in the office. One
// conflict, visible to the secretary with both sides, and to grid01 as "your value did not
// stand"; settled by the secretary; both devices converge on the settled value.

let s: TestServer
let baseUrl: string
const tokens: Record<string, string> = {}
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  for (const u of ['grid01', 'secretary']) tokens[u] = await login(baseUrl, u)
})
afterAll(async () => {
  for (const d of devices) d.db.close()
  await s.close()
})

async function device(username: string) {
  const d = new Device(baseUrl, tokens[username]!)
  devices.push(d)
  await d.syncUntilOk()
  return d
}
const client = (username: string) => ({ baseUrl, getToken: () => tokens[username]! })
const grid01 = () => workerOf(s.community, 'grid01')
const secretary = () => workerOf(s.community, 'secretary')
const asWorker = { gridIds: () => grid01().gridIds, sensitiveTags: false }
const serverPhone = async (id: string) => (JSON.parse((await s.store.selectFrom('households').select('data').where('id', '=', id).executeTakeFirstOrThrow()).data) as { phone: string | null }).phone

describe('the same field changed on two devices', () => {
  it('is one conflict, visible to both, settled by the secretary; both devices converge on the settled value', async () => {
    const phone = await device('grid01')
    const laptop = await device('secretary')
    const h = householdOf(s.community, 'grid01', 7)
    const conflictsBefore = (await fetchConflicts(client('secretary'), { state: 'open' })).open

    // Both edit the phone number from the version they pulled, neither having seen the other's.
    await patchHouseholdLocal(phone.db, h.id, { phone: '13811112222' })
    await patchHouseholdLocal(laptop.db, h.id, { phone: '13933334444', housing: 'rented' })
    await phone.syncUntilOk()
    await laptop.syncUntilOk()
    // The later write stands for now (it is the laptop's); the phone hears it at its next pull.
    expect(await serverPhone(h.id)).toBe('13933334444')
    await phone.syncUntilOk()
    expect((await phone.db.households.get(h.id))!.phone).toBe('13933334444')

    // One conflict, with both sides named.
    const list = await fetchConflicts(client('secretary'))
    const mine = list.conflicts.filter((c) => c.householdId === h.id)
    expect(mine).toHaveLength(1)
    expect(list.open).toBe(conflictsBefore + 1)
    const c = mine[0]!
    expect(c).toMatchObject({
      field: 'phone',
      address: h.address,
      kept: { value: '13933334444', by: { name: secretary().name } },
      overwritten: { value: '13811112222', by: { name: grid01().name } },
      settled: null,
    })

    // grid01 is told that their number did not stand, and by whom.
    const told = (await fetchMyConflicts(client('grid01'))).filter((n) => n.householdId === h.id)
    expect(told).toEqual([expect.objectContaining({ field: 'phone', mine: '13811112222', standing: '13933334444', by: { id: secretary().id, name: secretary().name }, settled: false })])
    // A worker cannot read the office's list.
    await expect(fetchConflicts(client('grid01'))).rejects.toBeInstanceOf(ApiFailure)

    // The secretary checks with the family: grid01's number is right.
    const settled = await settleConflict(client('secretary'), c.id, { choice: 'other', seenVersion: c.householdVersion })
    expect(settled.settled).toMatchObject({ choice: 'other', value: '13811112222' })
    expect((await fetchConflicts(client('secretary'), { state: 'open' })).open).toBe(conflictsBefore)
    // Settling twice (another tab) is refused in words, changing nothing.
    await expect(settleConflict(client('secretary'), c.id, { choice: 'current', seenVersion: c.householdVersion })).rejects.toMatchObject({ message: expect.stringContaining('处理过了') })

    await phone.syncUntilOk()
    await laptop.syncUntilOk()
    expect(await serverPhone(h.id)).toBe('13811112222')
    expect(await phone.db.households.get(h.id)).toMatchObject({ phone: '13811112222', housing: 'rented' })
    expect(await laptop.db.households.get(h.id)).toMatchObject({ phone: '13811112222', housing: 'rented' })
    await expectConverged(s, phone, { gridIds: asWorker.gridIds(), sensitiveTags: asWorker.sensitiveTags })
    await expectConverged(s, laptop, { gridIds: null, sensitiveTags: true })
    // grid01's value stands now: nothing more to tell them.
    expect((await fetchMyConflicts(client('grid01'))).filter((n) => n.householdId === h.id)).toEqual([])

    // The phone edits the number again on top of the settled version: no conflict any more.
    await patchHouseholdLocal(phone.db, h.id, { phone: '13811115555' })
    await phone.syncUntilOk()
    expect((await fetchConflicts(client('secretary'), { state: 'open' })).conflicts.filter((x) => x.householdId === h.id)).toEqual([])
    await laptop.syncUntilOk()
    await expectConverged(s, laptop, { gridIds: null, sensitiveTags: true })
  })

  it('a value the secretary enters reaches the worker’s phone, which is told its value did not stand', async () => {
    const phone = await device('grid01')
    const laptop = await device('secretary')
    const h = householdOf(s.community, 'grid01', 8)
    const start = (await phone.db.households.get(h.id))!.housing
    const [workerValue, officeValue, right] = (['owner', 'rented', 'vacant'] as const).filter((v) => v !== start).concat([start])
    await patchHouseholdLocal(phone.db, h.id, { housing: workerValue })
    await patchHouseholdLocal(laptop.db, h.id, { housing: officeValue })
    await phone.syncUntilOk()
    await laptop.syncUntilOk()
    const c = (await fetchConflicts(client('secretary'), { state: 'open' })).conflicts.find((x) => x.householdId === h.id)!
    expect(c).toMatchObject({ field: 'housing', kept: { value: officeValue }, overwritten: { value: workerValue } })
    await settleConflict(client('secretary'), c.id, { choice: 'value', value: right, seenVersion: c.householdVersion })
    await phone.syncUntilOk()
    await laptop.syncUntilOk()
    expect((await phone.db.households.get(h.id))!.housing).toBe(right)
    await expectConverged(s, phone, { gridIds: asWorker.gridIds(), sensitiveTags: false })
    await expectConverged(s, laptop, { gridIds: null, sensitiveTags: true })
    const told = (await fetchMyConflicts(client('grid01'))).filter((n) => n.householdId === h.id)
    expect(told).toEqual([expect.objectContaining({ field: 'housing', mine: workerValue, standing: right, settled: true, by: { id: secretary().id, name: secretary().name } })])
  })
})
