import { AppError } from './http'

/** Counts failed logins per key in memory; enough for one community server. */
export class LoginLimiter {
  private failures = new Map<string, { count: number; until: number }>()
  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 5 * 60_000,
    private readonly now = () => Date.now(),
  ) {}

  check(key: string): void {
    const f = this.failures.get(key)
    if (f && f.until > this.now() && f.count >= this.maxFailures)
      throw new AppError('RATE_LIMITED', 429, '登录失败次数太多，请几分钟后再试')
    if (f && f.until <= this.now()) this.failures.delete(key)
    // Count now; a success resets it.
    const cur = this.failures.get(key) ?? { count: 0, until: this.now() + this.windowMs }
    cur.count++
    this.failures.set(key, cur)
  }

  reset(key: string): void {
    this.failures.delete(key)
  }
}
