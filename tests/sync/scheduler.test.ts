import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay } from '../../src/app/sync/backoff'
import type { SyncReport } from '../../src/app/sync/engine'
import { SyncScheduler, type SyncStatus } from '../../src/app/sync/scheduler'
import { parseRetryAfter, SyncFailure } from '../../src/app/sync/transport'

const ok: SyncReport = { pushed: 0, rejected: 0, pulled: 0, photos: 0 }

function setup(run: () => Promise<SyncReport>, random = () => 0.5) {
  const statuses: SyncStatus[] = []
  const s = new SyncScheduler({ run: vi.fn(run), onStatus: (x) => statuses.push(x), random, timerMs: 60_000, afterSaveMs: 1_500 })
  return { s, statuses, run: (s as unknown as { opts: { run: ReturnType<typeof vi.fn> } }).opts.run }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('backoff', () => {
  it('grows exponentially with full jitter, capped at five minutes', () => {
    expect(backoffDelay(0, () => 0.999)).toBeLessThanOrEqual(2_000)
    expect(backoffDelay(3, () => 0.999)).toBeGreaterThan(15_000)
    expect(backoffDelay(30, () => 0.999)).toBeLessThanOrEqual(300_000)
    const spread = new Set(Array.from({ length: 20 }, (_, i) => backoffDelay(4, () => i / 20)))
    expect(spread.size).toBeGreaterThan(10) // phones do not retry in lockstep
  })

  it('waits at least as long as the server asks', () => {
    expect(backoffDelay(0, () => 0.1, 2_000, 300_000, 45_000)).toBe(45_000)
    expect(parseRetryAfter('30')).toBe(30_000)
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThan(8_000)
    expect(parseRetryAfter(null)).toBeUndefined()
  })
})

describe('scheduler', () => {
  it('syncs at start and on the timer', async () => {
    const { s, run } = setup(async () => ok)
    s.start(null)
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(60_010)
    expect(run).toHaveBeenCalledTimes(2)
    s.stop()
  })

  it('batches a burst of saves into one pass shortly after the last', async () => {
    const { s, run } = setup(async () => ok)
    for (let i = 0; i < 5; i++) {
      s.saved()
      await vi.advanceTimersByTimeAsync(300)
    }
    expect(run).toHaveBeenCalledTimes(0)
    await vi.advanceTimersByTimeAsync(1_500)
    expect(run).toHaveBeenCalledTimes(1)
    s.stop()
  })

  it('retries a network failure with backoff and records the last good sync', async () => {
    let calls = 0
    const { s, statuses, run } = setup(async () => {
      if (++calls <= 2) throw new SyncFailure('network', '网络不通')
      return ok
    })
    s.request(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(statuses.at(-1)).toMatchObject({ phase: 'waiting_retry', lastError: '网络不通' })
    await vi.advanceTimersByTimeAsync(300_000)
    expect(run).toHaveBeenCalledTimes(3)
    expect(statuses.at(-1)).toMatchObject({ phase: 'idle', lastError: null })
    expect(statuses.at(-1)!.lastSyncAt).not.toBeNull()
    s.stop()
  })

  it('honours Retry-After on 429', async () => {
    let calls = 0
    const { s, run } = setup(async () => {
      if (++calls === 1) throw new SyncFailure('rate_limited', '太频繁', 429, 120_000)
      return ok
    })
    s.request(0)
    await vi.advanceTimersByTimeAsync(100_000)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(21_000)
    expect(run).toHaveBeenCalledTimes(2)
    s.stop()
  })

  it('asks for login on 401 and does not hammer the server', async () => {
    const { s, statuses, run } = setup(async () => {
      throw new SyncFailure('auth', '登录已过期')
    })
    s.request(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(statuses.at(-1)!.phase).toBe('needs_login')
    await vi.advanceTimersByTimeAsync(30_000)
    expect(run).toHaveBeenCalledTimes(1)
    s.stop()
  })

  it('stops syncing when the app must be updated', async () => {
    const { s, statuses, run } = setup(async () => {
      throw new SyncFailure('protocol', '请更新')
    })
    s.start(null)
    await vi.advanceTimersByTimeAsync(0)
    expect(statuses.at(-1)!.phase).toBe('needs_update')
    await vi.advanceTimersByTimeAsync(600_000)
    expect(run).toHaveBeenCalledTimes(1)
    s.stop()
  })

  it('a request during a pass runs one more pass after it, not two at once', async () => {
    let active = 0
    let maxActive = 0
    const { s, run } = setup(async () => {
      active++
      maxActive = Math.max(maxActive, active)
      await new Promise((r) => setTimeout(r, 1_000))
      active--
      return ok
    })
    s.request(0)
    await vi.advanceTimersByTimeAsync(10)
    s.request(0)
    s.request(0)
    await vi.advanceTimersByTimeAsync(5_000)
    expect(run).toHaveBeenCalledTimes(2)
    expect(maxActive).toBe(1)
    s.stop()
  })
})
