import { AppError } from '../appError'
import type { Store } from '../store/open'
import { deleteThrottle, getThrottles, putThrottle, type ThrottleRow } from '../store/loginThrottle'

// Password guessing is slowed by a delay that grows with each failure, per username and per
// address, instead of a hard lockout: an attacker cannot lock a worker out for good, and one
// person mistyping behind a shared office address delays a colleague by a minute at most.
// The attempt is counted BEFORE the password is checked, in its own transaction, so a burst of
// parallel guesses cannot all slip through before the first failure is written.

export interface ThrottleRule {
  /** Failures before any delay. */
  free: number
  /** Delay after the first failure past `free`; doubles with each further one. */
  baseMs: number
  maxMs: number
}

export const USER_RULE: ThrottleRule = { free: 5, baseMs: 1_000, maxMs: 15 * 60_000 }
export const ADDRESS_RULE: ThrottleRule = { free: 30, baseMs: 1_000, maxMs: 60_000 }
/** A key with no failure for this long starts over. */
export const FORGET_AFTER_MS = 60 * 60_000

/** How long the next attempt must wait after `failures` failures under this rule. */
export function delayAfter(failures: number, rule: ThrottleRule): number {
  if (failures < rule.free) return 0
  return Math.min(rule.maxMs, rule.baseMs * 2 ** (failures - rule.free))
}

const userKey = (username: string) => `user:${username}`
const addressKey = (ip: string) => `ip:${ip}`

export interface Attempt {
  /** Call when the password was right: the username starts over, this try stops counting. */
  succeeded(): Promise<void>
}

/** Lets a login attempt go on to the password check, or refuses it with RATE_LIMITED and a
 *  Retry-After that says exactly when the next try will be checked. */
export async function beginLoginAttempt(store: Store, username: string, ip: string, now = new Date()): Promise<Attempt> {
  const keys = [
    { key: userKey(username), rule: USER_RULE },
    { key: addressKey(ip), rule: ADDRESS_RULE },
  ]
  const at = now.toISOString()
  const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString()
  await store.transaction().execute(async (trx) => {
    const rows = new Map((await getThrottles(trx, keys.map((k) => k.key))).map((r) => [r.key, r]))
    let waitMs = 0
    for (const { key } of keys) {
      const row = rows.get(key)
      if (row && row.last_failure_at >= forgetBefore) waitMs = Math.max(waitMs, Date.parse(row.next_allowed_at) - now.getTime())
    }
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000)
      throw new AppError('RATE_LIMITED', `登录失败次数太多，请 ${seconds} 秒后再试`, { retryAfterSeconds: seconds })
    }
    for (const { key, rule } of keys) {
      const row = rows.get(key)
      const failures = (row && row.last_failure_at >= forgetBefore ? row.failures : 0) + 1
      const next: ThrottleRow = { key, failures, last_failure_at: at, next_allowed_at: new Date(now.getTime() + delayAfter(failures, rule)).toISOString() }
      await putThrottle(trx, next)
    }
  })
  return {
    async succeeded() {
      await store.transaction().execute(async (trx) => {
        await deleteThrottle(trx, userKey(username))
        const [row] = await getThrottles(trx, [addressKey(ip)])
        if (row && row.failures > 1) await putThrottle(trx, { ...row, failures: row.failures - 1 })
        else if (row) await deleteThrottle(trx, row.key)
      })
    },
  }
}
