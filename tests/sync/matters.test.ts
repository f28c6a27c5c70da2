import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createLocal, patchLocal } from '../../src/app/sync/outbox'
import { chinaDay, type Household, type LedgerEntry, type Matter, type MutationResult, newMatter as newMatterRecord, PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { householdOf, newEntry, newMatter, newMeeting } from '../support/fixtures'
import { realJpeg, sha256 } from '../support/photos'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged, login, SMALL_COMMUNITY } from './harness'

// 议题 through the real engine: a matter the office raises and moves while a worker's phone is
// offline reaches the phone at its next sync — with every step, found by matter as its page
// finds them, and its meetings — but no ledger entry ever does; a phone of another cell gets none
// of it; the office's own device records a matter and a contribution through its outbox, sent once
// though its answer was lost, and holds the whole ledger. Each converges with the server's view.

let s: TestServer
let baseUrl: string
let officeToken: string
const devices: Device[] = []
let stairwell: Household[]
let unitScope: { kind: 'unit'; buildingId: string; unit: string }

beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  officeToken = await login(baseUrl, 'secretary')
  const h = householdOf(s.community, 'grid01', 0)
  const b = s.community.buildings.find((x) => x.gridId === h.gridId && x.units > 0)!
  stairwell = s.community.households.filter((x) => x.buildingId === b.id && x.unit === '1')
  unitScope = { kind: 'unit', buildingId: b.id, unit: '1' }
})
afterAll(() => s.close())
afterEach(() => {
  for (const d of devices.splice(0)) d.db.close()
})

async function device(username: string) {
  const d = new Device(baseUrl, await login(baseUrl, username))
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

/** The office, online: pushes straight to the server. */
async function office(...mutations: Array<{ entity: string; id: string; op: string; data: object }>): Promise<void> {
  const res = await fetch(`${baseUrl}/api/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${officeToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: mutations.map((m) => ({ mutationId: uuidv7(), at: new Date().toISOString(), ...m })) }),
  })
  const { results } = (await res.json()) as { results: MutationResult[] }
  expect(results.map((r) => r.status), JSON.stringify(results)).toEqual(mutations.map(() => 'applied'))
}

const viewerOf = (username: string) => ({ gridIds: workerOf(s.community, username).gridIds, sensitiveTags: false })
const move = (id: string, action: string, more: object = {}) => ({ entity: 'matter', id, op: 'transition', data: { stepId: uuidv7(), action, note: '', at: new Date().toISOString(), ...more } })

describe('matters through sync', () => {
  it('raised and moved by the office while the phone is offline, it reaches the phone with its steps and meetings, and no ledger', async () => {
    const phone = await device('grid01')
    const other = await device('grid02')
    const m = newMatter(unitScope, { title: '1号楼1单元加装电梯' })
    const meeting = newMeeting(m.id, { parties: [{ kind: 'household', householdId: stairwell[0]!.id, present: true }] })
    await office({ entity: 'matter', id: m.id, op: 'create', data: m }, { entity: 'meeting', id: meeting.id, op: 'create', data: meeting })
    const subsidy = newEntry(m.id, 'subsidy', 20_000_000)
    await office({ entity: 'ledgerEntry', id: subsidy.id, op: 'create', data: subsidy })
    await phone.syncUntilOk()
    expect(await phone.db.matters.get(m.id)).toMatchObject({ stage: 'raised', gridIds: workerOf(s.community, 'grid01').gridIds })
    // Offline now; the office holds the discussion and moves it on.
    phone.faults.push('drop-request', 'drop-request')
    await expect(phone.engine.syncOnce()).rejects.toBeTruthy()
    await office(move(m.id, 'discuss', { note: '第一次议事协商会' }))
    expect(await phone.db.matters.get(m.id)).toMatchObject({ stage: 'raised' })
    await phone.syncUntilOk()
    expect(await phone.db.matters.get(m.id)).toMatchObject({ stage: 'discussed' })
    const steps = await phone.db.matterSteps.where('matterId').equals(m.id).toArray()
    expect(steps.map((x) => [x.action, x.to]).sort()).toEqual([['discuss', 'discussed'], ['raise', 'raised']])
    expect(await phone.db.meetings.where('matterId').equals(m.id).toArray()).toMatchObject([{ id: meeting.id, place: '邻里议事厅' }])
    expect(await phone.db.ledgerEntries.count(), 'a worker’s phone holds no ledger entry').toBe(0)
    await expectConverged(s, phone, viewerOf('grid01'))
    await other.syncUntilOk()
    expect(await other.db.matters.get(m.id)).toBeUndefined()
    expect(await other.db.meetings.get(meeting.id)).toBeUndefined()
    await expectConverged(s, other, viewerOf('grid02'))
  })

  it('the office’s device records a matter and a contribution through its outbox, once though an answer was lost, and holds the ledger', async () => {
    const desk = await device('secretary')
    const at = new Date()
    const sent = newMatter(unitScope, { title: '1号楼1单元楼道照明' })
    // The device's copy until the server's arrives: the record as the server will make it, cells unknown yet.
    const local: Matter = newMatterRecord(sent, [], workerOf(s.community, 'secretary').id, at.toISOString())
    await createLocal(desk.db, 'matter', local, at, sent as unknown as Record<string, unknown>)
    const paid = { ...newEntry(sent.id, 'contribution', 150_000, { householdId: stairwell[2]!.id, day: chinaDay(Date.now()) }), recordedBy: workerOf(s.community, 'secretary').id, recordedAt: at.toISOString() } as LedgerEntry
    await createLocal(desk.db, 'ledgerEntry', paid, at)
    desk.faults.push('drop-response') // the server commits both, the device never hears it
    await expect(desk.engine.syncOnce()).rejects.toBeTruthy()
    await desk.syncUntilOk()
    expect(await s.store.selectFrom('ledger_entries').select('id').where('matter_id', '=', sent.id).execute()).toHaveLength(1)
    expect(await desk.db.matters.get(sent.id)).toMatchObject({ gridIds: workerOf(s.community, 'grid01').gridIds, stage: 'raised' })
    expect(await desk.db.ledgerEntries.where('matterId').equals(sent.id).toArray()).toMatchObject([{ id: paid.id, amount: 150_000, kind: 'contribution' }])
    await expectConverged(s, desk, { gridIds: null, sensitiveTags: true })
    const phone = await device('grid01')
    expect(await phone.db.matters.get(sent.id)).toMatchObject({ title: '1号楼1单元楼道照明' })
    expect(await phone.db.ledgerEntries.get(paid.id)).toBeUndefined()
  })

  it('a task marked done on the office’s device with a photo taken offline: the photo goes up before the change that shows it', async () => {
    const desk = await device('secretary')
    const m = newMatter(unitScope, { title: '1号楼1单元楼道粉刷' })
    await office({ entity: 'matter', id: m.id, op: 'create', data: m })
    await desk.syncUntilOk()
    const jpeg = realJpeg(4242)
    const photo = sha256(jpeg)
    await desk.db.photos.put({ sha256: photo, blob: new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), mime: 'image/jpeg', size: jpeg.length, width: 64, height: 48, uploaded: 0, createdAt: new Date().toISOString() })
    const task = { id: uuidv7(), title: '粉刷楼道', done: true, doneDay: chinaDay(Date.now()), photoIds: [photo], note: '刷了两遍' }
    await patchLocal(desk.db, 'matter', m.id, { tasks: [task] })
    await desk.syncUntilOk()
    expect(await desk.db.outbox.count(), 'nothing left waiting or refused').toBe(0)
    expect(await s.store.selectFrom('attachments').select('sha256').where('sha256', '=', photo).execute()).toHaveLength(1)
    const row = await s.store.selectFrom('matters').select('data').where('id', '=', m.id).executeTakeFirstOrThrow()
    expect((JSON.parse(row.data) as Matter).tasks).toMatchObject([{ title: '粉刷楼道', done: true, photoIds: [photo] }])
    expect(await desk.db.photos.get(photo)).toMatchObject({ uploaded: 1 })
  })
})
