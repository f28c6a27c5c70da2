import { createHash, randomBytes } from 'node:crypto'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { encode as encodeJpeg } from 'jpeg-js'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  type CaseReport,
  type Change,
  type CoverageResponse,
  type DashboardResponse,
  DEFAULT_SETTINGS,
  ErrorBody,
  type ErrorCode,
  ExportFormat,
  ExportKind,
  type Household,
  type HouseholdStatsResponse,
  MUTATION_DATA,
  type Mutation,
  type MutationKind,
  type MutationResult,
  type LedgerEntryCreate,
  type MatterCreate,
  MatterLedgerResponse,
  type MeetingCreate,
  type NeedCreate,
  type NoticeCreate,
  NeedSummaryResponse,
  PointsResponse,
  type ProjectCreate,
  PROTOCOL_VERSION,
  type ResourceCreate,
  type ServiceRecordCreate,
  type Settings,
  SETTINGS_ID,
  type TrailResponse,
  uuidv7,
  type Visit,
} from '../../src/domain'
import { ConflictItem, ConflictListResponse, MyConflictsResponse } from '../../src/domain/schemas/conflicts'
import { REGISTER_EXAMPLE_ROW, REGISTER_HEADERS } from '../../src/domain/registerImport'
import { householdOf, makeResident, makeVisit, residentCreate, residentPatch, visitMutation } from '../support/fixtures'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// Every route the app registers × every role × a record of grid01's cell. The route list is not
// written by hand: Fastify's factory is wrapped so that every route the real buildApp() declares
// (plugins included) passes an onRoute hook; the first test fails when the app has a route the
// TABLE below does not list, or the TABLE lists one the app no longer has. A new route therefore
// cannot ship without a row saying who may call it and what everybody else gets.
//
// Roles: `other` = grid02, a worker of another grid cell, acting on grid01's records; `owner` =
// grid01, the worker of that cell; the office (secretary, admin); and no token at all. A refusal
// must come in the one error shape and must leave the database exactly as it was (every table:
// row count and highest/summed version, or a hash of all rows for tables without versions).
// A GET row also checks its automatic HEAD twin: the same refusal, nothing written.

const registered = vi.hoisted(() => [] as Array<{ method: string; url: string }>)
vi.mock('fastify', async (importOriginal) => (await import('../support/routeList')).withRouteList(await importOriginal<typeof import('fastify')>(), registered))

type Actor = 'none' | 'other' | 'owner' | 'secretary' | 'admin'
type User = Exclude<Actor, 'none'>
const ACTORS: readonly Actor[] = ['none', 'other', 'owner', 'secretary', 'admin']
const USERNAME: Record<User, string> = { other: 'grid02', owner: 'grid01', secretary: 'secretary', admin: 'admin' }
const LABEL: Record<Actor, string> = {
  none: 'no token',
  other: 'grid02 (another cell)',
  owner: 'grid01 (the cell’s worker)',
  secretary: 'secretary',
  admin: 'admin',
}

type Answer =
  | { http: number; code?: ErrorCode; /** a success that must write nothing either (dry runs) */ writesNothing?: boolean }
  | { push: 'applied' }
  | { push: 'rejected'; code: ErrorCode }
type PushAnswer = Extract<Answer, { push: unknown }>

const ok = (http = 200): Answer => ({ http })
const dryRun: Answer = { http: 200, writesNothing: true }
const refused = (http: number, code: ErrorCode): Answer => ({ http, code })
const UNAUTHORIZED = refused(401, 'UNAUTHORIZED')
const FORBIDDEN = refused(403, 'FORBIDDEN')
const OUT_OF_SCOPE = refused(403, 'OUT_OF_SCOPE')
const NOT_FOUND = refused(404, 'NOT_FOUND')
const applied: PushAnswer = { push: 'applied' }
const rejected = (code: ErrorCode): PushAnswer => ({ push: 'rejected', code })

/** Any logged-in user, nobody else. */
const anyUser = (http = 200): Record<Actor, Answer> => ({ none: UNAUTHORIZED, other: ok(http), owner: ok(http), secretary: ok(http), admin: ok(http) })
/** Records of a grid cell: its worker and the office. */
const cellAndOffice: Record<Actor, Answer> = { none: UNAUTHORIZED, other: OUT_OF_SCOPE, owner: ok(), secretary: ok(), admin: ok() }
const officeOnly: Record<Actor, Answer> = { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: ok(), admin: ok() }
const adminOnly = (admin: Answer = ok()): Record<Actor, Answer> => ({ none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin })

interface Req {
  params?: Record<string, string>
  query?: Record<string, string>
  body?: unknown
  headers?: Record<string, string>
  /** Instead of the actor's own token; null for none. */
  token?: string | null
}
type Res = LightMyRequestResponse

interface Case {
  /** The record or request, in words. */
  about: string
  request: (a: Actor) => Req | Promise<Req>
  expect: Record<Actor, Answer>
  /** More about an answer that had the expected status (what it holds, what it left behind). */
  check?: (a: Actor, res: Res, req: Req) => void | Promise<void>
}

interface PushCase {
  about: string
  /** The mutation the actor sends (for `none`: what the owner would send; nothing is uploaded). */
  mutation: (a: Actor) => Mutation | Promise<Mutation>
  expect: Record<User, PushAnswer>
  check?: (a: User, result: MutationResult, m: Mutation) => void | Promise<void>
}

// ---- the server and the records of grid01's cell ----

let s: TestServer
const tokens = {} as Record<User, string>
interface Fixtures {
  g1: string
  g2: string
  userId: Record<User, string>
  spareId: string
  h1: Household
  h2: Household
  r1: { id: string; idNumber: string }
  /** A visit grid01 made today in its cell, with a location (it is on grid01's trail). */
  v1: Visit
  /** Uploaded by grid01, shown on no record. */
  photoOfGrid01: { sha: string; bytes: Buffer }
  /** Uploaded by the secretary, shown on a visit in grid01's cell. */
  photoOnG1Visit: { sha: string; bytes: Buffer }
  today: string
  monthAgo: string
  teamId: string
  /** A launched campaign targeting grid01's cell, and a draft (the office's alone). */
  campaign: string
  draftCampaign: string
  /** A unit with a menu offer (no limit), a volunteer with a phone, a need of grid01's household
   *  and a volunteer's hours: the three lists. */
  resource: string
  offerId: string
  volunteer: { id: string; phone: string }
  need: string
  serviceRecord: string
  /** A matter (议题) of a stairwell of grid01's cell, a meeting of it and an entry of its ledger. */
  matter: string
  meeting: string
  ledgerEntry: string
  /** A notice (公告) the office published for the whole community. */
  notice: string
}
let F: Fixtures

/** A real, decodable photo, different every time (the server decodes what it is sent). */
const jpeg = (): Buffer => Buffer.from(encodeJpeg({ data: randomBytes(16 * 16 * 4), width: 16, height: 16 }, 80).data)
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const chinaDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10)
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`
const auth = (token: string | null | undefined) => (token ? { authorization: `Bearer ${token}` } : {})

function inject(method: string, url: string, req: Req, a: Actor): Promise<Res> {
  const token = req.token !== undefined ? req.token : a === 'none' ? null : tokens[a]
  const path = url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => {
    const value = req.params?.[name]
    if (value === undefined) throw new Error(`no value for :${name} in ${url}`)
    return encodeURIComponent(value)
  })
  const options: InjectOptions = { method: method as InjectOptions['method'], url: path, query: req.query, headers: { ...auth(token), ...req.headers } }
  if (req.body !== undefined) options.payload = req.body as InjectOptions['payload']
  return s.app.inject(options)
}

async function upload(user: User, bytes = jpeg()): Promise<{ sha: string; bytes: Buffer }> {
  const sha = sha256(bytes)
  const res = await s.app.inject({ method: 'PUT', url: `/api/attachments/${sha}`, headers: { ...auth(tokens[user]), 'content-type': 'image/jpeg' }, payload: bytes })
  expect(res.statusCode, res.body).toBe(200)
  return { sha, bytes }
}
/** A photo grid01 uploaded and no record shows; for `none` a name nobody uploaded (it is never sent). */
const photoOfGrid01For = async (a: Actor) => (a === 'none' ? sha256(jpeg()) : (await upload('owner')).sha)

async function pushAs(user: User, mutations: Mutation[]): Promise<MutationResult[]> {
  const res = await s.app.inject({
    method: 'POST',
    url: '/api/sync/push',
    headers: auth(tokens[user]),
    payload: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations },
  })
  expect(res.statusCode, res.body).toBe(200)
  return res.json<{ results: MutationResult[] }>().results
}

const getPhoto = (user: User, sha: string) => s.app.inject({ method: 'GET', url: `/api/attachments/${sha}`, headers: auth(tokens[user]) })

const userOf = (a: Actor): string => F.userId[a === 'none' ? 'owner' : a]
/** The cell the actor files its own record in: grid01 its own; grid02 and the office grid02's. */
const ownCell = (a: Actor) => (a === 'owner' || a === 'none' ? F.g1 : F.g2)
const ownHousehold = (a: Actor) => (a === 'owner' || a === 'none' ? F.h1 : F.h2)

function report(a: Actor, gridId: string, over: Partial<CaseReport> = {}): CaseReport {
  return {
    id: uuidv7(),
    kind: 'hazard',
    category: 'fire',
    title: '楼道堆放杂物',
    description: '3单元楼道堆满纸箱，堵住消防通道',
    gridId,
    householdIds: [],
    residentIds: [],
    location: null,
    place: '3单元楼道',
    urgency: 'yellow',
    photoIds: [],
    visitId: null,
    reporterId: userOf(a),
    reportedAt: new Date().toISOString(),
    ...over,
  }
}
const now = () => new Date().toISOString()
const caseCreate = (c: CaseReport): Mutation => ({ mutationId: uuidv7(), entity: 'case', id: c.id, op: 'create', data: c, at: now() })
const transition = (caseId: string, data: Record<string, unknown>): Mutation => ({
  mutationId: uuidv7(),
  entity: 'case',
  id: caseId,
  op: 'transition',
  data: { stepId: uuidv7(), note: '', at: now(), ...data },
  at: now(),
})

/** A case of the cell that the secretary reported, accepted and assigned: its worker and the office may start it. */
async function assignedCase(a: Actor, gridId: string): Promise<string> {
  if (a === 'none') return uuidv7()
  const c = report('secretary', gridId)
  const results = await pushAs('secretary', [
    caseCreate(c),
    transition(c.id, { action: 'accept' }),
    transition(c.id, { action: 'assign', handlerTeamId: F.teamId }),
  ])
  expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied'])
  return c.id
}

/** A campaign the secretary made (and launched, unless a draft is asked for), over the given cells. */
async function campaignOf(status: 'draft' | 'launched', gridIds: string[]): Promise<string> {
  const template = s.community.templates.find((t) => t.code === 'gas_inspection')!
  const body = { title: '范围测试排查', kind: 'inspection', templateId: template.id, startDay: chinaDay(Date.now()), deadline: chinaDay(Date.now() + 10 * 86_400_000), targeting: { gridIds } }
  const made = await s.app.inject({ method: 'POST', url: '/api/campaigns', headers: auth(tokens.secretary), payload: body })
  expect(made.statusCode, made.body).toBe(201)
  const id = made.json<{ id: string }>().id
  if (status === 'launched') expect((await s.app.inject({ method: 'POST', url: `/api/campaigns/${id}/launch`, headers: auth(tokens.secretary) })).statusCode).toBe(200)
  return id
}
/** A fresh campaign for a request that changes it; for `none` an id nobody made (it is never sent). */
const campaignFor = async (a: Actor, status: 'draft' | 'launched', gridIds = [F.g1]) => (a === 'none' ? uuidv7() : campaignOf(status, gridIds))

/** grid01 and then the secretary change the phone of grid01's household from the same version:
 *  one open conflict, grid01's value overwritten. */
async function conflictOnH1(): Promise<{ id: number; householdVersion: number }> {
  const version = async () => Number((await s.store.selectFrom('households').select('version').where('id', '=', F.h1.id).executeTakeFirstOrThrow()).version)
  const base = await version()
  const edit = () => ({ mutationId: uuidv7(), entity: 'household' as const, id: F.h1.id, op: 'patch' as const, baseVersion: base, data: { phone: mobile() }, at: now() })
  expect((await pushAs('owner', [edit()]))[0]!.status).toBe('applied')
  expect((await pushAs('secretary', [edit()]))[0]!.status).toBe('conflict')
  const row = await s.store.selectFrom('conflicts').select('id').where('entity_id', '=', F.h1.id).where('settled_at', 'is', null).orderBy('id', 'desc').executeTakeFirstOrThrow()
  return { id: Number(row.id), householdVersion: await version() }
}

async function pullAll(first: Res, token: string): Promise<Change[]> {
  let page = first.json<{ changes: Change[]; cursor: string; hasMore: boolean }>()
  expect(page.changes, 'a pull page, not a reset').toBeDefined()
  const changes = [...page.changes]
  while (page.hasMore) {
    const res = await s.app.inject({ method: 'GET', url: '/api/sync/pull', query: { cursor: page.cursor, limit: '2000' }, headers: auth(token) })
    expect(res.statusCode).toBe(200)
    page = res.json()
    changes.push(...page.changes)
  }
  return changes
}

/** Ids of every record of the grid cell, whatever its table. */
async function idsOfCell(gridId: string): Promise<Set<string>> {
  const tables = ['grid_cells', 'buildings', 'households', 'residents', 'visits', 'cases', 'case_steps', 'comments', 'campaign_targets', 'needs'] as const
  const ids = new Set<string>([gridId])
  for (const t of tables) for (const r of await s.store.selectFrom(t).select('id').where('grid_id', '=', gridId).execute()) ids.add(r.id)
  return ids
}

// ---- the three lists ----

const listCreate = (entity: 'need' | 'resource' | 'project' | 'serviceRecord', data: { id: string }): Mutation => ({
  mutationId: uuidv7(),
  entity,
  id: data.id,
  op: 'create',
  data: data as unknown as Record<string, unknown>,
  at: now(),
})
const listMove = (entity: 'need' | 'project' | 'serviceRecord' | 'resource', id: string, op: 'transition' | 'patch', data: Record<string, unknown>): Mutation => ({
  mutationId: uuidv7(),
  entity,
  id,
  op,
  data: op === 'transition' ? { at: now(), ...data } : data,
  at: now(),
})

function unitResource(): ResourceCreate {
  return {
    id: uuidv7(),
    kind: 'unit',
    name: '范围测试长者食堂',
    unitType: 'company',
    teamId: null,
    contactName: '吴经理',
    contactPhone: '0538-6123456',
    description: '',
    offers: [{ id: uuidv7(), category: 'meals', title: '老年助餐', description: '', capacity: null, period: null, schedule: '每天中午', onMenu: true }],
    volunteer: null,
  }
}
function volunteerResource(): ResourceCreate {
  const resident = s.community.residents.find((r) => r.householdId === F.h2.id)!
  return {
    ...unitResource(),
    id: uuidv7(),
    kind: 'volunteer',
    name: '范志愿',
    unitType: null,
    contactName: '范志愿',
    contactPhone: mobile(),
    offers: [],
    volunteer: { residentId: resident.id, skills: ['理发'], availability: '周末', partyMember: true, branch: '第一党支部', pointsConsent: true },
  }
}
function needFor(a: Actor, household: Household, over: Partial<NeedCreate> = {}): NeedCreate {
  return {
    id: uuidv7(),
    gridId: household.gridId,
    householdIds: [household.id],
    category: 'meals',
    description: '想申请老年助餐',
    urgency: 'blue',
    source: { kind: 'order', offerId: F.offerId, visitId: null },
    raisedBy: userOf(a),
    raisedAt: now(),
    ...over,
  }
}
/** An open need of grid01's household, recorded by grid01 on its visit; for `none` an id nobody made. */
async function needOfG1(a: Actor = 'owner'): Promise<{ id: string }> {
  if (a === 'none') return { id: uuidv7() }
  const n = needFor('owner', F.h1, { source: { kind: 'visit', visitId: F.v1.id } })
  const r = await pushAs('owner', [listCreate('need', n)])
  expect(r[0]!.status, JSON.stringify(r[0])).toBe('applied')
  return n
}
function projectFor(needIds: string[]): ProjectCreate {
  return { id: uuidv7(), title: '范围测试助餐点', category: 'meals', leadName: '社区书记', description: '', needIds, resourceIds: [F.resource], startDay: F.today, endDay: null }
}
/** A project in 策划 for a new need of grid01's cell; for `none` an id nobody made. */
async function projectOfG1(a: Actor): Promise<string> {
  if (a === 'none') return uuidv7()
  const p = projectFor([(await needOfG1()).id])
  expect((await pushAs('secretary', [listCreate('project', p)]))[0]!.status).toBe('applied')
  return p.id
}
function serviceRecord(needId: string): ServiceRecordCreate {
  return { id: uuidv7(), resourceId: F.volunteer.id, projectId: null, needId, day: F.today, hours: 2, note: '送餐' }
}
async function hoursToConfirm(a: Actor): Promise<string> {
  if (a === 'none') return uuidv7()
  const r = serviceRecord(F.need)
  expect((await pushAs('secretary', [listCreate('serviceRecord', r)]))[0]!.status).toBe('applied')
  return r.id
}
const byTheOffice = (office: PushAnswer, workers: PushAnswer = rejected('FORBIDDEN')): Record<User, PushAnswer> => ({ other: workers, owner: workers, secretary: office, admin: office })

// ---- 议题 ----

const mutation = (entity: 'matter' | 'meeting' | 'ledgerEntry' | 'notice', id: string, op: 'create' | 'patch' | 'transition', data: object): Mutation => ({
  mutationId: uuidv7(),
  entity,
  id,
  op,
  data: data as Record<string, unknown>,
  at: now(),
})
/** A matter over a stairwell of grid01's cell. */
function matterOfG1(): MatterCreate {
  const b = s.community.buildings.find((x) => x.gridId === F.g1 && x.units > 0)!
  return { id: uuidv7(), title: '范围测试加装电梯', description: '', scope: { kind: 'unit', buildingId: b.id, unit: '1' }, origin: { kind: 'office' }, raisedByName: '1单元居民', raisedAt: now(), budget: null, consultationCampaignIds: [] }
}
function meetingOf(matterId: string): MeetingCreate {
  return { id: uuidv7(), matterId, day: F.today, time: null, place: '邻里议事厅', parties: [{ kind: 'household', householdId: F.h1.id, present: true }], positions: [], minutes: '', nextSteps: '', photoIds: [] }
}
/** A notice for the whole community, shown from today; `body` as given. */
const noticeOf = (body = '本周六上午社区开展义诊，地点社区服务中心。'): NoticeCreate => ({ id: uuidv7(), title: '义诊通知', body, category: 'service', compound: null, fromDay: F.today, untilDay: null })
const subsidy = (matterId: string, amount = 100_000): LedgerEntryCreate => ({ id: uuidv7(), matterId, kind: 'subsidy', source: '区住建局补贴', amount, day: F.today, note: '', photoIds: [] })
/** A fresh matter of grid01's cell with a meeting, ready for 议; for `none` an id nobody made. */
async function matterToDiscuss(a: Actor): Promise<string> {
  if (a === 'none') return uuidv7()
  const m = matterOfG1()
  const mt = meetingOf(m.id)
  const r = await pushAs('secretary', [mutation('matter', m.id, 'create', m), mutation('meeting', mt.id, 'create', mt)])
  expect(r.map((x) => x.status)).toEqual(['applied', 'applied'])
  return m.id
}

// ---- the database, before and after ----

let tableShapes: Array<{ name: string; versioned: boolean }> = []
async function fingerprint(): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const { name, versioned } of tableShapes) {
    if (versioned) {
      const r = await sql<{ n: number; mx: number | null; sm: number | null }>`select count(*) as n, max(version) as mx, sum(version) as sm from ${sql.table(name)}`.execute(s.store)
      const row = r.rows[0]!
      out[name] = `${row.n} rows, max version ${row.mx}, version sum ${row.sm}`
    } else {
      const r = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(s.store)
      const rows = r.rows.map((x) => JSON.stringify(x)).sort()
      out[name] = `${rows.length} rows #${createHash('sha256').update(rows.join('\n')).digest('hex').slice(0, 16)}`
    }
  }
  return out
}

function expectErrorShape(res: Res, code: ErrorCode | undefined, label: string): void {
  const body: unknown = res.json()
  expect(ErrorBody.safeParse(body).success, `${label}: ${res.body}`).toBe(true)
  const { error } = body as ErrorBody
  expect(Object.keys(body as object), label).toEqual(['error'])
  expect(Object.keys(error).filter((k) => !['code', 'message', 'details'].includes(k)), label).toEqual([])
  expect(error.message.length, label).toBeGreaterThan(0)
  if (code) expect(error.code, `${label}: ${error.message}`).toBe(code)
}

const isRefusal = (x: Answer) => ('http' in x ? x.http >= 400 : x.push === 'rejected')
const show = (x: Answer) => ('http' in x ? `${x.http}${x.code ? ` ${x.code}` : ''}` : x.push === 'rejected' ? `rejected ${x.code}` : x.push)

// ---- what each route may answer whom ----

/** The admin previews (nothing may change); everybody else tries for real (and must be refused). */
const dryRunFor = (a: Actor): Record<string, string> => (a === 'admin' ? { dryRun: '1' } : {})
const statsQuery = (filter: Record<string, string> = {}) => ({ from: F.monthAgo, to: F.today, ...filter })
type StatsFilter = 'gridId' | 'workerId' | null
const statsFilters: Array<{ about: string; filter: StatsFilter }> = [
  { about: 'gridId = grid01’s cell', filter: 'gridId' },
  { about: 'workerId = grid01', filter: 'workerId' },
  { about: 'no filter: only the caller’s own cells', filter: null },
]
const filterQuery = (f: StatsFilter) => statsQuery(f === 'gridId' ? { gridId: F.g1 } : f === 'workerId' ? { workerId: F.userId.owner } : {})
/** Which grid cells an answer may and must name. */
function expectCells(a: Actor, filter: StatsFilter, cells: string[]): void {
  const mine = a === 'other' ? workerOf(s.community, 'grid02').gridIds : a === 'owner' ? workerOf(s.community, 'grid01').gridIds : null
  if (filter) expect([...new Set(cells)]).toEqual([F.g1])
  else if (mine) {
    expect(cells.length).toBeGreaterThan(0)
    expect(cells.filter((g) => !mine.includes(g))).toEqual([])
  } else expect(cells).toEqual(expect.arrayContaining([F.g1, F.g2]))
}
const statsCases = (check: (a: Actor, res: Res, filter: StatsFilter) => void): Case[] =>
  statsFilters.map(({ about, filter }) => ({
    about,
    request: () => ({ query: filterQuery(filter) }),
    expect: filter ? cellAndOffice : anyUser(),
    check: (a, res) => (res.statusCode === 200 ? check(a, res, filter) : undefined),
  }))

const PUSH: Record<MutationKind, PushCase[]> = {
  'visit:create': [
    {
      about: 'a visit to a household of grid01’s cell',
      mutation: (a) => visitMutation(makeVisit(s.community, F.h1, userOf(a))),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
    },
    {
      about: 'a visit to a household of grid01’s cell answering a campaign that targets it',
      mutation: (a) => visitMutation(makeVisit(s.community, F.h1, userOf(a), { campaignId: F.campaign, campaignAnswers: { pipe_ok: true, hose_ok: true } })),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
    },
    {
      about: 'a visit (each its own cell’s household) answering a campaign still in draft: as an unknown campaign',
      mutation: (a) => visitMutation(makeVisit(s.community, ownHousehold(a), userOf(a), { campaignId: F.draftCampaign })),
      expect: { other: rejected('NOT_FOUND'), owner: rejected('NOT_FOUND'), secretary: rejected('NOT_FOUND'), admin: rejected('NOT_FOUND') },
    },
    {
      // Referring to a photo is reading it (design.md): not-yours answers as a photo never uploaded.
      about: 'a visit (grid02’s own household) showing a photo grid01 uploaded and no record shows',
      mutation: async (a) => visitMutation(makeVisit(s.community, ownHousehold(a), userOf(a), { photoIds: [await photoOfGrid01For(a)] })),
      expect: { other: rejected('ATTACHMENT_MISSING'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        if (a === 'other') expect((await getPhoto('other', (m.data as Visit).photoIds[0]!)).statusCode, 'the photo stays unreadable').toBe(404)
      },
    },
    {
      about: 'a visit showing a photo shown on a visit of grid01’s cell (grid02: on its own household)',
      mutation: async (a) => {
        let photo = sha256(jpeg())
        if (a !== 'none') {
          photo = (await upload('secretary')).sha
          const shown = await pushAs('secretary', [visitMutation(makeVisit(s.community, F.h1, F.userId.secretary, { photoIds: [photo] }))])
          expect(shown[0]!.status).toBe('applied')
        }
        return visitMutation(makeVisit(s.community, a === 'other' ? F.h2 : F.h1, userOf(a), { photoIds: [photo] }))
      },
      expect: { other: rejected('ATTACHMENT_MISSING'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        if (a === 'other') expect((await getPhoto('other', (m.data as Visit).photoIds[0]!)).statusCode, 'the photo stays unreadable').toBe(404)
      },
    },
  ],
  'household:patch': [
    {
      about: 'a household of grid01’s cell (its phone number)',
      mutation: async () => {
        const row = await s.store.selectFrom('households').select('version').where('id', '=', F.h1.id).executeTakeFirstOrThrow()
        return { mutationId: uuidv7(), entity: 'household', id: F.h1.id, op: 'patch', baseVersion: Number(row.version), data: { phone: mobile() }, at: now() }
      },
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        const row = await s.store.selectFrom('households').select('data').where('id', '=', F.h1.id).executeTakeFirstOrThrow()
        if (a !== 'other') expect((JSON.parse(row.data) as Household).phone).toBe(m.data.phone)
      },
    },
  ],
  'resident:create': [
    {
      about: 'someone new in a household of grid01’s cell',
      mutation: () => residentCreate(makeResident(F.h1)),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        const row = await s.store.selectFrom('residents').select(['grid_id', 'id_number']).where('id', '=', m.id).executeTakeFirst()
        expect(row, 'stored in the household’s cell, without an ID number').toEqual(a === 'other' ? undefined : { grid_id: F.g1, id_number: null })
      },
    },
    {
      // 政法 tags are the office's, and only for those granted them (the demo's secretary and admin are).
      about: 'someone new with a 政法 tag in a household of grid01’s cell',
      mutation: () => residentCreate(makeResident(F.h1, { tags: ['correction'], birthYear: 1985, relation: 'child' })),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: rejected('FORBIDDEN'), secretary: applied, admin: applied },
    },
  ],
  'resident:patch': [
    {
      about: 'a resident of grid01’s cell (their phone number)',
      mutation: () => residentPatch(F.r1.id, { phone: mobile() }),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        const row = await s.store.selectFrom('residents').select('data').where('id', '=', F.r1.id).executeTakeFirstOrThrow()
        if (a !== 'other') expect((JSON.parse(row.data) as { phone: string }).phone).toBe(m.data.phone)
      },
    },
    {
      about: 'a resident of grid01’s cell (their ID number: nobody’s from a device)',
      mutation: () => residentPatch(F.r1.id, { idNumber: '370902198001011234' }),
      expect: { other: rejected('FORBIDDEN'), owner: rejected('FORBIDDEN'), secretary: rejected('FORBIDDEN'), admin: rejected('FORBIDDEN') },
    },
  ],
  'case:create': [
    {
      about: 'a case in grid01’s cell about a household there',
      mutation: (a) => caseCreate(report(a, F.g1, { householdIds: [F.h1.id] })),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
    },
    {
      // Referring to a household is reading it: another cell's answers as an unknown one.
      about: 'a case in grid02’s own cell naming a household of grid01’s cell (grid01: in its own cell)',
      mutation: (a) => caseCreate(report(a, ownCell(a), { householdIds: [F.h1.id] })),
      expect: { other: rejected('NOT_FOUND'), owner: applied, secretary: applied, admin: applied },
      check: async (a, r, m) => {
        if (a !== 'other') return
        const unknown = await pushAs('other', [caseCreate({ ...(m.data as CaseReport), id: uuidv7(), householdIds: [uuidv7()] })])
        expect(r.error, 'the same answer as for a household that does not exist').toEqual(unknown[0]!.error)
      },
    },
    {
      // Referring to a visit is reading it: another cell's visit answers as an unknown one.
      about: 'a case in grid02’s own cell found on a visit of grid01’s cell (grid01: in its own cell)',
      mutation: (a) => caseCreate(report(a, ownCell(a), { visitId: F.v1.id })),
      expect: { other: rejected('NOT_FOUND'), owner: applied, secretary: applied, admin: applied },
      check: async (a, r, m) => {
        if (a !== 'other') return
        const unknown = await pushAs('other', [caseCreate({ ...(m.data as CaseReport), id: uuidv7(), visitId: uuidv7() })])
        expect(r.error, 'the same answer as for a visit that does not exist').toEqual(unknown[0]!.error)
      },
    },
    {
      about: 'a case in grid02’s own cell showing a photo grid01 uploaded and no record shows (grid01: in its own cell)',
      mutation: async (a) => caseCreate(report(a, ownCell(a), { photoIds: [await photoOfGrid01For(a)] })),
      expect: { other: rejected('ATTACHMENT_MISSING'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        if (a === 'other') expect((await getPhoto('other', (m.data as CaseReport).photoIds[0]!)).statusCode, 'the photo stays unreadable').toBe(404)
      },
    },
  ],
  'case:transition': [
    {
      about: 'starting an assigned case of grid01’s cell',
      mutation: async (a) => transition(await assignedCase(a, F.g1), { action: 'start' }),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
    },
    {
      about: 'starting grid02’s own case, naming a visit of grid01’s cell (grid01: its own case)',
      mutation: async (a) => transition(await assignedCase(a, ownCell(a)), { action: 'start', visitId: F.v1.id }),
      expect: { other: rejected('NOT_FOUND'), owner: applied, secretary: applied, admin: applied },
      check: async (a, r, m) => {
        if (a !== 'other') return
        const unknown = await pushAs('other', [transition(m.id, { action: 'start', visitId: uuidv7() })])
        expect(r.error, 'the same answer as for a visit that does not exist').toEqual(unknown[0]!.error)
      },
    },
    {
      about: 'starting grid02’s own case, showing a photo grid01 uploaded and no record shows (grid01: its own case)',
      mutation: async (a) => transition(await assignedCase(a, ownCell(a)), { action: 'start', photoIds: [await photoOfGrid01For(a)] }),
      expect: { other: rejected('ATTACHMENT_MISSING'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        if (a === 'other') expect((await getPhoto('other', (m.data.photoIds as string[])[0]!)).statusCode, 'the photo stays unreadable').toBe(404)
      },
    },
  ],
  'comment:create': [
    {
      about: 'a comment on a visit of grid01’s cell',
      mutation: () => {
        const id = uuidv7()
        return { mutationId: uuidv7(), entity: 'comment', id, op: 'create', data: { id, visitId: F.v1.id, text: '记录很详细', at: now() }, at: now() }
      },
      expect: { other: rejected('FORBIDDEN'), owner: rejected('FORBIDDEN'), secretary: applied, admin: applied },
    },
  ],
  'settings:patch': [
    {
      about: 'the community’s visit rules and case deadlines (as they are)',
      mutation: async () => {
        const row = await s.store.selectFrom('settings').select('data').where('id', '=', SETTINGS_ID).executeTakeFirst()
        const current = row ? (JSON.parse(row.data) as Settings) : DEFAULT_SETTINGS
        return { mutationId: uuidv7(), entity: 'settings', id: SETTINGS_ID, op: 'patch', data: { caseDeadlines: current.caseDeadlines }, at: now() }
      },
      expect: { other: rejected('FORBIDDEN'), owner: rejected('FORBIDDEN'), secretary: rejected('FORBIDDEN'), admin: applied },
    },
  ],
  'checklistTemplate:patch': [
    {
      about: 'a checklist template (its name, unchanged)',
      mutation: () => {
        const t = s.community.templates.find((x) => x.code === 'outreach') ?? s.community.templates[0]!
        return { mutationId: uuidv7(), entity: 'checklistTemplate', id: t.id, op: 'patch', data: { name: t.name }, at: now() }
      },
      expect: { other: rejected('FORBIDDEN'), owner: rejected('FORBIDDEN'), secretary: rejected('FORBIDDEN'), admin: applied },
    },
  ],
  'checklistTemplate:create': [
    {
      about: 'a new checklist template',
      mutation: () => {
        const id = uuidv7()
        const data = { id, code: `scope-${id.slice(-8)}`, name: '范围测试清单', items: [{ id: 'ok', label: '一切正常', kind: 'yesno', required: false }] }
        return { mutationId: uuidv7(), entity: 'checklistTemplate', id, op: 'create', data, at: now() }
      },
      expect: { other: rejected('FORBIDDEN'), owner: rejected('FORBIDDEN'), secretary: rejected('FORBIDDEN'), admin: applied },
    },
  ],
  'need:create': [
    {
      about: 'a need of grid01’s household heard on grid01’s visit',
      mutation: (a) => listCreate('need', needFor(a, F.h1, { source: { kind: 'visit', visitId: F.v1.id } })),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        const row = await s.store.selectFrom('needs').select(['grid_id', 'status']).where('id', '=', m.id).executeTakeFirst()
        expect(row, 'stored in the household’s cell, open').toEqual(a === 'other' ? undefined : { grid_id: F.g1, status: 'open' })
      },
    },
    {
      about: 'a need naming grid01’s household and grid02’s at once',
      mutation: (a) => listCreate('need', needFor(a, F.h1, { householdIds: a === 'other' ? [F.h2.id, F.h1.id] : [F.h1.id, F.h2.id], source: { kind: 'office' } })),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: rejected('OUT_OF_SCOPE'), secretary: rejected('VALIDATION_FAILED'), admin: rejected('VALIDATION_FAILED') },
    },
    {
      about: 'a menu order (你点我来) for grid01’s household',
      mutation: (a) => listCreate('need', needFor(a, F.h1)),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: applied, secretary: applied, admin: applied },
      check: async (a, _r, m) => {
        if (a === 'other') return
        const row = await s.store.selectFrom('needs').select(['status', 'resource_id', 'offer_id']).where('id', '=', m.id).executeTakeFirstOrThrow()
        expect(row, 'matched to the offer’s resource at once').toEqual({ status: 'matched', resource_id: F.resource, offer_id: F.offerId })
      },
    },
    {
      about: 'a need entered by the office itself (each its own cell’s household)',
      mutation: (a) => listCreate('need', needFor(a, ownHousehold(a), { source: { kind: 'office' } })),
      expect: byTheOffice(applied),
    },
    {
      // Referring to a visit is reading it: another cell's visit answers as an unknown one.
      about: 'a need of one’s own cell’s household naming a visit of grid01’s cell',
      mutation: (a) => listCreate('need', needFor(a, ownHousehold(a), { source: { kind: 'visit', visitId: F.v1.id } })),
      // The office reads the visit, but it is not of the household the need is about.
      expect: { other: rejected('NOT_FOUND'), owner: applied, secretary: rejected('VALIDATION_FAILED'), admin: rejected('VALIDATION_FAILED') },
      check: async (a, r, m) => {
        if (a !== 'other') return
        const same: NeedCreate = { ...(m.data as NeedCreate), id: uuidv7(), source: { kind: 'visit', visitId: uuidv7() } }
        const unknown = await pushAs('other', [listCreate('need', same)])
        expect(r.error, 'the same answer as for a visit that does not exist').toEqual(unknown[0]!.error)
      },
    },
  ],
  'need:transition': [
    {
      about: 'matching an open need of grid01’s cell to a resource',
      mutation: async (a) => listMove('need', (await needOfG1(a)).id, 'transition', { action: 'match', resourceId: F.resource }),
      expect: { other: rejected('OUT_OF_SCOPE'), owner: rejected('FORBIDDEN'), secretary: applied, admin: applied },
    },
  ],
  'resource:create': [{ about: 'a new 驻区单位 with a menu offer', mutation: () => listCreate('resource', unitResource()), expect: byTheOffice(applied) }],
  'resource:patch': [
    {
      about: 'the volunteer’s availability',
      mutation: () => listMove('resource', F.volunteer.id, 'patch', { description: '周末上门理发' }),
      expect: byTheOffice(applied),
    },
  ],
  'project:create': [
    { about: 'a project for a need of grid01’s cell', mutation: async (a) => listCreate('project', projectFor([(await needOfG1(a)).id])), expect: byTheOffice(applied) },
    { about: 'a project without needs', mutation: () => listCreate('project', projectFor([])), expect: byTheOffice(rejected('PROJECT_NO_NEEDS')) },
  ],
  'project:patch': [{ about: 'a planned project’s title', mutation: async (a) => listMove('project', await projectOfG1(a), 'patch', { title: '改名的助餐点' }), expect: byTheOffice(applied) }],
  'project:transition': [{ about: 'starting a planned project', mutation: async (a) => listMove('project', await projectOfG1(a), 'transition', { action: 'start' }), expect: byTheOffice(applied) }],
  'serviceRecord:create': [
    { about: 'a volunteer’s hours on a need of grid01’s cell', mutation: () => listCreate('serviceRecord', serviceRecord(F.need)), expect: byTheOffice(applied) },
    {
      about: 'a volunteer’s hours carrying points before any confirmation',
      mutation: () => listCreate('serviceRecord', { ...serviceRecord(F.need), points: 20 } as ServiceRecordCreate),
      expect: byTheOffice(rejected('POINTS_UNCONFIRMED')),
    },
  ],
  'serviceRecord:transition': [
    { about: 'confirming a volunteer’s hours', mutation: async (a) => listMove('serviceRecord', await hoursToConfirm(a), 'transition', { action: 'confirm' }), expect: byTheOffice(applied) },
  ],
  'matter:create': [{ about: 'a matter (议题) over a stairwell of grid01’s cell', mutation: () => { const m = matterOfG1(); return mutation('matter', m.id, 'create', m) }, expect: byTheOffice(applied) }],
  'matter:patch': [{ about: 'the matter’s title', mutation: () => mutation('matter', F.matter, 'patch', { title: '范围测试加装电梯（改）' }), expect: byTheOffice(applied) }],
  'matter:transition': [
    { about: '议: a matter of grid01’s cell with a meeting', mutation: async (a) => mutation('matter', await matterToDiscuss(a), 'transition', { stepId: uuidv7(), action: 'discuss', at: now() }), expect: byTheOffice(applied) },
    { about: '决 straight from 提, with no decision record', mutation: () => mutation('matter', F.matter, 'transition', { stepId: uuidv7(), action: 'decide', at: now() }), expect: byTheOffice(rejected('INVALID_TRANSITION')) },
  ],
  'meeting:create': [{ about: 'a meeting of the matter, a household of grid01’s cell invited', mutation: () => { const m = meetingOf(F.matter); return mutation('meeting', m.id, 'create', m) }, expect: byTheOffice(applied) }],
  'meeting:patch': [{ about: 'the meeting’s minutes', mutation: () => mutation('meeting', F.meeting, 'patch', { minutes: '大家同意先做方案' }), expect: byTheOffice(applied) }],
  'ledgerEntry:create': [
    { about: 'a subsidy into the matter’s ledger', mutation: () => { const e = subsidy(F.matter); return mutation('ledgerEntry', e.id, 'create', e) }, expect: byTheOffice(applied) },
    {
      about: 'an expense beyond the matter’s balance',
      mutation: () => {
        const e: LedgerEntryCreate = { id: uuidv7(), matterId: F.matter, kind: 'expense', what: '电梯设备款', amount: 90_000_000_000, day: F.today, note: '', photoIds: ['c'.repeat(64)] }
        return mutation('ledgerEntry', e.id, 'create', e)
      },
      expect: byTheOffice(rejected('BALANCE_NEGATIVE')),
    },
  ],
  'notice:create': [
    { about: 'a notice for the whole community', mutation: () => { const n = noticeOf(); return mutation('notice', n.id, 'create', n) }, expect: byTheOffice(applied) },
    {
      about: 'a notice naming a resident of grid01’s household: refused for the internet',
      mutation: () => { const n = noticeOf(`请${s.community.residents.find((r) => r.householdId === F.h1.id)!.name}尽快到社区办理手续`); return mutation('notice', n.id, 'create', n) },
      expect: byTheOffice(rejected('VALIDATION_FAILED')),
    },
  ],
  'notice:patch': [{ about: 'the notice withdrawn', mutation: () => mutation('notice', F.notice, 'patch', { withdrawn: true }), expect: byTheOffice(applied) }],
}

function pushCase(kind: MutationKind, c: PushCase): Case {
  const sent = new Map<Actor, Mutation>()
  return {
    about: `${kind}: ${c.about}`,
    request: async (a) => {
      const m = await c.mutation(a)
      expect(`${m.entity}:${m.op}`).toBe(kind)
      sent.set(a, m)
      return { body: { deviceId: uuidv7(), protocolVersion: PROTOCOL_VERSION, mutations: [m] } }
    },
    expect: { none: UNAUTHORIZED, ...c.expect },
    check: async (a, res) => {
      if (a === 'none' || !c.check) return
      await c.check(a, res.json<{ results: MutationResult[] }>().results[0]!, sent.get(a)!)
    },
  }
}

const TABLE: Record<string, Case[]> = {
  'GET /api/health': [{ about: 'liveness (public)', request: () => ({}), expect: { none: ok(), other: ok(), owner: ok(), secretary: ok(), admin: ok() } }],

  'GET /api/public/community': [
    {
      about: 'the residents’ public page (公开): for no one logged in; a request with any token is refused, so nothing logged-in is ever served under it',
      request: () => ({}),
      expect: { none: ok(), other: refused(400, 'BAD_REQUEST'), owner: refused(400, 'BAD_REQUEST'), secretary: refused(400, 'BAD_REQUEST'), admin: refused(400, 'BAD_REQUEST') },
    },
  ],

  'POST /api/auth/login': [
    {
      about: 'one’s own username and password (public; no token: grid01’s)',
      request: (a) => ({ body: { username: USERNAME[a === 'none' ? 'owner' : a], password: 'zoufang' } }),
      expect: { none: ok(), other: ok(), owner: ok(), secretary: ok(), admin: ok() },
      check: (a, res) => expect(res.json<{ user: { username: string } }>().user.username).toBe(USERNAME[a === 'none' ? 'owner' : a]),
    },
  ],

  'POST /api/auth/logout': [
    {
      about: 'a fresh session of one’s own (grid01’s session stays)',
      request: async (a) => ({ token: a === 'none' ? null : await s.login(USERNAME[a]) }),
      expect: anyUser(204),
      check: async (_a, _res, req) => {
        expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: auth(req.token) })).statusCode, 'the session ended').toBe(401)
        expect((await s.app.inject({ method: 'GET', url: '/api/me', headers: auth(tokens.owner) })).statusCode, 'grid01 is still logged in').toBe(200)
      },
    },
  ],

  'GET /api/me': [
    {
      about: 'oneself',
      request: () => ({}),
      expect: anyUser(),
      check: (a, res) => {
        if (a !== 'none') expect(res.json<{ id: string }>().id).toBe(userOf(a))
      },
    },
  ],

  'PUT /api/attachments/:sha256': [
    {
      about: 'a new photo',
      request: () => {
        const bytes = jpeg()
        return { params: { sha256: sha256(bytes) }, body: bytes, headers: { 'content-type': 'image/jpeg' } }
      },
      expect: anyUser(),
    },
  ],

  'GET /api/attachments/:sha256': [
    {
      about: 'a photo grid01 uploaded, shown on no record',
      request: () => ({ params: { sha256: F.photoOfGrid01.sha } }),
      expect: { none: UNAUTHORIZED, other: NOT_FOUND, owner: ok(), secretary: ok(), admin: ok() },
      check: async (a, res) => {
        if (a === 'other') expect(res.json(), 'answers as for a photo never uploaded').toEqual((await getPhoto('other', sha256(jpeg()))).json())
        else if (a !== 'none') expect(res.rawPayload.equals(F.photoOfGrid01.bytes)).toBe(true)
      },
    },
    {
      about: 'a photo the secretary uploaded, shown on a visit of grid01’s cell',
      request: () => ({ params: { sha256: F.photoOnG1Visit.sha } }),
      expect: { none: UNAUTHORIZED, other: NOT_FOUND, owner: ok(), secretary: ok(), admin: ok() },
      check: async (a, res) => {
        if (a === 'other') expect(res.json(), 'answers as for a photo never uploaded').toEqual((await getPhoto('other', sha256(jpeg()))).json())
        else if (a !== 'none') expect(res.rawPayload.equals(F.photoOnG1Visit.bytes)).toBe(true)
      },
    },
  ],

  'GET /api/sync/pull': [
    {
      about: 'the whole scope, every page',
      request: () => ({ query: { limit: '2000' } }),
      expect: anyUser(),
      check: async (a, res) => {
        if (a === 'none') return
        const changes = await pullAll(res, tokens[a])
        const ids = new Set(changes.map((c) => c.id))
        expect(JSON.stringify(changes).includes(F.r1.idNumber), 'a full ID number never leaves the server').toBe(false)
        if (a === 'other') {
          const ofCell = await idsOfCell(F.g1)
          const leaked = changes.filter((c) => ofCell.has(c.id) || c.data?.gridId === F.g1)
          expect(leaked.map((c) => `${c.entity} ${c.id}`), 'records of grid01’s cell').toEqual([])
          expect(ids.has(F.h2.id), 'grid02 gets its own households').toBe(true)
        } else {
          for (const id of [F.h1.id, F.r1.id, F.v1.id]) expect(ids.has(id), id).toBe(true)
        }
        // Campaigns are the community's, but a draft only the office's; targets go with their cell.
        expect(ids.has(F.campaign), 'the launched campaign').toBe(true)
        expect(ids.has(F.draftCampaign), 'the draft').toBe(a === 'secretary' || a === 'admin')
        const targets = changes.filter((c) => c.entity === 'campaignTarget' && c.data?.campaignId === F.campaign)
        expect(targets.some((t) => t.data?.householdId === F.h1.id), 'grid01’s household as a target').toBe(a !== 'other')
        // Needs go with their cell; resources to everyone, a volunteer's contact data whole only to
        // the office; volunteers' hours to the office alone.
        const office = a === 'secretary' || a === 'admin'
        expect(ids.has(F.need), 'grid01’s need').toBe(a !== 'other')
        expect(ids.has(F.resource) && ids.has(F.volunteer.id), 'the resources').toBe(true)
        const volunteer = changes.find((c) => c.id === F.volunteer.id)!.data!
        expect(JSON.stringify(changes).includes(F.volunteer.phone), 'the volunteer’s phone').toBe(office)
        expect(volunteer.contactPhoneMasked, 'masked beside it').toBe(office ? undefined : `${F.volunteer.phone.slice(0, 3)}****${F.volunteer.phone.slice(7)}`)
        expect((volunteer.volunteer as { residentId: string | null }).residentId === null, 'no register link').toBe(!office)
        expect(changes.some((c) => c.entity === 'serviceRecord'), 'volunteers’ hours').toBe(office)
        expect(ids.has(F.serviceRecord)).toBe(office)
        // A matter goes to the workers of the cells it touches, with its meetings; its ledger only to the office.
        expect(ids.has(F.matter) && ids.has(F.meeting), 'grid01’s matter and its meeting').toBe(a !== 'other')
        expect(changes.some((c) => c.entity === 'ledgerEntry'), 'ledger entries').toBe(office)
        expect(ids.has(F.ledgerEntry)).toBe(office)
        expect(ids.has(F.notice), 'the community’s notice, on every device').toBe(true)
      },
    },
  ],

  'POST /api/sync/push': (Object.entries(PUSH) as Array<[MutationKind, PushCase[]]>).flatMap(([kind, cases]) => cases.map((c) => pushCase(kind, c))),

  'GET /api/stats/households': statsCases((a, res, filter) => {
    if (a === 'none') return
    const households = res.json<HouseholdStatsResponse>().households
    expectCells(a, filter, households.map((h) => h.gridId))
    if (a === 'other') expect(households.some((h) => h.id === F.h1.id)).toBe(false)
  }),
  'GET /api/stats/coverage': statsCases((a, res, filter) => {
    if (a !== 'none') expectCells(a, filter, res.json<CoverageResponse>().grids.map((g) => g.gridId))
  }),
  'GET /api/stats/dashboard': statsCases((a, res, filter) => {
    if (a === 'none') return
    const d = res.json<DashboardResponse>()
    expectCells(a, filter, d.byGrid.map((g) => g.key))
    if (a === 'other') expect(d.byWorker.map((w) => w.key)).not.toContain(F.userId.owner)
    else expect(d.byWorker.map((w) => w.key)).toContain(F.userId.owner)
  }),
  'GET /api/stats/grid-moves': [{ about: 'grid cells moved between workers', request: () => ({ query: statsQuery() }), expect: officeOnly }],
  'GET /api/stats/trail': [
    {
      about: 'grid01’s trail today',
      request: () => ({ query: { workerId: F.userId.owner, day: F.today } }),
      expect: cellAndOffice,
      check: (a, res) => {
        if (a !== 'none' && a !== 'other') expect(res.json<TrailResponse>().points.map((p) => p.visitId)).toContain(F.v1.id)
      },
    },
  ],

  'GET /api/exports/:kind.:format': ExportKind.options.flatMap((kind) =>
    ExportFormat.options.map(
      (format): Case => ({
        about: `${kind}.${format} of grid01’s cell`,
        request: () => ({ params: { kind, format }, query: statsQuery({ gridId: F.g1 }) }),
        expect: officeOnly,
        check: (a, res) => {
          if (a === 'secretary' || a === 'admin') expect(res.headers['x-export-rows']).toBeDefined()
        },
      }),
    ),
  ),
  'GET /api/exports/register.:format': [
    ...ExportFormat.options.map(
      (format): Case => ({
        about: `the register as .${format}, masked`,
        request: () => ({ params: { format } }),
        expect: officeOnly,
        check: (a, res) => {
          if (format === 'csv' && (a === 'secretary' || a === 'admin')) expect(res.body.includes(F.r1.idNumber), 'masked').toBe(false)
        },
      }),
    ),
    {
      about: 'the register as .csv, unmasked',
      request: () => ({ params: { format: 'csv' }, query: { unmasked: '1' } }),
      expect: adminOnly(),
      check: (a, res) => {
        if (a === 'admin') expect(res.body).toContain(F.r1.idNumber)
      },
    },
  ],

  'GET /api/residents/:id/id-number': [
    {
      about: 'a resident of grid01’s cell (every reveal audited)',
      request: () => ({ params: { id: F.r1.id } }),
      expect: cellAndOffice,
      check: async (a, res) => {
        if (a === 'none' || a === 'other') return expect(res.body.includes(F.r1.idNumber)).toBe(false)
        expect(res.json<{ idNumber: string }>().idNumber).toBe(F.r1.idNumber)
        const audit = await s.store.selectFrom('audit_log').select(['user_id', 'subject_id']).where('action', '=', 'reveal_id_number').orderBy('id', 'desc').executeTakeFirstOrThrow()
        expect(audit).toEqual({ user_id: userOf(a), subject_id: F.r1.id })
      },
    },
  ],

  'GET /api/admin/users': [{ about: 'every account', request: () => ({}), expect: adminOnly() }],
  // The street office's (tests/server/communities.test.ts calls them as its staff): nobody of a community.
  'GET /api/street/overview': [{ about: 'every community’s figures', request: () => ({ query: statsQuery() }), expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN } }],
  'GET /api/street/cases': [{ about: 'the cases escalated to the street', request: () => ({}), expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN } }],
  'POST /api/street/cases/:community/:id/steps': [
    {
      about: 'the street’s answer to an escalated case',
      request: () => ({ params: { community: 'main', id: uuidv7() }, body: { stepId: uuidv7(), action: 'street_resolve', note: '已协调解决' } }),
      expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN },
    },
  ],
  'POST /api/street/communities': [
    {
      about: 'a new community (新增社区)',
      request: () => ({ body: { key: `scope${Math.random().toString(36).slice(2, 8)}`, name: '新社区', admin: { username: `scope-${uuidv7().slice(-8)}`, name: '管理员', password: 'kaishi2026' } } }),
      expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN },
    },
  ],
  // The street office's own accounts: its admin's (tests/server/streetStaff.test.ts).
  'GET /api/street/staff': [{ about: 'the street office’s accounts', request: () => ({}), expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN } }],
  'POST /api/street/staff': [
    {
      about: 'a street office account',
      request: () => ({ body: { username: `staff-${uuidv7().slice(-8)}`, name: '王干事', role: 'street', password: 'kaishi2026' } }),
      expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN },
    },
  ],
  'PATCH /api/street/staff/:id': [
    { about: 'a street office account (停用)', request: () => ({ params: { id: F.userId.owner }, body: { active: false } }), expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN } },
  ],
  'POST /api/street/staff/:id/password': [
    { about: 'a street office account’s password', request: () => ({ params: { id: F.userId.owner }, body: { password: 'kaishi2026' } }), expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: FORBIDDEN, admin: FORBIDDEN } },
  ],
  'POST /api/admin/users': [
    {
      about: 'a new worker account',
      request: () => ({ body: { username: `new-${uuidv7().slice(-8)}`, name: '新网格员', role: 'worker', password: 'zoufang-new' } }),
      expect: adminOnly(ok(201)),
    },
  ],
  'PATCH /api/admin/users/:id': [
    {
      about: 'grid01’s account (its name)',
      request: () => ({ params: { id: F.userId.owner }, body: { name: '网格员甲' } }),
      expect: adminOnly(),
    },
  ],
  'POST /api/admin/users/:id/password': [
    {
      about: 'grid01’s password (admin: a spare account’s, so grid01 stays logged in)',
      request: (a) => ({ params: { id: a === 'admin' ? F.spareId : F.userId.owner }, body: { password: 'taken-over-1' } }),
      expect: adminOnly(ok(204)),
    },
  ],
  'PUT /api/admin/users/:id/grids': [
    {
      about: 'taking grid01’s cell (admin: the spare account’s cells, none)',
      request: (a) =>
        a === 'admin'
          ? { params: { id: F.spareId }, body: { gridIds: [] } }
          : { params: { id: a === 'owner' ? F.userId.owner : F.userId.other }, body: { gridIds: [...new Set([F.g2, F.g1])] } },
      expect: adminOnly(),
    },
  ],

  'GET /api/admin/audit': [{ about: 'what grid01 did', request: () => ({ query: { userId: F.userId.owner } }), expect: adminOnly() }],
  'GET /api/admin/audit.csv': [{ about: 'what grid01 did, as a file', request: () => ({ query: { userId: F.userId.owner } }), expect: adminOnly() }],

  'POST /api/admin/grid-cells/geojson': [
    {
      about: 'renaming grid01’s cell (admin: a dry run)',
      request: (a) => {
        const cell = s.community.gridCells.find((g) => g.id === F.g1)!
        const body = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: cell.polygon, properties: { code: cell.code, name: `${cell.name}（改）` } }] }
        return { body, query: dryRunFor(a) }
      },
      expect: adminOnly(dryRun),
      check: (a, res) => {
        if (a === 'admin') expect(res.json()).toMatchObject({ dryRun: true, update: 1 })
      },
    },
  ],
  'GET /api/admin/register/structure': [{ about: 'every cell and building, with households counted', request: () => ({}), expect: adminOnly() }],
  'POST /api/admin/grid-cells': [
    { about: 'a new grid cell without a boundary', request: () => ({ body: { code: `T${uuidv7().slice(-6)}`, name: '新网格' } }), expect: adminOnly(ok(201)) },
  ],
  'PATCH /api/admin/grid-cells/:id': [
    {
      about: 'grid01’s cell, its name (the same name again)',
      request: () => ({ params: { id: F.g1 }, body: { name: s.community.gridCells.find((g) => g.id === F.g1)!.name } }),
      expect: adminOnly(),
    },
  ],
  'DELETE /api/admin/grid-cells/:id': [
    { about: 'retiring grid01’s cell (admin: refused, households live in it)', request: () => ({ params: { id: F.g1 } }), expect: adminOnly(refused(409, 'IN_USE')) },
  ],
  'POST /api/admin/buildings': [
    {
      about: 'a new building in grid01’s cell',
      request: () => ({ body: { gridId: F.g1, compound: '新建小区', number: `T${uuidv7().slice(-6)}号楼`, location: { lat: 36.19, lng: 117.12 } } }),
      expect: adminOnly(ok(201)),
    },
  ],
  'PATCH /api/admin/buildings/:id': [
    { about: 'the building of grid01’s household, its floors', request: () => ({ params: { id: F.h1.buildingId! }, body: { floors: 33 } }), expect: adminOnly() },
  ],
  'DELETE /api/admin/buildings/:id': [
    { about: 'retiring the building of grid01’s household (admin: refused, people live in it)', request: () => ({ params: { id: F.h1.buildingId! } }), expect: adminOnly(refused(409, 'IN_USE')) },
  ],
  'POST /api/admin/compounds/rename': [
    {
      about: 'the compound of grid01’s household, renamed to itself',
      request: () => {
        const compound = s.community.buildings.find((b) => b.id === F.h1.buildingId)!.compound
        return { body: { from: compound, to: compound } }
      },
      expect: adminOnly(),
    },
  ],
  'GET /api/admin/register/template.xlsx': [{ about: 'the import template', request: () => ({}), expect: adminOnly() }],
  'POST /api/admin/register/import': [
    {
      about: 'a register file (admin: a dry run)',
      request: (a) => {
        const line = (cells: readonly string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')
        const csv = `${line(REGISTER_HEADERS)}\n${line(REGISTER_EXAMPLE_ROW)}\n`
        return { body: Buffer.from(csv), headers: { 'content-type': 'text/csv' }, query: dryRunFor(a) }
      },
      expect: adminOnly(dryRun),
      check: (a, res) => {
        if (a === 'admin') expect(res.json()).toMatchObject({ dryRun: true })
      },
    },
  ],
  'GET /api/campaigns': [{ about: 'every campaign, with its totals', request: () => ({}), expect: officeOnly }],
  'POST /api/campaigns': [
    {
      about: 'a draft over grid01’s cell',
      request: () => ({
        body: { title: '新的排查', kind: 'inspection', templateId: s.community.templates.find((t) => t.code === 'gas_inspection')!.id, startDay: F.today, deadline: chinaDay(Date.now() + 5 * 86_400_000), targeting: { gridIds: [F.g1] } },
      }),
      expect: { ...officeOnly, secretary: ok(201), admin: ok(201) },
    },
  ],
  'POST /api/campaigns/preview': [
    {
      about: 'the households of grid01’s cell, counted and masked',
      request: () => ({ body: { targeting: { gridIds: [F.g1] } } }),
      expect: { ...officeOnly, secretary: dryRun, admin: dryRun },
      check: (a, res) => {
        if (a === 'secretary' || a === 'admin') expect(JSON.stringify(res.json())).not.toContain(F.h1.headName.length > 1 ? F.h1.headName : '\u0000')
      },
    },
  ],
  'GET /api/campaigns/:id': [{ about: 'the campaign over grid01’s cell', request: () => ({ params: { id: F.campaign } }), expect: officeOnly }],
  'PATCH /api/campaigns/:id': [
    { about: 'a draft’s title', request: async (a) => ({ params: { id: await campaignFor(a, 'draft') }, body: { title: '改了名的排查' } }), expect: officeOnly },
  ],
  'DELETE /api/campaigns/:id': [
    { about: 'a draft discarded', request: async (a) => ({ params: { id: await campaignFor(a, 'draft') } }), expect: { ...officeOnly, secretary: ok(204), admin: ok(204) } },
  ],
  'POST /api/campaigns/:id/launch': [
    { about: 'a draft over grid01’s cell', request: async (a) => ({ params: { id: await campaignFor(a, 'draft') } }), expect: officeOnly },
  ],
  'POST /api/campaigns/:id/targets': [
    {
      about: 'grid01’s household added to a campaign over grid02’s cell',
      request: async (a) => ({ params: { id: await campaignFor(a, 'launched', [F.g2]) }, body: { householdIds: [F.h1.id] } }),
      expect: officeOnly,
      check: (a, res) => {
        if (a === 'secretary' || a === 'admin') expect(res.json()).toMatchObject({ added: 1 })
      },
    },
  ],
  'POST /api/campaigns/:id/close': [
    { about: 'a launched campaign over grid01’s cell', request: async (a) => ({ params: { id: await campaignFor(a, 'launched') } }), expect: officeOnly },
  ],
  'GET /api/campaigns/:id/progress': [{ about: 'per cell, building and unit', request: () => ({ params: { id: F.campaign } }), expect: officeOnly }],
  'GET /api/campaigns/:id/results': [{ about: 'per item, and the hazard households (masked)', request: () => ({ params: { id: F.campaign } }), expect: officeOnly }],
  'GET /api/campaigns/:id/households': [
    {
      about: 'every target household of grid01’s cell and where it stands',
      request: () => ({ params: { id: F.campaign } }),
      expect: officeOnly,
      check: (a, res) => {
        if (a === 'secretary' || a === 'admin') expect(res.json<{ households: { householdId: string }[] }>().households.map((h) => h.householdId)).toContain(F.h1.id)
      },
    },
  ],
  'GET /api/exports/campaigns/:id/:part.:format': [
    ...(['progress', 'results', 'hazards'] as const).flatMap((part) =>
      ExportFormat.options.map((format): Case => ({ about: `the campaign’s ${part} as .${format}`, request: () => ({ params: { id: F.campaign, part, format } }), expect: officeOnly })),
    ),
    { about: 'the campaign’s progress as .csv, unmasked', request: () => ({ params: { id: F.campaign, part: 'progress', format: 'csv' }, query: { unmasked: '1' } }), expect: adminOnly() },
  ],
  'GET /api/needs/summary': [
    {
      about: 'needs by category and building, grid01’s among them',
      request: () => ({ query: { status: 'unresolved' } }),
      expect: officeOnly,
      check: (a, res) => {
        if (a !== 'secretary' && a !== 'admin') return
        const body = NeedSummaryResponse.parse(res.json())
        expect(body.byGrid.some((g) => g.gridId === F.g1 && g.needs > 0)).toBe(true)
      },
    },
  ],
  'GET /api/lists/figures': [{ about: 'the three lists’ figures for a month', request: () => ({ query: statsQuery() }), expect: officeOnly }],
  'GET /api/points': [
    {
      about: 'volunteers’ confirmed hours and points for a month',
      request: () => ({ query: statsQuery() }),
      expect: officeOnly,
      check: (a, res) => {
        if (a === 'secretary' || a === 'admin') expect(PointsResponse.safeParse(res.json()).success, res.body).toBe(true)
      },
    },
  ],
  'GET /api/matters/:id/ledger': [
    {
      about: 'the ledger totals of a matter of grid01’s cell',
      request: () => ({ params: { id: F.matter } }),
      expect: officeOnly,
      check: (a, res) => {
        if (a === 'secretary' || a === 'admin') expect(MatterLedgerResponse.parse(res.json()).income).toBeGreaterThan(0)
      },
    },
    { about: 'a matter that does not exist', request: () => ({ params: { id: uuidv7() } }), expect: { none: UNAUTHORIZED, other: FORBIDDEN, owner: FORBIDDEN, secretary: NOT_FOUND, admin: NOT_FOUND } },
  ],
  'GET /api/conflicts': [
    {
      about: 'the community’s conflicts, with one on grid01’s household',
      request: async (a) => {
        if (a !== 'none') await conflictOnH1()
        return {}
      },
      expect: officeOnly,
      check: (a, res) => {
        if (a !== 'secretary' && a !== 'admin') return
        const body = ConflictListResponse.parse(res.json())
        expect(body.open).toBeGreaterThan(0)
        expect(body.conflicts.some((c) => c.householdId === F.h1.id)).toBe(true)
      },
    },
  ],
  'POST /api/conflicts/:id/settle': [
    {
      about: 'a conflict on grid01’s household, its phone (taking the overwritten value)',
      request: async (a) => {
        if (a === 'none') return { params: { id: '1' }, body: { choice: 'other', seenVersion: 0 } }
        const c = await conflictOnH1()
        return { params: { id: String(c.id) }, body: { choice: 'other', seenVersion: c.householdVersion } }
      },
      expect: officeOnly,
      check: async (a, res) => {
        if (a !== 'secretary' && a !== 'admin') return
        const item = ConflictItem.parse(res.json())
        expect(item.settled).toMatchObject({ choice: 'other', by: { id: F.userId[a] } })
        const row = await s.store.selectFrom('households').select('data').where('id', '=', F.h1.id).executeTakeFirstOrThrow()
        expect((JSON.parse(row.data) as Household).phone).toBe(item.overwritten.value)
      },
    },
  ],
  'GET /api/households/:id/visits': [
    {
      about: 'every visit of a household of grid01’s cell (an office device keeps recent ones only)',
      request: () => ({ params: { id: F.h1.id } }),
      expect: { none: UNAUTHORIZED, other: NOT_FOUND, owner: ok(), secretary: ok(), admin: ok() },
      check: async (a, res) => {
        if (a === 'none') return
        if (a === 'other') {
          expect(res.json(), 'answers as for a household that does not exist').toEqual(
            (await s.app.inject({ method: 'GET', url: `/api/households/${uuidv7()}/visits`, headers: auth(tokens.other) })).json(),
          )
          return
        }
        const ids = (res.json<{ visits: Visit[] }>().visits).map((v) => v.id).sort()
        const stored = await s.store.selectFrom('visits').select('id').where('household_id', '=', F.h1.id).where('deleted', '=', 0).execute()
        expect(ids).toEqual(stored.map((r) => r.id).sort())
      },
    },
  ],
  'GET /api/conflicts/mine': [
    {
      about: 'one’s own values that did not stand (grid01’s phone on its household just lost)',
      request: async (a) => {
        if (a !== 'none') await conflictOnH1()
        return {}
      },
      expect: anyUser(),
      check: async (a, res) => {
        if (a === 'none') return
        const { notices } = MyConflictsResponse.parse(res.json())
        if (a === 'owner') expect(notices.some((n) => n.householdId === F.h1.id && !n.settled)).toBe(true)
        const cells = a === 'other' || a === 'owner' ? workerOf(s.community, USERNAME[a]).gridIds : null
        if (cells) {
          const rows = notices.length ? await s.store.selectFrom('households').select('grid_id').where('id', 'in', notices.map((n) => n.householdId)).execute() : []
          expect(rows.filter((r) => !cells.includes(r.grid_id!)), 'notices only of households in one’s own cells').toEqual([])
        }
      },
    },
  ],
}

// ---- the run ----

beforeAll(async () => {
  s = await startTestServer(400)
  for (const u of Object.keys(USERNAME) as User[]) tokens[u] = await s.login(USERNAME[u])
  await s.app.ready()

  // Kysely's introspection reads sqlite_master on SQLite and information_schema on PostgreSQL.
  const tables = await s.store.introspection.getTables({ withInternalKyselyTables: true })
  tableShapes = tables
    .map((t) => ({ name: t.name, versioned: t.columns.some((c) => c.name === 'version') }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

  const c = s.community
  const userId = Object.fromEntries((Object.keys(USERNAME) as User[]).map((u) => [u, workerOf(c, USERNAME[u]).id])) as Record<User, string>
  let h1: Household | undefined
  let r1: { id: string; idNumber: string } | undefined
  for (let i = 0; !r1 && i < 50; i++) {
    h1 = householdOf(c, 'grid01', i)
    const withId = c.residents.find((r) => r.householdId === h1!.id && r.idNumber)
    if (withId) r1 = { id: withId.id, idNumber: withId.idNumber! }
  }
  if (!h1 || !r1) throw new Error('no resident with an ID number in grid01’s cell')

  const spare = await s.app.inject({
    method: 'POST',
    url: '/api/admin/users',
    headers: auth(tokens.admin),
    payload: { username: 'spare', name: '备用账号', role: 'worker', password: 'zoufang-spare' },
  })
  expect(spare.statusCode, spare.body).toBe(201)

  const today = chinaDay(Date.now())
  F = {
    g1: workerOf(c, 'grid01').gridIds[0]!,
    g2: workerOf(c, 'grid02').gridIds[0]!,
    userId,
    spareId: spare.json<{ id: string }>().id,
    h1,
    h2: householdOf(c, 'grid02'),
    r1,
    v1: makeVisit(c, h1, userId.owner, { location: { lat: 36.2, lng: 117.1, accuracy: 10, source: 'gps' } }),
    photoOfGrid01: await upload('owner'),
    photoOnG1Visit: await upload('secretary'),
    today,
    monthAgo: chinaDay(Date.now() - 30 * 86_400_000),
    teamId: c.teams.find((t) => t.active)!.id,
    campaign: '',
    draftCampaign: '',
    resource: '',
    offerId: '',
    volunteer: { id: '', phone: '' },
    need: '',
    serviceRecord: '',
    matter: '',
    meeting: '',
    ledgerEntry: '',
    notice: '',
  }
  F.campaign = await campaignOf('launched', [F.g1])
  F.draftCampaign = await campaignOf('draft', [F.g1])
  expect(F.g1).not.toBe(F.g2)
  const seeded = await pushAs('owner', [visitMutation(F.v1)])
  const shown = await pushAs('secretary', [visitMutation(makeVisit(c, h1, userId.secretary, { photoIds: [F.photoOnG1Visit.sha] }))])
  expect([...seeded, ...shown].map((r) => r.status)).toEqual(['applied', 'applied'])
  const unit = unitResource()
  F.resource = unit.id
  F.offerId = unit.offers[0]!.id
  const volunteer = volunteerResource()
  F.volunteer = { id: volunteer.id, phone: volunteer.contactPhone! }
  const made = await pushAs('secretary', [listCreate('resource', unit), listCreate('resource', volunteer)])
  expect(made.map((r) => r.status), JSON.stringify(made)).toEqual(['applied', 'applied'])
  F.need = (await needOfG1()).id
  const hours = serviceRecord(F.need)
  F.serviceRecord = hours.id
  expect((await pushAs('secretary', [listCreate('serviceRecord', hours)]))[0]!.status).toBe('applied')
  const matter = matterOfG1()
  const meeting = meetingOf(matter.id)
  const money = subsidy(matter.id)
  F.matter = matter.id
  F.meeting = meeting.id
  F.ledgerEntry = money.id
  const raised = await pushAs('secretary', [mutation('matter', matter.id, 'create', matter), mutation('meeting', meeting.id, 'create', meeting), mutation('ledgerEntry', money.id, 'create', money)])
  expect(raised.map((r) => r.status), JSON.stringify(raised)).toEqual(['applied', 'applied', 'applied'])
  const notice = noticeOf()
  F.notice = notice.id
  expect((await pushAs('secretary', [mutation('notice', notice.id, 'create', notice)]))[0]!.status).toBe('applied')
})
afterAll(() => s?.close())

describe('the scope matrix', () => {
  it('lists every route the app registers, and no route it does not', () => {
    const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`
    const app = new Set(registered.map(key))
    expect(app.size, 'routes were collected from the real app').toBeGreaterThan(10)
    for (const r of registered) expect(s.app.hasRoute({ method: r.method as 'GET', url: r.url }), key(r)).toBe(true)
    // Fastify answers HEAD for every GET with the GET handler: each GET row checks its HEAD twin.
    const rows = Object.keys(TABLE)
    const listed = new Set([...rows, ...rows.filter((k) => k.startsWith('GET ')).map((k) => `HEAD ${k.slice(4)}`)])
    expect([...app].filter((k) => !listed.has(k)), 'routes of the app missing from TABLE: add a row for each').toEqual([])
    expect([...listed].filter((k) => !app.has(k)), 'rows of TABLE for routes the app no longer has').toEqual([])
  })

  it('has push rows for every mutation kind of the protocol', () => {
    expect(Object.keys(PUSH).sort()).toEqual(Object.keys(MUTATION_DATA).sort())
    for (const [kind, cases] of Object.entries(PUSH)) expect(cases.length, kind).toBeGreaterThan(0)
  })
})

for (const [route, cases] of Object.entries(TABLE)) {
  const [method, url] = route.split(' ') as [string, string]
  describe(route, () => {
    for (const c of cases) {
      describe(c.about, () => {
        for (const a of ACTORS) {
          const want = c.expect[a]
          it(`${LABEL[a]}: ${show(want)}`, async () => {
            const req = await c.request(a)
            const before = await fingerprint()
            const res = await inject(method, url, req, a)
            const label = `${route} as ${LABEL[a]}`
            const said = String(res.headers['content-type'] ?? '').includes('json') ? res.body.slice(0, 300) : `(${res.headers['content-type']})`
            if ('http' in want) {
              expect(res.statusCode, `${label}: ${said}`).toBe(want.http)
              if (want.http >= 400) expectErrorShape(res, want.code, label)
            } else {
              expect(res.statusCode, `${label}: ${said}`).toBe(200)
              const results = res.json<{ results: MutationResult[] }>().results
              expect(results).toHaveLength(1)
              const result = results[0]!
              expect(result.status, `${label}: ${JSON.stringify(result.error)}`).toBe(want.push)
              if (want.push === 'rejected') {
                expect(ErrorBody.safeParse({ error: result.error }).success, JSON.stringify(result)).toBe(true)
                expect(result.error!.code, result.error!.message).toBe(want.code)
              }
            }
            if (isRefusal(want) || ('http' in want && want.writesNothing)) expect(await fingerprint(), 'the database is unchanged').toEqual(before)
            if (method === 'GET' && isRefusal(want)) {
              const head = await inject('HEAD', url, req, a)
              expect(head.statusCode, `HEAD ${url} as ${LABEL[a]}`).toBe(res.statusCode)
              expect(head.body).toBe('')
              expect(await fingerprint(), 'HEAD left the database unchanged').toEqual(before)
            }
            await c.check?.(a, res, req)
          })
        }
      })
    }
  })
}
