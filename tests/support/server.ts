import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import pg from 'pg'
import { generateCommunity, type DemoCommunity } from '../../src/demo/generate'
import { buildApp } from '../../src/server/app'
import { type Deployment, openDeployment } from '../../src/server/deployment'
import { type DemoStreetCommunity, generateStreet } from '../../src/demo/street'
import { seedCommunity, seedStreet } from '../../src/server/seed'
import { openStore, type Store } from '../../src/server/store/open'

export interface TestServer {
  app: FastifyInstance
  /** The main store: the first community's, and the directory. */
  store: Store
  deployment: Deployment
  /** What openStore opened: the SQLite file or the PostgreSQL URL (a second app server opens it too). */
  target: string
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

/** ZOUFANG_TEST_DB=postgres: each test server gets a database of its own on the cluster that
 *  ZOUFANG_TEST_PG_URL reaches (an admin connection, by default the throwaway cluster on 55432). */
export const testDb = process.env.ZOUFANG_TEST_DB === 'postgres' ? 'postgres' : 'sqlite'
const adminUrl = process.env.ZOUFANG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:55432/postgres'

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** A fresh empty PostgreSQL database: its URL, and how to drop it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `zoufang_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  // ZOUFANG_TEST_PG_ICU=en-US (say): the database sorts text by that ICU locale, as a cluster
  // initialised with a default locale would, instead of the cluster's C.UTF-8 (byte order, as SQLite).
  const icu = process.env.ZOUFANG_TEST_PG_ICU
  const options = icu && /^[A-Za-z-]+$/.test(icu) ? ` template template0 locale_provider icu icu_locale '${icu}'` : ''
  await admin((c) => c.query(`create database ${name}${options}`))
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    drop: () => admin((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  }
}

/** A fresh temporary SQLite file (or PostgreSQL database): its main store, the deployment over
 *  it, and how to take it all down. */
async function freshDeployment() {
  const dir = mkdtempSync(join(tmpdir(), 'zoufang-test-'))
  const pgDb = testDb === 'postgres' ? await createTestDatabase() : undefined
  const target = pgDb ? pgDb.url : join(dir, 'zoufang.sqlite')
  const store = await openStore(target)
  const deployment = await openDeployment(store)
  return { dir, target, store, deployment, attachmentsDir: join(dir, 'attachments'), pgDb }
}

/** The app over a seeded deployment: listen, log in, close (the app, every store, the files). */
async function serve(d: Awaited<ReturnType<typeof freshDeployment>>) {
  const app = await buildApp({ store: d.store, deployment: d.deployment, attachmentsDir: d.attachmentsDir })
  return {
    app,
    store: d.store,
    deployment: d.deployment,
    target: d.target,
    dir: d.dir,
    attachmentsDir: d.attachmentsDir,
    async listen() {
      return app.listen({ host: '127.0.0.1', port: 0 })
    },
    async login(username: string, password = 'zoufang') {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`)
      return (res.json() as { token: string }).token
    },
    async close() {
      await app.close()
      await d.deployment.destroy()
      await d.pgDb?.drop()
      rmSync(d.dir, { recursive: true, force: true })
    },
  }
}

/** The real app on a fresh temporary SQLite file (or PostgreSQL database), seeded with a small demo community. */
export async function startTestServer(households = 800): Promise<TestServer> {
  const d = await freshDeployment()
  let community = cache.get(households)
  if (!community) cache.set(households, (community = generateCommunity({ households })))
  await seedCommunity(d.store, community, new Date(), { attachmentsDir: d.attachmentsDir })
  return { ...(await serve(d)), community }
}

export function workerOf(c: DemoCommunity, username: string) {
  const user = c.users.find((u) => u.username === username)
  if (!user) throw new Error(`no user ${username}`)
  return user
}

export interface StreetTestServer extends Omit<TestServer, 'community'> {
  street: DemoStreetCommunity[]
}

/** The real app over a street of generated communities (seedStreet, as `npm start` with
 *  ZOUFANG_DEMO_COMMUNITIES), each with its own store, and the street office. */
export async function startStreetServer(communities = 2, households = 120): Promise<StreetTestServer> {
  const d = await freshDeployment()
  const street = generateStreet(communities, { households })
  await seedStreet(d.deployment, street, new Date(), { attachmentsDir: d.attachmentsDir })
  return { ...(await serve(d)), street }
}
