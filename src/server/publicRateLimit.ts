import { AppError } from './appError'
import { countPublicHit } from './store/directory'
import type { Store } from './store/open'

// The public page is on the internet: each address may ask so many times a minute. Counted in
// the deployment's database (the main store), so a street's several app servers count together.
// The address is Fastify's req.ip: the connection's, or what a proxy named in Config.trustProxy
// says (X-Forwarded-For from anyone else is not believed).

export interface RateLimit {
  /** Rejects with RATE_LIMITED (429, Retry-After) past the limit. */
  take(address: string, now?: number): Promise<void>
}

export function fixedWindowLimit(main: Store, perMinute: number): RateLimit {
  return {
    async take(address, now = Date.now()) {
      const start = now - (now % 60_000)
      const count = await countPublicHit(main, address, new Date(start).toISOString())
      if (count > perMinute) throw new AppError('RATE_LIMITED', '访问太频繁，请一分钟后再看', { retryAfterSeconds: Math.ceil((start + 60_000 - now) / 1000) })
    },
  }
}
