import { join, resolve } from 'node:path'

export interface Config {
  dataDir: string
  /** ZOUFANG_ATTACHMENTS: the folder of photo files, by their bytes' hash; <dataDir>/attachments
   *  unless set. Several app servers on one database name one folder they all reach (a shared
   *  mount): a photo uploaded through one is read through any other. */
  attachmentsDir: string
  /** DATABASE_URL: a postgres:// URL puts the store on PostgreSQL; unset → SQLite in dataDir. */
  store: string
  host: string
  port: number
  /** Size of the generated demo community on first start. */
  demoHouseholds: number
  /** ZOUFANG_DEMO_COMMUNITIES: how many communities the demo street has (1 by default: no street). */
  demoCommunities: number
  /** Fastify's trustProxy: false unless TRUST_PROXY names the proxy in front (see below). */
  trustProxy: boolean | string | number
  /** Origins map tiles may come from (CSP img-src/connect-src), besides the app's own. */
  tileHosts: string[]
}

/** The providers the app offers (src/app/map/basemaps.ts): 天地图, 高德, OpenStreetMap. */
export const DEFAULT_TILE_HOSTS = ['https://*.tianditu.gov.cn', 'https://*.is.autonavi.com', 'https://tile.openstreetmap.org']

/** TRUST_PROXY: unset or empty → trust no proxy (the client's own address counts, whatever
 *  X-Forwarded-For says). A number → that many proxy hops. Otherwise addresses or CIDRs of the
 *  proxies, comma-separated (e.g. "127.0.0.1" for nginx on the same machine). "true" trusts any
 *  sender, which lets every client choose its own address: never on an open network. */
export function parseTrustProxy(value: string | undefined): boolean | string | number {
  const v = (value ?? '').trim()
  if (v === '' || v === 'false' || v === '0') return false
  if (v === 'true') return true
  if (/^\d+$/.test(v)) return Number(v)
  return v
}

/** TILE_HOSTS: unset → the built-in providers; "none" → no outside tiles; otherwise a list of
 *  origins (space or comma separated), e.g. "https://tiles.example.gov.cn" for your own server. */
export function parseTileHosts(value: string | undefined): string[] {
  const v = (value ?? '').trim()
  if (v === '') return [...DEFAULT_TILE_HOSTS]
  if (v === 'none') return []
  const hosts = v.split(/[\s,]+/).filter(Boolean)
  for (const h of hosts)
    if (!/^https?:\/\/[a-z0-9*.-]+(:\d+)?$/i.test(h)) throw new Error(`TILE_HOSTS: "${h}" is not an origin like https://tiles.example.org`)
  return hosts
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 8080)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`)
  const demoHouseholds = Number(env.ZOUFANG_DEMO_HOUSEHOLDS ?? 3000)
  const demoCommunities = Number(env.ZOUFANG_DEMO_COMMUNITIES ?? 1)
  if (!Number.isInteger(demoCommunities) || demoCommunities < 1 || demoCommunities > 30) throw new Error(`ZOUFANG_DEMO_COMMUNITIES must be a whole number from 1 to 30, got "${env.ZOUFANG_DEMO_COMMUNITIES}"`)
  const dataDir = resolve(env.ZOUFANG_DATA ?? './data')
  const databaseUrl = (env.DATABASE_URL ?? '').trim()
  if (databaseUrl !== '' && !/^postgres(ql)?:\/\//i.test(databaseUrl)) throw new Error('DATABASE_URL must be a postgres:// URL (unset it for SQLite in ZOUFANG_DATA)')
  return {
    dataDir,
    attachmentsDir: resolve(env.ZOUFANG_ATTACHMENTS?.trim() || join(dataDir, 'attachments')),
    store: databaseUrl !== '' ? databaseUrl : join(dataDir, 'zoufang.sqlite'),
    host: env.HOST ?? '127.0.0.1',
    port,
    demoHouseholds: Number.isInteger(demoHouseholds) && demoHouseholds > 0 ? demoHouseholds : 3000,
    demoCommunities,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    tileHosts: parseTileHosts(env.TILE_HOSTS),
  }
}
