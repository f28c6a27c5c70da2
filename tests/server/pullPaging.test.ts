import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Change, MutationResult, PullResponse } from '../../src/domain'
import { ENTITIES, MAX_PULL_LIMIT, PROTOCOL_VERSION, SETTINGS_ID, SENSITIVE_TAGS, uuidv7 } from '../../src/domain'
import { PULL_NEXT_HEADER } from '../../src/domain/constants'
import { nextVersion, readCounter } from '../../src/server/store/counters'
import { ENTITY_TABLES } from '../../src/server/store/schema'
import { householdOf, makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// A device pulls in pages of `limit` changes. Whatever the page size, every record of the scope
// must arrive exactly once, and the last cursor must be the one a single big pull hands out:
// a record lost between two pages never reaches the phone, and nothing would ever say so.

let s: TestServer
const tokens: Record<string, string> = {}
beforeAll(async () => {
  s = await startTestServer(200)
  for (const u of ['grid01', 'grid02', 'secretary', 'admin']) tokens[u] = await s.login(u)
  // The office is sent every visit here (ten years of them, more than the demo has), so that the
  // store itself is the reference for the secretary's pages; officeWindow.test.ts tests the window.
  const days = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens.admin}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data: { officeVisitDays: 3650 }, at: new Date().toISOString() }] },
  })
  expect(days.json().results[0].status).toBe('applied')
  // The newest changes are 20 visits: the last pages hold one entity only, more of it than a page.
  const me = workerOf(s.community, 'grid01')
  const visits = Array.from({ length: 20 }, (_, i) =>
    makeVisit(s.community, householdOf(s.community, 'grid01', i % 3), me.id, { startedAt: new Date(Date.now() - (20 - i) * 60_000).toISOString() }),
  )
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: { authorization: `Bearer ${tokens.grid01}` },
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: visits.map((v) => visitMutation(v)) },
  })
  expect(res.statusCode, res.body).toBe(200)
  expect((res.json().results as MutationResult[]).map((r) => r.status)).toEqual(visits.map(() => 'applied'))
})
afterAll(() => s.close())

async function pullPage(username: string, query: Record<string, string>) {
  const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?${new URLSearchParams(query)}`, headers: { authorization: `Bearer ${tokens[username]}` } })
  return { status: res.statusCode, body: res.json() as PullResponse & { error?: { code: string } }, next: res.headers[PULL_NEXT_HEADER] }
}

async function pullAll(username: string, limit: number, start?: string) {
  const pages: Change[][] = []
  let cursor = start
  for (;;) {
    const { status, body, next } = await pullPage(username, { limit: String(limit), ...(cursor ? { cursor } : {}) })
    expect(status).toBe(200)
    if ('reset' in body) throw new Error('unexpected reset')
    // The headers name the next page's cursor, the body's, whenever there is one (the device asks
    // for it before reading the body: src/app/sync/pullPages.ts); the last page names none.
    expect(next, 'the next cursor in the headers').toBe(body.hasMore ? body.cursor : undefined)
    pages.push(body.changes)
    cursor = body.cursor
    if (!body.hasMore) return { changes: pages.flat(), pages, cursor }
    expect(pages.length, 'pages').toBeLessThan(20_000)
  }
}

const key = (c: Change) => `${c.entity}:${c.id}`

const epochOf = async (username: string) => (await s.store.selectFrom('users').select('scope_epoch').where('username', '=', username).executeTakeFirstOrThrow()).scope_epoch
const householdOfChange = (c: Change) => (c.entity === 'visit' ? (c.data as { householdId: string } | null)?.householdId : undefined)

const CASES = [
  ['grid01', 1],
  ['grid01', 2],
  ['grid01', 3],
  ['grid01', 7],
  ['grid02', 1],
  ['grid02', 5],
  ['secretary', 7],
  ['secretary', 97],
] as const

async function expectWholeScope(username: string, whole: Awaited<ReturnType<typeof pullAll>>, limit: number) {
  expect(whole.changes.length).toBeGreaterThan(limit * 5)
  if (username === 'secretary') {
    // More than one big page: the reference is the store itself (the office sees every record).
    expect(whole.pages.length).toBeGreaterThan(1)
    let stored = 0
    for (const table of Object.values(ENTITY_TABLES)) stored += Number((await s.store.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)
    expect(whole.changes).toHaveLength(stored)
  } else expect(whole.pages).toHaveLength(1)
  // The full pull ends on the head of the change sequence.
  // (An office device's cursor also says how many days of visits it holds.)
  expect(whole.cursor).toBe(`1.${await epochOf(username)}.${await readCounter(s.store, 'version')}${username === 'secretary' ? '.3650' : ''}`)
}

describe('paging a pull from a cursor (in version order)', () => {
  it.each(CASES)('%s with limit %i: every record exactly once, full pages, and the cursor a full pull ends on', async (username, limit) => {
    const start = `1.${await epochOf(username)}.0`
    const whole = await pullAll(username, MAX_PULL_LIMIT, start)
    await expectWholeScope(username, whole, limit)
    const paged = await pullAll(username, limit, start)
    const keys = paged.changes.map(key)
    expect(new Set(keys).size, 'no record twice').toBe(keys.length)
    expect([...keys].sort(), 'no record lost').toEqual(whole.changes.map(key).sort())
    expect(paged.changes).toEqual(whole.changes)
    expect(paged.cursor).toBe(whole.cursor)
    // Every page but the last is full; the last one is not empty unless everything fitted before.
    expect(paged.pages.slice(0, -1).every((p) => p.length === limit)).toBe(true)
    expect(paged.pages.length).toBe(Math.ceil(whole.changes.length / limit))
  })

  it('each cursor points at the last change of its page, so a page can be fetched again from it', async () => {
    const first = await pullPage('grid01', { limit: '3', cursor: `1.${await epochOf('grid01')}.0` })
    if ('reset' in first.body) throw new Error('unexpected reset')
    const page = first.body.changes
    expect(page).toHaveLength(3)
    expect(first.body.hasMore).toBe(true)
    expect(first.body.cursor).toMatch(new RegExp(`\\.${page[2]!.version}$`))
    const next = await pullPage('grid01', { limit: '3', cursor: first.body.cursor })
    if ('reset' in next.body) throw new Error('unexpected reset')
    expect(next.body.changes[0]!.version).toBeGreaterThan(page[2]!.version)
  })
})

describe('paging a first pull (a snapshot, household by household)', () => {
  it.each(CASES)('%s with limit %i: every record exactly once, no household split, and the cursor a full pull ends on', async (username, limit) => {
    const whole = await pullAll(username, MAX_PULL_LIMIT)
    await expectWholeScope(username, whole, limit)
    const byVersion = await pullAll(username, MAX_PULL_LIMIT, `1.${await epochOf(username)}.0`)
    expect(whole.changes.map(key).sort(), 'the records a pull in version order gives').toEqual(byVersion.changes.map(key).sort())
    const paged = await pullAll(username, limit)
    const keys = paged.changes.map(key)
    expect(new Set(keys).size, 'no record twice').toBe(keys.length)
    expect(paged.changes, 'the same records in the same order, whatever the page size').toEqual(whole.changes)
    expect(paged.cursor).toBe(whole.cursor)
    // A page holds at most `limit` records, or exactly one household's visits (more than a page).
    for (const p of paged.pages) if (p.length > limit) expect(new Set(p.map(householdOfChange))).toEqual(new Set([householdOfChange(p[0]!)]))
    // No household's visits are split between two pages.
    const pageOf = new Map<string, number>()
    paged.pages.forEach((p, i) => {
      for (const c of p) {
        const h = householdOfChange(c)
        if (!h) continue
        expect(pageOf.get(h) ?? i, `household ${h}`).toBe(i)
        pageOf.set(h, i)
      }
    })
    // And pages are as full as that allows: one short of `limit` only when the next household
    // (or record) would not have fitted.
    const firstGroup = (p: Change[]) => {
      const h = householdOfChange(p[0]!)
      let n = 1
      while (h && n < p.length && householdOfChange(p[n]!) === h) n++
      return n
    }
    paged.pages.forEach((p, i) => {
      expect(p.length, `page ${i}`).toBeGreaterThan(0)
      const next = paged.pages[i + 1]
      if (next && p.length < limit) expect(p.length + firstGroup(next), `page ${i}`).toBeGreaterThan(limit)
    })
  })

  it('changes made while a first pull is under way come after it: none missed, the latest kept', async () => {
    const me = workerOf(s.community, 'grid01')
    const first = await pullPage('grid01', { limit: '5' })
    if ('reset' in first.body) throw new Error('unexpected reset')
    expect(first.body.cursor.startsWith('2.')).toBe(true)
    // Meanwhile: a new visit, and a household edited (sent already or still to come, either way).
    const fresh = makeVisit(s.community, householdOf(s.community, 'grid01', 4), me.id)
    const h = householdOf(s.community, 'grid01', 7)
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/sync/push',
      headers: { authorization: `Bearer ${tokens.grid01}` },
      payload: {
        deviceId: uuidv7(),
        protocolVersion: PROTOCOL_VERSION,
        mutations: [visitMutation(fresh), { mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', data: { notes: '快照期间改的' }, at: new Date().toISOString() }],
      },
    })
    expect((res.json().results as MutationResult[]).map((r) => r.status)).toEqual(['applied', 'applied'])
    const rest = await pullAll('grid01', 50, first.body.cursor)
    const device = new Map<string, Change>()
    for (const c of [...first.body.changes, ...rest.changes]) device.set(key(c), c)
    expect(device.get(`visit:${fresh.id}`)).toBeDefined()
    expect((device.get(`household:${h.id}`)!.data as { notes: string }).notes).toBe('快照期间改的')
    // What the device ends with is exactly the scope now.
    const now = await pullAll('grid01', MAX_PULL_LIMIT, `1.${await epochOf('grid01')}.0`)
    expect([...device.keys()].sort()).toEqual(now.changes.map(key).sort())
    for (const c of now.changes) expect(device.get(key(c))!.version, key(c)).toBe(c.version)
    expect(rest.cursor).toBe(now.cursor)
  })

  it('the pages of a first pull say they are its snapshot, each record in one of them; the changes after it do not', async () => {
    const me = workerOf(s.community, 'grid01')
    const said: Array<boolean | undefined> = []
    const seen = new Set<string>()
    let cursor: string | undefined
    let pushed = false
    for (;;) {
      const { body } = await pullPage('grid01', { limit: '200', ...(cursor ? { cursor } : {}) })
      if ('reset' in body) throw new Error('unexpected reset')
      said.push(body.snapshot)
      if (body.snapshot) for (const c of body.changes) {
        expect(seen.has(key(c)), key(c)).toBe(false)
        seen.add(key(c))
      }
      cursor = body.cursor
      // A visit made while the snapshot is read comes after it, in a page of changes.
      if (!pushed) {
        const v = makeVisit(s.community, householdOf(s.community, 'grid01', 2), me.id)
        const res = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${tokens.grid01}` }, payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [visitMutation(v)] } })
        expect(res.statusCode).toBe(200)
        pushed = true
      }
      if (!body.hasMore) break
    }
    expect(said.length).toBeGreaterThan(2)
    expect(said.slice(0, -1).every((x) => x === true)).toBe(true)
    expect(said[said.length - 1]).toBeUndefined()
    const later = await pullPage('grid01', { limit: '200', cursor: cursor! })
    if ('reset' in later.body) throw new Error('unexpected reset')
    expect(later.body.snapshot).toBeUndefined()
  })

  it('a snapshot cursor that is not ours is 400 CURSOR_INVALID', async () => {
    const epoch = await epochOf('grid01')
    const past = ENTITIES.length
    for (const bad of [`2.${epoch}.5.99.-`, `2.${epoch}.5.${past}.-`, `2.${epoch}.5.1`, `2.${epoch}.x.1.-`, `2.${epoch}.5.1.a.b.c`, `2.${epoch}.5.-1.-`, `2.${epoch}.5.1.-.0`, `2.${epoch}.5.1.-.30.9`, `2.${epoch}.5.1.@ab`, `2.${epoch}.5.1.ab@`]) {
      const { status, body } = await pullPage('grid01', { cursor: bad })
      expect([bad, status, body.error?.code]).toEqual([bad, 400, 'CURSOR_INVALID'])
    }
  })
})

describe('a first pull, further', () => {
  const answer = (body: PullResponse) => {
    if ('reset' in body) throw new Error('unexpected reset')
    return body
  }

  it('a snapshot cursor at the very start is the start', async () => {
    const head = await readCounter(s.store, 'version')
    const fresh = await pullPage('grid01', { limit: '7' })
    const fromStart = await pullPage('grid01', { limit: '7', cursor: `2.${await epochOf('grid01')}.${head}.0.-` })
    expect(fromStart.status).toBe(200)
    expect(answer(fromStart.body).changes).toEqual(answer(fresh.body).changes)
    expect(answer(fromStart.body).cursor).toBe(answer(fresh.body).cursor)
  })

  it.each(['grid01', 'secretary'] as const)('%s: each page asked with count=1 says how many records are still to come, from the start and from a cursor', async (username) => {
    const whole = await pullAll(username, MAX_PULL_LIMIT)
    let cursor: string | undefined
    let pulled = 0
    for (let page = 0; page < 5; page++) {
      const { body } = await pullPage(username, { limit: '7', count: '1', ...(cursor ? { cursor } : {}) })
      if ('reset' in body) throw new Error('unexpected reset')
      expect(body.total, `page ${page}`).toBe(whole.changes.length - pulled)
      pulled += body.changes.length
      cursor = body.cursor
    }
    const fromChanges = await pullPage(username, { limit: '7', count: '1', cursor: `1.${await epochOf(username)}.0${username === 'secretary' ? '.3650' : ''}` })
    expect(answer(fromChanges.body).total, 'from a cursor in version order').toBe(whole.changes.length)
  })

  it('an office device’s snapshot cursor says how many days of visits it holds: widened meanwhile, it starts over', async () => {
    const days = (officeVisitDays: number) =>
      s.app.inject({
        method: 'POST',
        url: '/api/sync/push',
        headers: { authorization: `Bearer ${tokens.admin}` },
        payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [{ mutationId: uuidv7(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data: { officeVisitDays }, at: new Date().toISOString() }] },
      })
    expect((await days(3000)).json().results[0].status).toBe('applied')
    let cursor: string
    try {
      cursor = answer((await pullPage('secretary', { limit: '5' })).body).cursor
      expect(cursor).toMatch(/^2\.\d+\.\d+\.\d+\.[0-9a-f-]+\.3000$/)
    } finally {
      expect((await days(3650)).json().results[0].status).toBe('applied')
    }
    expect((await pullPage('secretary', { limit: '5', cursor })).body).toEqual({ reset: true })
  })

  it('a resident’s 政法 tags are left out for a worker, and nothing says they were', async () => {
    // One of grid01's residents is given a 政法 tag on the server.
    const cell = workerOf(s.community, 'grid01').gridIds[0]!
    const row = await s.store.selectFrom('residents').select(['id', 'data']).where('grid_id', '=', cell).where('deleted', '=', 0).executeTakeFirstOrThrow()
    await s.store.transaction().execute(async (trx) => {
      const data = { ...(JSON.parse(row.data) as { tags: string[] }), tags: ['drug'] }
      await trx.updateTable('residents').set({ data: JSON.stringify(data), version: await nextVersion(trx) }).where('id', '=', row.id).execute()
    })
    const sensitive = [{ id: row.id }]
    const { changes } = await pullAll('grid01', MAX_PULL_LIMIT)
    const residents = changes.filter((c) => c.entity === 'resident' && c.data)
    const mine = residents.filter((c) => sensitive.some((r) => r.id === c.id))
    expect(mine.length).toBeGreaterThan(0)
    for (const c of mine) {
      expect((c.data as { tags: string[] }).tags.some((t) => SENSITIVE_TAGS.includes(t as never)), c.id).toBe(false)
      expect(c.data).not.toHaveProperty('hiddenInterval')
    }
  })
})

describe('cursors', () => {
  it('a cursor that is not ours is 400 CURSOR_INVALID, never a full pull', async () => {
    const { cursor } = await pullAll('grid01', MAX_PULL_LIMIT)
    const epoch = cursor.split('.')[1]
    for (const bad of [`2.${epoch}.5`, `1.${epoch}.-1`, `1.${epoch}`, `1.x.5`, `1.${epoch}.1x`, `1.${epoch}.25e300`, `1.${epoch}.9007199254740993`]) {
      const { status, body } = await pullPage('grid01', { cursor: bad })
      expect([bad, status, body.error]).toEqual([bad, 400, { code: 'CURSOR_INVALID', message: '同步位置无法识别，请重新同步' }])
    }
  })

  it('a cursor from before the tombstone horizon starts over; version 0 and the horizon itself do not', async () => {
    const head = await readCounter(s.store, 'version')
    const epoch = (await s.store.selectFrom('users').select('scope_epoch').where('username', '=', 'grid01').executeTakeFirstOrThrow()).scope_epoch
    const horizon = head - 10
    await s.store.updateTable('counters').set({ value: horizon }).where('name', '=', 'tombstone_horizon').execute()
    try {
      expect((await pullPage('grid01', { cursor: `1.${epoch}.${horizon - 1}` })).body).toEqual({ reset: true })
      expect((await pullPage('grid01', { cursor: `1.${epoch}.1` })).body).toEqual({ reset: true })
      for (const cursor of [`1.${epoch}.0`, `1.${epoch}.${horizon}`, undefined]) {
        const { status, body } = await pullPage('grid01', { limit: '1000', ...(cursor ? { cursor } : {}) })
        expect([cursor, status, 'reset' in body]).toEqual([cursor, 200, false])
      }
    } finally {
      await s.store.updateTable('counters').set({ value: 0 }).where('name', '=', 'tombstone_horizon').execute()
    }
  })

  it('a deleted record arrives as a tombstone without its data', async () => {
    const { cursor } = await pullAll('grid01', MAX_PULL_LIMIT)
    const h = householdOf(s.community, 'grid01', 1)
    await s.store.transaction().execute(async (trx) => {
      const version = await nextVersion(trx)
      await trx.updateTable('households').set({ deleted: 1, version }).where('id', '=', h.id).execute()
    })
    const after = await pullAll('grid01', MAX_PULL_LIMIT, cursor)
    expect(after.changes).toEqual([{ entity: 'household', id: h.id, version: await readCounter(s.store, 'version'), deleted: true, data: null }])
    // Another worker's device hears nothing of it.
    const other = await pullAll('grid02', MAX_PULL_LIMIT)
    expect(other.changes.some((c) => c.id === h.id)).toBe(false)
  })
})
