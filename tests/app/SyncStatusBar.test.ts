import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import SyncStatusBar from '../../src/app/components/sync/SyncStatusBar.vue'
import type { OutboxRow } from '../../src/app/db/database'
import { db } from '../../src/app/db/instance'
import { useSyncStore } from '../../src/app/stores/sync'
import { uuidv7 } from '../../src/domain'
import { testRouter } from './helpers'

function outboxRow(state: OutboxRow['state'] = 'pending'): OutboxRow {
  const id = uuidv7()
  return { mutationId: uuidv7(), entity: 'visit', entityId: id, op: 'create', data: { id }, at: new Date().toISOString(), state, attempts: 0 }
}

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})

async function mountBar() {
  const w = mount(SyncStatusBar, { global: { plugins: [pinia, testRouter()] } })
  await flushPromises()
  return w
}
const unsent = (w: Awaited<ReturnType<typeof mountBar>>) => w.get('[data-testid="unsent"]').text()

describe('SyncStatusBar', () => {
  it('online with nothing queued: says so, and asks for nothing', async () => {
    const w = await mountBar()
    expect(w.get('.dot').text()).toBe('在线')
    expect(unsent(w)).toBe('已全部上传')
    expect(w.text()).toContain('还没同步过')
    expect(w.find('[data-testid="attention-link"]').exists()).toBe(false)
  })

  it('shows 离线 when the store is offline', async () => {
    const w = await mountBar()
    useSyncStore().online = false
    await flushPromises()
    expect(w.get('.dot').text()).toBe('离线')
    expect(w.get('[data-testid="sync-bar"]').classes()).toContain('offline')
  })

  it('follows the browser going offline and back online', async () => {
    const w = await mountBar()
    window.dispatchEvent(new Event('offline'))
    await flushPromises()
    expect(w.get('.dot').text()).toBe('离线')
    window.dispatchEvent(new Event('online'))
    await flushPromises()
    expect(w.get('.dot').text()).toBe('在线')
  })

  it('counts the changes waiting in the outbox', async () => {
    const w = await mountBar()
    await db.outbox.bulkAdd([outboxRow(), outboxRow(), outboxRow()])
    await vi.waitFor(() => expect(unsent(w)).toBe('3 条未上传'))
    expect(w.find('[data-testid="attention-link"]').exists()).toBe(false)
  })

  it('links to the attention page when the server refused a change', async () => {
    await db.outbox.bulkAdd([outboxRow(), outboxRow('rejected')])
    const w = await mountBar()
    await vi.waitFor(() => expect(w.find('[data-testid="attention-link"]').exists()).toBe(true))
    const link = w.get('[data-testid="attention-link"]')
    expect(link.text()).toBe('1 条需要处理')
    expect(link.attributes('href')).toBe('/attention')
    expect(unsent(w)).toBe('2 条未上传')
  })
})
