import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { createHash } from 'node:crypto'
import { PNG } from 'pngjs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { MISSING_PHOTO_ROUNDS } from '../../src/app/sync/engine'
import { createLocal, patchHouseholdLocal, resendRejected } from '../../src/app/sync/outbox'
import { failureFrom } from '../../src/app/api/client'
import type { Transport } from '../../src/app/api/sync'
import { householdOf, makeVisit } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, type DeviceOptions, expectConverged, login, SMALL_COMMUNITY } from './harness'

// Photos go up before the records that show them (design.md, sync contract). Two ways that can
// go wrong on a real phone: the server holds only so many photos no record shows yet (429
// QUOTA_EXCEEDED), and a photo the phone thinks is up is gone from the server (purged after its
// grace period, or never received: ATTACHMENT_MISSING).

let s: TestServer
let baseUrl: string
let token: string
const devices: Device[] = []

beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  token = await login(baseUrl, 'grid01')
})
afterAll(() => s.close())
afterEach(() => {
  for (const d of devices.splice(0)) d.db.close()
})

async function newDevice(options: DeviceOptions = {}) {
  const d = new Device(baseUrl, token, options)
  devices.push(d)
  await d.engine.syncOnce()
  return d
}

const grid01 = () => workerOf(s.community, 'grid01')
const viewer = () => ({ gridIds: grid01().gridIds, sensitiveTags: false })
let photoSeed = 0

/** A real (tiny) PNG, different every time, kept on the device as the photo picker would. */
async function takePhoto(d: Device): Promise<string> {
  const png = new PNG({ width: 8, height: 8 })
  const seed = ++photoSeed
  for (let i = 0; i < png.data.length; i++) png.data[i] = i % 4 === 3 ? 255 : (seed * 37 + i * 11) & 255
  const bytes = PNG.sync.write(png)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  await d.db.photos.put({ sha256, blob: new Blob([new Uint8Array(bytes)], { type: 'image/png' }), mime: 'image/png', size: bytes.length, width: 8, height: 8, uploaded: 0, createdAt: new Date().toISOString() })
  return sha256
}

/** Visits with `photos` photos each, saved offline. */
async function visitsWithPhotos(d: Device, n: number, photos: number, offset: number, username = 'grid01') {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    const photoIds: string[] = []
    for (let j = 0; j < photos; j++) photoIds.push(await takePhoto(d))
    const v = makeVisit(s.community, householdOf(s.community, username, offset + i), workerOf(s.community, username).id, { photoIds })
    await createLocal(d.db, 'visit', v)
    ids.push(v.id)
  }
  return ids
}

/** How often each visit is on the server, and the photos it shows there. */
async function onServer(ids: string[]) {
  const rows = await s.store.selectFrom('visits').select(['id', 'data']).where('id', 'in', ids).execute()
  return ids.map((id) => rows.filter((r) => r.id === id).map((r) => (JSON.parse(r.data) as { photoIds: string[] }).photoIds.length))
}
const photosOnServer = async (ids: string[]) => (await s.store.selectFrom('attachments').select('sha256').where('sha256', 'in', ids).execute()).length

/** The server's allowance of uploads no record shows yet, as the real server counts it (from its
 *  own tables), answered as the real server answers: 429 QUOTA_EXCEEDED with Retry-After. For a
 *  limit small enough to reach in a test, whatever the server's own limit is. */
function allowance(limit: number, refused: { count: number }) {
  return (t: Transport): Transport => ({
    ...t,
    async putAttachment(sha256, body, mime) {
      const held = await s.store
        .selectFrom('attachments')
        .select('sha256')
        .where('uploaded_by', '=', grid01().id)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('attachment_refs').select('sha256').whereRef('attachment_refs.sha256', '=', 'attachments.sha256'))))
        .execute()
      if (held.length >= limit && !held.some((h) => h.sha256 === sha256)) {
        refused.count++
        const body = { error: { code: 'QUOTA_EXCEEDED', message: `已上传 ${held.length} 张还没有记录使用的照片，请先同步走访记录` } }
        throw await failureFrom(new Response(JSON.stringify(body), { status: 429, headers: { 'retry-after': '3600' } }), body)
      }
      return t.putAttachment(sha256, body, mime)
    },
  })
}

describe('the server’s allowance of photos no record shows yet', () => {
  it('more photos than the allowance: records and photos go out in turns, all in one pass', async () => {
    const refused = { count: 0 }
    const d = await newDevice({ wrap: allowance(4, refused) })
    const ids = await visitsWithPhotos(d, 5, 3, 0) // 15 photos, 4 allowed at a time
    const report = await d.engine.syncOnce()
    expect(refused.count).toBeGreaterThan(0) // the allowance was reached, and that did not stop the pass
    expect(report).toMatchObject({ pushed: 5, rejected: 0, photos: 15 })
    expect(await onServer(ids)).toEqual(ids.map(() => [3]))
    expect(await d.db.photos.where('uploaded').equals(0).count()).toBe(0)
    await expectConverged(s, d, viewer())
  })

  it('no room at all: what needs no new photo still goes, the pass ends, and the rest waits without hammering', async () => {
    const refused = { count: 0 }
    const d = await newDevice({ wrap: allowance(0, refused) })
    const withPhoto = await visitsWithPhotos(d, 1, 2, 10)
    const without = await visitsWithPhotos(d, 2, 0, 11)
    const h = householdOf(s.community, 'grid01', 13)
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000013' })
    // A visit to another worker's household, its photo up already: refused, which shows no photo.
    const up = await takePhoto(d)
    await d.db.photos.update(up, { uploaded: 1 })
    const elsewhere = makeVisit(s.community, householdOf(s.community, 'grid02'), grid01().id, { photoIds: [up] })
    await createLocal(d.db, 'visit', elsewhere)
    const report = await d.engine.syncOnce()
    expect(report).toMatchObject({ pushed: 3, rejected: 1 })
    expect(await onServer(without)).toEqual([[0], [0]])
    expect(await onServer(withPhoto)).toEqual([[]])
    expect(refused.count).toBe(1) // asked once: nothing answered since made room
    // The visit waits, pending, not refused: nothing for the worker to fix.
    expect((await d.db.outbox.orderBy('seq').toArray()).map((r) => [r.entityId, r.state])).toEqual([
      [withPhoto[0], 'pending'],
      [elsewhere.id, 'rejected'],
    ])
  })
})

describe('the real server’s allowance', () => {
  it('a long day offline, 40 photos: all of them and every visit reach the server in one pass', async () => {
    const d = new Device(baseUrl, await login(baseUrl, 'grid02'))
    devices.push(d)
    await d.engine.syncOnce()
    const ids = await visitsWithPhotos(d, 10, 4, 0, 'grid02')
    const report = await d.engine.syncOnce()
    expect(report).toMatchObject({ pushed: 10, rejected: 0, photos: 40 })
    expect(await onServer(ids)).toEqual(ids.map(() => [4]))
    await expectConverged(s, d, { gridIds: workerOf(s.community, 'grid02').gridIds, sensitiveTags: false })
  })
})

describe('a photo the server does not have any more', () => {
  it('purged after its grace period while the visit waited: uploaded again and the visit goes', async () => {
    const d = await newDevice()
    const ids = await visitsWithPhotos(d, 1, 2, 20)
    d.faults.push('none', 'none', 'drop-request') // both photos go up, then the push is lost
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    const photoIds = (await d.db.photos.toArray()).map((p) => p.sha256)
    expect(await d.db.photos.where('uploaded').equals(1).count()).toBe(2)
    // A week later, the server removes the uploads no record showed.
    await s.store.deleteFrom('attachments').where('sha256', 'in', photoIds).execute()
    const report = await d.engine.syncOnce()
    expect(report).toMatchObject({ pushed: 1, rejected: 0, photos: 2 })
    expect(await onServer(ids)).toEqual([[2]])
    expect(await photosOnServer(photoIds)).toBe(2)
    await expectConverged(s, d, viewer())
  })

  it('never arrives however often it is sent: a few rounds, then a visible refusal, never a loop', async () => {
    let pushes = 0
    let broken = true
    const d = await newDevice({
      // A broken link that answers every upload 200 and delivers nothing, until it is mended.
      wrap: (t) => ({
        ...t,
        putAttachment: (sha256, body, mime) => (broken ? Promise.resolve() : t.putAttachment(sha256, body, mime)),
        push: (body) => (pushes++, t.push(body)),
      }),
    })
    const ids = await visitsWithPhotos(d, 1, 1, 30)
    await d.engine.syncOnce()
    expect(pushes).toBe(MISSING_PHOTO_ROUNDS + 1)
    expect(await onServer(ids)).toEqual([[]])
    const [row] = await d.db.outbox.toArray()
    expect(row).toMatchObject({ entityId: ids[0], state: 'rejected', error: { code: 'ATTACHMENT_MISSING' } })
    // Refused and shown in 待处理: the next passes leave it alone.
    await d.engine.syncOnce()
    expect(pushes).toBe(MISSING_PHOTO_ROUNDS + 1)
    // The worker resends it once the link works: the photo goes up again, then the visit.
    broken = false
    await resendRejected(d.db, row!.seq!)
    await d.engine.syncOnce()
    expect(await onServer(ids)).toEqual([[1]])
    await expectConverged(s, d, viewer())
  })
})
