import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay } from '../../src/app/sync/backoff'
import type { SyncReport } from '../../src/app/sync/engine'
import { withSyncLock } from '../../src/app/sync/lock'
import { SyncScheduler, type SchedulerOptions, type SyncStatus } from '../../src/app/sync/scheduler'
import { parseRetryAfter, ApiFailure } from '../../src/app/api/client'

const ok: SyncReport = { pushed: 0, rejected: 0, pulled: 0, photos: 0 }

function setup(run: () => Promise<SyncReport>, random = () => 0.5, more: Partial<SchedulerOptions> = {}) {
  const statuses: SyncStatus[] = []
  const s = new SyncScheduler({ run: vi.fn(run), onStatus: (x) => statuses.push(x), random, timerMs: 60_000, afterSaveMs: 1_500, ...more })
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
      if (++calls <= 2) throw new ApiFailure('network', '网络不通')
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
      if (++calls === 1) throw new ApiFailure('rate_limited', '太频繁', 429, 120_000)
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
      throw new ApiFailure('auth', '登录已过期')
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
      throw new ApiFailure('protocol', '请更新')
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

/** The window and document a scheduler listens to, as event targets the test can fire. */
function fakeWindow() {
  const win = new EventTarget() as EventTarget & { document: EventTarget & { visibilityState: string } }
  win.document = Object.assign(new EventTarget(), { visibilityState: 'visible' })
  return win
}

describe('scheduler: when it syncs', () => {
  it('when the connection returns and when the app becomes visible, not when it is hidden; never after stop', async () => {
    const win = fakeWindow()
    const { s, run } = setup(async () => ok, () => 0.5, { events: win as unknown as SchedulerOptions['events'] })
    s.start(null)
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(1)
    win.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(2)
    win.document.visibilityState = 'hidden'
    win.document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(2)
    win.document.visibilityState = 'visible'
    win.document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(3)
    s.stop()
    win.dispatchEvent(new Event('online'))
    win.document.dispatchEvent(new Event('visibilitychange'))
    await vi.advanceTimersByTimeAsync(120_000)
    expect(run).toHaveBeenCalledTimes(3)
  })

  it('says the last good sync it was started with, and reports each pass', async () => {
    const onReport = vi.fn()
    const { s, statuses } = setup(async () => ({ ...ok, pulled: 7 }), () => 0.5, { onReport })
    s.start('2026-11-20T08:00:00.000Z')
    expect(statuses).toEqual([])
    await vi.advanceTimersByTimeAsync(0)
    expect(statuses[0]).toEqual({ phase: 'syncing', lastSyncAt: '2026-11-20T08:00:00.000Z', lastError: null, lastFailure: null, nextRetryAt: null })
    expect(onReport).toHaveBeenCalledWith({ ...ok, pulled: 7 })
    expect(statuses.at(-1)!.lastSyncAt).not.toBe('2026-11-20T08:00:00.000Z')
    s.stop()
  })

  it('another tab is syncing: this one stays idle and looks again in 5 s', async () => {
    let release!: () => void
    const otherTab = withSyncLock(() => new Promise<void>((r) => (release = r)))
    const { s, statuses, run } = setup(async () => ok)
    s.request(0)
    await vi.advanceTimersByTimeAsync(0)
    expect(run).not.toHaveBeenCalled()
    expect(statuses.at(-1)).toMatchObject({ phase: 'idle', lastSyncAt: null })
    release()
    await otherTab
    await vi.advanceTimersByTimeAsync(4_900)
    expect(run).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(200)
    expect(run).toHaveBeenCalledTimes(1)
    s.stop()
  })

  it('a failure that is not the network’s backs off far longer, and says it is an error', async () => {
    let calls = 0
    const { s, statuses, run } = setup(async () => {
      if (++calls === 1) throw new Error('Dexie 坏了')
      return ok
    })
    s.request(0)
    await vi.advanceTimersByTimeAsync(0)
    const failed = statuses.at(-1)!
    expect(failed).toMatchObject({ phase: 'error', lastError: 'Dexie 坏了' })
    // attempt 0 + 5: a ceiling of 64 s, half of it with random 0.5.
    expect(failed.nextRetryAt! - Date.now()).toBe(32_000)
    await vi.advanceTimersByTimeAsync(31_000)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_100)
    expect(run).toHaveBeenCalledTimes(2)
    s.stop()
  })

  it('"sync now" waits for the pass under way, then runs its own, and resolves when it is over', async () => {
    const { s, run } = setup(() => new Promise((r) => setTimeout(() => r(ok), 1_000)))
    s.request(0)
    await vi.advanceTimersByTimeAsync(10)
    let done = false
    const now = s.runNow().then(() => (done = true))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(run).toHaveBeenCalledTimes(2)
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(1_000)
    await now
    expect(done).toBe(true)
    s.stop()
  })

  it('once the app must be updated, no trigger syncs any more', async () => {
    const { s, run } = setup(async () => {
      throw new ApiFailure('protocol', '请更新')
    })
    s.request(0)
    await vi.advanceTimersByTimeAsync(0)
    s.saved()
    s.request(0)
    await vi.advanceTimersByTimeAsync(600_000)
    expect(run).toHaveBeenCalledTimes(1)
    s.stop()
  })
})

describe('scheduler: stopping and sync now', () => {
  it('a sync due shortly after a save does not happen once stopped (logout)', async () => {
    const { s, run } = setup(async () => ok)
    s.saved()
    s.stop()
    await vi.advanceTimersByTimeAsync(10_000)
    expect(run).not.toHaveBeenCalled()
  })

  it('after "sync now", the next trigger syncs as usual', async () => {
    const { s, run } = setup(async () => ok)
    await s.runNow()
    s.request(0)
    await vi.advanceTimersByTimeAsync(10)
    expect(run).toHaveBeenCalledTimes(2)
    await expect(s.runNow()).resolves.toBeUndefined()
    expect(run).toHaveBeenCalledTimes(3)
    s.stop()
  })

  it('listens to the window alone where there is no document', async () => {
    const win = new EventTarget()
    const { s, run } = setup(async () => ok, () => 0.5, { events: win as unknown as SchedulerOptions['events'] })
    s.start(null)
    await vi.advanceTimersByTimeAsync(0)
    win.dispatchEvent(new Event('online'))
    await vi.advanceTimersByTimeAsync(0)
    expect(run).toHaveBeenCalledTimes(2)
    s.stop()
  })
})

describe('scheduler defaults, as the app uses it', () => {
  it('every minute, and 1.5 s after a save', async () => {
    const run = vi.fn(async () => ok)
    const s = new SyncScheduler({ run, onStatus: () => undefined })
    s.start(null)
    await vi.advanceTimersByTimeAsync(0)
    await vi.advanceTimersByTimeAsync(59_000)
    expect(run).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1_100)
    expect(run).toHaveBeenCalledTimes(2)
    s.saved()
    await vi.advanceTimersByTimeAsync(1_400)
    expect(run).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(200)
    expect(run).toHaveBeenCalledTimes(3)
    s.stop()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(run).toHaveBeenCalledTimes(3)
  })
})

describe('backoff details', () => {
  it('starts at the base, never below half of it, and grows by doubling', () => {
    expect(backoffDelay(0, () => 0)).toBe(1_000)
    expect(backoffDelay(-3, () => 0.999)).toBe(1_998)
    expect(backoffDelay(1, () => 0.999)).toBe(3_996)
    expect(backoffDelay(2, () => 0.5)).toBe(4_000)
    expect(backoffDelay(20, () => 0.5)).toBe(150_000)
    expect(backoffDelay(3, () => 0.5, 2_000, 300_000, 1_000)).toBe(8_000) // the server asked for less: ours
  })

  it('a failure after a failure waits longer; a good pass starts over from the shortest wait', async () => {
    let calls = 0
    const waits: number[] = []
    const s = new SyncScheduler({
      run: async () => {
        if (++calls <= 2 || calls === 4) throw new ApiFailure('network', '网络不通')
        return ok
      },
      onStatus: (x) => {
        if (x.phase === 'waiting_retry') waits.push(x.nextRetryAt! - Date.now())
      },
      random: () => 0.5,
    })
    s.request(0)
    await vi.advanceTimersByTimeAsync(10)
    await vi.advanceTimersByTimeAsync(waits[0]!)
    await vi.advanceTimersByTimeAsync(waits[1]!)
    expect(calls).toBe(3)
    s.request(0)
    await vi.advanceTimersByTimeAsync(10)
    expect(waits).toEqual([1_000, 2_000, 1_000]) // random 0.5 of 2 s, 4 s, then 2 s again
    s.stop()
  })

  it('Retry-After in seconds or as a date, never negative', () => {
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeLessThanOrEqual(10_000)
    expect(parseRetryAfter('0')).toBe(0)
    expect(parseRetryAfter('-5')).toBe(0)
    expect(parseRetryAfter('1.5')).toBe(1_500)
    expect(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString())).toBe(0)
    expect(parseRetryAfter('soon')).toBeUndefined()
    expect(parseRetryAfter('')).toBeUndefined()
  })
})

describe('one tab syncs at a time', () => {
  it('a second pass while one runs is told "busy" and does not run; the lock is free after, even after a failure', async () => {
    let release!: () => void
    const first = withSyncLock(() => new Promise<string>((r) => (release = () => r('done'))))
    const second = vi.fn(async () => 'ran')
    expect(await withSyncLock(second)).toBe('busy')
    expect(second).not.toHaveBeenCalled()
    release()
    expect(await first).toBe('done')
    await expect(withSyncLock(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom')
    expect(await withSyncLock(second)).toBe('ran')
  })

  it('uses the browser’s Web Lock where there is one, taken only if free', async () => {
    const held = new Set<string>()
    const locks = {
      request: async (name: string, opts: { ifAvailable: boolean }, cb: (lock: object | null) => Promise<unknown>) => {
        expect(opts).toEqual({ ifAvailable: true })
        if (held.has(name)) return cb(null)
        held.add(name)
        try {
          return await cb({ name })
        } finally {
          held.delete(name)
        }
      },
    }
    vi.stubGlobal('navigator', { locks })
    try {
      let release!: () => void
      const first = withSyncLock(() => new Promise<string>((r) => (release = () => r('done'))))
      expect([...held]).toEqual(['zoufang-sync'])
      expect(await withSyncLock(async () => 'ran')).toBe('busy')
      release()
      expect(await first).toBe('done')
      expect(await withSyncLock(async () => 'ran')).toBe('ran')
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
