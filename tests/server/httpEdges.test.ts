import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorBody } from '../../src/domain'
import { buildApp } from '../../src/server/app'
import { openStore, type Store } from '../../src/server/store/open'

// What reaches the server before any route runs — malformed paths, oversized headers, bodies of
// the wrong type, paths climbing out of /api — answers in the one error shape with the right code,
// and every answer carries the security headers. Real HTTP on a loopback port: some of these
// never reach Fastify through inject().

let dir: string
let store: Store
let app: FastifyInstance
let base: string
let port: number
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zoufang-http-'))
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true })
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>走访</title>')
  store = await openStore(join(dir, 'z.sqlite'))
  app = await buildApp({ store, staticDir: join(dir, 'dist'), tileHosts: ['https://tiles.example.gov.cn'] })
  base = await app.listen({ host: '127.0.0.1', port: 0 })
  port = Number(new URL(base).port)
})
afterAll(async () => {
  await app.close()
  await store.destroy()
  rmSync(dir, { recursive: true, force: true })
})

/** Sends raw bytes and returns the raw answer: for requests fetch() would refuse to send. */
function raw(request: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    let data = ''
    socket.on('data', (d) => (data += d.toString('utf8')))
    socket.on('error', reject)
    socket.on('end', () => {
      const [head, ...rest] = data.split('\r\n\r\n')
      const [statusLine, ...lines] = head!.split('\r\n')
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: rest.join('\r\n\r\n') })
    })
  })
}

const errorOf = (body: string) => ErrorBody.parse(JSON.parse(body)).error

describe('every 4xx is {error: {code, message}} with the right code', () => {
  it('a malformed %-escape in the path: 400 BAD_REQUEST', async () => {
    const res = await fetch(`${base}/api/attachments/%zz`)
    expect(res.status).toBe(400)
    expect(ErrorBody.parse(await res.json()).error.code).toBe('BAD_REQUEST')
  })

  it('a parameter far too long reaches the schema: 400 VALIDATION_FAILED, not a bare 404', async () => {
    const res = await fetch(`${base}/api/attachments/${'a'.repeat(300)}`, { headers: { authorization: 'Bearer x' } })
    // Authentication comes first; with no valid token that is a 401 in the one shape.
    expect(res.status).toBe(401)
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'u'.repeat(300), password: 'p' }) })
    expect(login.status).toBe(400)
    expect(ErrorBody.parse(await login.json()).error.code).toBe('VALIDATION_FAILED')
  })

  it('headers too large for the HTTP parser: 431 in the one shape', async () => {
    const res = await raw(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`)
    expect(res.status).toBe(431)
    expect(res.headers['content-type']).toContain('application/json')
    expect(errorOf(res.body)).toMatchObject({ code: 'BAD_REQUEST', message: '请求头太大' })
  })

  it('garbage instead of an HTTP request: 400 in the one shape', async () => {
    const res = await raw('HELLO THERE\r\n\r\n')
    expect(res.status).toBe(400)
    expect(errorOf(res.body).code).toBe('BAD_REQUEST')
  })

  it('a body of the wrong type: 415 UNSUPPORTED_MEDIA; broken or empty JSON: 400 BAD_REQUEST', async () => {
    const post = (body: string, type: string) => fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': type }, body })
    const wrongType = await post('username=a&password=b', 'application/x-www-form-urlencoded')
    expect(wrongType.status).toBe(415)
    expect(ErrorBody.parse(await wrongType.json()).error.code).toBe('UNSUPPORTED_MEDIA')
    const broken = await post('{"username":', 'application/json')
    expect(broken.status).toBe(400)
    expect(ErrorBody.parse(await broken.json()).error).toMatchObject({ code: 'BAD_REQUEST', message: '请求内容不是有效的 JSON' })
    const empty = await post('', 'application/json')
    expect(empty.status).toBe(400)
    expect(ErrorBody.parse(await empty.json()).error.code).toBe('BAD_REQUEST')
  })

  it('a body too large: 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }) })
    expect(res.status).toBe(413)
    expect(ErrorBody.parse(await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE')
  })

  it('a path climbing out of /api never reaches the app shell: JSON 404', async () => {
    for (const path of ['/api/../index.html', '/api/%2e%2e/index.html', '/api/x/../../index.html']) {
      const res = await raw(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)
      expect(res.status, path).toBe(404)
      expect(res.headers['content-type'], path).toContain('application/json')
      expect(errorOf(res.body).code, path).toBe('NOT_FOUND')
    }
  })

  it('no framework message in English leaks through', async () => {
    const bodies = ['{"username":', '', '[1,2', '{"username": "a", "password": 1}']
    for (const body of bodies) {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      const message = ErrorBody.parse(await res.json()).error.message
      expect(message, body).toMatch(/[\u4e00-\u9fff]/)
      expect(message, body).not.toMatch(/Unexpected|FST_|JSON input|Body cannot|must be|Invalid input|expected/)
    }
  })
})

describe('security headers on every answer', () => {
  it('the app shell: a CSP of its own origin and the configured tile hosts only, no framing, nosniff, a referrer policy', async () => {
    const res = await fetch(`${base}/households/1`)
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy')!
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]))
    expect(directives['default-src']).toEqual(["'self'"])
    expect(directives['script-src']).toEqual(["'self'"])
    expect(directives['img-src']).toEqual(["'self'", 'data:', 'blob:', 'https://tiles.example.gov.cn'])
    expect(directives['connect-src']).toEqual(["'self'", 'https://tiles.example.gov.cn'])
    expect(directives['frame-ancestors']).toEqual(["'none'"])
    expect(directives['object-src']).toEqual(["'none'"])
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-frame-options')).toBe('DENY')
    expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  })

  it('API answers and errors too, with a policy that lets nothing run', async () => {
    for (const res of [await fetch(`${base}/api/health`), await fetch(`${base}/api/nope`), await fetch(`${base}/api/attachments/%zz`)]) {
      expect(res.headers.get('content-security-policy'), res.url).toBe("default-src 'none'; frame-ancestors 'none'; sandbox")
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
    }
  })
})
