// Issue 15's push figures: many phones pushing at once, through the real HTTP of `npm start`
// processes (src/server/main.ts), closed loop (each phone sends its next batch as soon as the
// last is answered). Applied mutations per second and each push's latency, on SQLite with one
// app server, and, when a PostgreSQL cluster is given (ZOUFANG_TEST_PG_URL, as
// scripts/with-postgres.sh sets it), on PostgreSQL with one and with two app servers over one
// database. The phones run in this process, on the same cores as the servers. Figures only.
// Alone: `node --import tsx bench/push.ts`; on PostgreSQL too:
// `bash scripts/with-postgres.sh node --import tsx bench/push.ts`.
// BENCH_PUSH_DEVICES (200), BENCH_PUSH_SECONDS (60), BENCH_PUSH_BATCH (5 visits a push).
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
const WORKERS = Array.from({ length: 13 }, (_, i) => `grid${String(i + 1).padStart(2, '0')}`)

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

/** `urls`: the app servers; device i pushes through urls[i % urls.length]. */
async function hammer(urls: string[], seconds = SECONDS): Promise<PushFigures> {
  // One after another: logins from one address at once would be slowed by the login throttle.
  const workers: Worker[] = []
  for (const u of WORKERS) workers.push(await workerOf(urls[0]!, u))
  const deadline = Date.now() + seconds * 1000
  const latencies: number[] = []
  let applied = 0
  let failed = 0
  const started = Date.now()
  await Promise.all(
    Array.from({ length: DEVICES }, async (_, i) => {
      const url = urls[i % urls.length]!
      const w = workers[i % workers.length]!
      const deviceId = uuidv7()
      while (Date.now() < deadline) {
        const body = JSON.stringify({ deviceId, protocolVersion: PROTOCOL_VERSION, mutations: visitsFor(w, BATCH) })
        const t0 = performance.now()
        try {
          const res = await json<{ results: MutationResult[] }>(`${url}/api/sync/push`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${w.token}` }, body })
          latencies.push(performance.now() - t0)
          applied += res.results.filter((r) => r.status === 'applied').length
        } catch {
          failed++
        }
      }
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
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const line: Line = (name, value, goal) => console.log(`${name.padEnd(58)} ${value.padStart(10)}   ${goal}`)
  await benchPush(line)
}
