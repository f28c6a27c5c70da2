import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import AdminUsersPage from '../../src/app/pages/AdminUsersPage.vue'
import { useSyncStore } from '../../src/app/stores/sync'
import type { AdminUser } from '../../src/domain/schemas/admin'
import { adminUser, ids, validGridCell, validUser } from '../support/fixtures'
import { apiError, type Call, json, logIn, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'

const grid2 = '0190a000-0000-7000-8000-0000000000e2'
const grid3 = '0190a000-0000-7000-8000-0000000000e3'
const worker: AdminUser = {
  id: ids.worker,
  username: 'gaoxy',
  name: '高欣妍',
  role: 'worker',
  gridIds: [ids.grid],
  sensitiveTags: false,
  active: true,
  createdAt: '2026-01-01T00:00:00.000Z',
}
const secretary: AdminUser = { ...worker, id: '0190a000-0000-7000-8000-0000000000d1', username: 'zhang', name: '张书记', role: 'secretary', gridIds: [], sensitiveTags: true }

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.bulkPut([validGridCell({ name: '幸福里第一网格' }), validGridCell({ id: grid2, name: '幸福里第二网格' }), validGridCell({ id: grid3, name: '幸福里第三网格' })])
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

/** A server holding `users`: answers list, create and grid assignment. */
function server(users: AdminUser[]): Call[] {
  return stubFetch(({ method, url, body }) => {
    if (method === 'GET' && url.pathname === '/api/admin/users') return json({ users })
    if (method === 'POST' && url.pathname === '/api/admin/users') {
      const b = body as { username: string; name: string; role: AdminUser['role']; sensitiveTags: boolean }
      if (users.some((u) => u.username === b.username)) return apiError(409, 'ID_TAKEN', '用户名已被使用')
      const u: AdminUser = { ...worker, id: '0190a000-0000-7000-8000-0000000000f1', username: b.username, name: b.name, role: b.role, sensitiveTags: b.sensitiveTags, gridIds: [] }
      return json(u, 201)
    }
    const m = /^\/api\/admin\/users\/([^/]+)\/grids$/.exec(url.pathname)
    if (method === 'PUT' && m) return json({ ...users.find((u) => u.id === m[1])!, gridIds: (body as { gridIds: string[] }).gridIds })
    return apiError(404, 'NOT_FOUND', `no ${method} ${url.pathname}`)
  })
}

async function mountPage(user = adminUser) {
  logIn(user)
  const router = testRouter()
  await router.push('/admin/users')
  const w = mount(AdminUsersPage, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return w
}
type W = Awaited<ReturnType<typeof mountPage>>
const col = (w: W, id: string, c: string) => w.get(`[data-testid="user-row"][data-id="${id}"] [data-col="${c}"]`).text()

describe('AdminUsersPage', () => {
  it('lists the users with role, grid cells by name and status, using the session token', async () => {
    const calls = server([worker, { ...secretary, active: false }])
    const w = await mountPage()
    await vi.waitFor(() => expect(w.findAll('[data-testid="user-row"]')).toHaveLength(2))
    expect(col(w, worker.id, 'name')).toBe('高欣妍')
    expect(col(w, worker.id, 'username')).toBe('gaoxy')
    expect(col(w, worker.id, 'role')).toBe('网格员')
    await vi.waitFor(() => expect(col(w, worker.id, 'grids')).toBe('幸福里第一网格'))
    expect(col(w, worker.id, 'active')).toBe('在用')
    expect(col(w, secretary.id, 'role')).toBe('社区书记')
    expect(col(w, secretary.id, 'active')).toBe('已停用')
    expect(col(w, secretary.id, 'name')).toContain('政法标签')
    expect(calls[0]!.headers.authorization).toBe('Bearer tok-1')
  })

  it('creates a user: POSTs the form, and adds the answer to the list', async () => {
    const calls = server([worker])
    const w = await mountPage()
    await w.get('input[name="username"]').setValue('tianjj')
    await w.get('input[name="name"]').setValue('田俊杰')
    await w.get('select[name="role"]').setValue('secretary')
    await w.get('input[name="password"]').setValue('long-enough-1')
    await w.get('input[name="sensitiveTags"]').setValue(true)
    await w.get('[data-testid="create-form"]').trigger('submit')
    await flushPromises()
    const post = calls.find((c) => c.method === 'POST')!
    expect(post.url.pathname).toBe('/api/admin/users')
    expect(post.body).toEqual({ username: 'tianjj', name: '田俊杰', role: 'secretary', password: 'long-enough-1', sensitiveTags: true })
    await vi.waitFor(() => expect(w.findAll('[data-testid="user-row"]')).toHaveLength(2))
    expect(w.text()).toContain('已新建')
  })

  it("shows the server's message next to the form when it refuses", async () => {
    server([worker])
    const w = await mountPage()
    await w.get('input[name="username"]').setValue('gaoxy')
    await w.get('input[name="name"]').setValue('另一个')
    await w.get('input[name="password"]').setValue('long-enough-1')
    await w.get('[data-testid="create-form"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="create-error"]').text()).toBe('用户名已被使用')
    expect(w.findAll('[data-testid="user-row"]')).toHaveLength(1)
  })

  it('does not send a password shorter than 8', async () => {
    const calls = server([worker])
    const w = await mountPage()
    await w.get('input[name="username"]').setValue('x')
    await w.get('input[name="name"]').setValue('小')
    await w.get('input[name="password"]').setValue('short')
    await w.get('[data-testid="create-form"]').trigger('submit')
    await flushPromises()
    expect(calls.some((c) => c.method === 'POST')).toBe(false)
    expect(w.get('[data-testid="create-error"]').text()).toContain('至少 8 位')
  })

  it('assigns grid cells: PUTs the chosen ids, with the note about the other phone', async () => {
    const calls = server([worker])
    const w = await mountPage()
    await vi.waitFor(() => expect(w.findAll('[data-testid="user-row"]')).toHaveLength(1))
    await w.get(`[data-id="${worker.id}"] [data-action="grids"]`).trigger('click')
    const form = w.get('[data-testid="grid-form"]')
    expect(form.text()).toContain('下次同步')
    expect(form.text()).toContain('走访记录都保留')
    expect((form.get(`input[data-grid="${ids.grid}"]`).element as HTMLInputElement).checked).toBe(true)
    await form.get(`input[data-grid="${ids.grid}"]`).setValue(false)
    await form.get(`input[data-grid="${grid3}"]`).setValue(true)
    await form.trigger('submit')
    await flushPromises()
    const put = calls.find((c) => c.method === 'PUT')!
    expect(put.url.pathname).toBe(`/api/admin/users/${worker.id}/grids`)
    expect(put.body).toEqual({ gridIds: [grid3] })
    await vi.waitFor(() => expect(col(w, worker.id, 'grids')).toBe('幸福里第三网格'))
  })

  it('moving a cell shows it under its new worker at once, no longer under the old one, and says from whom', async () => {
    const other: AdminUser = { ...worker, id: '0190a000-0000-7000-8000-0000000000b2', username: 'wangf', name: '王芳', gridIds: [grid2, grid3] }
    server([worker, other])
    const w = await mountPage()
    await vi.waitFor(() => expect(col(w, other.id, 'grids')).toBe('幸福里第二网格、幸福里第三网格'))
    await w.get(`[data-id="${worker.id}"] [data-action="grids"]`).trigger('click')
    const form = w.get('[data-testid="grid-form"]')
    await form.get(`input[data-grid="${grid2}"]`).setValue(true)
    await form.trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(col(w, worker.id, 'grids')).toBe('幸福里第一网格、幸福里第二网格'))
    expect(col(w, other.id, 'grids')).toBe('幸福里第三网格')
    expect(w.text()).toContain('网格已保存；幸福里第二网格已从 王芳 名下移来')
  })

  it('is for the admin only: a worker sees a notice and nothing is fetched', async () => {
    const calls = server([worker])
    const w = await mountPage(validUser())
    expect(w.find('[data-testid="admin-only"]').exists()).toBe(true)
    expect(calls).toHaveLength(0)
  })

  it('says plainly that it needs a connection when offline, and asks nothing', async () => {
    const calls = server([worker])
    logIn() // before the stores are made: the session store reads it once
    useSyncStore().online = false
    const w = await mountPage()
    expect(w.get('[data-testid="admin-offline"]').text()).toContain('离线时不能用这一页')
    expect(calls).toHaveLength(0)
    expect(w.get('[data-action="create-user"]').element.closest('fieldset')!.disabled).toBe(true)
  })
})
