// Issue 15's push figures: many phones pushing at once, through the real HTTP of `npm start`
// processes (src/server/main.ts), closed loop (each phone sends its next batch as soon as the
// last is answered). Applied mutations per second and each push's latency, on SQLite with one
// app server, and, when a PostgreSQL cluster is given (ZOUFANG_TEST_PG_URL, as
// scripts/with-postgres.sh sets it), on PostgreSQL with one and with two app servers over one
// database. The phones run in this process, on the same cores as the servers. Figures only.
// Alone: `node --import tsx bench/push.ts`; on PostgreSQL too:
// `bash scripts/with-postgres.sh node --import tsx bench/push.ts`.
// BENCH_PUSH_DEVICES (200), BENCH_PUSH_SECONDS (60), BENCH_PUSH_BATCH (5 visits a push),
// BENCH_PUSH_STREET (3: the communities of the street run on PostgreSQL; 0 skips it).
import { Agent, request } from 'node:http'
import { pathToFileURL } from 'node:url'
import { type Change, type ChecklistTemplate, type Household, type MutationResult, PROTOCOL_VERSION, type PullResponse, uuidv7 } from '../src/domain'
import { requiredAnswers } from '../tests/support/fixtures'
import { createTestDatabase } from '../tests/support/server'
import { type RunningServer, startServer } from '../tests/e2e/support'
import { fmt, percentile } from './stats'

type Line = (name: string, value: string, goal: string) => void

const DEVICES = Number(process.env.BENCH_PUSH_DEVICES ?? 200)
const SECONDS = Number(process.env.BENCH_PUSH_SECONDS ?? 60)
const BATCH = Number(process.env.BENCH_PUSH_BATCH ?? 5)
/** Paced runs (BENCH_PUSH_OFFERED, comma-separated visits/s): the latency at a load below capacity. */
const OFFERED = (process.env.BENCH_PUSH_OFFERED ?? '1000,2000').split(',').filter(Boolean).map(Number)
const WORKERS = Array.from({ length: 13 }, (_, i) => `grid${String(i + 1).padStart(2, '0')}`)
/** A street's run: the phones spread over its communities, whose writes take their own locks. */
const STREET = Number(process.env.BENCH_PUSH_STREET ?? 3)
/** The demo street's community keys after the first (src/demo/street.ts): their logins' prefixes. */
const STREET_KEYS = ['heping', 'xiangyang', 'chaoyang', 'jinxiu']
const streetWorkers = (communities: number) => [WORKERS, ...STREET_KEYS.slice(0, communities - 1).map((k) => WORKERS.map((w) => `${k}-${w}`))].flat()

interface Worker {
  token: string
  id: string
  households: Household[]
  template: ChecklistTemplate
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, init)
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

/** Logs a worker in and pulls their cells: the households to visit and the routine checklist. */
async function workerOf(url: string, username: string): Promise<Worker> {
  const login = await json<{ token: string; user: { id: string } }>(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'zoufang' }) })
  const changes: Change[] = []
  let cursor: string | undefined
  for (;;) {
    const page = await json<PullResponse>(`${url}/api/sync/pull?limit=2000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: { authorization: `Bearer ${login.token}` } })
    if ('reset' in page) throw new Error('reset')
    changes.push(...page.changes)
    if (!page.hasMore) break
    cursor = page.cursor
  }
  const households = changes.filter((c) => c.entity === 'household' && !c.deleted).map((c) => c.data as unknown as Household)
  const template = changes.filter((c) => c.entity === 'checklistTemplate').map((c) => c.data as unknown as ChecklistTemplate).find((t) => t.code === 'routine')!
  return { token: login.token, id: login.user.id, households, template }
}

/** A push over the phone's own keep-alive connection. Each simulated phone has one, as real
 *  phones do: through fetch's shared pool, some phones' pushes queued one behind another on a
 *  single socket and waited out the whole run (a p99 of 15–20 s that was the bench's, not the
 *  server's: the server received each such push only when the one before it on that socket was
 *  answered). */
function postOver<T>(agent: Agent, url: string, token: string, body: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        if (res.statusCode !== 200) reject(new Error(`POST ${url}: ${res.statusCode} ${text}`))
        else resolve(JSON.parse(text) as T)
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

function openConnection(agent: Agent, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/health`, { agent }, (res) => res.resume().on('end', resolve))
    req.on('error', reject)
    req.end()
  })
}

function visitsFor(w: Worker, n: number) {
  const at = new Date().toISOString()
  return Array.from({ length: n }, () => {
    const h = w.households[Math.floor(Math.random() * w.households.length)]!
    const visit = {
      id: uuidv7(),
      householdId: h.id,
      gridId: h.gridId,
      workerId: w.id,
      startedAt: at,
      outcome: 'met',
      residentIds: [],
      templateId: w.template.id,
      templateVersion: w.template.version,
      answers: requiredAnswers(w.template),
      notes: '压力测试走访',
      needs: '',
      followUpDate: null,
      location: null,
      photoIds: [],
    }
    return { mutationId: uuidv7(), entity: 'visit', id: visit.id, op: 'create', data: visit, at }
  })
}

export interface PushFigures {
  applied: number
  perSecond: number
  p50: number
  p99: number
  pushes: number
  failed: number
}

/** `urls`: the app servers; device i pushes through urls[i % urls.length]. Closed loop when
 *  `offered` is absent: each phone pushes again as soon as it is answered, so the figure is the
 *  server's capacity and each push waits behind every other phone's (by Little's law the mean
 *  is phones × batch ÷ throughput: 200 × 5 at 2,000/s is 0.5 s). With `offered` (mutations a
 *  second, all phones together) each phone pushes on a fixed schedule, as phones coming back
 *  online do, and a push's latency counts from when it was due, so a server that falls behind
 *  is seen (no coordinated omission). */
export async function hammer(urls: string[], seconds = SECONDS, offered?: number, usernames: readonly string[] = WORKERS): Promise<PushFigures> {
  // One after another: logins from one address at once would be slowed by the login throttle.
  const workers: Worker[] = []
  for (const u of usernames) workers.push(await workerOf(urls[0]!, u))
  const phones = Array.from({ length: DEVICES }, (_, i) => ({
    url: urls[i % urls.length]!,
    w: workers[i % workers.length]!,
    deviceId: uuidv7(),
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
  }))
  // Each phone's connection is open before the clock starts, as a phone's is once it has logged
  // in and pulled: 200 connections opened at one instant into a saturated server made a few first
  // pushes wait 13–16 s, a thundering herd of the bench's own making.
  await Promise.all(phones.map((p) => openConnection(p.agent, p.url)))
  const deadline = Date.now() + seconds * 1000
  const latencies: number[] = []
  let applied = 0
  let failed = 0
  const started = Date.now()
  await Promise.all(
    phones.map(async ({ url, w, deviceId, agent }, i) => {
      const every = offered ? (DEVICES * BATCH * 1000) / offered : 0
      // Phones' schedules spread over one period, not all due at the same instant.
      let due = performance.now() + (every * i) / DEVICES
      while (Date.now() < deadline) {
        const body = JSON.stringify({ deviceId, protocolVersion: PROTOCOL_VERSION, mutations: visitsFor(w, BATCH) })
        if (offered) {
          const wait = due - performance.now()
          if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        }
        const t0 = offered ? due : performance.now()
        due += every
        try {
          const res = await postOver<{ results: MutationResult[] }>(agent, `${url}/api/sync/push`, w.token, body)
          latencies.push(performance.now() - t0)
          applied += res.results.filter((r) => r.status === 'applied').length
        } catch {
          failed++
        }
      }
      agent.destroy()
    }),
  )
  const elapsed = (Date.now() - started) / 1000
  return { applied, perSecond: applied / elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99), pushes: latencies.length, failed }
}

function print(line: Line, label: string, f: PushFigures, goal: string): void {
  line(`${label}`, `${Math.round(f.perSecond)}/s`, `${goal} (p99 ${fmt(f.p99)}, median ${fmt(f.p50)}, ${f.pushes} pushes${f.failed ? `, ${f.failed} failed` : ''})`)
}

export async function benchPush(line: Line): Promise<void> {
  const what = `${DEVICES} phones × ${BATCH} visits a push, ${SECONDS} s`
  const quiet = { ZOUFANG_LOG: '0', ZOUFANG_SKIP_BUILD: '1' }
  const sqlite = await startServer(quiet)
  try {
    print(line, `Push, ${what}: SQLite, 1 app server`, await hammer([sqlite.url]), 'goal ≥ 2,000/s, p99 ≤ 250 ms')
    for (const offered of OFFERED) print(line, `  the same phones pacing ${offered.toLocaleString('en')} visits/s in all`, await hammer([sqlite.url], SECONDS, offered), 'p99 ≤ 250 ms')
  } finally {
    await sqlite.stop()
  }
  if (!process.env.ZOUFANG_TEST_PG_URL) {
    line('Push on PostgreSQL', 'skipped', 'no cluster: bash scripts/with-postgres.sh node --import tsx bench/push.ts')
    return
  }
  for (const servers of [1, 2]) {
    const pg = await createTestDatabase()
    const running: RunningServer[] = []
    try {
      // The first seeds the demo community; the others open the same database.
      for (let i = 0; i < servers; i++) running.push(await startServer({ ...quiet, DATABASE_URL: pg.url }))
      print(line, `Push, ${what}: PostgreSQL, ${servers} app server${servers > 1 ? 's' : ''}`, await hammer(running.map((r) => r.url)), servers > 1 ? 'goal: more than with one' : 'figure')
    } finally {
      for (const r of running) await r.stop()
      await pg.drop()
    }
  }
  if (STREET < 2) return
  // What PostgreSQL is for: a street's communities on one database, each writing under its own
  // lock, the same phones spread over them.
  for (const servers of [1, 2]) {
    const pg = await createTestDatabase()
    const running: RunningServer[] = []
    try {
      const street = { ...quiet, DATABASE_URL: pg.url, ZOUFANG_DEMO_COMMUNITIES: String(STREET), ZOUFANG_DEMO_HOUSEHOLDS: '1000' }
      for (let i = 0; i < servers; i++) running.push(await startServer(street))
      const label = `Push, ${what}: PostgreSQL, a street of ${STREET} communities, ${servers} app server${servers > 1 ? 's' : ''}`
      print(line, label, await hammer(running.map((r) => r.url), SECONDS, undefined, streetWorkers(STREET)), servers > 1 ? 'goal: more than with one' : 'figure')
    } finally {
      for (const r of running) await r.stop()
      await pg.drop()
    }
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const line: Line = (name, value, goal) => console.log(`${name.padEnd(58)} ${value.padStart(10)}   ${goal}`)
  await benchPush(line)
}
