import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/server/app'
import { openStore, type Store } from '../../src/server/store/open'

// The server hands out the built app. A build deployed under a running server must be served as
// it is now, and a missing script must be a clear 404, never the app shell (a MIME error on phones).
let dir: string
let store: Store
let app: FastifyInstance
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zoufang-static-'))
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true })
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>走访</title>')
  writeFileSync(join(dir, 'dist', 'sw.js'), '// v1')
  writeFileSync(join(dir, 'dist', 'assets', 'index-old.js'), 'export const v = 1')
  store = await openStore(join(dir, 'z.sqlite'))
  app = await buildApp({ store, staticDir: join(dir, 'dist') })
})
afterAll(async () => {
  await app.close()
  await store.destroy()
  rmSync(dir, { recursive: true, force: true })
})

describe('serving the app', () => {
  it('serves the shell for app routes and never caches it or the service worker', async () => {
    const page = await app.inject({ method: 'GET', url: '/households/abc' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('走访')
    expect(page.headers['cache-control']).toBe('no-cache')
    expect((await app.inject({ method: 'GET', url: '/sw.js' })).headers['cache-control']).toBe('no-cache')
    expect((await app.inject({ method: 'GET', url: '/assets/index-old.js' })).headers['cache-control']).toContain('immutable')
  })

  it('serves files of a build deployed after the server started', async () => {
    writeFileSync(join(dir, 'dist', 'assets', 'index-new.js'), 'export const v = 2')
    const res = await app.inject({ method: 'GET', url: '/assets/index-new.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('javascript')
    expect(res.body).toContain('v = 2')
  })

  it('answers a missing script with 404, not the app shell', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/index-gone.js' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('NOT_FOUND')
  })
})
