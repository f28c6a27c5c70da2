import type { FastifyInstance } from 'fastify'

// Security headers on every answer (the app shell, its scripts, the service worker, the API,
// error answers alike). The app loads nothing from elsewhere except map tiles, so the policy is
// its own origin plus the configured tile hosts (Config.tileHosts, TILE_HOSTS).

/** The app's policy: pages, scripts and the service worker (its fetches of tiles fall under
 *  connect-src: the offline map pack downloads tiles with fetch). */
export function appPolicy(tileHosts: readonly string[]): string {
  const tiles = tileHosts.length ? ` ${tileHosts.join(' ')}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // data: for Leaflet's bundled icons, blob: for photos shown from IndexedDB.
    `img-src 'self' data: blob:${tiles}`,
    `connect-src 'self'${tiles}`,
    "font-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** The public page (公开): its own scripts and styles and its one JSON route, nothing else — no
 *  images from elsewhere, no forms, no frames, no manifest (it is not the app). */
export const PUBLIC_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** JSON and photos are never documents: nothing may run or be framed in them. */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"

const COMMON = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // Tile providers (天地图 keys are bound to a site) see the origin, never a path: paths can
  // hold record ids (/households/<id>).
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(self), geolocation=(self), microphone=(), payment=(), usb=()',
}

/** The headers of an API answer (also set by the error paths that bypass the hooks). */
export const API_HEADERS: Record<string, string> = { ...COMMON, 'content-security-policy': API_POLICY }

export function installSecurityHeaders(app: FastifyInstance, tileHosts: readonly string[]): void {
  const appHeaders: Record<string, string> = { ...COMMON, 'content-security-policy': appPolicy(tileHosts) }
  const publicHeaders: Record<string, string> = { ...COMMON, 'content-security-policy': PUBLIC_POLICY }
  app.addHook('onSend', async (req, reply, payload) => {
    const path = req.url.split('?')[0]!
    reply.headers(path.startsWith('/api/') ? API_HEADERS : path === '/public' ? publicHeaders : appHeaders)
    return payload
  })
}
