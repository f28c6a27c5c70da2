import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { generateCommunity, type DemoCommunity } from '../../src/demo/generate'
import { buildApp } from '../../src/server/app'
import { seedCommunity } from '../../src/server/seed'
import { openStore, type Store } from '../../src/server/store/open'

export interface TestServer {
  app: FastifyInstance
  store: Store
  community: DemoCommunity
  dir: string
  /** Where the app keeps photo files. */
  attachmentsDir: string
  /** Listens on a free loopback port and returns its base URL (for real HTTP). */
  listen(): Promise<string>
  login(username: string, password?: string): Promise<string>
  close(): Promise<void>
}

const cache = new Map<number, DemoCommunity>()

/** The real app on a fresh temporary SQLite file, seeded with a small demo community. */
export async function startTestServer(households = 800): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'zoufang-test-'))
  const store = await openStore(join(dir, 'zoufang.sqlite'))
  let community = cache.get(households)
  if (!community) cache.set(households, (community = generateCommunity({ households })))
  const attachmentsDir = join(dir, 'attachments')
  await seedCommunity(store, community, new Date(), { attachmentsDir })
  const app = await buildApp({ store, attachmentsDir })
  return {
    app,
    store,
    community,
    dir,
    attachmentsDir,
    async listen() {
      const address = await app.listen({ host: '127.0.0.1', port: 0 })
      return address
    },
    async login(username, password = 'zoufang') {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
      return (res.json() as { token: string }).token
    },
    async close() {
      await app.close()
      await store.destroy()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function workerOf(c: DemoCommunity, username: string) {
  const user = c.users.find((u) => u.username === username)
  if (!user) throw new Error(`no user ${username}`)
  return user
}
