// Issue 15's street figures: a street of BENCH_STREET_COMMUNITIES (30) communities of
// BENCH_STREET_HOUSEHOLDS (3,000) households each on PostgreSQL, through the real app in this
// process: the street office's overview p95 (counted afresh, unchanged, and with one community
// writing between looks: a community's counts are reused until it writes), and a community's pull p95 (a worker's first page,
// and an incremental pull). Needs a cluster: `bash scripts/with-postgres.sh node --import tsx
// bench/street.ts` (seeding 30 communities takes minutes: said as it goes). Figures only.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { generateStreet } from '../src/demo/street'
import { chinaDay, PROTOCOL_VERSION, uuidv7 } from '../src/domain'
import { buildApp } from '../src/server/app'
import { openDeployment } from '../src/server/deployment'
import { seedStreet } from '../src/server/seed'
import { openStore } from '../src/server/store/open'
import { householdOf, makeVisit, visitMutation } from '../tests/support/fixtures'
import { createTestDatabase } from '../tests/support/server'
import { fmt, median, percentile } from './stats'

type Line = (name: string, value: string, goal: string) => void

export async function benchStreet(line: Line, communities = Number(process.env.BENCH_STREET_COMMUNITIES ?? 30), households = Number(process.env.BENCH_STREET_HOUSEHOLDS ?? 3000), runs = 20): Promise<void> {
  if (!process.env.ZOUFANG_TEST_PG_URL) {
    line('Street on PostgreSQL', 'skipped', 'no cluster: bash scripts/with-postgres.sh node --import tsx bench/street.ts')
    return
  }
  const pg = await createTestDatabase()
  const dir = mkdtempSync(join(tmpdir(), 'zoufang-street-'))
  const store = await openStore(pg.url)
  const deployment = await openDeployment(store)
  try {
    const started = Date.now()
    const street = generateStreet(communities, { households })
    await seedStreet(deployment, street, new Date(), {})
    console.log(`  seeded ${communities} communities × ${households} households in ${fmt(Date.now() - started)}`)
    const app = await buildApp({ store, deployment, attachmentsDir: join(dir, 'attachments') })
    const login = async (username: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'zoufang' } })).json<{ token: string }>().token
    const streetToken = await login('street')
    const second = street[1] ?? street[0]!
    const worker = second.key === 'main' ? 'grid01' : `${second.key}-grid01`
    const workerToken = await login(worker)
    const query = { from: chinaDay(Date.now() - 30 * 86_400_000), to: chinaDay(Date.now()) }
    const time = async (f: () => Promise<unknown>) => {
      const times: number[] = []
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now()
        await f()
        times.push(performance.now() - t0)
      }
      return times
    }
    const look = async (q: { from: string; to: string }) => {
      const res = await app.inject({ method: 'GET', url: '/api/street/overview', query: q, headers: { authorization: `Bearer ${streetToken}` } })
      if (res.statusCode !== 200) throw new Error(res.body)
    }
    // Counted afresh: each look asks another period, so no community's counts can be reused.
    let shift = 0
    const cold = await time(() => look({ from: chinaDay(Date.now() - (30 + ++shift) * 86_400_000), to: chinaDay(Date.now()) }))
    // The same look again, nothing written meanwhile: every community's counts reused.
    const same = await time(() => look(query))
    // As a street meets it while its workers work: one community wrote (a visit) before each look.
    const me = second.community.users.find((u) => u.username === worker)!
    const home = householdOf(second.community, worker)
    const busy = await time(async () => {
      const res = await app.inject({ method: 'POST', url: '/api/sync/push', headers: { authorization: `Bearer ${workerToken}` }, payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [visitMutation(makeVisit(second.community, home, me.id))] } })
      if (res.statusCode !== 200) throw new Error(res.body)
      await look(query)
    })
    const first = await time(async () => {
      const res = await app.inject({ method: 'GET', url: '/api/sync/pull?limit=1000&count=1', headers: { authorization: `Bearer ${workerToken}` } })
      if (res.statusCode !== 200) throw new Error(res.body)
    })
    line(`Street overview, ${communities} communities × ${households} households, counted afresh, p95 of ${runs}`, fmt(percentile(cold, 95)), `figure (median ${fmt(median(cold))})`)
    line('  the same look again, nothing written meanwhile, p95', fmt(percentile(same, 95)), `figure (median ${fmt(median(same))})`)
    line('  one community wrote a visit before each look (push included), p95', fmt(percentile(busy, 95)), `figure (median ${fmt(median(busy))})`)
    line(`  a community's pull: ${worker}'s first page (1,000), p95 of ${runs}`, fmt(percentile(first, 95)), `figure (median ${fmt(median(first))})`)
    await app.close()
  } finally {
    await deployment.destroy()
    await pg.drop()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const line: Line = (name, value, goal) => console.log(`${name.padEnd(58)} ${value.padStart(10)}   ${goal}`)
  await benchStreet(line)
}
