/** Exponential backoff with full jitter: the n-th retry waits a random time in
 *  [0, min(max, base · 2^n)), so phones coming back online together do not stampede the server.
 *  A server's Retry-After wins when it asks for longer. */
export function backoffDelay(attempt: number, random: () => number = Math.random, baseMs = 2_000, maxMs = 5 * 60_000, retryAfterMs?: number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt))
  const jittered = Math.max(baseMs / 2, Math.floor(random() * ceiling))
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered
}
