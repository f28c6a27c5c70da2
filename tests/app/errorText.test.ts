import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiFailure } from '../../src/app/api/client'
import PhotoPicker from '../../src/app/components/photo/PhotoPicker.vue'
import { loadRest, setLocale } from '../../src/app/i18n'
import { errorText } from '../../src/app/i18n/errorText'
import { LocalError } from '../../src/app/i18n/localError'
import LoginPage from '../../src/app/pages/LoginPage.vue'
import { ERROR_CODES } from '../../src/domain/errorCodes'
import { testRouter } from './helpers'

// The English UI says every failure in English: a server's refusal by its code (the server's
// words are Chinese), a failed connection by its kind, a store's own refusal by its key. The
// Chinese UI keeps the most specific words: the server's, the store's.

const CHINESE = /[\u3000-\u9fff\uff00-\uffef]/

beforeEach(() => setActivePinia(createPinia()))
afterEach(async () => {
  vi.unstubAllGlobals()
  await setLocale('zh-CN')
})

async function english() {
  await setLocale('en')
  await loadRest()
}

describe('errorText', () => {
  it('in English: a refusal by its code, a failure by its kind, a store refusal by its key, never Chinese', async () => {
    await english()
    const refusal = new ApiFailure('client', '你的角色不能做这件事', 403, undefined, { code: 'FORBIDDEN', message: '你的角色不能做这件事' })
    expect(errorText(refusal)).toBe('Your role may not do this')
    expect(errorText(new ApiFailure('network', '网络不通：Failed to fetch'))).toBe('No connection: connect and try again')
    expect(errorText(new LocalError('ledgerFuture', { day: '2026-12-09' }))).toBe('The entry date 2026-12-09 has not come yet: record what has happened')
    // A refused change keeps the server's { code, message } in the outbox.
    expect(errorText({ code: 'OUT_OF_SCOPE', message: '不在你的网格' })).toBe('This record is outside your grid cells')
    // A rule's own Chinese reason stays out of the English UI.
    expect(errorText(new LocalError('notPossible', {}, '结案前要先核查'))).toBe('This step is not possible now')
    // A rule's reason the domain said in English is the more precise words.
    expect(errorText(new LocalError('notPossible', {}, 'Verify the case before closing it'))).toBe('Verify the case before closing it')
    expect(errorText(new Error('未知的错误'))).toBe('Something went wrong')
    for (const code of ERROR_CODES) expect(errorText({ code, message: '中文' })).not.toMatch(CHINESE)
  })

  it('in Chinese: the server’s and the store’s own words', () => {
    expect(errorText(new ApiFailure('client', '你的角色不能做这件事', 403, undefined, { code: 'FORBIDDEN', message: '你的角色不能做这件事' }))).toBe('你的角色不能做这件事')
    expect(errorText(new LocalError('ledgerFuture', { day: '2026-12-09' }))).toBe('账目日期 2026-12-09 还没到：记已经发生的收支')
    expect(errorText(new LocalError('notPossible', {}, '结案前要先核查'))).toBe('结案前要先核查')
  })
})

describe('pages in English', () => {
  it('the login page says a server refusal in English', async () => {
    await english()
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ error: { code: 'BAD_CREDENTIALS', message: '用户名或密码不对' } }, { status: 401 })))
    const router = testRouter()
    await router.push('/login')
    const w = mount(LoginPage, { global: { plugins: [router] } })
    await w.get('input[name=username]').setValue('grid01')
    await w.get('input[name=password]').setValue('wrong')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(w.get('[role=alert]').text()).toBe('Login failed: Wrong username or password')
  })

  it('the photo picker says a store refusal in English', async () => {
    await english()
    vi.stubGlobal('createImageBitmap', () => Promise.reject(new Error('not an image')))
    const w = mount(PhotoPicker, { props: { modelValue: [] } })
    const input = w.get('[data-testid="photo-input"]')
    Object.defineProperty(input.element, 'files', { value: [new File(['x'], 'notes.txt', { type: 'text/plain' })] })
    await input.trigger('change')
    await flushPromises()
    expect(w.get('.error').text()).toBe('This file is not a photo that can be opened')
  })
})
