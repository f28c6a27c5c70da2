import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { createHash } from 'node:crypto'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  auditQueryString,
  createUser,
  downloadAuditCsv,
  downloadRegister,
  downloadRegisterTemplate,
  fetchAudit,
  importGridCells,
  importRegister,
  listUsers,
  patchUser,
  resetPassword,
  revealIdNumber,
  setUserGrids,
} from '../../src/app/api/admin'
import { fetchAttachment } from '../../src/app/api/attachments'
import { loginRequest, logoutRequest } from '../../src/app/api/auth'
import { type ClientOptions, download, filenameFrom, getJson, request } from '../../src/app/api/client'
import { downloadExport, fetchCoverage, fetchDashboard, fetchGridMoves, fetchHouseholdStats, fetchTrail, statsQueryString } from '../../src/app/api/stats'
import { ApiFailure } from '../../src/app/api/client'
import { createHttpTransport } from '../../src/app/api/sync'
import { HouseholdStatsResponse, PROTOCOL_HEADER, PROTOCOL_VERSION } from '../../src/domain'
import { REGISTER_HEADERS } from '../../src/domain/registerImport'
import { startTestServer, workerOf, type TestServer } from '../support/server'
import { login, SMALL_COMMUNITY } from '../sync/harness'

// The online-only clients the office's and the admin's pages use (statistics, exports, admin,
// login), against the real server over loopback: what they send, what they give the page back,
// and how a failure reaches it (as the ApiFailure kinds the rest of the app acts on).

let s: TestServer
let baseUrl: string
const as: Record<string, ClientOptions> = {}
const today = new Date().toISOString().slice(0, 10)
const yearAgo = new Date(Date.now() - 300 * 86_400_000).toISOString().slice(0, 10)
const period = { from: yearAgo, to: today }

beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  // Logged in without the code under test: a hook that throws skips the tests instead of failing
  // them, which the mutation run would not count.
  for (const u of ['grid01', 'secretary', 'admin']) {
    const token = await login(baseUrl, u)
    as[u] = { baseUrl, getToken: () => token }
  }
})
afterAll(() => s.close())

describe('login', () => {
  it('returns the user and a token that works; logout ends it', async () => {
    const res = await loginRequest({ baseUrl }, 'grid02', 'zoufang')
    expect(res.user).toMatchObject({ username: 'grid02', role: 'worker', gridIds: workerOf(s.community, 'grid02').gridIds })
    const opts = { baseUrl, getToken: () => res.token }
    await expect(fetchCoverage(opts, period)).resolves.toMatchObject({ from: yearAgo, to: today })
    await logoutRequest(opts)
    await expect(fetchCoverage(opts, period)).rejects.toMatchObject({ kind: 'auth', status: 401 })
  })

  it('a wrong password comes back with the server’s words', async () => {
    const err = await loginRequest({ baseUrl }, 'grid03', 'not-the-password').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiFailure)
    expect(err).toMatchObject({ status: 401, message: '用户名或密码不对', apiError: { code: 'BAD_CREDENTIALS' } })
  })

  it('logout with no server reachable does not throw: the phone forgets the session anyway', async () => {
    await expect(logoutRequest({ baseUrl: 'http://127.0.0.1:9', getToken: () => 'x' })).resolves.toBeUndefined()
  })
})

describe('statistics and exports', () => {
  it('the query string carries the period and only the filters that are set', () => {
    expect(statsQueryString(period)).toBe(`from=${yearAgo}&to=${today}`)
    const q = statsQueryString({ ...period, gridId: 'g1', workerId: 'w1', tag: 'elderly_alone', attention: 'high' })
    expect(Object.fromEntries(new URLSearchParams(q))).toEqual({ from: yearAgo, to: today, gridId: 'g1', workerId: 'w1', tag: 'elderly_alone', attention: 'high' })
  })

  it('the dashboard, coverage and household states of the office, filtered by grid cell', async () => {
    const gridId = workerOf(s.community, 'grid01').gridIds[0]!
    const dash = await fetchDashboard(as.secretary!, period)
    expect(dash.byGrid.length).toBe(s.community.gridCells.length)
    expect(dash.weeks).toHaveLength(12)
    const cov = await fetchCoverage(as.secretary!, { ...period, gridId })
    expect(cov.grids.map((g) => g.gridId)).toEqual([gridId])
    const hh = await fetchHouseholdStats(as.secretary!, { ...period, gridId })
    expect(hh.households.length).toBe(s.community.households.filter((h) => h.gridId === gridId).length)
    expect(new Set(hh.households.map((h) => h.gridId))).toEqual(new Set([gridId]))
  })

  it('a worker’s trail for a day, and grid-cell moves for the office', async () => {
    const worker = workerOf(s.community, 'grid01')
    const trail = await fetchTrail(as.secretary!, worker.id, today)
    expect(trail).toMatchObject({ workerId: worker.id, day: today })
    const moves = await fetchGridMoves(as.secretary!, period)
    expect(Array.isArray(moves.moves)).toBe(true)
    // The office's figures are not a worker's: the server says no, and the page hears why.
    await expect(fetchGridMoves(as.grid01!, period)).rejects.toMatchObject({ kind: 'client', status: 403, apiError: { code: 'FORBIDDEN' } })
  })

  it('an export arrives as a file under the server’s (Chinese) file name', async () => {
    const file = await downloadExport(as.secretary!, 'visits', 'csv', period)
    expect(file.filename).toMatch(/\.csv$/)
    expect(file.filename).not.toBe(`visits-${yearAgo}_${today}.csv`) // the server's name, not the fallback
    expect((await file.blob.text()).length).toBeGreaterThan(0)
    const xlsx = await downloadExport(as.secretary!, 'dashboard', 'xlsx', period)
    expect(xlsx.filename).toMatch(/\.xlsx$/)
    expect(xlsx.blob.size).toBeGreaterThan(0)
  })
})

describe('the admin’s pages', () => {
  it('users: create, rename, deactivate, reset a password, assign a grid cell', async () => {
    const created = await createUser(as.admin!, { username: 'grid99', name: '新网格员', role: 'worker', password: 'zoufang-99', sensitiveTags: false })
    expect(created).toMatchObject({ username: 'grid99', name: '新网格员', active: true, gridIds: [] })
    expect((await listUsers(as.admin!)).map((u) => u.username)).toContain('grid99')
    await expect(loginRequest({ baseUrl }, 'grid99', 'zoufang-99')).resolves.toMatchObject({ user: { username: 'grid99' } })
    await resetPassword(as.admin!, created.id, 'zoufang-new-1')
    await expect(loginRequest({ baseUrl }, 'grid99', 'zoufang-new-1')).resolves.toMatchObject({ user: { name: '新网格员' } })
    expect(await patchUser(as.admin!, created.id, { name: '李四' })).toMatchObject({ name: '李四' })
    const cell = s.community.gridCells[12]!.id
    expect((await setUserGrids(as.admin!, created.id, [cell])).gridIds).toEqual([cell])
    expect(await patchUser(as.admin!, created.id, { active: false })).toMatchObject({ active: false })
    await expect(loginRequest({ baseUrl }, 'grid99', 'zoufang-new-1')).rejects.toBeInstanceOf(ApiFailure)
    // A refusal reaches the form with the server's reason.
    await expect(createUser(as.admin!, { username: 'grid99', name: '重复', role: 'worker', password: 'zoufang-99', sensitiveTags: false })).rejects.toMatchObject({
      kind: 'client',
    })
    await expect(listUsers(as.grid01!)).rejects.toMatchObject({ status: 403 })
  })

  it('the audit log, filtered, as a page and as CSV', async () => {
    expect(auditQueryString({})).toBe('')
    expect(Object.fromEntries(new URLSearchParams(auditQueryString({ action: 'login', userId: 'u1', from: 'a', to: 'b' }, { limit: 5, offset: 10 })))).toEqual({
      action: 'login',
      userId: 'u1',
      from: 'a',
      to: 'b',
      limit: '5',
      offset: '10',
    })
    const page = await fetchAudit(as.admin!, { action: 'login' }, { limit: 2, offset: 0 })
    expect(page.entries).toHaveLength(2)
    expect(page.total).toBeGreaterThanOrEqual(3) // the three logins of beforeAll at least
    expect(new Set(page.entries.map((e) => e.action))).toEqual(new Set(['login']))
    const csv = await downloadAuditCsv(as.admin!, { action: 'login' })
    expect(csv.filename).toMatch(/\.csv$/)
    expect(await csv.blob.text()).toContain('login')
  })

  it('the register: template, export masked unless asked, import previewed, grid cells from GeoJSON', async () => {
    const template = await downloadRegisterTemplate(as.admin!)
    expect(template.filename).toBe('台账导入模板.xlsx')
    expect(template.blob.size).toBeGreaterThan(0)
    const masked = await downloadRegister(as.admin!, 'csv', false)
    const full = await downloadRegister(as.admin!, 'csv', true)
    expect(masked.filename).toMatch(/\.csv$/)
    const resident = s.community.residents.find((r) => r.idMasked)!
    const idNumber = (await revealIdNumber(as.admin!, resident.id)).idNumber!
    expect(idNumber).toHaveLength(18)
    expect(await masked.blob.text()).not.toContain(idNumber)
    expect(await full.blob.text()).toContain(idNumber)

    // A new household in a cell the community has: previewed, nothing written; then imported.
    const cell = s.community.gridCells[1]!
    const b = s.community.buildings.find((x) => x.gridId === cell.id)!
    const values: Partial<Record<(typeof REGISTER_HEADERS)[number], string>> = { 网格编号: cell.code, 小区: b.compound, 楼栋: b.number, 单元: '1', 楼层: '9', 室: '9901', 住房: '出租', 人户状态: '人户一致', 姓名: '赵六', 性别: '男', 出生年份: '1960', 与户主关系: '户主' }
    const row = REGISTER_HEADERS.map((h) => values[h] ?? '')
    const file = new Blob([`${REGISTER_HEADERS.join(',')}\n${row.join(',')}\n`], { type: 'text/csv' })
    const households = () => s.store.selectFrom('households').select('id').execute().then((r) => r.length)
    const before = await households()
    const shown = await importRegister(as.admin!, file, true)
    expect(shown).toMatchObject({ dryRun: true, households: { create: 1, update: 0 }, residents: { create: 1 }, created: { buildings: 0, grids: [] }, errors: [] })
    expect(await households()).toBe(before)
    expect(await importRegister(as.admin!, file, false)).toMatchObject({ dryRun: false, households: { create: 1 }, residents: { create: 1 } })
    expect(await households()).toBe(before + 1)
    const csv = new Blob(['网格编号,小区\n'], { type: 'text/csv' })
    const preview = await importRegister(as.admin!, csv, true).catch((e: unknown) => e)
    // A file missing required columns is refused with the reason, nothing written.
    expect(preview).toMatchObject({ kind: 'client' })
    const grids = await importGridCells(as.admin!, { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: {} }] }, true)
    expect(grids).toMatchObject({ dryRun: true, create: 0 })
    expect(grids.errors[0]).toMatchObject({ feature: expect.any(Number), message: expect.any(String) })
  })
})

describe('a file answer without a name (a proxy dropped the header): the page still saves it sensibly', () => {
  it('each download has its own fallback name', async () => {
    const bare: ClientOptions = { getToken: () => null, fetch: async () => new Response('x') }
    expect((await downloadAuditCsv(bare, {})).filename).toBe('audit.csv')
    expect((await downloadRegisterTemplate(bare)).filename).toBe('register-template.xlsx')
    expect((await downloadRegister(bare, 'xlsx', false)).filename).toBe('register.xlsx')
    expect((await downloadExport(bare, 'cases', 'csv', period)).filename).toBe(`cases-${yearAgo}_${today}.csv`)
  })
})

describe('a photo someone else took', () => {
  it('comes from the server for offline viewing; unknown ones and a dead session say which', async () => {
    const f: typeof fetch = (input, init) => fetch(`${baseUrl}${String(input)}`, init)
    const missing = 'a'.repeat(64)
    await expect(fetchAttachment({ getToken: () => 'no-such-token', fetch: f }, missing)).rejects.toMatchObject({ kind: 'auth', status: 401 })
    const token = as.secretary!.getToken()
    await expect(fetchAttachment({ getToken: () => token, fetch: f }, missing)).rejects.toMatchObject({ kind: 'client', status: 404 })
    await expect(fetchAttachment({ getToken: () => token, fetch: () => Promise.reject(new TypeError('offline')) }, missing)).rejects.toMatchObject({ kind: 'network' })
    await expect(fetchAttachment({ getToken: () => token, fetch: async () => new Response('', { status: 500 }) }, missing)).rejects.toMatchObject({ kind: 'server', message: '服务器返回 500' })
  })

  it('a photo the office may see arrives with its bytes', async () => {
    const png = PNG.sync.write(new PNG({ width: 3, height: 3 }))
    const sha256 = createHash('sha256').update(png).digest('hex')
    const token = as.secretary!.getToken()!
    await createHttpTransport({ baseUrl, getToken: () => token }).putAttachment(sha256, new Blob([new Uint8Array(png)], { type: 'image/png' }), 'image/png')
    const seen: string[] = []
    const f: typeof fetch = (input, init) => (seen.push(String(input)), fetch(`${baseUrl}${String(input)}`, init))
    const blob = await fetchAttachment({ getToken: () => token, fetch: f }, sha256)
    expect(Buffer.from(await blob.arrayBuffer()).equals(png)).toBe(true)
    expect(seen).toEqual([`/api/attachments/${sha256}`])
  })
})

describe('how a request fails, as the pages hear it', () => {
  const opts = (f: typeof fetch, timeoutMs?: number): ClientOptions => ({ baseUrl, getToken: () => null, fetch: f, ...(timeoutMs ? { timeoutMs } : {}) })

  it('no network, no answer in time, a cut-off body, an answer that does not match the contract', async () => {
    await expect(request(opts(() => Promise.reject(new TypeError('ECONNREFUSED'))), '/x')).rejects.toMatchObject({ kind: 'network', message: '网络不通：ECONNREFUSED' })
    const never: typeof fetch = (_i, init) => new Promise((_r, reject) => init?.signal?.addEventListener('abort', () => reject(new Error('aborted'))))
    await expect(request(opts(never, 20), '/x')).rejects.toMatchObject({ kind: 'timeout' })
    await expect(getJson(opts(async () => new Response('{"from":')), '/x', HouseholdStatsResponse)).rejects.toMatchObject({
      kind: 'network',
      message: expect.stringMatching(/^响应不完整：./),
    })
    const wrong = await getJson(opts(async () => new Response('{"from":"x"}')), '/x', HouseholdStatsResponse).catch((e: unknown) => e)
    const issue = HouseholdStatsResponse.safeParse({ from: 'x' }).error!.issues[0]!.message
    expect(wrong).toMatchObject({ kind: 'client', status: 200, message: `服务器的回答看不懂：${issue}` })
    // A plain request that is refused: the server's reason, whatever the body.
    await expect(request(opts(async () => new Response('oops', { status: 400 })), '/x')).rejects.toMatchObject({ kind: 'client', status: 400, message: '服务器返回 400' })
    // No timeout given: 30 s, so a quick answer is never cut off.
    await expect(request({ getToken: () => null, fetch: async () => new Response('ok') }, '/x')).resolves.toBeInstanceOf(Response)
  })

  it('sends the protocol version, the token, JSON or a file with its type, and nothing when there is none', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = []
    const f: typeof fetch = async (input, init) => (seen.push({ url: String(input), init: init! }), new Response('{}'))
    await request({ getToken: () => 'tok', fetch: f }, '/a', { method: 'POST', json: { x: 1 } })
    await request({ getToken: () => null, fetch: f }, '/b', { body: new Blob(['x']), contentType: 'text/csv' })
    await request({ getToken: () => null, fetch: f }, '/c', { body: new Blob(['x']) })
    const v = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) }
    expect(seen.map((r) => [r.url, r.init.method, r.init.headers])).toEqual([
      ['/a', 'POST', { ...v, authorization: 'Bearer tok', 'content-type': 'application/json' }],
      ['/b', 'GET', { ...v, 'content-type': 'text/csv' }],
      ['/c', 'GET', { ...v, 'content-type': 'application/octet-stream' }],
    ])
    expect(seen[0]!.init.body).toBe('{"x":1}')
    const file = await download({ getToken: () => null, fetch: async () => new Response('abc') }, '/d', 'fallback.csv')
    expect(file.filename).toBe('fallback.csv')
    expect(await file.blob.text()).toBe('abc')
  })

  it('the file name the server chose: RFC 5987 first, then the plain one, else the fallback', () => {
    expect(filenameFrom(`attachment; filename="a.csv"; filename*=UTF-8''${encodeURIComponent('走访记录.csv')}`, 'f')).toBe('走访记录.csv')
    expect(filenameFrom('attachment; filename="a.csv"', 'f')).toBe('a.csv')
    expect(filenameFrom("attachment; filename*=UTF-8''%E0%A4%A", 'f')).toBe('f') // broken escape, no plain name
    expect(filenameFrom("attachment; filename*=UTF-8''%E0%A4%A; filename=\"plain.csv\"", 'f')).toBe('plain.csv')
    expect(filenameFrom(`attachment; filename* = UTF-8''${encodeURIComponent('台账.xlsx')} `, 'f')).toBe('台账.xlsx') // spaces around, as some servers write it
    expect(filenameFrom('attachment; filename = "a b.csv"', 'f')).toBe('a b.csv')
    expect(filenameFrom('attachment', 'f')).toBe('f')
    expect(filenameFrom(null, 'f')).toBe('f')
  })
})
