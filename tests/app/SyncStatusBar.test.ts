import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import SyncStatusBar from '../../src/app/components/sync/SyncStatusBar.vue'
import type { OutboxRow } from '../../src/app/db/database'
import { db } from '../../src/app/db/instance'
import { useSyncStore } from '../../src/app/stores/sync'
import { uuidv7 } from '../../src/domain'
import { testRouter } from './helpers'

function outboxRow(state: OutboxRow['state'] = 'pending'): OutboxRow {
  const id = uuidv7()
  return { mutationId: uuidv7(), entity: 'visit', entityId: id, op: 'create', data: { id }, at: new Date().toISOString(), state, attempts: 0 } as OutboxRow // only counted: its data does not matter
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
    // A landmark with a name, for a screen reader to jump to.
    expect(w.element.tagName).toBe('SECTION')
    expect(w.attributes('aria-label')).toBe('同步状态')
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

/** The server's pull endpoint, answering only when the test says so; anything else is a bug here. */
function pullServer() {
  const pulls: Array<{ url: string; answer: (body: unknown) => void }> = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const url = String(input)
    if (!url.startsWith('/api/sync/pull')) throw new Error(`unexpected request ${url}`)
    return new Promise<Response>((resolve) => {
      pulls.push({ url, answer: (body) => resolve(new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } })) })
    })
  })
  return { pulls, fetch }
}

const teams = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({ entity: 'team', id: `team-${from + i}`, version: from + i + 1, deleted: false, data: { id: `team-${from + i}`, name: `调解室${from + i}` } }))

describe('SyncStatusBar while the first sync runs', () => {
  afterEach(() => {
    useSyncStore().stop()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
  })

  it('after a login sync is started twice, yet one scheduler runs: the bar says syncing and how much arrived, not 还没同步过', async () => {
    const user = { id: 'u-grid01', username: 'grid01', name: '王芳', role: 'worker', gridIds: ['g-1'], sensitiveTags: false }
    localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
    const server = pullServer()
    vi.stubGlobal('fetch', server.fetch)
    const intervals = vi.spyOn(globalThis, 'setInterval')
    const w = await mountBar()
    const sync = useSyncStore()
    const state = () => w.get('[data-testid="sync-state"]').text()

    // What a login does: the login page resumes sync, and App.vue's watcher starts it.
    sync.resume()
    void sync.start()
    await vi.waitFor(() => expect(server.pulls).toHaveLength(1))
    await flushPromises()
    expect(state()).toBe('正在同步…')

    server.pulls[0]!.answer({ changes: teams(3), cursor: '1.1.3', hasMore: true })
    await vi.waitFor(() => expect(server.pulls).toHaveLength(2))
    await flushPromises()
    expect(state()).toBe('正在同步…已收到 3 条')

    server.pulls[1]!.answer({ changes: teams(2, 3), cursor: '1.1.5', hasMore: false })
    await vi.waitFor(() => expect(state()).toMatch(/^上次同步 /))
    expect(await db.teams.count()).toBe(5)
    // One scheduler: one 60 s timer, and no second pass pulling on its own.
    expect(intervals.mock.calls.filter(([, ms]) => ms === 60_000)).toHaveLength(1)
    expect(server.pulls).toHaveLength(2)
  })

  it('logging out while sync is still starting: no scheduler comes back after it', async () => {
    const user = { id: 'u-grid01', username: 'grid01', name: '王芳', role: 'worker', gridIds: ['g-1'], sensitiveTags: false }
    localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
    const server = pullServer()
    vi.stubGlobal('fetch', server.fetch)
    const intervals = vi.spyOn(globalThis, 'setInterval')
    await mountBar()
    const sync = useSyncStore()
    const starting = sync.start()
    sync.stop()
    await starting
    await new Promise((r) => setTimeout(r, 50))
    expect(intervals.mock.calls.filter(([, ms]) => ms === 60_000)).toHaveLength(0)
    expect(server.pulls).toHaveLength(0)
    // Logging in again starts it afresh.
    void sync.start()
    await vi.waitFor(() => expect(server.pulls).toHaveLength(1))
  })
})
