import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import AdminGridImport from '../../src/app/components/admin/AdminGridImport.vue'
import { json, logIn, stubFetch } from './adminTestKit'

// The admin brings grid cells in from a GeoJSON file: a preview first; errors keep the import
// button off; a clean file imports with one more request.
beforeEach(() => {
  setActivePinia(createPinia())
  logIn()
})
afterEach(() => vi.unstubAllGlobals())

const file = (content: string) => new File([content], 'grids.geojson', { type: 'application/geo+json' })
async function pick(w: ReturnType<typeof mount>, f: File) {
  const input = w.get('input[name="geojson"]')
  Object.defineProperty(input.element, 'files', { value: [f], configurable: true })
  await input.trigger('change')
  await flushPromises()
}

describe('grid cells from GeoJSON', () => {
  it('previews, lists the errors by feature, and keeps the import off', async () => {
    const calls = stubFetch(() => json({ dryRun: true, create: 1, update: 0, unchanged: 0, errors: [{ feature: 1, message: '第2个网格 (features[1])：多边形没有闭合' }] }))
    const w = mount(AdminGridImport)
    await pick(w, file(JSON.stringify({ type: 'FeatureCollection', features: [] })))
    expect(calls[0]).toMatchObject({ method: 'POST' })
    expect(calls[0]!.url.pathname).toBe('/api/admin/grid-cells/geojson')
    expect(calls[0]!.url.searchParams.get('dryRun')).toBe('1')
    expect(calls[0]!.body).toEqual({ type: 'FeatureCollection', features: [] })
    expect(w.get('[data-testid="grid-error"]').text()).toContain('多边形没有闭合')
    expect(w.get('[data-action="import-grids"]').attributes('disabled')).toBeDefined()
  })

  it('imports a clean file after the preview', async () => {
    const calls = stubFetch((c) => json({ dryRun: c.url.searchParams.get('dryRun') === '1', create: 2, update: 1, unchanged: 10, errors: [] }))
    const w = mount(AdminGridImport)
    await pick(w, file('{"type":"FeatureCollection","features":[]}'))
    expect(w.get('[data-testid="grid-preview"]').text()).toContain('新增 2 个')
    await w.get('[data-action="import-grids"]').trigger('click')
    await flushPromises()
    expect(calls.map((c) => c.url.searchParams.get('dryRun'))).toEqual(['1', '0'])
    expect(w.get('[data-testid="grid-done"]').text()).toContain('新增 2 个，更新 1 个')
  })

  it('says plainly when the file is not JSON, and sends nothing', async () => {
    const calls = stubFetch(() => json({}))
    const w = mount(AdminGridImport)
    await pick(w, file('not json at all'))
    expect(w.get('[role="alert"]').text()).toContain('不是 GeoJSON')
    expect(calls).toHaveLength(0)
  })
})
