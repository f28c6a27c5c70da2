import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createHttpTransport, type Transport } from '../../src/app/api/sync'
import { SyncEngine } from '../../src/app/sync/engine'
import { PAGES_AHEAD, PullPages } from '../../src/app/sync/pullPages'
import type { Change, PullResponse } from '../../src/domain'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { Device, expectConverged, login, SMALL_COMMUNITY } from './harness'

// A pull's pages are asked for as fast as the server answers, not as fast as the phone writes
// them: the next request goes out once an answer's headers name its cursor. What a worker would
// notice if this went wrong: a first sync that misses or repeats records, or one that never ends.

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

/** The real HTTP transport, noting each request's cursor. */
function watched(wrap: (t: Transport) => Transport = (t) => t) {
  const asked: Array<string | undefined> = []
  const counted: boolean[] = []
  const http = wrap(createHttpTransport({ baseUrl, getToken: () => token }))
  const transport: Transport = { ...http, pull: (c, l, n, more) => (asked.push(c), counted.push(n === true), http.pull(c, l, n, more)) }
  return { asked, counted, transport }
}

async function takeAll(pages: PullPages): Promise<PullResponse[]> {
  const out: PullResponse[] = []
  for (;;) {
    const res = await pages.take()
    out.push(res)
    if ('reset' in res || !res.hasMore) return out
  }
}

const ids = (pages: PullResponse[]) => pages.flatMap((p) => ('changes' in p ? p.changes.map((c: Change) => `${c.entity}:${c.id}`) : []))

describe('the pages of a pull', () => {
  it('the next page is asked for before this one is taken, at most two pages ahead, and every record comes once', async () => {
    const { asked, counted, transport } = watched()
    const pages = new PullPages(transport, 40, { limit: 40, count: true })
    // Nothing taken yet: the first answer's headers named the second page, which went out too.
    await vi.waitFor(() => expect(asked.length).toBe(PAGES_AHEAD))
    expect(PAGES_AHEAD).toBe(2)
    expect(asked[0]).toBeUndefined()
    expect(asked[1]).toEqual(expect.any(String))
    // And no more while nothing is taken (the second answer is in by now, naming the third).
    await new Promise((r) => setTimeout(r, 150))
    expect(asked.length).toBe(2)
    const first = await pages.take()
    await vi.waitFor(() => expect(asked.length).toBe(3))
    const rest = await takeAll(pages)
    const all = [first, ...rest]
    expect(all.length, 'a first sync of many pages').toBeGreaterThan(5)
    expect(asked.length).toBe(all.length)
    // Only the first asked how much is to come (the server counts the scope for it).
    expect(counted).toEqual(all.map((_, i) => i === 0))
    await expect(pages.take(), 'nothing to take after the last page').rejects.toThrow('the pull is over')
    // Each request went on from the cursor of the answer before it, in order.
    all.slice(0, -1).forEach((p, i) => expect(asked[i + 1]).toBe('changes' in p ? p.cursor : null))
    // The same records, once each, as a pull that waits for each page before asking the next.
    const slow = await takeAll(new PullPages(watched((t) => ({ ...t, pull: (c, l, n) => t.pull(c, l, n) })).transport, 40, { limit: 40, count: true }))
    expect(ids(all)).toEqual(ids(slow))
    expect(new Set(ids(all)).size).toBe(ids(all).length)
  })

  it('a transport that never names the next page (an older server) still gets every page, one after another', async () => {
    const { asked, counted, transport } = watched((t) => ({ ...t, pull: (c, l, n) => t.pull(c, l, n) }))
    const pages = new PullPages(transport, 40, { limit: 40, count: true })
    await new Promise((r) => setTimeout(r, 100))
    expect(asked.length, 'nothing asked ahead without the header').toBe(1)
    const all = await takeAll(pages)
    expect(all.length).toBeGreaterThan(5)
    expect(asked.length).toBe(all.length)
    expect(counted).toEqual(all.map((_, i) => i === 0))
  })

  it('stopped, it asks for nothing more: pages in flight are dropped unread', async () => {
    const { asked, transport } = watched()
    const pages = new PullPages(transport, 40, { limit: 40, count: true })
    pages.stop()
    await new Promise((r) => setTimeout(r, 150))
    expect(asked.length).toBe(1)
  })

  it('an answer that is not the page its headers named stops the pull, and the engine writes none of it', async () => {
    // The headers of the second answer name a cursor its body does not carry.
    let n = 0
    const d = new Device(baseUrl, token, {
      pullLimit: 40,
      wrap: (t) => ({ ...t, pull: (c, l, count, more) => t.pull(c, l, count, more && ((next) => more(++n === 2 ? `${next}x` : next))) }),
    })
    devices.push(d)
    await expect(d.engine.syncOnce()).rejects.toMatchObject({ kind: 'client', message: expect.stringContaining('下一页的位置前后不一致') })
    // The first page landed with its cursor; the second, whose successor was misnamed, did not.
    const cursor = (await d.db.meta.get('cursor'))?.value as string
    const firstTwo = await takeAll(new PullPages(watched().transport, 40, { limit: 40, count: true }))
    expect(cursor).toBe('changes' in firstTwo[0]! ? firstTwo[0].cursor : null)
    // A pass with an honest transport goes on from there and ends where the server is.
    const fine = new SyncEngine({ db: d.db, deviceId: d.deviceId, transport: createHttpTransport({ baseUrl, getToken: () => token }), pullLimit: 40 })
    await fine.syncOnce()
    await expectConverged(s, d, { gridIds: workerOf(s.community, 'grid01').gridIds, sensitiveTags: false })
  })
})
