import 'fake-indexeddb/auto' // before Dexie loads: it binds IndexedDB at import time
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiFailure, failureFrom } from '../../src/app/api/client'
import { createHttpTransport } from '../../src/app/api/sync'
import { createHash } from 'node:crypto'
import { PROTOCOL_HEADER, PROTOCOL_VERSION, uuidv7 } from '../../src/domain'
import { startTestServer, type TestServer } from '../support/server'
import { login, SMALL_COMMUNITY } from '../sync/harness'

// How the sync transport turns answers into what the engine and the scheduler act on: retry
// (network, timeout, server, rate limit), ask for login, ask to update the app, or a refusal.

let s: TestServer
let baseUrl: string
let token: string
beforeAll(async () => {
  s = await startTestServer(SMALL_COMMUNITY)
  baseUrl = await s.listen()
  token = await login(baseUrl, 'grid01')
})
afterAll(() => s.close())

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  failureFrom(new Response(body === undefined ? null : JSON.stringify(body), { status, headers }), body)

describe('what a failed answer means', () => {
  it('each status and code to the kind the scheduler acts on', async () => {
    const err = (code: string, message = '原因') => ({ error: { code, message } })
    expect(await answer(401, err('UNAUTHORIZED', '登录已过期'))).toMatchObject({ kind: 'auth', status: 401, message: '登录已过期', retryable: false })
    expect(await answer(409, err('PROTOCOL_MISMATCH'))).toMatchObject({ kind: 'protocol', status: 409, retryable: false })
    expect(await answer(429, err('RATE_LIMITED'), { 'retry-after': '30' })).toMatchObject({ kind: 'rate_limited', retryAfterMs: 30_000, retryable: true })
    expect(await answer(503, err('INTERNAL'), { 'retry-after': '5' })).toMatchObject({ kind: 'server', status: 503, retryAfterMs: 5_000, retryable: true })
    expect(await answer(408, null)).toMatchObject({ kind: 'server', status: 408, message: '服务器返回 408' })
    expect(await answer(500, null)).toMatchObject({ kind: 'server', retryAfterMs: undefined })
    expect(await answer(413, err('PAYLOAD_TOO_LARGE', '太大'))).toMatchObject({ kind: 'client', status: 413, message: '太大', apiError: { code: 'PAYLOAD_TOO_LARGE' } })
    expect(await answer(404, { not: 'our shape' })).toMatchObject({ kind: 'client', message: '服务器返回 404', apiError: undefined })
    expect(new ApiFailure('network', 'x').retryable).toBe(true)
    expect(new ApiFailure('timeout', 'x').retryable).toBe(true)
    expect(new ApiFailure('client', 'x').retryable).toBe(false)
  })
})

describe('the HTTP transport against the real server', () => {
  it('pulls a page with the cursor and the limit asked, sends the token and the protocol version', async () => {
    const seen: Array<{ url: string; headers: Record<string, string> }> = []
    const t = createHttpTransport({
      baseUrl,
      getToken: () => token,
      fetch: (input, init) => (seen.push({ url: String(input), headers: init!.headers as Record<string, string> }), fetch(input, init)),
    })
    const first = await t.pull(undefined, 5)
    if ('reset' in first) throw new Error('unexpected reset')
    expect(first.changes).toHaveLength(5)
    expect(first.hasMore).toBe(true)
    const next = await t.pull(first.cursor, 5)
    if ('reset' in next) throw new Error('unexpected reset')
    expect(next.changes[0]!.version).toBeGreaterThan(first.changes[4]!.version)
    expect(seen.map((r) => new URL(r.url).search)).toEqual(['?limit=5', `?limit=5&cursor=${encodeURIComponent(first.cursor)}`])
    expect(seen[0]!.headers).toEqual({ authorization: `Bearer ${token}`, [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) })
  })

  it('a push as JSON; an app speaking another protocol version is told to update', async () => {
    const t = createHttpTransport({ baseUrl, getToken: () => token })
    const deviceId = uuidv7()
    await expect(t.push({ deviceId, protocolVersion: PROTOCOL_VERSION, mutations: [] })).resolves.toEqual({ results: [] })
    await expect(t.push({ deviceId, protocolVersion: PROTOCOL_VERSION + 1, mutations: [] })).rejects.toMatchObject({ kind: 'protocol' })
    await expect(createHttpTransport({ baseUrl, getToken: () => null }).pull(undefined, 1)).rejects.toMatchObject({ kind: 'auth' })
  })

  it('no connection, no answer in time, an answer cut off: each retried, none mistaken for a refusal', async () => {
    const down = createHttpTransport({ baseUrl, getToken: () => token, fetch: () => Promise.reject(new TypeError('ECONNRESET')) })
    await expect(down.pull(undefined, 1)).rejects.toMatchObject({ kind: 'network', message: '网络不通：ECONNRESET' })
    const silent = createHttpTransport({
      baseUrl,
      getToken: () => token,
      timeoutMs: 20,
      fetch: (_i, init) => new Promise((_r, reject) => init!.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    })
    await expect(silent.pull(undefined, 1)).rejects.toMatchObject({ kind: 'timeout', message: '服务器没有响应' })
    const cut = createHttpTransport({ baseUrl, getToken: () => token, fetch: async () => new Response('{"changes":[', { status: 200 }) })
    await expect(cut.pull(undefined, 1)).rejects.toMatchObject({ kind: 'network', message: expect.stringMatching(/^响应不完整：/) })
    // The headers came in time, the body did not.
    const slowBody = createHttpTransport({
      baseUrl,
      getToken: () => token,
      timeoutMs: 20,
      fetch: async (_i, init) => ({ ok: true, status: 200, text: () => new Promise((_r, reject) => init!.signal!.addEventListener('abort', () => reject(new Error('aborted')))) }) as Response,
    })
    await expect(slowBody.pull(undefined, 1)).rejects.toMatchObject({ kind: 'timeout', message: '服务器没有响应' })
  })

  it('a photo goes up with its own type; a file that is not a photo is refused with the reason', async () => {
    const seen: Array<Record<string, string>> = []
    const t = createHttpTransport({ baseUrl, getToken: () => token, fetch: (i, init) => (seen.push(init!.headers as Record<string, string>), fetch(i, init)) })
    const bytes = 'not a photo'
    const err = await t.putAttachment(createHash('sha256').update(bytes).digest('hex'), new Blob([bytes]), 'image/jpeg').catch((e: unknown) => e)
    expect(err).toMatchObject({ kind: 'client', status: 415 })
    expect(seen[0]).toMatchObject({ 'content-type': 'image/jpeg', authorization: `Bearer ${token}` })
  })
})
