// Campaigns (issue 12, "Figures"): the office's progress and results of a campaign over 3,000
// target households with 3,000 answers, and the launch of one targeting 10,000 households with a
// worker's first pull afterwards — through the real app (app.inject: routing, auth, zod, JSON) on a
// temporary SQLite store. The answers arrive through /api/sync/push, as phones send them.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { DEMO_PASSWORD, generateCommunity, type DemoCommunity } from '../src/demo/generate'
import { type Answers, chinaDay, type Household, PROTOCOL_VERSION, uuidv7, type Visit } from '../src/domain'
import { buildApp } from '../src/server/app'
import { seedCommunity } from '../src/server/seed'
import { openStore } from '../src/server/store/open'
import { median, percentile } from './stats'

export interface CampaignsBench {
  targets: number
  answers: number
  progress: { p95: number; median: number }
  results: { p95: number; median: number }
  launch10k: { ms: number; targets: number }
  firstPull10k: { ms: number; records: number; targets: number }
}

async function withApp<T>(households: number, fn: (app: FastifyInstance, c: DemoCommunity, login: (u: string) => Promise<Record<string, string>>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'zoufang-bench-campaigns-'))
  const store = await openStore(join(dir, 'zoufang.sqlite'))
  try {
    const c = generateCommunity({ households, now: Date.now() })
    await seedCommunity(store, c)
    const app = await buildApp({ store })
    const login = async (username: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: DEMO_PASSWORD } })
      return { authorization: `Bearer ${(res.json() as { token: string }).token}` }
    }
    try {
      return await fn(app, c, login)
    } finally {
      await app.close()
    }
  } finally {
    await store.destroy()
    rmSync(dir, { recursive: true, force: true })
  }
}

async function launchOverAll(app: FastifyInstance, c: DemoCommunity, headers: Record<string, string>): Promise<{ id: string; ms: number; targets: number }> {
  const template = c.templates.find((t) => t.code === 'gas_inspection')!
  const body = {
    title: '燃气安全入户排查（基准）',
    kind: 'inspection',
    templateId: template.id,
    startDay: chinaDay(Date.now()),
    deadline: chinaDay(Date.now() + 14 * 86_400_000),
    targeting: { gridIds: c.gridCells.map((g) => g.id) },
  }
  const made = await app.inject({ method: 'POST', url: '/api/campaigns', headers, payload: body })
  if (made.statusCode !== 201) throw new Error(made.body)
  const id = (made.json() as { id: string }).id
  const t0 = performance.now()
  const res = await app.inject({ method: 'POST', url: `/api/campaigns/${id}/launch`, headers })
  const ms = performance.now() - t0
  if (res.statusCode !== 200) throw new Error(res.body)
  return { id, ms, targets: (res.json() as { targetCount: number }).targetCount }
}

/** One visit per target household: 80 % met with answers (a few hazards), 15 % 不在家, 5 % 拒访. */
async function answerAll(app: FastifyInstance, c: DemoCommunity, campaignId: string, login: (u: string) => Promise<Record<string, string>>): Promise<number> {
  const workerOf = new Map(c.users.flatMap((u) => u.gridIds.map((g) => [g, u] as const)))
  const byWorker = new Map<string, Visit[]>()
  let n = 0
  c.households.forEach((h: Household, i) => {
    const worker = workerOf.get(h.gridId)!
    const outcome: Visit['outcome'] = i % 20 === 0 ? 'refused' : i % 7 === 0 ? 'not_home' : 'met'
    const answers: Answers = { pipe_ok: i % 31 !== 0, hose_ok: i % 17 !== 0, flame_guard: i % 13 === 0 ? '没有' : '有', alarm: i % 3 === 0 }
    const v: Visit = {
      id: uuidv7(),
      householdId: h.id,
      gridId: h.gridId,
      workerId: worker.id,
      startedAt: new Date(Date.now() - (i % 600) * 60_000).toISOString(),
      outcome,
      residentIds: [],
      templateId: null,
      templateVersion: null,
      answers: {},
      notes: '',
      needs: '',
      followUpDate: null,
      location: null,
      photoIds: [],
      campaignId,
      ...(outcome === 'met' ? { campaignAnswers: answers, respondent: 'owner' as const } : {}),
    }
    const list = byWorker.get(worker.username) ?? []
    list.push(v)
    byWorker.set(worker.username, list)
  })
  for (const [username, visits] of byWorker) {
    const headers = await login(username)
    for (let i = 0; i < visits.length; i += 200) {
      const mutations = visits.slice(i, i + 200).map((v) => ({ mutationId: uuidv7(), entity: 'visit', id: v.id, op: 'create', data: v, at: new Date().toISOString() }))
      const res = await app.inject({ method: 'POST', url: '/api/sync/push', headers, payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations } })
      const results = (res.json() as { results: { status: string; error?: { message: string } }[] }).results
      const bad = results.find((r) => r.status !== 'applied')
      if (bad) throw new Error(`push: ${bad.status} ${bad.error?.message}`)
      n += results.length
    }
  }
  return n
}

async function timed(app: FastifyInstance, url: string, headers: Record<string, string>, runs: number): Promise<{ p95: number; median: number }> {
  const times: number[] = []
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now()
    const res = await app.inject({ method: 'GET', url, headers })
    const ms = performance.now() - t0
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`)
    if (i > 0) times.push(ms) // the first warms SQLite's page cache
  }
  return { p95: percentile(times, 95), median: median(times) }
}

export async function benchCampaigns(runs = 20): Promise<CampaignsBench> {
  const first = await withApp(3000, async (app, c, login) => {
    const office = await login('secretary')
    const { id, targets } = await launchOverAll(app, c, office)
    const answers = await answerAll(app, c, id, login)
    return {
      targets,
      answers,
      progress: await timed(app, `/api/campaigns/${id}/progress`, office, runs),
      results: await timed(app, `/api/campaigns/${id}/results`, office, runs),
    }
  })
  const second = await withApp(10_000, async (app, c, login) => {
    const { ms, targets } = await launchOverAll(app, c, await login('secretary'))
    const worker = await login('grid01')
    const t0 = performance.now()
    let records = 0
    let mine = 0
    for (let cursor = ''; ; ) {
      const q = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) })
      const res = await app.inject({ method: 'GET', url: `/api/sync/pull?${q}`, headers: worker })
      const page = res.json() as { changes: { entity: string }[]; cursor: string; hasMore: boolean }
      records += page.changes.length
      mine += page.changes.filter((x) => x.entity === 'campaignTarget').length
      if (!page.hasMore) break
      cursor = page.cursor
    }
    return { launch10k: { ms, targets }, firstPull10k: { ms: performance.now() - t0, records, targets: mine } }
  })
  return { ...first, ...second }
}

// Run alone: node --import tsx bench/campaigns.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchCampaigns(Number(process.env.BENCH_RUNS ?? 20))
  console.log(`${r.targets} targets, ${r.answers} answers`)
  console.log(`progress: p95 ${r.progress.p95.toFixed(1)} ms, median ${r.progress.median.toFixed(1)} ms`)
  console.log(`results: p95 ${r.results.p95.toFixed(1)} ms, median ${r.results.median.toFixed(1)} ms`)
  console.log(`launch over ${r.launch10k.targets} households: ${r.launch10k.ms.toFixed(0)} ms`)
  console.log(`grid01's first pull afterwards (server side, app.inject): ${r.firstPull10k.ms.toFixed(0)} ms, ${r.firstPull10k.records} records, ${r.firstPull10k.targets} campaign targets`)
}
