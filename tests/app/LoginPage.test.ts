import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import LoginPage from '../../src/app/pages/LoginPage.vue'
import { useSessionStore } from '../../src/app/stores/session'
import { validUser } from '../support/fixtures'
import { testRouter } from './helpers'

// The login answer is checked by hand (src/app/api/answerChecks.ts), not by zod: an answer that
// is not a login answer still ends in a sentence on the login page, nobody logged in.

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => vi.unstubAllGlobals())

async function logIn(answer: Response) {
  vi.stubGlobal('fetch', vi.fn(async () => answer))
  const router = testRouter()
  await router.push('/login')
  const w = mount(LoginPage, { global: { plugins: [router] } })
  await w.get('input[name=username]').setValue('grid01')
  await w.get('input[name=password]').setValue('zoufang')
  await w.get('form').trigger('submit')
  await flushPromises()
  return { w, router }
}

describe('logging in', () => {
  it('a malformed answer is said plainly, and nobody is logged in', async () => {
    const user = { ...validUser(), gridIds: 'all' }
    const { w, router } = await logIn(Response.json({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
    expect(w.get('[role=alert]').text()).toBe('登录失败：服务器的回答看不懂：user.gridIds 应是列表')
    expect(useSessionStore().user).toBeNull()
    expect(localStorage.getItem('zoufang.session')).toBeNull()
    expect(router.currentRoute.value.path).toBe('/login')
  })

  it('a refusal says the server’s own words', async () => {
    const { w } = await logIn(Response.json({ error: { code: 'BAD_CREDENTIALS', message: '用户名或密码不对' } }, { status: 401 }))
    expect(w.get('[role=alert]').text()).toBe('登录失败：用户名或密码不对')
    expect(useSessionStore().user).toBeNull()
  })
})
