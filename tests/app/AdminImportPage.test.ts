import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import AdminImportPage from '../../src/app/pages/AdminImportPage.vue'
import { apiError, json, logIn, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'

const counts = (create: number, update: number, unchanged: number) => ({ create, update, unchanged })
const nothing = { grids: [], compounds: [], buildings: 0, units: 0, unlocated: 0, buildingsUpdated: 0 }
const dirty = {
  households: counts(3, 1, 0),
  residents: counts(5, 2, 1),
  created: nothing,
  errors: [
    { row: 4, column: '身份证号', message: '「110105195601010017」不是有效的18位身份证号（校验位不对或位数不对）' },
    { row: 7, column: '网格编号', message: '网格编号被表格软件当成了数字，前面的0已丢失（表里是「9」，应为「009」）：请把这一列设为文本后重新填写' },
  ],
}
const clean = { households: counts(3, 1, 0), residents: counts(5, 2, 1), created: nothing, errors: [] }
const newCompound = {
  ...clean,
  created: { grids: [{ code: '014', name: '第十四网格' }], compounds: ['和平里小区', '和平里平房区'], buildings: 41, units: 96, unlocated: 12, buildingsUpdated: 2 },
}

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

async function mountPage() {
  logIn()
  const router = testRouter()
  await router.push('/admin/import')
  const w = mount(AdminImportPage, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return w
}
type W = Awaited<ReturnType<typeof mountPage>>

async function choose(w: W, name = '台账.csv', type = 'text/csv') {
  const input = w.get('[data-testid="import-file"]')
  Object.defineProperty(input.element, 'files', { value: [new File(['网格编号,小区\n001,幸福里'], name, { type })], configurable: true })
  await input.trigger('change')
}
const importButton = (w: W) => w.get('[data-action="import"]')

describe('AdminImportPage', () => {
  it('previews a file with errors: counts, the row errors in a table, and 导入 stays disabled', async () => {
    const calls = stubFetch(({ url }) => json({ dryRun: url.searchParams.get('dryRun') === '1', ...dirty }))
    const w = await mountPage()
    expect(importButton(w).attributes('disabled')).toBeDefined()
    await choose(w)
    await w.get('[data-action="preview"]').trigger('click')
    await flushPromises()
    expect(calls).toHaveLength(1)
    expect(calls[0]!.method).toBe('POST')
    expect(calls[0]!.url.pathname).toBe('/api/admin/register/import')
    expect(calls[0]!.url.searchParams.get('dryRun')).toBe('1')
    expect(calls[0]!.headers['content-type']).toBe('text/csv')
    expect(calls[0]!.body).toBeInstanceOf(Blob)
    expect(w.get('[data-kind="households"] [data-col="create"]').text()).toBe('3')
    expect(w.get('[data-kind="residents"] [data-col="update"]').text()).toBe('2')
    expect(w.get('[data-kind="residents"] [data-col="unchanged"]').text()).toBe('1')
    const rows = w.findAll('[data-testid="row-error"]')
    expect(rows).toHaveLength(2)
    expect(rows[0]!.get('[data-col="row"]').text()).toBe('4')
    expect(rows[0]!.get('[data-col="column"]').text()).toBe('身份证号')
    expect(rows[1]!.get('[data-col="message"]').text()).toBe(dirty.errors[1]!.message)
    expect(w.get('[data-testid="import-created"]').text()).toBe('不新建网格、小区和楼栋，都已在台账里')
    expect(w.get('[data-testid="import-error-count"]').text()).toContain('2 处错误')
    expect(importButton(w).attributes('disabled')).toBeDefined()
  })

  it('enables 导入 after a clean preview, shows progress while writing, then the result', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((r) => (release = r))
    const calls = stubFetch(async ({ url }) => {
      const dryRun = url.searchParams.get('dryRun') === '1'
      if (!dryRun) await gate
      return json({ dryRun, ...clean })
    })
    const w = await mountPage()
    await choose(w)
    await w.get('[data-action="preview"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="row-errors"]').exists()).toBe(false)
    expect(w.text()).toContain('没有错误，可以导入')
    expect(importButton(w).attributes('disabled')).toBeUndefined()

    await importButton(w).trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="import-progress"]').text()).toContain('正在写入')
    expect(importButton(w).attributes('disabled')).toBeDefined()
    release()
    await flushPromises()
    expect(calls.map((c) => c.url.searchParams.get('dryRun'))).toEqual(['1', '0'])
    expect(w.find('[data-testid="import-progress"]').exists()).toBe(false)
    expect(w.get('[data-testid="import-summary"]').text()).toContain('导入完成')
    expect(w.get('[data-kind="households"] [data-col="create"]').text()).toBe('3')
  })

  it('says plainly what a new community’s sheet will create, which cells are new, and which buildings need a place; after the import, where to place them', async () => {
    stubFetch(({ url }) => json({ dryRun: url.searchParams.get('dryRun') === '1', ...newCompound }))
    const w = await mountPage()
    await choose(w)
    await w.get('[data-action="preview"]').trigger('click')
    await flushPromises()
    const created = w.get('[data-testid="import-created"]')
    expect(created.text()).toContain('将新建 1 个网格、2 个小区、41 栋楼、96 个单元')
    expect(w.get('[data-testid="import-new-grids"]').text()).toContain('新网格：014 第十四网格')
    expect(w.get('[data-testid="import-unlocated"]').text()).toBe('12 栋新楼没有经纬度：导入后在「台账」页的地图上点出位置')
    expect(created.text()).toContain('2 栋已有的楼补上了单元、楼层或位置')
    await importButton(w).trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="import-created"]').text()).toContain('已新建 1 个网格、2 个小区、41 栋楼、96 个单元')
    expect(w.get('[data-testid="import-unlocated"] a').attributes('href')).toBe('/admin/register')
  })

  it("shows the server's refusal of a file it cannot read", async () => {
    stubFetch(() => apiError(415, 'UNSUPPORTED_MEDIA', '只能导入 .xlsx 或 .csv 文件'))
    const w = await mountPage()
    await choose(w, 'a.pdf', 'application/pdf')
    await w.get('[data-action="preview"]').trigger('click')
    await flushPromises()
    // A refusal reads the error shape, whose schema loads on first use.
    await vi.waitFor(() => expect(w.get('[data-testid="import-error"]').text()).toBe('只能导入 .xlsx 或 .csv 文件'))
    expect(importButton(w).attributes('disabled')).toBeDefined()
  })
})
