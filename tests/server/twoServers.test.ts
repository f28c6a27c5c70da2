import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Change, type Mutation, type MutationResult, PROTOCOL_VERSION, type PullResponse, uuidv7 } from '../../src/domain'
import { buildApp } from '../../src/server/app'
import { openStore, type Store } from '../../src/server/store/open'
import { makeVisit, visitMutation } from '../support/fixtures'
import { startTestServer, testDb, type TestServer } from '../support/server'

// Two app servers on one database (issue 15: several stateless app processes in front of one
// PostgreSQL; on SQLite, two connections to one file) behave as one. Devices push through either
// at random, lose answers and send again, while a device tails the changes with its cursor
// through either server, sometimes the same batch through both at once. Afterwards: every mutation was applied once, the tail saw every commit
// (its copy equals a fresh full pull), and both servers give the same full pull.

let s: TestServer
let second: { app: FastifyInstance; store: Store }
const tokens: Record<string, string> = {}
const WORKERS = ['grid01', 'grid02', 'grid03', 'grid04']

beforeAll(async () => {
  if (testDb !== 'postgres') return
  s = await startTestServer(200)
  const store = await openStore(s.target)
  second = { store, app: await buildApp({ store, attachmentsDir: s.attachmentsDir }) }
  for (const u of [...WORKERS, 'secretary']) tokens[u] = await s.login(u)
}, 120_000)
afterAll(async () => {
  await second?.app.close()
  await second?.store.destroy()
  await s?.close()
})

const apps = () => [s.app, second.app]
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!

async function push(user: string, device: string, mutations: Mutation[], app = pick(apps())): Promise<MutationResult[]> {
  const res = await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${tokens[user]}` }, payload: { deviceId: device, protocolVersion: PROTOCOL_VERSION, mutations } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results
}

async function pullPage(app: FastifyInstance, user: string, cursor: string | undefined): Promise<Exclude<PullResponse, { reset: true }>> {
  const res = await app.inject({ method: 'GET', url: `/api/sync/pull?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: { authorization: `Bearer ${tokens[user]}` } })
  expect(res.statusCode, res.body).toBe(200)
  const page = res.json<PullResponse>()
  if ('reset' in page) throw new Error('unexpected reset')
  return page
}

/** A device's copy: each record's latest version as pulled. */
type Copy = Map<string, number>
function apply(copy: Copy, changes: Change[]): void {
  for (const c of changes) {
    const key = `${c.entity}:${c.id}`
    const had = copy.get(key)
    // A cursor that skipped a commit and then saw a later one would not notice here, but the
    // final comparison with a fresh pull would; an older version after a newer one is a bug too.
    expect(had === undefined || had <= c.version, `${key}: version ${c.version} after ${had}`).toBe(true)
    copy.set(key, c.version)
  }
}

async function fullPull(app: FastifyInstance, user: string): Promise<Copy> {
  const copy: Copy = new Map()
  let cursor: string | undefined
  for (;;) {
    const page = await pullPage(app, user, cursor)
    apply(copy, page.changes)
    cursor = page.cursor
    if (!page.hasMore) return copy
  }
}

// PostgreSQL only (npm run test:postgres, in CI): SQLite is the one-server store. Two app servers
// in one process on one SQLite file would block each other for good: better-sqlite3 waits for
// the file's write lock synchronously, so the server holding it never gets to finish.
describe.skipIf(testDb !== 'postgres')('two app servers on one PostgreSQL database', () => {
  it('devices pushing through both at random: every mutation once, the tail misses no commit, both converge', async () => {
    const sent = new Map<string, Mutation>()
    const applied = new Map<string, number>()
    const households = s.community.households
    const userOf = (u: string) => s.community.users.find((x) => x.username === u)!

    // The tail: a device of the secretary pulling from the start, then on and on as others write.
    const tail: Copy = new Map()
    let cursor: string | undefined
    let writing = true
    const tailing = (async () => {
      for (;;) {
        const done = !writing
        const page = await pullPage(pick(apps()), 'secretary', cursor)
        apply(tail, page.changes)
        cursor = page.cursor
        if (!page.hasMore && done) return
      }
    })()

    // Each worker's phone: 8 rounds of a batch of new visits and a phone number edit, through a
    // random server; one answer in three is "lost" and the whole batch is sent again later.
    const phones = WORKERS.map(async (username) => {
      const device = uuidv7()
      const me = userOf(username)
      const mine = households.filter((h) => me.gridIds.includes(h.gridId))
      const pending: Mutation[] = []
      for (let round = 0; round < 8; round++) {
        for (let i = 0; i < 3; i++) pending.push(visitMutation(makeVisit(s.community, pick(mine), me.id)))
        const h = pick(mine)
        pending.push({ mutationId: uuidv7(), entity: 'household', id: h.id, op: 'patch', data: { phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` }, at: new Date().toISOString() })
        for (const m of pending) sent.set(m.mutationId, m)
        // One round in three the phone sends again before the first answer came, to the other
        // server: the two pushes of the same batch run side by side.
        const both = Math.random() < 1 / 3
        const answers = both ? await Promise.all(apps().map((app) => push(username, device, pending, app))) : [await push(username, device, pending)]
        for (const r of answers.flat()) {
          expect(['applied', 'duplicate', 'conflict'], JSON.stringify(r)).toContain(r.status)
          if (r.status === 'applied') applied.set(r.mutationId, (applied.get(r.mutationId) ?? 0) + 1)
        }
        if (Math.random() >= 1 / 3) pending.length = 0 // answered: off the queue; else resent next round
      }
      if (pending.length) for (const r of await push(username, device, pending)) if (r.status === 'applied') applied.set(r.mutationId, (applied.get(r.mutationId) ?? 0) + 1)
    })
    await Promise.all(phones)
    writing = false
    await tailing

    // Every mutation sent was applied exactly once (a resend answered duplicate), and the ledger agrees.
    expect([...sent.keys()].filter((id) => applied.get(id) !== 1)).toEqual([])
    const ledger = await s.store.selectFrom('mutations').select(['mutation_id']).where('mutation_id', 'in', [...sent.keys()]).execute()
    expect(ledger.length).toBe(sent.size)
    // Each new visit is there once.
    const visitIds = [...sent.values()].filter((m) => m.entity === 'visit').map((m) => m.id)
    const stored = await s.store.selectFrom('visits').select('id').where('id', 'in', visitIds).execute()
    expect(stored.length).toBe(visitIds.length)

    // The tail saw every commit: its copy is a fresh full pull's, through either server.
    const one = await fullPull(s.app, 'secretary')
    const two = await fullPull(second.app, 'secretary')
    expect(two).toEqual(one)
    expect([...one].filter(([k, v]) => tail.get(k) !== v).slice(0, 5)).toEqual([])
    // What the tail holds beyond a fresh pull can only be old visits: an office device is sent
    // each household's latest visit however old, and a newer one made meanwhile takes its place
    // (the device drops the old one when it prunes its window, sync/visitWindow.ts).
    expect([...tail.keys()].filter((k) => !one.has(k) && !k.startsWith('visit:'))).toEqual([])
  }, 120_000)

  it('a session made through one server works through the other, and logging out through it ends it on both', async () => {
    const token = await s.login('grid05')
    const me = (app: FastifyInstance) => app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } })
    expect((await me(second.app)).statusCode).toBe(200)
    expect((await second.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(204)
    expect((await me(s.app)).statusCode).toBe(401)
  })

  it('the public page’s limit counts an address’s requests through both servers together', async () => {
    // 121 requests, alternating servers, all inside one clock minute (tried again if a minute
    // turned meanwhile, which starts the count over): the 121st is refused.
    for (let attempt = 0; ; attempt++) {
      const address = `10.77.${attempt}.${Math.floor(Math.random() * 250)}`
      const minute = Math.floor(Date.now() / 60_000)
      const codes: number[] = []
      for (let i = 0; i < 121; i++) codes.push((await apps()[i % 2]!.inject({ method: 'GET', url: '/api/public/community', remoteAddress: address })).statusCode)
      if (Math.floor(Date.now() / 60_000) !== minute && attempt < 2) continue
      expect(codes.slice(0, 120).filter((c) => c !== 200)).toEqual([])
      expect(codes[120]).toBe(429)
      return
    }
  })
})
