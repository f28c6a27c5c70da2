import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fastifyCompress from '@fastify/compress'
import fastifyStatic from '@fastify/static'
import Fastify, { type FastifyInstance } from 'fastify'
import { DEFAULT_TILE_HOSTS } from './config'
import { AppError } from './appError'
import { clientErrorHandler, frameworkErrors, installErrorHandler } from './http'
import { installSecurityHeaders } from './securityHeaders'
import { adminRoutes } from './routes/admin'
import { attachmentRoutes } from './routes/attachments'
import { auditRoutes } from './routes/audit'
import { authRoutes } from './routes/auth'
import { campaignRoutes } from './routes/campaigns'
import { conflictRoutes } from './routes/conflicts'
import { exportRoutes } from './routes/exports'
import { healthRoutes } from './routes/health'
import { householdRoutes } from './routes/households'
import { listRoutes } from './routes/lists'
import { matterRoutes } from './routes/matters'
import { publicRoutes } from './routes/public'
import { registerImportRoutes } from './routes/registerImport'
import { gridImportRoutes } from './routes/gridImport'
import { registerAdminRoutes } from './routes/registerAdmin'
import { statsRoutes } from './routes/stats'
import { streetRoutes } from './routes/street'
import { syncRoutes } from './routes/sync'
import type { Deps } from './deps'
import { openDeployment, type Deployment } from './deployment'
import { authenticateToken } from './services/auth'
import { runMaintenance } from './services/maintenance'
import type { Store } from './store/open'

export interface AppOptions {
  /** The main store (openStore): the first community and the directory of the others. */
  store: Store
  /** The deployment over it, when the caller opened one (main.ts, multi-community tests);
   *  otherwise one is opened over `store` and closed with the app. */
  deployment?: Deployment
  /** Folder of the built PWA to serve on the same origin; null for an API-only app (tests). */
  staticDir?: string | null
  /** Where photo files live (main.ts: <data>/attachments); a fresh temporary folder if absent. */
  attachmentsDir?: string
  logger?: boolean
  /** Fastify's trustProxy (Config.trustProxy): false unless a proxy is configured. */
  trustProxy?: boolean | string | number
  /** Origins map tiles may come from, for the Content-Security-Policy (Config.tileHosts). */
  tileHosts?: readonly string[]
  /** How often housekeeping runs (expired sessions, stale uploads); 0 turns it off (tests). */
  maintenanceEveryMs?: number
}

/** Builds the app without listening: tests call app.inject() or listen on a free port. */
export async function buildApp({
  store,
  deployment: given,
  staticDir = null,
  attachmentsDir,
  logger = false,
  trustProxy = false,
  tileHosts = DEFAULT_TILE_HOSTS,
  maintenanceEveryMs = 0,
}: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger,
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For is anyone's to write: believed only from a proxy named in the config.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    // Long parameters reach the route's zod schema and get its clear 400, not a bare 404.
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors,
    clientErrorHandler,
  })
  installErrorHandler(app)
  installSecurityHeaders(app, tileHosts)
  // Brotli or gzip for every text answer the client accepts it for (a first sync is JSON that
  // shrinks ~30×; over a phone network that is the difference between seconds and minutes).
  // Photos are JPEG/PNG, which mime-db marks incompressible, so they go as they are. Requests are
  // not decompressed: no client of ours compresses, and a small gzip can inflate past bodyLimit.
  // Registered before @fastify/static, as its README requires, so files without a precompressed
  // copy are compressed too.
  await app.register(fastifyCompress, { global: true, globalDecompression: false, encodings: ['br', 'gzip'] })
  app.addHook('onRequest', async (req) => {
    const path = req.url.split('?')[0]!
    let decoded = path
    try {
      decoded = decodeURIComponent(path)
    } catch {
      // A malformed escape is the router's to refuse (frameworkErrors).
    }
    // "/api/../index.html" and the like: a path that climbs is never a file or a route of ours,
    // and an /api/ path that only the static catch-all matched is an unknown API route.
    if (decoded.split('/').some((seg) => seg === '..' || seg === '.') || (path.startsWith('/api/') && req.routeOptions.url === '/*'))
      throw new AppError('NOT_FOUND', `没有这个地址：${req.method} ${path}`)
  })
  const deployment = given ?? (await openDeployment(store))
  if (!given) app.addHook('onClose', async () => deployment.destroy({ keepMain: true }))
  // The stores are the caller's to close (they opened the main one): a deployment made here
  // closes only what it opened beside it — nothing, until a community is added through it.
  const deps: Deps = {
    deployment,
    authenticate: (req) => authenticateToken(deployment, req.headers.authorization),
    attachmentsDir: attachmentsDir ?? mkdtempSync(join(tmpdir(), 'zoufang-attachments-')),
  }
  if (maintenanceEveryMs > 0) {
    const tidy = () =>
      runMaintenance(deployment, deps.attachmentsDir).catch((err: unknown) => app.log.error({ err }, 'maintenance failed'))
    const timer = setInterval(tidy, maintenanceEveryMs)
    timer.unref()
    app.addHook('onReady', async () => void tidy())
    app.addHook('onClose', async () => clearInterval(timer))
  }
  healthRoutes(app, deps)
  authRoutes(app, deps)
  syncRoutes(app, deps)
  attachmentRoutes(app, deps)
  statsRoutes(app, deps)
  exportRoutes(app, deps)
  adminRoutes(app, deps)
  auditRoutes(app, deps)
  registerImportRoutes(app, deps)
  gridImportRoutes(app, deps)
  registerAdminRoutes(app, deps)
  conflictRoutes(app, deps)
  householdRoutes(app, deps)
  listRoutes(app, deps)
  matterRoutes(app, deps)
  campaignRoutes(app, deps)
  streetRoutes(app, deps)

  const served = !!staticDir && existsSync(join(staticDir, 'index.html'))
  if (served) {
    await app.register(fastifyStatic, {
      root: staticDir,
      // Serve what is in dist/ now, not what was there at start: a new build deployed under a
      // running server must be served (otherwise its files fall through to the app shell).
      wildcard: true,
      // The build writes x.br and x.gz beside each text asset (scripts/precompress.ts): sent as
      // they are, with Content-Encoding and Vary, instead of compressing the same files per request.
      preCompressed: true,
      setHeaders(reply, path) {
        // Hashed assets never change; the shell and the service worker must always be revalidated
        // or a deployed update would never reach the phones.
        if (path.includes(`${join('assets', '')}`)) void reply.header('cache-control', 'public, max-age=31536000, immutable')
        else void reply.header('cache-control', 'no-cache')
      },
    })
  }

  publicRoutes(app, deps, { page: served && existsSync(join(staticDir!, 'public.html')) })

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0]!
    // A missing file (a script of an older build) is a 404, never the app shell: answering
    // index.html for a .js would break the page with a MIME error instead of a clear miss.
    if (path.startsWith('/api/') || req.method !== 'GET' || !staticDir || /\.[a-z0-9]+$/i.test(path))
      throw new AppError('NOT_FOUND', `没有这个地址：${req.method} ${path}`)
    // Client-side routes (/households/…) get the app shell.
    return reply.header('cache-control', 'no-cache').sendFile('index.html')
  })
  return app
}
