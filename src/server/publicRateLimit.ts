import { AppError } from './http'

// The public page is on the internet: each address may ask so many times a minute. Counted in
// this process's memory (a street's several app servers each count their own: issue 15). The
// address is Fastify's req.ip: the connection's, or what a proxy named in Config.trustProxy says
// (X-Forwarded-For from anyone else is not believed).

export interface RateLimit {
  /** Throws RATE_LIMITED (429, Retry-After) past the limit. */
  take(address: string, now?: number): void
}

export function fixedWindowLimit(perMinute: number): RateLimit {
  const windows = new Map<string, { start: number; count: number }>()
  return {
    take(address, now = Date.now()) {
      const start = now - (now % 60_000)
      let w = windows.get(address)
      if (!w || w.start !== start) {
        // A new minute: forget last minute's addresses rather than grow without bound.
        if (windows.size > 10_000) windows.clear()
        w = { start, count: 0 }
        windows.set(address, w)
      }
      if (++w.count > perMinute) throw new AppError('RATE_LIMITED', 429, '访问太频繁，请一分钟后再看', { retryAfterSeconds: Math.ceil((start + 60_000 - now) / 1000) })
    },
  }
}
