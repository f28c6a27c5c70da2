import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ZoufangDb } from '../../src/app/db/database'
import { forgetDeviceRecord, readDeviceRecord, writeDeviceRecord } from '../../src/app/sync/deviceRecord'
import { createLocal, discardRejected, dropPhotoFromOutbox, patchHouseholdLocal, resendRejected, transitionLocal } from '../../src/app/sync/outbox'
import { generateCommunity } from '../../src/demo/generate'
import { maskName, uuidv7 } from '../../src/domain'
import { householdOf, makeVisit } from '../support/fixtures'
import { findVisit } from '../../src/app/db/visits'
import type { OutboxRow } from '../../src/app/db/database'

// What the worker sees on the phone when they change something, give up a refused change, fix
// and resend it, or give up a photo the server refused: no server needed, only the device.

const community = generateCommunity({ households: 60 })
const worker = community.users.find((u) => u.username === 'grid01')!
const dbs: ZoufangDb[] = []
afterEach(() => {
  for (const db of dbs.splice(0)) db.close()
})

function device() {
  const db = new ZoufangDb(`outbox-${uuidv7()}`)
  dbs.push(db)
  return db
}
const visit = (i = 0, photoIds: string[] = []) => makeVisit(community, householdOf(community, 'grid01', i), worker.id, { photoIds })
const sha = (c: string) => c.repeat(64)

describe('the outbox on the phone', () => {
  it('a save writes the record and its queued change together, in order', async () => {
    const db = device()
    const v = visit()
    const row = await createLocal(db, 'visit', v, new Date('2026-11-20T08:00:00.000Z'))
    expect(await findVisit(db, v.id)).toEqual(v)
    expect(await db.outbox.toArray()).toEqual([{ ...row, seq: 1 }])
    expect(row).toMatchObject({ entity: 'visit', entityId: v.id, op: 'create', state: 'pending', attempts: 0, at: '2026-11-20T08:00:00.000Z' })
    // An id taken already: nothing is written, not even the queued change.
    await expect(createLocal(db, 'visit', v)).rejects.toThrow()
    expect(await db.outbox.count()).toBe(1)
  })

  it('an edit shows at once and is queued on the version the phone had', async () => {
    const db = device()
    const h = householdOf(community, 'grid01', 1)
    await db.households.put({ ...h, _v: 41 })
    const row = await patchHouseholdLocal(db, h.id, { phone: '13712345678' })
    expect(await db.households.get(h.id)).toMatchObject({ phone: '13712345678', _v: 41 })
    expect(row).toMatchObject({ op: 'patch', baseVersion: 41, data: { phone: '13712345678' } })
    // A household made on this device and never pulled has no base version to send.
    const fresh = { ...householdOf(community, 'grid01', 2), id: uuidv7() }
    await db.households.put(fresh)
    expect(await patchHouseholdLocal(db, fresh.id, { phone: '13712345679' })).not.toHaveProperty('baseVersion')
    await expect(patchHouseholdLocal(db, uuidv7(), { phone: '13712345670' })).rejects.toThrow('这条记录不在这台设备上')
    expect(await db.outbox.count()).toBe(2)
  })

  it('a case step shows at once: the new state and the step, queued as a transition', async () => {
    const db = device()
    const c = community.cases[0]!
    await db.cases.put(c)
    const step = { ...community.caseSteps.find((x) => x.caseId === c.id)!, id: uuidv7() }
    const row = await transitionLocal(db, c.id, step, { state: 'accepted' }, { action: 'accept' })
    expect((await db.cases.get(c.id))!.state).toBe('accepted')
    expect(await db.caseSteps.get(step.id)).toEqual(step)
    expect(row).toMatchObject({ entity: 'case', entityId: c.id, op: 'transition', data: { action: 'accept' }, state: 'pending', attempts: 0 })
    await expect(transitionLocal(db, uuidv7(), step, {}, {})).rejects.toThrow('这条记录不在这台设备上')
  })

  it('each queued change keeps the name a person knows its record by, masked as lists show it', async () => {
    const db = device()
    const h = householdOf(community, 'grid01', 7)
    await db.households.put(h)
    const v = makeVisit(community, h, worker.id)
    const c = community.cases[0]!
    await db.cases.put(c)
    const step = { ...community.caseSteps.find((x) => x.caseId === c.id)!, id: uuidv7() }
    const masked = maskName(h.headName)
    expect(masked).not.toBe(h.headName)
    expect((await createLocal(db, 'visit', v)).label).toBe(`${h.address} · ${masked}`)
    expect((await patchHouseholdLocal(db, h.id, { phone: '13712345678' })).label).toBe(`${h.address} · ${masked}`)
    expect((await transitionLocal(db, c.id, step, { state: 'accepted' }, { action: 'accept' })).label).toBe(c.title)
    // The household is not on this device: nothing to name it by, and no id put in its place.
    expect(await createLocal(db, 'visit', makeVisit(community, householdOf(community, 'grid01', 8), worker.id))).not.toHaveProperty('label')
    expect((await db.outbox.toArray()).map((r) => r.label)).toEqual([`${h.address} · ${masked}`, `${h.address} · ${masked}`, c.title, undefined])
  })

  it('discarding a refused new visit removes it and the changes queued after it; an edit fetches the server’s copy again', async () => {
    const db = device()
    const v = visit(3)
    const create = await createLocal(db, 'visit', v)
    await db.outbox.update(create.seq!, { state: 'rejected' })
    await db.outbox.add({ ...create, seq: undefined, mutationId: uuidv7(), op: 'patch', state: 'pending' } as unknown as OutboxRow) // a later change of the record; its kind does not matter here
    const other = await createLocal(db, 'visit', visit(4))
    await discardRejected(db, create.seq!)
    expect(await findVisit(db, v.id)).toBeUndefined()
    expect((await db.outbox.toArray()).map((r) => r.seq)).toEqual([other.seq])
    // Only a refused change can be discarded: a pending one stays.
    await discardRejected(db, other.seq!)
    expect(await db.outbox.count()).toBe(1)
    expect(await db.meta.get('fullPullNeeded')).toBeUndefined()

    const h = householdOf(community, 'grid01', 5)
    await db.households.put({ ...h, _v: 3 })
    const edit = await patchHouseholdLocal(db, h.id, { phone: '12' })
    await db.outbox.update(edit.seq!, { state: 'rejected' })
    await discardRejected(db, edit.seq!)
    expect(await db.outbox.get(edit.seq!)).toBeUndefined()
    expect((await db.meta.get('fullPullNeeded'))?.value).toBe(true)
    expect(await db.households.get(h.id)).toBeDefined() // shown until the server's copy replaces it
  })

  it('resending a fixed visit queues the corrected data under the same mutation id and shows it', async () => {
    const db = device()
    const v = visit(6)
    const row = await createLocal(db, 'visit', v)
    await db.outbox.update(row.seq!, { state: 'rejected', attempts: 3, error: { code: 'OUT_OF_SCOPE', message: '不在你的网格' } })
    const fixed = { ...v, notes: '改好了' }
    await resendRejected(db, row.seq!, fixed)
    const [again] = await db.outbox.toArray()
    expect(again).toEqual({ ...row, seq: row.seq, state: 'pending', attempts: 0, data: fixed })
    expect(await findVisit(db, v.id)).toEqual(fixed)
    // Resending as it is keeps the data; a pending row is left alone.
    await db.outbox.update(row.seq!, { state: 'rejected', error: { code: 'INTERNAL', message: 'x' } })
    await resendRejected(db, row.seq!)
    expect(await db.outbox.get(row.seq!)).toEqual({ ...again })
    await resendRejected(db, row.seq!, { ...v, notes: '不该写进去' })
    expect((await findVisit(db, v.id))!.notes).toBe('改好了')
  })

  it('resending a fixed household edit queues the fix and leaves the household as it is shown', async () => {
    const db = device()
    const h = householdOf(community, 'grid01', 9)
    await db.households.put({ ...h, _v: 5 })
    const row = await patchHouseholdLocal(db, h.id, { phone: '12' })
    await db.outbox.update(row.seq!, { state: 'rejected', error: { code: 'VALIDATION_FAILED', message: '电话号码格式不对' } })
    await resendRejected(db, row.seq!, { phone: '13712345678' })
    expect(await db.outbox.get(row.seq!)).toMatchObject({ state: 'pending', data: { phone: '13712345678' }, baseVersion: 5 })
    expect(await db.households.get(h.id)).toEqual({ ...h, phone: '12', _v: 5 })
  })

  it('giving up a refused photo: the queued changes and the records stop showing it, the photo leaves the phone', async () => {
    const db = device()
    const [bad, good] = [sha('b'), sha('c')]
    await db.photos.bulkPut([bad, good].map((s) => ({ sha256: s, blob: new Blob(['x']), mime: 'image/jpeg', size: 1, width: 1, height: 1, uploaded: 0 as const, createdAt: '', error: s === bad ? '不是照片' : undefined })))
    const v = visit(7, [bad, good])
    await createLocal(db, 'visit', v)
    const c = { ...community.cases[0]!, id: uuidv7() }
    await db.cases.put(c)
    const step = await transitionLocal(db, c.id, { ...community.caseSteps[0]!, id: uuidv7(), caseId: c.id }, {}, { action: 'start', photoIds: [bad] })
    const untouched = await createLocal(db, 'visit', visit(8, [good]))
    const h = householdOf(community, 'grid01', 10)
    await db.households.put({ ...h, _v: 2 })
    const edit = await patchHouseholdLocal(db, h.id, { phone: '13712345678' })
    await dropPhotoFromOutbox(db, bad)
    expect(await db.photos.get(bad)).toBeUndefined()
    expect(await db.photos.get(good)).toBeDefined()
    expect((await findVisit(db, v.id))!.photoIds).toEqual([good])
    const rows = await db.outbox.orderBy('seq').toArray()
    expect(rows.map((r) => ('photoIds' in r.data ? r.data.photoIds : undefined))).toEqual([[good], [], [good], undefined])
    expect(rows[1]).toMatchObject({ seq: step.seq, data: { action: 'start' } })
    expect(rows[2]!.data).toEqual(untouched.data)
    expect(rows[3]!.data).toEqual(edit.data) // an edit that shows no photo is left exactly as it was
    expect((await db.cases.get(c.id))!.photoIds).toEqual(c.photoIds)
  })
})

describe('the witness of this device, outside IndexedDB', () => {
  afterEach(() => vi.unstubAllGlobals())
  const storage = () => {
    const m = new Map<string, string>()
    vi.stubGlobal('localStorage', { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => m.set(k, v), removeItem: (k: string) => m.delete(k) })
    return m
  }

  it('is written, read back, and forgotten at logout', () => {
    const m = storage()
    expect(readDeviceRecord()).toBeNull()
    const r = { deviceId: 'd1', ownerId: 'u1', unsent: 3, at: '2026-11-20T08:00:00.000Z' }
    writeDeviceRecord(r)
    expect(JSON.parse(m.get('zoufang.device')!)).toEqual(r)
    expect(readDeviceRecord()).toEqual(r)
    forgetDeviceRecord()
    expect(readDeviceRecord()).toBeNull()
  })

  it('a damaged one reads as none, not as a crash', () => {
    storage().set('zoufang.device', '{not json')
    expect(readDeviceRecord()).toBeNull()
  })
})
