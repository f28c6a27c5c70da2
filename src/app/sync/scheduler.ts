import { backoffDelay } from './backoff'
import type { SyncReport } from './engine'
import { withSyncLock } from './lock'
import { type FailureKind, ApiFailure } from '../api/client'

export type SyncPhase = 'idle' | 'syncing' | 'waiting_retry' | 'needs_login' | 'needs_update' | 'error'

export interface SyncStatus {
  phase: SyncPhase
  lastSyncAt: string | null
  lastError: string | null
  /** The kind of the last pass's failure (null after a good pass): `network` means the server
   *  could not be reached, whatever navigator.onLine says. */
  lastFailure: FailureKind | null
  nextRetryAt: number | null
}

export interface SchedulerOptions {
  run: () => Promise<SyncReport>
  onStatus: (s: SyncStatus) => void
  onReport?: (r: SyncReport) => void
  timerMs?: number
  afterSaveMs?: number
  random?: () => number
  /** Events come from here (window in the app; absent in tests that drive it by hand). */
  events?: Pick<Window, 'addEventListener' | 'removeEventListener'> & { document?: Document }
}

/** Decides when to sync: at start, when the connection returns, when the app becomes visible,
 *  on a timer, shortly after each save, and after failures with backoff. Not Background Sync:
 *  Safari has none, so the app syncs whenever it is open. */
export class SyncScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null
  private interval: ReturnType<typeof setInterval> | null = null
  private attempt = 0
  private running: Promise<void> | null = null
  private again = false
  private status: SyncStatus = { phase: 'idle', lastSyncAt: null, lastError: null, lastFailure: null, nextRetryAt: null }
  private readonly detach: Array<() => void> = []

  constructor(private readonly opts: SchedulerOptions) {}

  start(lastSyncAt: string | null): void {
    this.status.lastSyncAt = lastSyncAt
    const ev = this.opts.events
    if (ev) {
      const now = () => this.request(0)
      const visible = () => {
        if (ev.document?.visibilityState !== 'hidden') this.request(0)
      }
      ev.addEventListener('online', now)
      ev.document?.addEventListener('visibilitychange', visible)
      this.detach.push(() => ev.removeEventListener('online', now))
      this.detach.push(() => ev.document?.removeEventListener('visibilitychange', visible))
    }
    this.interval = setInterval(() => this.request(0), this.opts.timerMs ?? 60_000)
    this.request(0)
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    if (this.interval) clearInterval(this.interval)
    this.timer = this.interval = null
    for (const d of this.detach.splice(0)) d()
  }

  /** Called after each save: syncs shortly after, so a burst of saves goes out in one push. */
  saved(): void {
    this.request(this.opts.afterSaveMs ?? 1_500)
  }

  /** Sync now (or after delayMs), unless a pass is running, in which case one more follows it. */
  request(delayMs = 0): void {
    if (this.status.phase === 'needs_update') return
    if (this.running) {
      this.again = true
      return
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.running = this.pass().finally(() => {
        this.running = null
        if (this.again) {
          this.again = false
          this.request(0)
        }
      })
    }, delayMs)
  }

  /** Runs one pass now and resolves when it is over (for "sync now" buttons and tests). */
  async runNow(): Promise<void> {
    if (this.running) await this.running
    this.running = this.pass()
    try {
      await this.running
    } finally {
      this.running = null
    }
  }

  private set(patch: Partial<SyncStatus>) {
    this.status = { ...this.status, ...patch }
    this.opts.onStatus({ ...this.status })
  }

  private async pass(): Promise<void> {
    this.set({ phase: 'syncing' })
    try {
      const out = await withSyncLock(() => this.opts.run())
      if (out === 'busy') {
        // Another tab holds the lock; look again soon.
        this.set({ phase: 'idle' })
        this.schedule(5_000)
        return
      }
      this.attempt = 0
      this.opts.onReport?.(out)
      this.set({ phase: 'idle', lastSyncAt: new Date().toISOString(), lastError: null, lastFailure: null, nextRetryAt: null })
    } catch (err) {
      const f = err instanceof ApiFailure ? err : new ApiFailure('client', (err as Error).message)
      if (f.kind === 'auth') return this.set({ phase: 'needs_login', lastError: f.message, lastFailure: f.kind, nextRetryAt: null })
      if (f.kind === 'protocol') return this.set({ phase: 'needs_update', lastError: f.message, lastFailure: f.kind, nextRetryAt: null })
      // Every other failure is retried: a client error may come from a server fixed later, and
      // the outbox must never be stuck for good. Those back off to the maximum quickly.
      const delay = backoffDelay(f.retryable ? this.attempt : this.attempt + 5, this.opts.random, undefined, undefined, f.retryAfterMs)
      this.attempt++
      this.set({ phase: f.retryable ? 'waiting_retry' : 'error', lastError: f.message, lastFailure: f.kind, nextRetryAt: Date.now() + delay })
      this.schedule(delay)
    }
  }

  private schedule(delayMs: number) {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.request(0)
    }, delayMs)
  }
}
