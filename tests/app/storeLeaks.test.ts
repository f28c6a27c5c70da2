import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import { useCasesStore } from '../../src/app/stores/cases'
import { useSyncStore } from '../../src/app/stores/sync'
import { validUser } from '../support/fixtures'
import type { OutboxRow } from '../../src/app/db/database'

// Stores live as long as the page: what they start (watchers, timers) must not pile up with each
// login, nor outlive the store.

const user = validUser()
beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('offline'))))
})
afterEach(() => {
  useSyncStore().stop()
  vi.unstubAllGlobals()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

/** How many times the device witness (localStorage 'zoufang.device') was written with `unsent`. */
function witnessWrites() {
  const setItem = vi.spyOn(localStorage, 'setItem')
  return (unsent: number) => setItem.mock.calls.filter(([k, v]) => k === 'zoufang.device' && JSON.parse(v).unsent === unsent).length
}

/** A queued visit, only counted: its data does not matter. */
const row = (n: number): OutboxRow => ({
  mutationId: `0190a000-0000-7000-8000-0000000000e${n}`,
  entity: 'visit' as const,
  entityId: `0190a000-0000-7000-8000-0000000000f${n}`,
  op: 'create' as const,
  data: {},
  at: new Date().toISOString(),
  state: 'pending' as const,
  attempts: 0,
}) as OutboxRow

describe('the sync store', () => {
  it('writes the unsent count once per change however many times the user logged in', async () => {
    const sync = useSyncStore()
    await sync.start()
    sync.stop() // logged out (or the session ended) …
    await sync.start() // … and in again
    sync.stop()
    await sync.start()
    const writes = witnessWrites()
    await db.outbox.add(row(1))
    await vi.waitFor(() => expect(writes(1)).toBe(1))
    await new Promise((r) => setTimeout(r, 50))
    expect(writes(1)).toBe(1)
  })

  it('writes it once per change after a start that failed halfway and a second login', async () => {
    const sync = useSyncStore()
    // The first start breaks after the device is read (here: as the scheduler listens for 'online').
    vi.spyOn(window, 'addEventListener').mockImplementationOnce(() => {
      throw new Error('broken')
    })
    await expect(sync.start()).rejects.toThrow('broken')
    await sync.start() // logged in again
    const writes = witnessWrites()
    await db.outbox.add(row(4))
    await vi.waitFor(() => expect(writes(1)).toBeGreaterThan(0))
    await new Promise((r) => setTimeout(r, 50))
    expect(writes(1)).toBe(1)
  })

  it('stops writing it when sync stops, and when the store is disposed', async () => {
    const sync = useSyncStore()
    await sync.start()
    sync.stop()
    const writes = witnessWrites()
    await db.outbox.add(row(2))
    await vi.waitFor(() => expect(sync.unsent).toBe(1))
    await sync.start()
    sync.$dispose()
    await db.outbox.add(row(3))
    await new Promise((r) => setTimeout(r, 50))
    expect(writes(1)).toBe(1) // the start wrote what it found
    expect(writes(2)).toBe(0)
  })
})

describe('the cases store', () => {
  it('stops its minute clock when the store is disposed', async () => {
    vi.useFakeTimers()
    const cases = useCasesStore()
    expect(vi.getTimerCount()).toBeGreaterThan(0)
    const before = vi.getTimerCount()
    cases.$dispose()
    expect(vi.getTimerCount()).toBeLessThan(before)
  })
})
