import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import DeviceBanners from '../../src/app/components/layout/DeviceBanners.vue'
import { db } from '../../src/app/db/instance'
import { useSyncStore } from '../../src/app/stores/sync'
import { validUser } from '../support/fixtures'
import type { OutboxRow } from '../../src/app/db/database'

// The browser can clear IndexedDB under a logged-in worker. The app must notice, download again,
// and say honestly whether unsent records went with it.

const user = validUser()
beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('offline'))))
})
afterEach(() => {
  useSyncStore().stop()
  vi.unstubAllGlobals()
})

async function openApp() {
  const sync = useSyncStore()
  await sync.start()
  const w = mount(DeviceBanners)
  await flushPromises()
  return { sync, w }
}

describe('the local database is gone', () => {
  it('says that the unsent records it held were lost', async () => {
    localStorage.setItem('zoufang.device', JSON.stringify({ deviceId: '0190a000-0000-7000-8000-0000000000d1', ownerId: user.id, unsent: 3, at: '2026-11-20T08:00:00.000Z' }))
    const { sync, w } = await openApp()
    expect(sync.dbLost).toMatchObject({ unsent: 3 })
    expect(w.get('[data-testid="db-lost"]').text()).toContain('3 条记录没有上传')
    // A new device id: the server will not take this device for the old one.
    expect((await db.meta.get('deviceId'))?.value).not.toBe('0190a000-0000-7000-8000-0000000000d1')
  })

  it('says nothing was lost when everything had been sent', async () => {
    localStorage.setItem('zoufang.device', JSON.stringify({ deviceId: '0190a000-0000-7000-8000-0000000000d1', ownerId: user.id, unsent: 0, at: '2026-11-20T08:00:00.000Z' }))
    const { w } = await openApp()
    expect(w.get('[data-testid="db-lost"]').text()).toContain('没有丢失')
  })

  it('raises no alarm on a first login, or when the database is there', async () => {
    const first = await openApp()
    expect(first.w.find('[data-testid="db-lost"]').exists()).toBe(false)
    first.sync.stop()
    setActivePinia(createPinia())
    const again = await openApp() // the database now holds this device's id
    expect(again.w.find('[data-testid="db-lost"]').exists()).toBe(false)
  })

  it('keeps the witness up to date with the unsent count', async () => {
    const { sync } = await openApp()
    await db.outbox.add({ mutationId: '0190a000-0000-7000-8000-0000000000e1', entity: 'visit', entityId: '0190a000-0000-7000-8000-0000000000e2', op: 'create', data: {}, at: new Date().toISOString(), state: 'pending', attempts: 0 } as OutboxRow) // only counted: its data does not matter
    await vi.waitFor(() => expect(sync.unsent).toBe(1))
    await vi.waitFor(() => expect(JSON.parse(localStorage.getItem('zoufang.device')!).unsent).toBe(1))
  })
})
