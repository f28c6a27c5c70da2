import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  type Change,
  chinaDay,
  type MutationResult,
  PROTOCOL_VERSION,
  HouseholdStatsResponse,
  isLate,
  isVulnerable,
  PublicCommunityResponse,
  type PullResponse,
  StreetCasesResponse,
  StreetOverviewResponse,
  uuidv7,
} from '../../src/domain'
import { readCounter } from '../../src/server/store/counters'
import type { Store } from '../../src/server/store/open'
import { makeVisit, visitMutation } from '../support/fixtures'
import { startStreetServer, type StreetTestServer } from '../support/server'

// A street of two communities on one deployment (docs/communities.md): 幸福里 (the main store)
// and 和平里 (a store of its own), and the street office. Community isolation is checked over the
// route list the real app registers (collected as scopeMatrix.test.ts does): A's staff call every
// route with B's ids in the address, the query and the body, and no answer may carry anything of
// B's, and nothing of B's may change. The street's staff get every community's figures and the
// escalated cases, and no community route at all.

const registered = vi.hoisted(() => [] as Array<{ method: string; url: string }>)
vi.mock('fastify', async (importOriginal) => (await import('../support/routeList')).withRouteList(await importOriginal<typeof import('fastify')>(), registered))

let s: StreetTestServer
let storeB: Store
const tokens: Record<string, string> = {}
const auth = (token: string) => ({ authorization: `Bearer ${token}` })
const A = () => s.street[0]!.community
const B = () => s.street[1]!.community
/** The words by which anything of B's would show in an answer: its place name, its usernames, its ids. */
let markersOfB: string[] = []

/** Each table's row count and highest version, and the version counter: "nothing changed". */
async function fingerprint(store: Store): Promise<string> {
  const tables = ['households', 'residents', 'visits', 'cases', 'case_steps', 'campaigns', 'needs', 'matters', 'users', 'grid_assignments', 'audit_log', 'mutations'] as const
  const parts = [`counter=${await readCounter(store, 'version')}`]
  for (const t of tables) {
    const r = await store.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    parts.push(`${t}=${Number(r.n)}`)
  }
  return parts.join(' ')
}

beforeAll(async () => {
  s = await startStreetServer(2, 120)
  storeB = await s.deployment.storeOf('heping')
  for (const u of ['admin', 'secretary', 'grid01', 'heping-admin', 'heping-secretary', 'heping-grid01', 'street', 'street-staff']) tokens[u] = await s.login(u)
  const b = B()
  markersOfB = ['和平里', 'heping-', ...b.households.map((h) => h.id), ...b.residents.map((r) => r.id), ...b.users.map((u) => u.id), ...b.cases.map((c) => c.id)]
}, 120_000)
afterAll(() => s?.close())

function leaksOfB(body: string): string[] {
  return markersOfB.filter((m) => body.includes(m)).slice(0, 5)
}

async function pull(token: string): Promise<Change[]> {
  const changes: Change[] = []
  let cursor: string | undefined
  for (;;) {
    const res = await s.app.inject({ method: 'GET', url: `/api/sync/pull?limit=2000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, headers: auth(token) })
    expect(res.statusCode, res.body).toBe(200)
    const page = res.json<PullResponse>()
    if ('reset' in page) throw new Error('unexpected reset')
    changes.push(...page.changes)
    if (!page.hasMore) return changes
    cursor = page.cursor
  }
}

async function push(token: string, mutations: unknown[]): Promise<MutationResult[]> {
  const res = await s.app.inject({ method: 'POST', url: '/api/sync/push', headers: auth(token), payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations } })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results
}

describe('two communities on one deployment', () => {
  it('each login lands in its own community, and usernames are the street’s', async () => {
    expect(tokens['heping-secretary']).toMatch(/^heping\./)
    const me = await s.app.inject({ method: 'GET', url: '/api/me', headers: auth(tokens['heping-secretary']!) })
    expect(me.json()).toMatchObject({ username: 'heping-secretary', community: 'heping', role: 'secretary' })
    // A's admin cannot take a name of B's, nor B's admin one of A's.
    const take = (token: string, username: string) =>
      s.app.inject({ method: 'POST', url: '/api/admin/users', headers: auth(token), payload: { username, name: '新同事', role: 'worker', password: 'zoufang-new' } })
    expect((await take(tokens.admin!, 'heping-grid01')).json()).toMatchObject({ error: { code: 'ID_TAKEN' } })
    expect((await take(tokens['heping-admin']!, 'grid01')).json()).toMatchObject({ error: { code: 'ID_TAKEN' } })
    // A new account of B's logs in to B, and its name is then taken for A too.
    expect((await take(tokens['heping-admin']!, 'heping-new')).statusCode).toBe(201)
    expect(await s.login('heping-new', 'zoufang-new')).toMatch(/^heping\./)
    expect((await take(tokens.admin!, 'heping-new')).json()).toMatchObject({ error: { code: 'ID_TAKEN' } })
  })

  it('a pull holds its own community’s records only, numbered by its own versions', async () => {
    const ofA = await pull(tokens.secretary!)
    const ofB = await pull(tokens['heping-secretary']!)
    const idsOfB = new Set(B().households.map((h) => h.id))
    const idsOfA = new Set(A().households.map((h) => h.id))
    expect(ofA.filter((c) => c.entity === 'household').length).toBe(A().households.length)
    expect(ofB.filter((c) => c.entity === 'household').length).toBe(B().households.length)
    expect(ofA.some((c) => idsOfB.has(c.id))).toBe(false)
    expect(ofB.some((c) => idsOfA.has(c.id))).toBe(false)
    expect(leaksOfB(JSON.stringify(ofA))).toEqual([])
    // Versions are per community: a write in A moves A's counter and leaves B's where it was.
    const before = await readCounter(storeB, 'version')
    const h = A().households.find((x) => x.gridId === A().users.find((u) => u.username === 'grid01')!.gridIds[0])!
    const [r] = await push(tokens.grid01!, [visitMutation(makeVisit(A(), h, A().users.find((u) => u.username === 'grid01')!.id))])
    expect(r!.status).toBe('applied')
    expect(await readCounter(storeB, 'version')).toBe(before)
    expect(await readCounter(s.store, 'version')).toBe(r!.version)
  })

  it('a change sent to A about B’s records is refused, and B is as it was', async () => {
    const before = await fingerprint(storeB)
    const worker = A().users.find((u) => u.username === 'grid01')!
    const hB = B().households[0]!
    const caseB = B().cases[0]!
    const results = await push(tokens.admin!, [
      visitMutation(makeVisit(B(), hB, worker.id)),
      { mutationId: uuidv7(), entity: 'household', id: hB.id, op: 'patch', baseVersion: 1, data: { phone: '13800000000' }, at: new Date().toISOString() },
      { mutationId: uuidv7(), entity: 'case', id: caseB.id, op: 'transition', data: { stepId: uuidv7(), action: 'close', note: '越权', at: new Date().toISOString() }, at: new Date().toISOString() },
    ])
    for (const r of results) expect(r.status, JSON.stringify(r)).toBe('rejected')
    expect(await fingerprint(storeB)).toBe(before)
  })

  it('no route serves A’s staff anything of B’s, and none changes B (the whole route list)', async () => {
    const routes = registered.filter((r) => r.url.startsWith('/api/') && !['HEAD', 'OPTIONS'].includes(r.method) && !r.url.startsWith('/api/street/') && !r.url.startsWith('/api/auth/'))
    expect(routes.length, 'routes were collected from the real app').toBeGreaterThan(40)
    const b = B()
    const userB = b.users.find((u) => u.username === 'heping-grid01')!
    const idFor = (url: string, param: string): string => {
      if (param === 'sha256') return b.photos[0]?.sha256 ?? 'a'.repeat(64)
      if (param === 'kind') return 'visits'
      if (param === 'format') return 'csv'
      if (param === 'part') return 'results'
      if (url.startsWith('/api/residents')) return b.residents[0]!.id
      if (url.startsWith('/api/cases')) return b.cases[0]!.id
      if (url.includes('campaigns')) return b.campaigns[0]!.id
      if (url.startsWith('/api/matters')) return b.matters[0]!.id
      if (url.startsWith('/api/admin/users')) return userB.id
      if (url.startsWith('/api/admin/grid-cells')) return b.gridCells[0]!.id
      if (url.startsWith('/api/admin/buildings')) return b.buildings[0]!.id
      return b.households[0]!.id
    }
    const query = { from: chinaDay(Date.now() - 30 * 86_400_000), to: chinaDay(Date.now()), workerId: userB.id, userId: userB.id, gridId: b.gridCells[0]!.id, householdId: b.households[0]!.id, day: chinaDay(Date.now()) }
    const body = { id: b.households[0]!.id, householdId: b.households[0]!.id, householdIds: [b.households[0]!.id], gridId: b.gridCells[0]!.id, gridIds: [b.gridCells[0]!.id], userId: userB.id, name: '和平里', compound: '和平里小区', to: '和平里新区' }
    const before = await fingerprint(storeB)
    const leaks: string[] = []
    for (const r of routes) {
      const url = r.url.replace(/:([a-z0-9]+)/gi, (_, p: string) => idFor(r.url, p))
      for (const who of ['admin', 'secretary', 'grid01']) {
        const res = await s.app.inject({ method: r.method as 'GET', url, query, headers: auth(tokens[who]!), ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: body }) })
        const found = leaksOfB(res.body)
        if (found.length) leaks.push(`${who} ${r.method} ${r.url} → ${res.statusCode}: ${found.join(', ')}`)
      }
    }
    expect(leaks).toEqual([])
    expect(await fingerprint(storeB)).toBe(before)
  }, 120_000)

  it('the public page of each community is its own; the street office has none', async () => {
    const page = async (q: string) => s.app.inject({ method: 'GET', url: `/api/public/community${q}`, remoteAddress: `10.9.0.${Math.floor(Math.random() * 200)}` })
    const a = PublicCommunityResponse.parse((await page('')).json())
    const b = PublicCommunityResponse.parse((await page('?community=heping')).json())
    expect(a.community).toBe(A().name)
    expect(b.community).toBe(B().name)
    expect(b.community).toContain('和平里')
    expect(leaksOfB(JSON.stringify(a))).toEqual([])
    expect((await page('?community=street')).json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    expect((await page('?community=nowhere')).json()).toMatchObject({ error: { code: 'NOT_FOUND' } })
    expect((await page('?community=../x')).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } })
  })
})

describe('the street office', () => {
  const month = () => ({ from: chinaDay(Date.now() - 30 * 86_400_000), to: chinaDay(Date.now()) })

  it('sees every community’s figures, each as its own dashboard counts them', async () => {
    const res = await s.app.inject({ method: 'GET', url: '/api/street/overview', query: month(), headers: auth(tokens.street!) })
    expect(res.statusCode, res.body).toBe(200)
    const view = StreetOverviewResponse.parse(res.json())
    expect(view.communities.map((c) => c.name)).toEqual([A().name, B().name])
    for (const [i, row] of view.communities.entries()) {
      const c = s.street[i]!.community
      expect(row.households).toBe(c.households.length)
      expect(row.gridCells).toBe(c.gridCells.length)
      expect(row.openCases).toBe(c.cases.filter((k) => k.state !== 'closed').length)
      expect(row.escalatedCases).toBe(c.cases.filter((k) => k.state === 'escalated').length)
      expect(row.vulnerableVisited).toBeLessThanOrEqual(row.vulnerableNeeded)
      // Its grid cells, with their boundaries, each counted on its own: they add up to the row.
      expect(row.cells.map((g) => g.id).sort()).toEqual(c.gridCells.map((g) => g.id).sort())
      expect(row.cells.map((g) => g.polygon)).toEqual(row.cells.map((g) => c.gridCells.find((x) => x.id === g.id)!.polygon ?? null))
      for (const k of ['households', 'visits', 'vulnerableNeeded', 'vulnerableVisited', 'vulnerableOverdue', 'openCases'] as const)
        expect(row.cells.reduce((n, g) => n + g[k], 0), k).toBe(row[k])
      for (const g of row.cells) expect(g.households, g.name).toBe(c.households.filter((h) => h.gridId === g.id).length)
      expect(row.cells.some((g) => g.vulnerableOverdue > 0 || g.openCases > 0), 'some cell has something to show').toBe(true)
    }
    // The same figure as the community's own dashboard gives its secretary.
    const dash = await s.app.inject({ method: 'GET', url: '/api/stats/dashboard', query: month(), headers: auth(tokens['heping-secretary']!) })
    const visits = dash.json<{ byGrid: Array<{ visits: number; openCases: number }> }>().byGrid.reduce((n, g) => n + g.visits, 0)
    expect(view.communities[1]!.visits).toBe(visits)
    // No resident, no household: none of their names or numbers is in the answer.
    const text = res.body
    for (const r of [...A().residents, ...B().residents].slice(0, 400)) expect(text.includes(r.name) && r.name.length > 2 ? r.name : null).toBeNull()
  })

  it('counts each cell’s priority households as the community’s own household figures give them', async () => {
    // A period of its own: counted in this test, not read from the figures the others counted.
    const period = { from: chinaDay(Date.now() - 45 * 86_400_000), to: chinaDay(Date.now()) }
    const res = await s.app.inject({ method: 'GET', url: '/api/street/overview', query: period, headers: auth(tokens.street!) })
    const view = StreetOverviewResponse.parse(res.json())
    expect(view.street).toBe('泰山路街道')
    for (const [i, token] of [tokens.secretary!, tokens['heping-secretary']!].entries()) {
      const c = s.street[i]!.community
      const stats = HouseholdStatsResponse.parse((await s.app.inject({ method: 'GET', url: '/api/stats/households', query: period, headers: auth(token) })).json()).households
      const byId = new Map(c.households.map((h) => [h.id, h]))
      const row = view.communities[i]!
      let late = 0
      for (const g of row.cells) {
        const mine = stats.filter((x) => x.gridId === g.id && isVulnerable(byId.get(x.id)!))
        const expected = { vulnerableNeeded: mine.filter((x) => x.needed).length, vulnerableVisited: mine.filter((x) => x.needed && x.visited).length, vulnerableOverdue: mine.filter((x) => isLate(x.state)).length }
        expect({ vulnerableNeeded: g.vulnerableNeeded, vulnerableVisited: g.vulnerableVisited, vulnerableOverdue: g.vulnerableOverdue }, g.name).toEqual(expected)
        expect(g.vulnerableCoverage, g.name).toBe(expected.vulnerableNeeded ? expected.vulnerableVisited / expected.vulnerableNeeded : null)
        late += expected.vulnerableOverdue
      }
      expect(late, 'some priority household is overdue').toBeGreaterThan(0)
      // Cases past their 督办 deadline, as the community's dashboard counts them.
      const dash = await s.app.inject({ method: 'GET', url: '/api/stats/dashboard', query: period, headers: auth(token) })
      expect(row.overdueCases).toBe(dash.json<{ byGrid: Array<{ overdueCases: number }> }>().byGrid.reduce((n, g) => n + g.overdueCases, 0))
      // The middle of its mapped cells.
      const corners = c.gridCells.flatMap((g) => g.polygon?.coordinates[0] ?? [])
      expect(row.center).toEqual({ lat: corners.reduce((n, p) => n + p[1]!, 0) / corners.length, lng: corners.reduce((n, p) => n + p[0]!, 0) / corners.length })
    }
  })

  it('counts again what a community changed, and a new period, at once', async () => {
    const view = async (q = month()) => StreetOverviewResponse.parse((await s.app.inject({ method: 'GET', url: '/api/street/overview', query: q, headers: auth(tokens.street!) })).json()).communities
    const before = await view()
    expect(await view(), 'the same answer twice').toEqual(before)
    // A visit in 和平里: its figures move, in its row and in the visited household's cell.
    const worker = B().users.find((u) => u.username === 'heping-grid01')!
    const h = B().households.find((x) => x.gridId === worker.gridIds[0])!
    const [r] = await push(tokens['heping-grid01']!, [visitMutation(makeVisit(B(), h, worker.id))])
    expect(r!.status, JSON.stringify(r)).toBe('applied')
    const after = await view()
    expect(after[1]!.visits).toBe(before[1]!.visits + 1)
    expect(after[1]!.cells.find((g) => g.id === h.gridId)!.visits).toBe(before[1]!.cells.find((g) => g.id === h.gridId)!.visits + 1)
    expect(after[0], '幸福里 as it was').toEqual(before[0])
    // Another period is counted for that period.
    const week = { from: chinaDay(Date.now() - 6 * 86_400_000), to: chinaDay(Date.now()) }
    const dash = await s.app.inject({ method: 'GET', url: '/api/stats/dashboard', query: week, headers: auth(tokens['heping-secretary']!) })
    expect((await view(week))[1]!.visits).toBe(dash.json<{ byGrid: Array<{ visits: number }> }>().byGrid.reduce((n, g) => n + g.visits, 0))
  })

  it('reads the cases escalated to the street, and each community’s escalation adds one', async () => {
    const list = async () => StreetCasesResponse.parse((await s.app.inject({ method: 'GET', url: '/api/street/cases', headers: auth(tokens.street!) })).json()).cases
    const before = await list()
    expect(before.length).toBe(A().cases.filter((k) => k.state === 'escalated').length + B().cases.filter((k) => k.state === 'escalated').length)
    const open = B().cases.find((k) => k.state === 'accepted' || k.state === 'assigned' || k.state === 'in_progress')!
    const [r] = await push(tokens['heping-secretary']!, [{ mutationId: uuidv7(), entity: 'case', id: open.id, op: 'transition', data: { stepId: uuidv7(), action: 'escalate', note: '需要街道协调', at: new Date().toISOString() }, at: new Date().toISOString() }])
    expect(r!.status, JSON.stringify(r)).toBe('applied')
    const after = await list()
    expect(after.length).toBe(before.length + 1)
    expect(after.find((k) => k.id === open.id)).toMatchObject({ community: 'heping', communityName: B().name, title: open.title, escalationNote: '需要街道协调' })
    expect(JSON.stringify(after)).not.toMatch(/"residentIds"|"householdIds"|idNumber/)
  })

  describe('answers what was escalated to it', () => {
    const now = () => new Date().toISOString()
    const step = (token: string, community: string, id: string, body: Record<string, unknown>) =>
      s.app.inject({ method: 'POST', url: `/api/street/cases/${community}/${id}/steps`, headers: auth(token), payload: body })
    /** A case a worker reports in their cell of a household's, accepted, assigned to a team (a
     *  deadline with it) and then escalated by their office: heping-grid01's in B unless told. */
    async function escalated(who: { worker: string; secretary: string; community: typeof B } = { worker: 'heping-grid01', secretary: 'heping-secretary', community: B }): Promise<string> {
      const c = who.community()
      const worker = c.users.find((u) => u.username === who.worker)!
      const h = c.households.find((x) => x.gridId === worker.gridIds[0])!
      const id = uuidv7()
      const report = { id, kind: 'dispute', category: 'neighbor', title: '邻居私搭乱建遮挡采光', description: '院内搭棚，遮挡采光', gridId: h.gridId, householdIds: [h.id], residentIds: [], location: null, place: '', urgency: 'yellow', photoIds: [], visitId: null, reporterId: worker.id, reportedAt: now() }
      const [made] = await push(tokens[who.worker]!, [{ mutationId: uuidv7(), entity: 'case', id, op: 'create', data: report, at: now() }])
      expect(made!.status, JSON.stringify(made)).toBe('applied')
      const by = (action: string, extra = {}) => ({ mutationId: uuidv7(), entity: 'case', id, op: 'transition', data: { stepId: uuidv7(), action, note: '需要街道协调', at: now(), ...extra }, at: now() })
      const team = c.teams.find((t) => t.active)!
      for (const r of await push(tokens[who.secretary]!, [by('accept'), by('assign', { handlerTeamId: team.id }), by('escalate')])) expect(r.status, JSON.stringify(r)).toBe('applied')
      return id
    }
    const caseIn = (changes: Change[], id: string) => changes.filter((c) => c.entity === 'case' && c.id === id).at(-1)?.data as { state: string; deadline: string | null; handlerTeamId: string | null }
    const stepsIn = (changes: Change[], id: string) => changes.filter((c) => c.entity === 'caseStep' && (c.data as { caseId: string }).caseId === id).map((c) => c.data as { action: string; actorName: string; note: string })

    it('solved by the street: the community pulls it with who answered, its worker checks it, its office closes it', async () => {
      const id = await escalated()
      const stepId = uuidv7()
      const res = await step(tokens.street!, 'heping', id, { stepId, action: 'street_resolve', note: '街道协调城管拆除了违建' })
      expect(res.statusCode, res.body).toBe(200)
      expect(res.json()).toEqual({ community: 'heping', id, state: 'resolved' })
      const list = StreetCasesResponse.parse((await s.app.inject({ method: 'GET', url: '/api/street/cases', headers: auth(tokens.street!) })).json()).cases
      expect(list.some((k) => k.id === id), 'no longer waiting on the street').toBe(false)
      // B's office and its worker pull the answer, and the step names the street's staff.
      const changes = await pull(tokens['heping-grid01']!)
      expect(caseIn(changes, id).state).toBe('resolved')
      expect(stepsIn(changes, id).at(-1)).toMatchObject({ action: 'street_resolve', actorName: '街道网格办', note: '街道协调城管拆除了违建' })
      // Sent again (the answer lost on the way): the same answer, and one step, not two.
      const again = await step(tokens.street!, 'heping', id, { stepId, action: 'street_resolve', note: '街道协调城管拆除了违建' })
      expect(again.json()).toEqual({ community: 'heping', id, state: 'resolved' })
      expect(stepsIn(await pull(tokens['heping-secretary']!), id).filter((x) => x.action === 'street_resolve')).toHaveLength(1)
      // The same step id for another answer, or from another of the street's staff, is not a resend.
      const taken = { error: { code: 'ID_TAKEN', message: '这一步的编号已被占用' } }
      expect((await step(tokens.street!, 'heping', id, { stepId, action: 'hand_back', note: '交回' })).json()).toEqual(taken)
      expect((await step(tokens['street-staff']!, 'heping', id, { stepId, action: 'street_resolve', note: '街道协调城管拆除了违建' })).json()).toEqual(taken)
      // 谁调处谁回访: the loop goes on in the community.
      const verify = { mutationId: uuidv7(), entity: 'case', id, op: 'transition', data: { stepId: uuidv7(), action: 'verify', note: '回访核实，已拆除', at: now() }, at: now() }
      expect((await push(tokens['heping-grid01']!, [verify]))[0]!.status).toBe('applied')
      const close = { mutationId: uuidv7(), entity: 'case', id, op: 'transition', data: { stepId: uuidv7(), action: 'close', note: '', at: now() }, at: now() }
      expect((await push(tokens['heping-secretary']!, [close]))[0]!.status).toBe('applied')
    })

    it('handed back: the community has it again, to assign anew with a new deadline', async () => {
      const id = await escalated()
      expect(caseIn(await pull(tokens['heping-secretary']!), id)).toMatchObject({ state: 'escalated', deadline: expect.any(String) })
      const res = await step(tokens.street!, 'heping', id, { stepId: uuidv7(), action: 'hand_back', note: '属物业管理范围，请社区督促物业处理' })
      expect(res.json()).toEqual({ community: 'heping', id, state: 'accepted' })
      const back = caseIn(await pull(tokens['heping-secretary']!), id)
      expect(back).toMatchObject({ state: 'accepted', deadline: null, handlerTeamId: null })
      const team = B().teams.find((t) => t.active)!
      const assign = { mutationId: uuidv7(), entity: 'case', id, op: 'transition', data: { stepId: uuidv7(), action: 'assign', note: '', handlerTeamId: team.id, at: now() }, at: now() }
      expect((await push(tokens['heping-secretary']!, [assign]))[0]!.status).toBe('applied')
      expect(caseIn(await pull(tokens['heping-secretary']!), id).deadline).not.toBeNull()
    })

    it('lists them oldest escalation first, across communities, each at its household’s address', async () => {
      const inB = await escalated()
      const inA = await escalated({ worker: 'grid01', secretary: 'secretary', community: A })
      const list = StreetCasesResponse.parse((await s.app.inject({ method: 'GET', url: '/api/street/cases', headers: auth(tokens.street!) })).json()).cases
      expect(list.map((k) => k.updatedAt)).toEqual(list.map((k) => k.updatedAt).sort())
      expect(list.slice(-2).map((k) => [k.community, k.id])).toEqual([
        ['heping', inB],
        ['main', inA],
      ])
      const worker = A().users.find((u) => u.username === 'grid01')!
      expect(list.at(-1)!.place, 'no place written: the household’s address').toBe(A().households.find((x) => x.gridId === worker.gridIds[0])!.address)
      expect(list.at(-1)!.communityName).toBe(A().name)
    })

    it('refuses what is not the street’s to answer, and the community is as it was', async () => {
      const id = await escalated()
      const notEscalated = B().cases.find((c) => c.state === 'closed')!
      const before = await fingerprint(storeB)
      const answer = { stepId: uuidv7(), action: 'street_resolve', note: '已办结' }
      const code = async (token: string, community: string, caseId: string, body: Record<string, unknown>) => {
        const res = await step(token, community, caseId, body)
        return `${res.statusCode} ${res.json<{ error: { code: string } }>().error?.code}`
      }
      expect(await code(tokens.street!, 'heping', notEscalated.id, answer), 'a case the community still has').toBe('409 INVALID_TRANSITION')
      expect(await code(tokens.street!, 'heping', id, { ...answer, note: '  ' }), 'no note').toBe('400 VALIDATION_FAILED')
      expect(await code(tokens.street!, 'heping', id, { ...answer, action: 'close' }), 'not the street’s action').toBe('400 VALIDATION_FAILED')
      expect(await code(tokens.street!, 'heping', uuidv7(), answer), 'no such case').toBe('404 NOT_FOUND')
      expect(await code(tokens.street!, 'nowhere', id, answer), 'no such community').toBe('404 NOT_FOUND')
      expect((await step(tokens.street!, 'nowhere', id, answer)).json()).toEqual({ error: { code: 'NOT_FOUND', message: '找不到这个社区' } })
      expect(await code(tokens.street!, 'street', id, answer), 'the street is no community').toBe('404 NOT_FOUND')
      expect(await code(tokens.street!, s.street[0]!.key, id, answer), 'B’s case asked of A').toBe('404 NOT_FOUND')
      expect(await code(tokens['heping-secretary']!, 'heping', id, answer), 'the community’s own office').toBe('403 FORBIDDEN')
      const stepOfB = (await pull(tokens['heping-secretary']!)).find((c) => c.entity === 'caseStep' && (c.data as { caseId: string }).caseId !== id)!
      expect(await code(tokens.street!, 'heping', id, { ...answer, stepId: stepOfB.id }), 'a step id already used').toBe('409 ID_TAKEN')
      expect(await fingerprint(storeB)).toBe(before)
    })
  })

  it('is refused every community route, and its login reaches no community’s records', async () => {
    const routes = registered.filter((r) => r.url.startsWith('/api/') && !['HEAD', 'OPTIONS'].includes(r.method) && !/^\/api\/(street|auth|public|health|me)\b/.test(r.url))
    const answered: string[] = []
    for (const r of routes) {
      const url = r.url.replace(/:([a-z0-9]+)/gi, (_, p: string) => (p === 'sha256' ? 'a'.repeat(64) : p === 'format' ? 'csv' : p === 'kind' ? 'visits' : p === 'part' ? 'results' : uuidv7()))
      const res = await s.app.inject({ method: r.method as 'GET', url, headers: auth(tokens.street!), ...(r.method === 'GET' || r.method === 'DELETE' ? {} : { payload: {} }) })
      if (res.statusCode !== 403) answered.push(`${r.method} ${r.url} → ${res.statusCode}`)
    }
    expect(answered).toEqual([])
  })
})
