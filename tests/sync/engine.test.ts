import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { FIRST_PULL_PAGE, firstPulls, PULL_PAGE, SyncEngine, type SyncReport } from '../../src/app/sync/engine'
import { createLocal, dropPhotoFromOutbox, patchHouseholdLocal } from '../../src/app/sync/outbox'
import { createHttpTransport } from '../../src/app/api/sync'
import { PROTOCOL_VERSION } from '../../src/domain'
import { MAX_PULL_LIMIT } from '../../src/domain/constants'
import { nextVersion } from '../../src/server/store/counters'
import { putResidents, residentsOfHousehold } from '../../src/app/db/residents'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, type DeviceOptions, expectConverged, login, SMALL_COMMUNITY } from './harness'

// The engine's pass in the details a worker notices: how far a first sync got, how changes are
// batched, what happens when the server answers nothing or keeps asking to start over, a record
// deleted on the server while the phone still had an edit of it, and photos the server refuses.

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

function device(options: DeviceOptions = {}, tok = token) {
  const d = new Device(baseUrl, tok, options)
  devices.push(d)
  return d
}
const grid01 = () => workerOf(s.community, 'grid01')
const viewer = () => ({ gridIds: grid01().gridIds, sensitiveTags: false })
const visit = (i: number, photoIds: string[] = []) => makeVisit(s.community, householdOf(s.community, 'grid01', i), grid01().id, { photoIds })
const visitsOnServer = async (ids: string[]) => (await s.store.selectFrom('visits').select('id').where('id', 'in', ids).execute()).length

describe('a pass, step by step', () => {
  it('a good pass is remembered, for the status bar after a reload', async () => {
    const d = device()
    const before = Date.now()
    await d.engine.syncOnce()
    const at = (await d.db.meta.get('lastSyncAt'))?.value as string
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.now())
  })

  it('a first sync says how far it got, page by page, and ends with everything', async () => {
    const seen: SyncReport[] = []
    const d = device({ pullLimit: 50, onProgress: (r) => seen.push(r) })
    const report = await d.engine.syncOnce()
    expect(seen[0]).toEqual({ pushed: 0, rejected: 0, pulled: 0, photos: 0 })
    const pulled = seen.map((r) => r.pulled)
    expect(pulled.length).toBeGreaterThan(3) // more than 150 records: several pages
    for (let i = 1; i < pulled.length; i++) expect(pulled[i]).toBeGreaterThan(pulled[i - 1]!)
    expect(pulled.at(-1)).toBe(report.pulled)
    await expectConverged(s, d, viewer())
  })

  it('changes go in batches of the size asked, in queue order, each counted as it is answered', async () => {
    const pushes: string[][] = []
    const seen: SyncReport[] = []
    const d = device({ pushBatch: 2, onProgress: (r) => seen.push(r), wrap: (t) => ({ ...t, push: (body) => (pushes.push(body.mutations.map((m) => m.id)), t.push(body)) }) })
    await d.engine.syncOnce()
    const ids: string[] = []
    for (let i = 0; i < 5; i++) ids.push((await createLocal(d.db, 'visit', visit(40 + i))).entityId)
    seen.length = 0
    const report = await d.engine.syncOnce()
    expect(pushes).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)])
    expect(report).toMatchObject({ pushed: 5, rejected: 0 })
    expect(seen.slice(1, 4).map((r) => r.pushed)).toEqual([2, 4, 5])
    expect(await visitsOnServer(ids)).toBe(5)
  })

  it('as the app runs it: a first page of 250 from the start, then pages as full as the server gives; batches of 100', async () => {
    const limits: Array<{ cursor: boolean; limit: number }> = []
    const batches: number[] = []
    const d = device({
      wrap: (t) => ({ ...t, pull: (c, l, n) => (limits.push({ cursor: c !== undefined, limit: l }), t.pull(c, l, n)), push: (body) => (batches.push(body.mutations.length), t.push(body)) }),
    })
    await d.engine.syncOnce()
    for (let i = 0; i < 130; i++) await createLocal(d.db, 'visit', visit(i))
    await d.engine.syncOnce()
    expect(limits[0]).toEqual({ cursor: false, limit: FIRST_PULL_PAGE })
    expect(FIRST_PULL_PAGE).toBe(250)
    expect(PULL_PAGE).toBe(MAX_PULL_LIMIT)
    expect(limits.slice(1).every((l) => l.cursor && l.limit === PULL_PAGE)).toBe(true)
    expect(batches).toEqual([100, 30])
  })

  it('the pages asked for before the pass (a login on an empty phone) are used, and not asked for again', async () => {
    // The early first page is held back until we let it go, to see what the pass does meanwhile.
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const http = createHttpTransport({ baseUrl, getToken: () => token })
    const early: Array<string | undefined> = []
    const firstPages = firstPulls({ ...http, pull: (c, l, n, more) => (early.push(c), gate.then(() => http.pull(c, l, n, more))) })
    const asked: Array<string | undefined> = []
    const bulk: boolean[] = []
    const d = device({ firstPages, onBulkPull: (a) => bulk.push(a), wrap: (t) => ({ ...t, pull: (c, l, n, more) => (asked.push(c), t.pull(c, l, n, more)) }) })
    const pass = d.engine.syncOnce()
    // The whole-table queries hold still from the start, before the first answer is there.
    await vi.waitFor(() => expect(bulk).toEqual([true]))
    release()
    const report = await pass
    expect(bulk).toEqual([true, false])
    // The whole pull was the early one's: its first request from the start, then on from cursors.
    expect(early.length).toBeGreaterThan(1)
    expect(early[0]).toBeUndefined()
    expect(early.slice(1).every((c) => c !== undefined)).toBe(true)
    expect(asked).toEqual([])
    expect(report.total).toBe(report.pulled)
    await expectConverged(s, d, viewer())
    // Used once: the next pass from the start (after a start over) asks for its own.
    await d.db.meta.put({ key: 'fullPullNeeded', value: true })
    const before = early.length
    await d.engine.syncOnce()
    expect(asked[0]).toBeUndefined()
    expect(early.length).toBe(before)
    await expectConverged(s, d, viewer())
  })

  it('a pass from a cursor says how much is to come, and holds nothing still for a single page', async () => {
    const bulk: boolean[] = []
    const counted: boolean[] = []
    const d = device({ onBulkPull: (a) => bulk.push(a), wrap: (t) => ({ ...t, pull: (c, l, n) => (counted.push(n === true), t.pull(c, l, n)) }) })
    await d.engine.syncOnce()
    bulk.length = 0
    counted.length = 0
    const me = grid01()
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${token}` },
      payload: { deviceId: crypto.randomUUID(), protocolVersion: PROTOCOL_VERSION, mutations: [0, 1, 2].map((i) => visitMutation(makeVisit(s.community, householdOf(s.community, 'grid01', 60 + i), me.id))) },
    })
    expect(res.statusCode, res.body).toBe(200)
    const report = await d.engine.syncOnce()
    expect(report.pulled).toBe(3)
    expect(report.total, 'the pass said how many were to come').toBe(3)
    expect(counted).toEqual([true])
    expect(bulk, 'one page: the home page’s queries are not held').toEqual([])
  })

  it('a phone that holds a cursor drops an early first page unread and goes on from its cursor', async () => {
    const d = device()
    await d.engine.syncOnce()
    const cursor = (await d.db.meta.get('cursor'))!.value as string
    const asked: Array<string | undefined> = []
    const http = createHttpTransport({ baseUrl, getToken: () => token })
    const wrong = firstPulls({ ...http, pull: () => Promise.reject(new Error('must not be read')) })
    const engine = new SyncEngine({ db: d.db, deviceId: d.deviceId, firstPages: wrong, transport: { ...http, pull: (c, l, n) => (asked.push(c), http.pull(c, l, n)) } })
    await engine.syncOnce()
    expect(asked[0]).toBe(cursor)
    await expectConverged(s, d, viewer())
  })

  it('a household removed on the server leaves the phone at the next pull', async () => {
    const d = device()
    await d.engine.syncOnce()
    const h = householdOf(s.community, 'grid01', 54)
    await s.store.transaction().execute(async (trx) => {
      await trx.updateTable('households').set({ deleted: 1, version: await nextVersion(trx) }).where('id', '=', h.id).execute()
    })
    await d.engine.syncOnce()
    expect(await d.db.households.get(h.id)).toBeUndefined()
    await expectConverged(s, d, viewer())
  })

  it('a pull from the start begins from nothing but the unsent changes: records left from a first pull that never landed a page go', async () => {
    // Sent before a first pull whose pages never landed (no cursor): a household the server has
    // since deleted, and a resident it has since moved to another flat.
    const gone = householdOf(s.community, 'grid01', 55)
    const [was, now] = [householdOf(s.community, 'grid01', 56), householdOf(s.community, 'grid01', 57)]
    const moved = s.community.residents.find((r) => r.householdId === now.id)!
    await s.store.transaction().execute(async (trx) => {
      await trx.updateTable('households').set({ deleted: 1, version: await nextVersion(trx) }).where('id', '=', gone.id).execute()
    })
    const d = device()
    await d.db.households.put({ ...gone, _v: 1 })
    await putResidents(d.db, [{ ...moved, householdId: was.id, _v: 1 }])
    await d.engine.syncOnce()
    expect(await d.db.households.get(gone.id)).toBeUndefined()
    expect((await residentsOfHousehold(d.db, was.id)).map((r) => r.id)).not.toContain(moved.id)
    await expectConverged(s, d, viewer())
  })

  it('an app too old for the server stops at once: no pull, nothing lost', async () => {
    let pulls = 0
    const d = device({
      wrap: (t) => ({
        ...t,
        push: (body) => t.push({ ...body, protocolVersion: body.protocolVersion + 1 }),
        pull: (c, l) => (pulls++, t.pull(c, l)),
      }),
    })
    await createLocal(d.db, 'visit', visit(55))
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'protocol' })
    expect(pulls).toBe(0)
    expect(await d.db.outbox.count()).toBe(1)
  })

  it('a server that answers a push with nothing: the pass fails, everything stays queued, and it still pulls', async () => {
    let pulls = 0
    const d = device({
      wrap: (t) => ({ ...t, push: async () => ({ results: [] }), pull: (c, l) => (pulls++, t.pull(c, l)) }),
    })
    await createLocal(d.db, 'visit', visit(50))
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'server', message: '服务器没有处理提交的更改' })
    expect(pulls).toBeGreaterThan(0)
    expect(await d.db.outbox.toArray()).toMatchObject([{ state: 'pending', attempts: 1 }])
  })

  it('an expired session stops the pass at once: no pull, nothing lost', async () => {
    const d = device({}, 'expired')
    await createLocal(d.db, 'visit', visit(51))
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'auth' })
    expect(d.seen.map((r) => new URL(r.url).pathname)).toEqual(['/api/sync/push'])
    expect(await d.db.outbox.count()).toBe(1)
  })

  it('a server that keeps asking to start over: one fresh start, then a failure rather than a loop', async () => {
    let pulls = 0
    const d = device({ wrap: (t) => ({ ...t, pull: async () => (pulls++, { reset: true as const }) }) })
    await createLocal(d.db, 'visit', visit(52))
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'server', message: '服务器要求重新同步，但一直没有完成' })
    expect(pulls).toBe(2)
    expect(await d.db.outbox.count()).toBe(0) // the push went before; the visit is on the server
  })

  it('a household deleted on the server while the phone had an edit of it: kept until the edit is answered, then gone', async () => {
    const d = device()
    await d.engine.syncOnce()
    const h = householdOf(s.community, 'grid01', 53)
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000053' })
    // The edit goes up but its answer is lost; meanwhile the office removes the household.
    d.faults.push('drop-response')
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    await s.store.transaction().execute(async (trx) => {
      await trx.updateTable('households').set({ deleted: 1, version: await nextVersion(trx) }).where('id', '=', h.id).execute()
    })
    d.faults.push('server-500') // the resend fails; the pull after it brings the tombstone
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'server' })
    expect(await d.db.households.get(h.id)).toMatchObject({ phone: '13700000053' }) // the worker's edit is not hidden
    expect(await d.db.parked.count()).toBe(1)
    await d.syncUntilOk()
    expect(await d.db.households.get(h.id)).toBeUndefined()
    expect(await d.db.parked.count()).toBe(0)
    await expectConverged(s, d, viewer())
  })
})

describe('the server’s copy of a record with edits waiting', () => {
  it('the answer to the first edit brings the server’s copy: the worker’s next edit stays shown until it is answered too', async () => {
    const d = device()
    await d.engine.syncOnce()
    const h = householdOf(s.community, 'grid01', 56)
    const housing = (await d.db.households.get(h.id))!.housing === 'vacant' ? 'rented' : 'vacant'
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000056' })
    d.faults.push('drop-response') // applied; the answer is lost
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    expect(await d.db.parked.count()).toBe(1) // the server's copy, with the number, waits
    await patchHouseholdLocal(d.db, h.id, { housing })
    d.faults.push('none', 'drop-request') // the number is answered (duplicate); the next edit is lost on the way
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    expect(await d.db.households.get(h.id)).toMatchObject({ phone: '13700000056', housing })
    await d.syncUntilOk()
    await expectConverged(s, d, viewer())
  })

  it('a server copy older than our answered edit is not shown, even if the pull after it fails', async () => {
    const a = device()
    const b = device({}, await login(baseUrl, 'grid01'))
    await a.engine.syncOnce()
    await b.engine.syncOnce()
    const h = householdOf(s.community, 'grid01', 57)
    await patchHouseholdLocal(a.db, h.id, { phone: '13700000057' })
    await patchHouseholdLocal(b.db, h.id, { attention: 'high' })
    await b.syncUntilOk()
    a.faults.push('server-500') // a's edit does not go; its pull parks b's copy (without a's number)
    await expect(a.engine.syncOnce()).rejects.toMatchObject({ kind: 'server' })
    expect(await a.db.parked.count()).toBe(1)
    a.faults.push('none', 'server-500') // a's edit is applied; the pull after it fails
    await expect(a.engine.syncOnce()).rejects.toMatchObject({ kind: 'server' })
    expect((await a.db.households.get(h.id))!.phone).toBe('13700000057')
    expect(await a.db.parked.count()).toBe(0)
    const report = await a.syncUntilOk()
    expect(report.pulled).toBeGreaterThan(0)
    expect(await a.db.households.get(h.id)).toMatchObject({ phone: '13700000057', attention: 'high' })
    await expectConverged(s, a, viewer())
  })

  it('an edit answered as a duplicate, with the server’s copy parked, counts as sent', async () => {
    const d = device()
    await d.engine.syncOnce()
    const h = householdOf(s.community, 'grid01', 58)
    await patchHouseholdLocal(d.db, h.id, { phone: '13700000058' })
    d.faults.push('drop-response')
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    expect(await d.engine.syncOnce()).toMatchObject({ pushed: 1, rejected: 0 })
    expect(await d.db.parked.count()).toBe(0)
  })
})

describe('refusals', () => {
  const answering = (status: 'rejected', error?: { code: 'ATTACHMENT_MISSING' | 'OUT_OF_SCOPE'; message: string }) => (pushes: { n: number }) =>
    device({
      wrap: (t) => ({
        ...t,
        push: async (body) => (pushes.n++, { results: body.mutations.map((m) => ({ mutationId: m.mutationId, status, ...(error ? { error } : {}) })) }),
      }),
    })

  it('a refusal without a reason still says it was refused', async () => {
    const pushes = { n: 0 }
    const d = answering('rejected')(pushes)
    await createLocal(d.db, 'visit', visit(64))
    expect(await d.engine.syncOnce()).toMatchObject({ rejected: 1 })
    expect((await d.db.outbox.toArray())[0]).toMatchObject({ state: 'rejected', error: { code: 'INTERNAL', message: '服务器拒绝了这条更改' } })
  })

  it('"photo missing" for a change that shows no photo, or another refusal of one that does: refused at once, not retried', async () => {
    for (const [code, photoIds] of [
      ['ATTACHMENT_MISSING', []],
      ['OUT_OF_SCOPE', ['d'.repeat(64)]],
    ] as const) {
      const pushes = { n: 0 }
      const d = answering('rejected', { code, message: '原因' })(pushes)
      if (photoIds.length) await d.db.photos.put({ sha256: photoIds[0], blob: new Blob(['x']), mime: 'image/png', size: 1, width: 1, height: 1, uploaded: 1, createdAt: '' })
      await createLocal(d.db, 'visit', visit(65, [...photoIds]))
      await d.engine.syncOnce()
      expect(pushes.n, code).toBe(1)
      expect((await d.db.outbox.toArray())[0], code).toMatchObject({ state: 'rejected', error: { code } })
    }
  })
})

describe('photos the server will not take', () => {
  const photo = (sha256: string, bytes: string, mime = 'image/png') => ({
    sha256,
    blob: new Blob([bytes], { type: mime }),
    mime,
    size: bytes.length,
    width: 1,
    height: 1,
    uploaded: 0 as const,
    createdAt: new Date().toISOString(),
  })

  it('not an image: its reason is kept, the visit waits (nothing else does), and goes once the photo is given up', async () => {
    const d = device()
    await d.engine.syncOnce()
    const { createHash } = await import('node:crypto')
    const bytes = '这不是照片'
    const id = createHash('sha256').update(bytes).digest('hex')
    await d.db.photos.put(photo(id, bytes))
    const withPhoto = await createLocal(d.db, 'visit', visit(60, [id]))
    const plain = await createLocal(d.db, 'visit', visit(61))
    const report = await d.engine.syncOnce()
    expect(report).toMatchObject({ pushed: 1, photos: 0 })
    expect((await d.db.photos.get(id))!.error).toMatch(/照片/)
    expect(await visitsOnServer([plain.entityId])).toBe(1)
    expect((await d.db.outbox.toArray()).map((r) => [r.entityId, r.state])).toEqual([[withPhoto.entityId, 'pending']])
    await dropPhotoFromOutbox(d.db, id)
    await d.engine.syncOnce()
    expect(await visitsOnServer([withPhoto.entityId])).toBe(1)
    await expectConverged(s, d, viewer())
  })

  it('only photos a queued change shows go up: not one left from an abandoned form, not one of a refused change', async () => {
    const puts: string[] = []
    const d = device({ wrap: (t) => ({ ...t, putAttachment: (sha, b, m) => (puts.push(sha), t.putAttachment(sha, b, m)) }) })
    await d.engine.syncOnce()
    await d.db.photos.put(photo('e'.repeat(64), 'abandoned'))
    const refused = await createLocal(d.db, 'visit', { ...visit(62, ['f'.repeat(64)]) })
    await d.db.photos.put(photo('f'.repeat(64), 'of a refused visit'))
    await d.db.outbox.update(refused.seq!, { state: 'rejected', error: { code: 'OUT_OF_SCOPE', message: '不在你的网格' } })
    await d.engine.syncOnce()
    expect(puts).toEqual([])
  })

  it('the network fails mid-upload: the pass fails, still pulls, and the photo goes next time', async () => {
    const d = device()
    await d.engine.syncOnce()
    const { PNG } = await import('pngjs')
    const { createHash } = await import('node:crypto')
    const png = PNG.sync.write(Object.assign(new PNG({ width: 2, height: 2 }), {}))
    const id = createHash('sha256').update(png).digest('hex')
    await d.db.photos.put({ ...photo(id, ''), blob: new Blob([new Uint8Array(png)], { type: 'image/png' }), size: png.length })
    const v = await createLocal(d.db, 'visit', visit(63, [id]))
    d.faults.push('drop-request')
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'network' })
    expect(d.seen.slice(-2).map((r) => new URL(r.url).pathname)).toEqual([`/api/attachments/${id}`, '/api/sync/pull'])
    expect((await d.db.photos.get(id))!).toMatchObject({ uploaded: 0 })
    expect((await d.db.photos.get(id))!.error).toBeUndefined()
    await d.engine.syncOnce()
    expect(await visitsOnServer([v.entityId])).toBe(1)
    expect((await d.db.photos.get(id))!.uploaded).toBe(1)
  })
})
