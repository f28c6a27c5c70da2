import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import ConflictHomeLink from '../../src/app/components/conflict/ConflictHomeLink.vue'
import { setLocale } from '../../src/app/i18n'
import ConflictsPage from '../../src/app/pages/ConflictsPage.vue'
import { useConflictsStore } from '../../src/app/stores/conflicts'
import { useSyncStore } from '../../src/app/stores/sync'
import type { ConflictItem } from '../../src/domain/schemas/conflicts'
import { ids, validUser } from '../support/fixtures'
import { apiError, type Call, json, logIn, stubFetch } from './adminTestKit'
import { testRouter } from './helpers'

// The secretary's list of household fields two people changed at once: both values, who and
// when, and the three ways to settle one; online only.

const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000a2', username: 'secretary', name: '张丽', role: 'secretary', gridIds: [], sensitiveTags: true })
const worker = { id: ids.worker, name: '李网格' }
const phoneConflict: ConflictItem = {
  id: 7,
  entity: 'household',
  resident: null,
  householdId: ids.household,
  gridId: ids.grid,
  address: '幸福里小区3号楼2单元301',
  headNameMasked: '王*明',
  field: 'phone',
  kept: { value: '13900000002', by: { id: secretary.id, name: secretary.name }, at: '2026-11-20T02:20:00.000Z' },
  overwritten: { value: '13800000001', by: worker, at: '2026-11-20T01:05:00.000Z' },
  current: '13900000002',
  householdVersion: 41,
  settled: null,
}
const housingConflict: ConflictItem = {
  ...phoneConflict,
  id: 8,
  householdId: '0190a000-0000-7000-8000-000000000222',
  address: '幸福里小区5号楼1单元101',
  headNameMasked: '赵*',
  field: 'housing',
  kept: { value: 'owner', by: { id: secretary.id, name: secretary.name }, at: '2026-11-21T06:00:00.000Z' },
  overwritten: { value: 'rented', by: null, at: null },
  // Changed again after the conflict: the page says so, and "keep" keeps what stands now.
  current: 'vacant',
  householdVersion: 57,
}
const settledOne: ConflictItem = {
  ...phoneConflict,
  id: 3,
  settled: { at: '2026-11-19T08:00:00.000Z', by: { id: secretary.id, name: secretary.name }, choice: 'other', value: '13800000001' },
  current: '13800000001',
}

let pinia: Pinia
beforeEach(() => {
  pinia = createPinia()
  setActivePinia(pinia)
})
afterEach(async () => {
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  await setLocale('zh-CN')
})

function server(opts: { settle?: (call: Call) => Response; open?: ConflictItem[] } = {}): Call[] {
  let open = opts.open ?? [phoneConflict, housingConflict]
  let settled = [settledOne]
  return stubFetch((call) => {
    const { url } = call
    if (url.pathname === '/api/conflicts') {
      const state = url.searchParams.get('state')
      const list = state === 'open' ? open : [...open, ...settled]
      return json({ conflicts: list.slice(0, Number(url.searchParams.get('limit') ?? 100)), total: list.length, open: open.length })
    }
    const m = /^\/api\/conflicts\/(\d+)\/settle$/.exec(url.pathname)
    if (m && call.method === 'POST') {
      if (opts.settle) return opts.settle(call)
      const c = open.find((x) => x.id === Number(m[1]))!
      const body = call.body as { choice: 'current' | 'other' | 'value'; value?: unknown }
      const value = body.choice === 'current' ? c.current : body.choice === 'other' ? c.overwritten.value : body.value
      const done = { ...c, current: value, settled: { at: '2026-11-22T01:00:00.000Z', by: { id: secretary.id, name: secretary.name }, choice: body.choice, value } }
      open = open.filter((x) => x.id !== c.id)
      settled = [done, ...settled]
      return json(done)
    }
    return apiError(404, 'NOT_FOUND', 'no')
  })
}
const settleCalls = (calls: Call[]) => calls.filter((c) => c.method === 'POST')
const card = (w: ReturnType<typeof mount>, id: number) => w.get(`[data-testid="conflict"][data-id="${id}"]`)

async function mountPage(user = secretary, online = true) {
  logIn(user)
  if (!online) useSyncStore().online = false
  const router = testRouter()
  await router.push('/conflicts')
  const w = mount(ConflictsPage, { global: { plugins: [pinia, router] } })
  await flushPromises()
  return w
}

describe('ConflictsPage', () => {
  it('lists each open conflict with the household, the field, both values, who and when; settled ones after', async () => {
    server()
    const w = await mountPage()
    expect(w.get('[data-testid="conflicts-open-count"]').text()).toBe('2')
    const phone = card(w, 7)
    expect(phone.text()).toContain('幸福里小区3号楼2单元301')
    expect(phone.text()).toContain('王*明')
    expect(phone.text()).toContain('联系电话')
    expect(phone.get('[data-testid="conflict-kept"]').text()).toBe('现在的值（后改的）13900000002 张丽，11-20 10:20')
    expect(phone.get('[data-testid="conflict-overwritten"]').text()).toBe('被覆盖的值（先改的）13800000001 李网格，11-20 09:05')
    expect(phone.get('a').attributes('href')).toBe(`/households/${ids.household}`)
    expect(phone.find('[data-testid="conflict-changed"]').exists()).toBe(false)

    const housing = card(w, 8)
    expect(housing.text()).toContain('住房')
    expect(housing.get('[data-testid="conflict-kept"]').text()).toContain('自住')
    // An old conflict whose first writer was not recorded says so, instead of naming anyone.
    expect(housing.get('[data-testid="conflict-overwritten"]').text()).toBe('被覆盖的值（先改的）出租 以前的修改，没有记下是谁')
    expect(housing.get('[data-testid="conflict-changed"]').text()).toBe('这一项之后又改过，现在是「空置」。')
    expect(housing.get('[data-action="keep-current"]').text()).toBe('保留「空置」')
    expect(housing.get('[data-action="take-other"]').text()).toBe('改用「出租」')

    const all = w.findAll('[data-testid="conflict"]').map((c) => c.attributes('data-id'))
    expect(all).toEqual(['7', '8', '3'])
    expect(card(w, 3).get('[data-testid="conflict-settled"]').text()).toBe('张丽 11-19 16:00 定为「13800000001」 （改用了被覆盖的值）')
    expect(card(w, 3).find('[data-action="keep-current"]').exists()).toBe(false)
  })

  it('taking the overwritten value sends that choice with the version the list showed, and the list moves it to settled', async () => {
    const calls = server()
    const w = await mountPage()
    await card(w, 7).get('[data-action="take-other"]').trigger('click')
    await flushPromises()
    expect(settleCalls(calls).map((c) => [c.url.pathname, c.body])).toEqual([['/api/conflicts/7/settle', { choice: 'other', seenVersion: 41 }]])
    expect(w.get('[data-testid="conflicts-open-count"]').text()).toBe('1')
    expect(card(w, 7).attributes('data-settled')).toBe('yes')
    expect(card(w, 7).get('[data-testid="conflict-settled"]').text()).toContain('定为「13800000001」')
    await card(w, 8).get('[data-action="keep-current"]').trigger('click')
    await flushPromises()
    expect(settleCalls(calls).at(-1)!.body).toEqual({ choice: 'current', seenVersion: 57 })
  })

  it('an entered value is checked by the field’s schema before it is sent; a right one is sent as entered', async () => {
    const calls = server()
    const w = await mountPage()
    const c = card(w, 7)
    await c.get('[data-action="enter-value"]').trigger('click')
    await c.get('input[name="value"]').setValue('12345')
    await c.get('form').trigger('submit')
    await flushPromises()
    expect(c.get('[data-testid="conflict-error"]').text()).toBe('电话号码格式不对')
    expect(settleCalls(calls)).toHaveLength(0)
    await c.get('input[name="value"]').setValue('0531-88886666')
    await c.get('form').trigger('submit')
    await flushPromises()
    expect(settleCalls(calls).map((x) => x.body)).toEqual([{ choice: 'value', seenVersion: 41, value: '0531-88886666' }])
  })

  it('a coded field offers its values by name', async () => {
    const calls = server()
    const w = await mountPage()
    const c = card(w, 8)
    await c.get('[data-action="enter-value"]').trigger('click')
    const select = c.get('select[name="value"]')
    expect(select.findAll('option').map((o) => o.text())).toEqual(['自住', '出租', '空置'])
    await select.setValue('rented')
    await c.get('form').trigger('submit')
    await flushPromises()
    expect(settleCalls(calls).at(-1)!.body).toEqual({ choice: 'value', seenVersion: 57, value: 'rented' })
  })

  it('tags are tick boxes, without the 政法 ones for a settler not granted them', async () => {
    const tags: ConflictItem = { ...phoneConflict, id: 9, field: 'tags', kept: { ...phoneConflict.kept, value: ['dibao'] }, overwritten: { ...phoneConflict.overwritten, value: ['dibao', 'disabled'] }, current: ['dibao'] }
    const calls = server({ open: [tags] })
    const w = await mountPage({ ...secretary, sensitiveTags: false })
    const c = card(w, 9)
    expect(c.get('[data-testid="conflict-overwritten"]').text()).toContain('低保、残疾')
    await c.get('[data-action="enter-value"]').trigger('click')
    const boxes = c.findAll('input[type="checkbox"]')
    const labels = c.findAll('.conflict-tag').map((l) => l.text())
    expect(labels).toContain('独居老人')
    expect(labels).not.toContain('社区矫正')
    expect(boxes.filter((b) => (b.element as HTMLInputElement).checked).map((b) => b.attributes('value'))).toEqual(['dibao'])
    await c.get('input[value="elderly_alone"]').setValue(true)
    await c.get('form').trigger('submit')
    await flushPromises()
    expect(settleCalls(calls).at(-1)!.body).toEqual({ choice: 'value', seenVersion: 41, value: ['dibao', 'elderly_alone'] })
  })

  it('a resident’s moving out against their death: named by resident, settled by a side (the resident’s version), nothing typed', async () => {
    const status: ConflictItem = {
      ...phoneConflict,
      id: 9,
      entity: 'resident',
      resident: { id: '0190a000-0000-7000-8000-000000000333', nameMasked: '李*华', version: 63 },
      field: 'status',
      kept: { value: 'deceased', by: { id: secretary.id, name: secretary.name }, at: '2026-11-21T06:00:00.000Z' },
      overwritten: { value: 'moved_out', by: worker, at: '2026-11-21T05:00:00.000Z' },
      current: 'deceased',
    }
    const calls = server({ open: [status] })
    const w = await mountPage()
    const c = card(w, 9)
    expect(c.get('[data-testid="conflict-resident"]').text()).toBe('居民 李*华')
    expect(c.get('.conflict-field').text()).toBe('在住/迁出/去世')
    expect(c.get('[data-action="keep-current"]').text()).toContain('保留「去世」')
    expect(c.find('[data-action="enter-value"]').exists()).toBe(false)
    await c.get('[data-action="take-other"]').trigger('click')
    await flushPromises()
    expect(settleCalls(calls).map((x) => x.body)).toEqual([{ choice: 'other', seenVersion: 63 }])
  })

  it('offers no "use the other" when the household holds that value again by now', async () => {
    server({ open: [{ ...housingConflict, current: 'rented' }] })
    const w = await mountPage()
    expect(card(w, 8).find('[data-action="take-other"]').exists()).toBe(false)
    expect(card(w, 8).get('[data-action="keep-current"]').text()).toBe('保留「出租」')
  })

  it('says why the server refused, by the conflict (settled meanwhile by someone else)', async () => {
    server({ settle: () => apiError(409, 'STALE', '这条已由王主任在 2026-11-22 09:00 处理过了，请刷新') })
    const w = await mountPage()
    await card(w, 7).get('[data-action="take-other"]').trigger('click')
    await flushPromises()
    expect(card(w, 7).get('[data-testid="conflict-error"]').text()).toBe('这条已由王主任在 2026-11-22 09:00 处理过了，请刷新')
  })

  it('needs a connection: offline it says so and asks nothing', async () => {
    const calls = server()
    const w = await mountPage(secretary, false)
    expect(w.get('[data-testid="conflicts-offline"]').text()).toBe('离线时不能处理修改冲突，请联网后再来。')
    expect(calls).toHaveLength(0)
  })

  it('is the office’s: a worker is told so and nothing is fetched', async () => {
    const calls = server()
    const w = await mountPage(validUser())
    expect(w.find('[data-testid="conflicts-office-only"]').exists()).toBe(true)
    expect(calls).toHaveLength(0)
  })

  it('speaks English when chosen', async () => {
    server()
    await setLocale('en')
    const w = await mountPage()
    expect(card(w, 7).get('[data-testid="conflict-kept"]').text()).toBe('Current value (changed later)13900000002 张丽, 11-20 10:20')
    expect(card(w, 8).get('[data-action="take-other"]').text()).toBe('Use “Rented”')
    expect(card(w, 8).text()).toContain('Housing')
  })
})

describe('ConflictHomeLink (the secretary’s home)', () => {
  it('shows the open count from the server and leads to the list', async () => {
    const calls = server()
    logIn(secretary)
    const w = mount(ConflictHomeLink, { global: { plugins: [pinia, testRouter()] } })
    await flushPromises()
    expect(w.get('[data-testid="home-conflicts"]').text()).toBe('2 条修改冲突待处理')
    expect(w.get('[data-testid="home-conflicts"]').attributes('href')).toBe('/conflicts')
    expect(calls.map((c) => c.url.search)).toEqual(['?state=open&limit=1'])
  })

  it('is not on a worker’s home, who is never asked about it', async () => {
    const calls = server()
    logIn(validUser())
    const w = mount(ConflictHomeLink, { global: { plugins: [pinia, testRouter()] } })
    await flushPromises()
    expect(w.find('[data-testid="home-conflicts"]').exists()).toBe(false)
    expect(calls).toHaveLength(0)
    // Not even with a count left from an office session on this tab.
    useConflictsStore().openCount = 3
    await flushPromises()
    expect(w.find('[data-testid="home-conflicts"]').exists()).toBe(false)
  })
})
