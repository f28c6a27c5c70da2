import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import StreetStaff from '../../src/app/components/street/StreetStaff.vue'
import type { StreetStaffMember } from '../../src/domain'
import { validUser } from '../support/fixtures'

// The street office's accounts as its admin keeps them: the list, one's own row without buttons
// (an admin cannot stop itself), a new password checked before it goes, a refusal in words.

const admin = validUser({ id: '0190a000-0000-7000-8000-0000000000a1', username: 'street', name: '街道网格办', role: 'street_admin', gridIds: [] })
const members: StreetStaffMember[] = [
  { id: admin.id, username: 'street', name: '街道网格办', role: 'street_admin', active: true, createdAt: '2026-11-01T00:00:00.000Z' },
  { id: '0190a000-0000-7000-8000-0000000000a2', username: 'street-staff', name: '王干事', role: 'street', active: true, createdAt: '2026-11-01T00:00:00.000Z' },
]
const json = (body: unknown, status = 200) => new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
let calls: Array<{ method: string; path: string; body: unknown }>
let answer: (method: string, path: string) => Response

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 'tok-1', expiresAt: '2099-01-01T00:00:00.000Z', user: admin }))
  calls = []
  answer = (method, path) => (method === 'GET' && path === '/api/street/staff' ? json({ staff: members }) : json({ error: { code: 'NOT_FOUND', message: '?' } }, 404))
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = new URL(String(input), 'http://localhost').pathname
      const method = init?.method ?? 'GET'
      calls.push({ method, path, body: init?.body ? JSON.parse(String(init.body)) : undefined })
      return answer(method, path)
    }),
  )
})
afterEach(() => {
  vi.unstubAllGlobals()
  localStorage.clear()
})

const mountIt = async () => {
  const w = mount(StreetStaff, { props: { online: true } })
  await flushPromises()
  return w
}
const row = (w: Awaited<ReturnType<typeof mountIt>>, username: string) => w.get(`tr[data-username="${username}"]`)

describe('StreetStaff', () => {
  it('lists the accounts with their roles; one’s own row has nothing to press', async () => {
    const w = await mountIt()
    expect(w.findAll('tbody th').map((c) => c.text())).toEqual(['街道网格办', '王干事'])
    expect(row(w, 'street').text()).toContain('街道管理员')
    expect(row(w, 'street').findAll('button')).toHaveLength(0)
    expect(row(w, 'street-staff').findAll('button').map((b) => b.text())).toEqual(['停用', '重置密码'])
  })

  it('a new password too short is said before anything is sent; a good one is sent and said', async () => {
    const w = await mountIt()
    await row(w, 'street-staff').get('[data-action=reset]').trigger('click')
    await row(w, 'street-staff').get('input[name=new-password]').setValue('short')
    await row(w, 'street-staff').get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid=street-staff-error]').text()).toBe('密码至少 8 位')
    expect(calls.filter((c) => c.method === 'POST')).toEqual([])
    answer = () => new Response(null, { status: 204 })
    await row(w, 'street-staff').get('input[name=new-password]').setValue('xinmima2026')
    await row(w, 'street-staff').get('form').trigger('submit')
    await flushPromises()
    expect(calls.at(-1)).toEqual({ method: 'POST', path: `/api/street/staff/${members[1]!.id}/password`, body: { password: 'xinmima2026' } })
    expect(w.get('[data-testid=street-staff-said]').text()).toBe('已为王干事设置新密码，原来的登录立即失效。')
    expect(row(w, 'street-staff').find('input[name=new-password]').exists()).toBe(false)
  })

  it('停用 shows the account deactivated; a username taken is the server’s refusal, in words, with the form kept', async () => {
    const w = await mountIt()
    answer = (method) => (method === 'PATCH' ? json({ ...members[1], active: false }) : json({ error: { code: 'ID_TAKEN', message: '用户名“admin”已被使用' } }, 409))
    await row(w, 'street-staff').get('[data-action=toggle]').trigger('click')
    await flushPromises()
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', body: { active: false } })
    expect(row(w, 'street-staff').get('[data-col=state]').text()).toBe('已停用')
    expect(row(w, 'street-staff').get('[data-action=toggle]').text()).toBe('启用')
    const form = w.get('[data-testid=new-street-staff]')
    await form.get('input[name=staff-name]').setValue('陈干事')
    await form.get('input[name=staff-username]').setValue('admin')
    await form.get('input[name=staff-password]').setValue('kaishi2026')
    await form.trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid=street-staff-error]').text()).toContain('用户名“admin”已被使用')
    expect((form.get('input[name=staff-name]').element as HTMLInputElement).value).toBe('陈干事')
  })
})
