import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { realJpeg, sha256 } from '../support/photos'
import { startTestServer, type TestServer } from '../support/server'

// A first sync is JSON that shrinks ~30× compressed: over a phone network, compression is most of
// the wait. Photos are compressed already and must go as they are. The app's files are sent from
// the copies the build compressed once (scripts/precompress.ts).
let s: TestServer
let token: string
let web: FastifyInstance
const dist = () => join(s.dir, 'dist')
beforeAll(async () => {
  s = await startTestServer(300)
  token = await s.login('secretary')
  mkdirSync(join(dist(), 'assets'), { recursive: true })
  writeFileSync(join(dist(), 'index.html'), `<!doctype html><title>走访</title>${'<p>app shell</p>'.repeat(200)}`)
  writeFileSync(join(dist(), 'sw.js'), `// service worker\n${'self.addEventListener("fetch", () => {});\n'.repeat(100)}`)
  const script = `export const app = ${JSON.stringify('走访'.repeat(2000))}\n`
  writeFileSync(join(dist(), 'assets', 'index-abc.js'), script)
  // The build's copy, marked so the test can tell it was the one sent (not compressed anew).
  writeFileSync(join(dist(), 'assets', 'index-abc.js.br'), brotliCompressSync(Buffer.from(`${script}// precompressed\n`)))
  web = await buildApp({ store: s.store, staticDir: dist(), attachmentsDir: s.attachmentsDir })
})
afterAll(async () => {
  await web.close()
  await s.close()
})

const pull = (encoding?: string) =>
  s.app.inject({ method: 'GET', url: '/api/sync/pull?limit=500', headers: { authorization: `Bearer ${token}`, ...(encoding ? { 'accept-encoding': encoding } : {}) } })

describe('compression', () => {
  it('a pull page goes as brotli to a browser that accepts it, and reads the same as the plain one', async () => {
    const plain = await pull()
    const br = await pull('gzip, deflate, br')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(br.headers['content-encoding']).toBe('br')
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i)
    // The same page (the office's window start aside: it is "now" minus the days, per request).
    const same = (body: Record<string, unknown>) => ({ ...body, visitsFrom: undefined })
    const decoded = brotliDecompressSync(br.rawPayload).toString('utf8')
    expect(same(JSON.parse(decoded) as Record<string, unknown>)).toEqual(same(plain.json()))
    // What the phone downloads: a small fraction of the JSON.
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4)
  })

  it('gzip for a client that takes only gzip', async () => {
    const res = await pull('gzip')
    expect(res.headers['content-encoding']).toBe('gzip')
    expect(JSON.parse(gunzipSync(res.rawPayload).toString('utf8'))).toHaveProperty('changes')
  })

  it('a photo is sent as it is, even to a client asking for compression', async () => {
    const photo = realJpeg(7, 640, 480)
    const id = sha256(photo)
    const put = await s.app.inject({ method: 'PUT', url: `/api/attachments/${id}`, headers: { authorization: `Bearer ${token}`, 'content-type': 'image/jpeg' }, payload: photo })
    expect(put.statusCode).toBeLessThan(300)
    const res = await s.app.inject({ method: 'GET', url: `/api/attachments/${id}`, headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'br, gzip' } })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-encoding']).toBeUndefined()
    expect(Buffer.compare(res.rawPayload, photo)).toBe(0)
  })

  it("the app's script is the build's brotli copy, with Vary, and plain for a client that asks for none", async () => {
    const br = await web.inject({ method: 'GET', url: '/assets/index-abc.js', headers: { 'accept-encoding': 'br' } })
    expect(br.statusCode).toBe(200)
    expect(br.headers['content-encoding']).toBe('br')
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i)
    expect(br.headers['content-type']).toContain('javascript')
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toContain('// precompressed')
    const plain = await web.inject({ method: 'GET', url: '/assets/index-abc.js' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toContain('走访走访')
    expect(plain.body).not.toContain('// precompressed')
  })

  it('files without a compressed copy (the service worker, the shell of a client route) are compressed on the way', async () => {
    const sw = await web.inject({ method: 'GET', url: '/sw.js', headers: { 'accept-encoding': 'gzip' } })
    expect(sw.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(sw.rawPayload).toString('utf8')).toContain('service worker')
    expect(sw.headers['cache-control']).toBe('no-cache')
    const shell = await web.inject({ method: 'GET', url: '/households/x', headers: { 'accept-encoding': 'br' } })
    expect(shell.statusCode).toBe(200)
    expect(shell.headers['content-encoding']).toBe('br')
    expect(brotliDecompressSync(shell.rawPayload).toString('utf8')).toContain('app shell')
  })
})
