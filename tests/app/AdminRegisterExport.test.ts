import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import AdminRegisterExport from '../../src/app/components/admin/AdminRegisterExport.vue'
import { apiError, logIn, stubFetch } from './adminTestKit'

// The register leaves masked unless the admin asks for full details on purpose.
beforeEach(() => {
  setActivePinia(createPinia())
  logIn()
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }))
})
afterEach(() => vi.unstubAllGlobals())

const file = () => new Response('x', { status: 200, headers: { 'content-disposition': "attachment; filename*=UTF-8''%E5%8F%B0%E8%B4%A6.xlsx" } })

describe('register export', () => {
  it('asks for the masked register by default, and the full one only when ticked', async () => {
    const calls = stubFetch(file)
    const w = mount(AdminRegisterExport)
    await w.get('[data-action="export-register-xlsx"]').trigger('click')
    await flushPromises()
    expect(calls[0]!.url.pathname).toBe('/api/exports/register.xlsx')
    expect(calls[0]!.url.searchParams.get('unmasked')).toBeNull()
    await w.get('input[name="unmasked"]').setValue(true)
    await w.get('[data-action="export-register-csv"]').trigger('click')
    await flushPromises()
    expect(calls[1]!.url.pathname).toBe('/api/exports/register.csv')
    expect(calls[1]!.url.searchParams.get('unmasked')).toBe('1')
  })

  it('shows the server’s refusal', async () => {
    stubFetch(() => apiError(403, 'FORBIDDEN', '只有管理员可以导出完整信息'))
    const w = mount(AdminRegisterExport)
    await w.get('input[name="unmasked"]').setValue(true)
    await w.get('[data-action="export-register-xlsx"]').trigger('click')
    await flushPromises()
    // A refusal reads the error shape, whose schema loads on first use.
    await vi.waitFor(() => expect(w.get('[role="alert"]').text()).toContain('只有管理员'))
  })
})
