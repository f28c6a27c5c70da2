// The secretary's aggregates on a large community: 10,000 households and about 100,000 visits in
// a temporary SQLite store, through the real app (app.inject: routing, auth, zod, JSON included).
// Times GET /api/stats/coverage and /api/stats/households for a 30-day and a one-year period.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_DEFAULTS, DEMO_PASSWORD, generateCommunity } from '../src/demo/generate'
import { chinaDay, dayNumber, dayString } from '../src/domain/coverage'
import { buildApp } from '../src/server/app'
import { seedCommunity } from '../src/server/seed'
import { openStore } from '../src/server/store/open'
import { median, percentile } from './stats'

export interface AggregateTiming {
  name: string
  p95: number
  median: number
  bytes: number
}

export interface AggregatesBench {
  households: number
  visits: number
  timings: AggregateTiming[]
}

export async function benchAggregates(runs = 20): Promise<AggregatesBench> {
  const dir = mkdtempSync(join(tmpdir(), 'zoufang-bench-aggregates-'))
  const store = await openStore(join(dir, 'zoufang.sqlite'))
  try {
    const now = DEMO_DEFAULTS.now
    const c = generateCommunity({ households: 10_000, now })
    await seedCommunity(store, c, new Date(now))
    const app = await buildApp({ store })
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'secretary', password: DEMO_PASSWORD } })
    const headers = { authorization: `Bearer ${(login.json() as { token: string }).token}` }

    const to = chinaDay(now)
    const periods = [
      { label: '30 days', from: dayString(dayNumber(to) - 29) },
      { label: '1 year', from: dayString(dayNumber(to) - 365) },
    ]
    const timings: AggregateTiming[] = []
    for (const endpoint of ['coverage', 'households'] as const) {
      for (const p of periods) {
        const url = `/api/stats/${endpoint}?from=${p.from}&to=${to}`
        const times: number[] = []
        let bytes = 0
        // One warm-up: the first call compiles the queries and fills SQLite's page cache.
        for (let i = 0; i <= runs; i++) {
          const t0 = performance.now()
          const res = await app.inject({ method: 'GET', url, headers })
          const ms = performance.now() - t0
          if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
          bytes = res.rawPayload.length
          if (i > 0) times.push(ms)
        }
        timings.push({ name: `${endpoint}, ${p.label}`, p95: percentile(times, 95), median: median(times), bytes })
      }
    }
    await app.close()
    return { households: c.households.length, visits: c.visits.length, timings }
  } finally {
    await store.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

// Run alone: node --import tsx bench/aggregates.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchAggregates(Number(process.env.BENCH_RUNS ?? 20))
  console.log(`${r.households} households, ${r.visits} visits`)
  for (const t of r.timings) console.log(`${t.name}: p95 ${t.p95.toFixed(1)} ms, median ${t.median.toFixed(1)} ms, ${Math.round(t.bytes / 1024)} KB`)
}
