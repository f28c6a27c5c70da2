import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLocal, discardRejected, patchHouseholdLocal, patchResidentLocal } from '../../src/app/sync/outbox'
import { nameOfChange } from '../../src/app/sync/subject'
import type { Resident } from '../../src/domain'
import { householdOf, makeResident } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged, login, SMALL_COMMUNITY, type Viewer } from './harness'
import { findResident, residentsOfHousehold } from '../../src/app/db/residents'
import { nextVersion } from '../../src/server/store/counters'

// The register kept true at the door, through the real engine and server (issue 10, part 3):
// changes made offline on two devices to different fields of one household both stand, with no
// conflict; someone new reaches the server once and the household is found by their pinyin; an
// edit of a household no longer the worker's is refused and stays on the phone, in sight.

let s: TestServer
let baseUrl: string
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
})
afterAll(async () => {
  for (const d of devices) d.db.close()
  await s.close()
})

async function device(username: string) {
  const d = new Device(baseUrl, await login(baseUrl, username))
  devices.push(d)
  await d.engine.syncOnce()
  return d
}
const cellsOf = (username: string): Viewer => ({ gridIds: workerOf(s.community, username).gridIds, sensitiveTags: false })
const office: Viewer = { gridIds: null, sensitiveTags: true }
const serverRow = async (table: 'households' | 'residents', id: string) =>
  JSON.parse((await s.store.selectFrom(table).select('data').where('id', '=', id).executeTakeFirstOrThrow()).data) as Record<string, unknown>
const conflictsOf = (...ids: string[]) => s.store.selectFrom('conflicts').select(['entity_id', 'field']).where('entity_id', 'in', ids).execute()

/** A household of the worker's cell with a head and someone else living there. */
function couple(username: string, n = 0) {
  const cell = workerOf(s.community, username).gridIds[0]!
  for (const h of s.community.households.filter((x) => x.gridId === cell)) {
    const people = s.community.residents.filter((r) => r.householdId === h.id)
    const head = people.find((r) => r.relation === 'head')
    const other = people.find((r) => r.relation !== 'head')
    if (head && other && n-- === 0) return { h, head, other }
  }
  throw new Error(`no such household in ${username}'s cell`)
}

describe('the register kept true at the door', () => {
  it('a resident moved out offline on one device while the secretary edits the same household’s phone: both applied, no conflict', async () => {
    const phone = await device('grid01')
    const office1 = await device('secretary')
    const { h, head, other } = couple('grid01')

    // Both offline, from the versions they pulled: grid01 marks the head moved out at the door,
    // the secretary corrects the household's phone in the office.
    await patchResidentLocal(phone.db, head, { status: 'moved_out', statusDate: '2026-11-03', movedTo: '杭州市西湖区' })
    expect((await phone.db.households.get(h.id))!.headName).toBe(other.name) // shown at once
    await patchHouseholdLocal(office1.db, h.id, { phone: '13811112222' })

    // The move lands first, and rewrites the household's head name and search key: the
    // secretary's phone edit, based on the household as it was before, still overlaps nothing.
    expect(await phone.engine.syncOnce()).toMatchObject({ pushed: 1, rejected: 0 })
    expect(await office1.engine.syncOnce()).toMatchObject({ pushed: 1, rejected: 0 })
    await phone.engine.syncOnce()

    expect(await serverRow('residents', head.id)).toMatchObject({ status: 'moved_out', statusDate: '2026-11-03', movedTo: '杭州市西湖区' })
    expect(await serverRow('households', h.id)).toMatchObject({ phone: '13811112222', headName: other.name })
    expect(await conflictsOf(h.id, head.id)).toEqual([])
    // Exactly once: one ledger row for the move.
    expect(await s.store.selectFrom('mutations').select('mutation_id').where('entity_id', '=', head.id).execute()).toHaveLength(1)
    // Both phones show both changes, and what the server holds.
    for (const d of [phone, office1]) {
      expect(await d.db.households.get(h.id)).toMatchObject({ phone: '13811112222', headName: other.name })
      expect(await findResident(d.db, head.id, head.householdId)).toMatchObject({ status: 'moved_out', movedTo: '杭州市西湖区' })
    }
    await expectConverged(s, phone, cellsOf('grid01'))
    await expectConverged(s, office1, office)
  })

  it('someone re-registered in another flat (the register imported again) moves there on the phone, and is gone from the old flat', async () => {
    const d = await device('grid01')
    const [from, to] = [householdOf(s.community, 'grid01', 7), householdOf(s.community, 'grid01', 8)]
    const r = s.community.residents.find((x) => x.householdId === from.id)!
    expect((await residentsOfHousehold(d.db, from.id)).map((x) => x.id)).toContain(r.id)
    // What the register import writes for a resident matched by their ID number in another flat.
    // In the same import someone who stays in the old flat is updated too: both come in one page.
    const stays = s.community.residents.find((x) => x.householdId === from.id && x.id !== r.id)!
    const data = JSON.stringify({ ...(await serverRow('residents', r.id)), householdId: to.id })
    const staysData = JSON.stringify({ ...(await serverRow('residents', stays.id)), phone: '13900000000' })
    await s.store.transaction().execute(async (trx) => {
      await trx.updateTable('residents').set({ household_id: to.id, data, version: await nextVersion(trx) }).where('id', '=', r.id).execute()
      await trx.updateTable('residents').set({ data: staysData, version: await nextVersion(trx) }).where('id', '=', stays.id).execute()
    })
    await d.engine.syncOnce()
    expect((await residentsOfHousehold(d.db, from.id)).map((x) => x.id)).not.toContain(r.id)
    expect((await residentsOfHousehold(d.db, from.id)).find((x) => x.id === stays.id)?.phone).toBe('13900000000')
    expect((await residentsOfHousehold(d.db, to.id)).map((x) => x.id)).toContain(r.id)
    await expectConverged(s, d, cellsOf('grid01'))
    // A page still showing the old flat when the worker edits them: the edit is saved where they are now.
    await patchResidentLocal(d.db, { id: r.id, householdId: from.id }, { phone: '13800000001' })
    expect((await findResident(d.db, r.id, to.id))?.phone).toBe('13800000001')
    await d.syncUntilOk()
    expect(await serverRow('residents', r.id)).toMatchObject({ householdId: to.id, phone: '13800000001' })
    await expectConverged(s, d, cellsOf('grid01'))
  })

  it('someone moved alone to another flat leaves the old flat’s pack, which nothing else in the page touches', async () => {
    const d = await device('grid01')
    const [from, to] = [householdOf(s.community, 'grid01', 9), householdOf(s.community, 'grid01', 10)]
    const r = s.community.residents.find((x) => x.householdId === from.id)!
    const data = JSON.stringify({ ...(await serverRow('residents', r.id)), householdId: to.id })
    await s.store.transaction().execute(async (trx) => {
      await trx.updateTable('residents').set({ household_id: to.id, data, version: await nextVersion(trx) }).where('id', '=', r.id).execute()
    })
    await d.engine.syncOnce()
    expect((await residentsOfHousehold(d.db, from.id)).map((x) => x.id)).not.toContain(r.id)
    expect((await residentsOfHousehold(d.db, to.id)).map((x) => x.id)).toContain(r.id)
    await expectConverged(s, d, cellsOf('grid01'))
  })

  it('someone new added offline reaches the server once, and the household is then found by their pinyin', async () => {
    const d = await device('grid01')
    const h = householdOf(s.community, 'grid01', 5)
    const r: Resident = { ...makeResident(h, { name: '钱多多' }) }
    await createLocal(d.db, 'resident', r)
    expect((await d.db.households.get(h.id))!.searchKey).toContain('钱多多') // found by name at once
    d.faults.push('drop-response') // applied, the answer lost: sent again, a duplicate
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    await d.syncUntilOk()
    expect(await s.store.selectFrom('residents').select('id').where('id', '=', r.id).execute()).toHaveLength(1)
    expect((await d.db.households.get(h.id))!.searchKey).toContain('钱多多 qianduoduo qdd')
    await expectConverged(s, d, cellsOf('grid01'))
  })

  it('an edit of a household no longer in the worker’s cells is refused and stays on the phone, in sight, until given up', async () => {
    const d = await device('grid03')
    const g3 = workerOf(s.community, 'grid03')
    const g4 = workerOf(s.community, 'grid04')
    const h = householdOf(s.community, 'grid03', 2)
    const before = await serverRow('households', h.id)
    await patchHouseholdLocal(d.db, h.id, { phone: '13733334444' })

    // Meanwhile the admin gives grid03's cell to grid04.
    const admin = await login(baseUrl, 'admin')
    const moved = await fetch(`${baseUrl}/api/admin/users/${g4.id}/grids`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ gridIds: [...g4.gridIds, ...g3.gridIds] }),
    })
    expect(moved.status).toBe(200)

    expect(await d.engine.syncOnce()).toMatchObject({ rejected: 1 })
    expect(await serverRow('households', h.id)).toEqual(before)
    const [row] = await d.db.outbox.toArray()
    expect(row).toMatchObject({ state: 'rejected', error: { code: 'OUT_OF_SCOPE', message: '这户不在你负责的网格里' } })
    // The cell's other households left the phone; this one stays, as the worker left it, named.
    expect(await d.db.households.get(h.id)).toMatchObject({ phone: '13733334444' })
    expect((await d.db.households.toArray()).map((x) => x.id)).toEqual([h.id])
    expect((await nameOfChange(d.db, row!)).label).toContain(h.address)
    await d.engine.syncOnce() // another pass neither drops it nor sends it again
    expect(await d.db.outbox.count()).toBe(1)
    expect(await d.db.households.get(h.id)).toMatchObject({ phone: '13733334444' })

    await discardRejected(d.db, row!.seq!)
    await d.engine.syncOnce()
    await expectConverged(s, d, { gridIds: [], sensitiveTags: false })
  })
})
