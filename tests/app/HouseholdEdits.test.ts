import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { h } from 'vue'
import { createMemoryHistory, createRouter, RouterView } from 'vue-router'
import { db } from '../../src/app/db/instance'
import HouseholdPage from '../../src/app/pages/HouseholdPage.vue'
import VisitPage from '../../src/app/pages/VisitPage.vue'
import { useRegisterStore } from '../../src/app/stores/register'
import type { ChecklistTemplate, User } from '../../src/domain'
import { DEFAULT_TEMPLATES_ZH } from '../../src/domain/defaultTemplates'
import { ids, validGridCell, validHousehold, validResident, validUser } from '../support/fixtures'
import { putResidents } from '../../src/app/db/residents'

// The worker keeps the register true from the household page (issue 10, part 3): every change
// is on the phone at once and queued as a field-level patch; 政法 tags and ID numbers are not
// theirs; a refused change stays in sight; a visit that says the family changed offers to record it.

const spouseId = '0190a000-0000-7000-8000-0000000000a2'
const head = validResident() // 王建国, head
const spouse = validResident({ id: spouseId, name: '李秀英', sex: 'F', relation: 'spouse', birthYear: 1952, idMasked: null })
const routine: ChecklistTemplate = { id: ids.template, ...DEFAULT_TEMPLATES_ZH.find((t) => t.code === 'routine')! }

let pinia: Pinia
async function setup(user: User = validUser(), household = validHousehold({ attention: 'normal' })) {
  pinia = createPinia()
  setActivePinia(pinia)
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  await db.gridCells.put(validGridCell())
  await db.households.put({ ...household, _v: 40 })
  await putResidents(db, [
    { ...head, _v: 41 },
    { ...spouse, _v: 42 },
  ])
  await db.checklistTemplates.put(routine)
  // A phone that has synced before, as one holding a register has: a sync pass a save sets off
  // (its request fails here, no server) goes on from its cursor, never starts over.
  await db.meta.put({ key: 'cursor', value: '1.1.42' })
}
beforeEach(() => setup())
afterEach(() => vi.unstubAllGlobals())

async function app(path: string) {
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/households/:id', component: HouseholdPage, props: true },
      { path: '/households/:id/visit', component: VisitPage, props: true },
      { path: '/:rest(.*)*', component: { render: () => h('p', { 'data-testid': 'elsewhere' }) } },
    ],
  })
  await router.push(path)
  const w = mount(RouterView, { attachTo: document.body, global: { plugins: [pinia, router] } })
  await vi.waitFor(() => expect(w.find('[data-testid="household-address"], form.visit-form').exists()).toBe(true))
  return { router, w }
}
type W = Awaited<ReturnType<typeof app>>['w']

const page = () => app(`/households/${ids.household}`)
const outbox = () => db.outbox.orderBy('seq').toArray()
const click = async (w: W, selector: string) => {
  await w.get(selector).trigger('click')
  await flushPromises()
}
const rowOf = (w: W, name: string) => w.findAll('[data-testid="resident-row"]').find((r) => r.text().includes(name))!
const today = () => {
  const d = new Date()
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

describe('editing the household', () => {
  it('housing and phone changed: shown at once, queued as one patch of just those two fields on the version the phone has', async () => {
    const { w } = await page()
    await click(w, '[data-action="edit-household"]')
    await click(w, '[data-housing="rented"]')
    await w.get('[data-testid="household-edit"] input[name="phone"]').setValue('13955556666')
    await click(w, '[data-action="save-household"]')
    await vi.waitFor(() => expect(w.get('[data-testid="household-housing"]').text()).toBe('出租'))
    expect(w.get('[data-testid="household-phone"]').text()).toBe('139****6666')
    expect(w.get('[data-testid="edit-saved"]').text()).toBe('已保存在本机上，有网时自动上传')
    expect(w.get('[data-testid="household-unsent"]').text()).toContain('修改未上传')
    expect(w.find('[data-testid="household-edit"]').exists()).toBe(false)
    const rows = await outbox()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ entity: 'household', entityId: ids.household, op: 'patch', baseVersion: 40, data: { housing: 'rented', phone: '13955556666' } })
    expect(Object.keys(rows[0]!.data).sort()).toEqual(['housing', 'phone'])
  })

  it('notes are kept with the household; saving with nothing changed queues nothing', async () => {
    const { w } = await page()
    await click(w, '[data-action="edit-household"]')
    await w.get('textarea[name="notes"]').setValue('  老人耳背，敲门要用力 ')
    await click(w, '[data-action="save-household"]')
    await vi.waitFor(() => expect(w.get('[data-testid="household-notes"]').text()).toContain('老人耳背，敲门要用力'))
    await click(w, '[data-action="edit-household"]')
    await click(w, '[data-action="save-household"]')
    await vi.waitFor(() => expect(w.get('[data-testid="edit-saved"]').text()).toBe('没有改动'))
    expect((await outbox()).map((r) => r.data)).toEqual([{ notes: '老人耳背，敲门要用力' }])
  })

  it('a wrong phone number is said in words on the field, and nothing is queued', async () => {
    const { w } = await page()
    await click(w, '[data-action="edit-household"]')
    await w.get('[data-testid="household-edit"] input[name="phone"]').setValue('1381234')
    await click(w, '[data-action="save-household"]')
    expect(w.get('[data-testid="household-edit"]').text()).toContain('电话号码格式不对')
    expect(await outbox()).toEqual([])
  })

  it('a worker may not change 政法 tags, even one who sees them: shown as they are, said why, kept in the patch', async () => {
    await db.households.clear()
    await setup(validUser({ sensitiveTags: true }), validHousehold({ tags: ['dibao', 'correction'] }))
    const { w } = await page()
    await click(w, '[data-action="edit-household"]')
    expect(w.find('[data-tag="correction"]').exists()).toBe(false)
    expect(w.get('[data-testid="sensitive-fixed"]').text()).toContain('社区矫正')
    expect(w.get('[data-testid="sensitive-fixed"]').text()).toContain('只能由有权限的社区干部修改')
    await click(w, '[data-tag="elderly_alone"]')
    await click(w, '[data-action="save-household"]')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    expect((await outbox())[0]!.data).toEqual({ tags: ['dibao', 'elderly_alone', 'correction'] })
  })

  it('the secretary granted 政法 tags may toggle them', async () => {
    await setup(validUser({ role: 'secretary', gridIds: [], sensitiveTags: true }), validHousehold({ tags: ['dibao', 'correction'] }))
    const { w } = await page()
    await click(w, '[data-action="edit-household"]')
    await click(w, '[data-tag="correction"]')
    await click(w, '[data-action="save-household"]')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    expect((await outbox())[0]!.data).toEqual({ tags: ['dibao'] })
  })
})

describe('changing who lives there', () => {
  it('the head moved out: shown apart with day and destination, no longer a member, and the household is named by the spouse at once', async () => {
    const { w } = await page()
    await click(w, `[data-testid="resident-row"]:first-child [data-action="move-out"]`)
    const form = w.get('[data-testid="resident-moved_out"]')
    expect(form.text()).toContain('王建国 迁出')
    await form.get('input[name="statusDate"]').setValue('2026-11-03')
    await form.get('input[name="movedTo"]').setValue(' 杭州市西湖区 ')
    await click(w, '[data-action="save-change"]')
    await vi.waitFor(() => expect(w.findAll('[data-testid="departed-row"]')).toHaveLength(1))
    expect(w.get('[data-testid="departed-status"]').text()).toBe('已迁出 2026-11-03 · 去向 杭州市西湖区')
    expect(w.get('[data-testid="departed-row"]').text()).toContain('修改未上传')
    expect(w.findAll('[data-testid="resident-row"]').map((r) => r.find('.name').text())).toEqual(['李秀英'])
    expect((await db.households.get(ids.household))!.headName).toBe('李秀英')
    expect(useRegisterStore().residentsByGrid.get(ids.grid)).toBe(1)
    const rows = await outbox()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ entity: 'resident', entityId: ids.resident, op: 'patch', baseVersion: 41, data: { status: 'moved_out', statusDate: '2026-11-03', movedTo: '杭州市西湖区' } })
  })

  it('died: the day only; a day after today is refused in words before anything is queued', async () => {
    const { w } = await page()
    await click(w, `[data-testid="resident-row"]:last-child [data-action="deceased"]`)
    const form = w.get('[data-testid="resident-deceased"]')
    expect(form.find('input[name="movedTo"]').exists()).toBe(false)
    await form.get('input[name="statusDate"]').setValue('2099-01-01')
    await click(w, '[data-action="save-change"]')
    expect(form.get('[role="alert"]').text()).toBe('日期不能晚于今天')
    expect(await outbox()).toEqual([])
    await form.get('input[name="statusDate"]').setValue(today())
    await click(w, '[data-action="save-change"]')
    await vi.waitFor(() => expect(w.get('[data-testid="departed-status"]').text()).toBe(`${today()} 去世`))
    expect((await outbox())[0]!.data).toEqual({ status: 'deceased', statusDate: today(), movedTo: null })
  })

  it('a mistaken move is undone: back among the members, day and destination cleared', async () => {
    await putResidents(db, [{ ...spouse, status: 'moved_out', statusDate: '2026-10-01', movedTo: '养老院', _v: 42 }])
    vi.stubGlobal('confirm', () => true)
    const { w } = await page()
    expect(w.get('[data-testid="departed-status"]').text()).toBe('已迁出 2026-10-01 · 去向 养老院')
    await click(w, '[data-action="undo-departure"]')
    await vi.waitFor(() => expect(w.findAll('[data-testid="resident-row"]')).toHaveLength(2))
    expect((await outbox())[0]!.data).toEqual({ status: 'present', statusDate: null, movedTo: null })
  })

  it('a new phone for a resident: just the phone is queued', async () => {
    const { w } = await page()
    await click(w, `[data-testid="resident-row"]:last-child [data-action="edit-phone"]`)
    await w.get('[data-testid="resident-phone"] input[name="phone"]').setValue('13700001111')
    await click(w, '[data-action="save-change"]')
    await vi.waitFor(() => expect(rowOf(w, '李秀英').text()).toContain('137****1111'))
    expect(await outbox()).toMatchObject([{ entity: 'resident', entityId: spouseId, op: 'patch', data: { phone: '13700001111' } }])
  })

  it('someone new: a member at once, found by name, created without an ID number', async () => {
    const { w } = await page()
    await click(w, '[data-action="add-resident"]')
    const form = w.get('[data-testid="resident-add"]')
    expect(form.text()).toContain('身份证号由社区管理员在台账里登记')
    expect(form.find('input[name="idNumber"]').exists()).toBe(false)
    await click(w, '[data-action="save-resident"]')
    expect(form.text()).toContain('姓名不能为空')
    expect(form.text()).toContain('请选一个')
    await form.get('input[name="name"]').setValue('王小满')
    await click(w, '[data-sex="F"]')
    await form.get('input[name="birthYear"]').setValue(String(new Date().getFullYear()))
    await click(w, '[data-relation="grandchild"]')
    await click(w, '[data-action="save-resident"]')
    await vi.waitFor(() => expect(w.findAll('[data-testid="resident-row"]')).toHaveLength(3))
    expect(rowOf(w, '王小满').text()).toContain('孙辈')
    const rows = await outbox()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ entity: 'resident', op: 'create', data: { name: '王小满', householdId: ids.household, gridId: ids.grid, idMasked: null, tags: [], status: 'present' } })
    expect(useRegisterStore().search('王小满').map((x) => x.id)).toEqual([ids.household])
  })

  it('a change the server refused stays on the page, marked, with the way to 待处理', async () => {
    const { w } = await page()
    await click(w, `[data-testid="resident-row"]:first-child [data-action="move-out"]`)
    await w.get('input[name="statusDate"]').setValue('2026-11-03')
    await click(w, '[data-action="save-change"]')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    const row = (await outbox())[0]!
    await db.outbox.update(row.seq!, { state: 'rejected', error: { code: 'OUT_OF_SCOPE', message: '这户不在你负责的网格里' } })
    await vi.waitFor(() => expect(w.get('[data-testid="departed-row"]').text()).toContain('修改没被接收'))
    expect(w.get('[data-testid="departed-row"] a').attributes('href')).toBe('/attention')
    expect(w.get('[data-testid="departed-status"]').text()).toBe('已迁出 2026-11-03')
  })
})

describe('a visit that says the family changed', () => {
  it('the form says the register can follow; saved, the household page offers to record it, once', async () => {
    const { w, router } = await app(`/households/${ids.household}/visit`)
    const field = w.get('[data-item="members_changed"]')
    expect(w.find('[data-testid="family-change-hint"]').exists()).toBe(false)
    await field.findAll('button').find((b) => b.text() === '迁出')!.trigger('click')
    expect(w.get('[data-testid="family-change-hint"]').text()).toContain('可以在这户的页面上登记')
    await w.get('[data-item="contact_verified"]').findAll('button')[0]!.trigger('click')
    await click(w, '[data-action="save-visit"]')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/households/${ids.household}?change=moved_out`))
    await vi.waitFor(() => expect(w.find('[data-testid="family-offer"]').exists()).toBe(true))
    expect(w.get('[data-testid="family-offer"]').text()).toContain('走访时记下有人迁出')
    // Recording the move answers the offer.
    await click(w, `[data-testid="resident-row"]:last-child [data-action="move-out"]`)
    await click(w, '[data-action="save-change"]')
    await vi.waitFor(() => expect(w.find('[data-testid="family-offer"]').exists()).toBe(false))
    expect(router.currentRoute.value.fullPath).toBe(`/households/${ids.household}`)
  })

  it('someone new: the offer opens the form to add them; 无变化 offers nothing', async () => {
    const { w, router } = await app(`/households/${ids.household}?change=added`)
    expect(w.get('[data-testid="family-offer"]').text()).toContain('走访时记下家里有新成员')
    await click(w, '[data-action="offer-add"]')
    expect(w.find('[data-testid="resident-add"]').exists()).toBe(true)
    await click(w, '[data-action="offer-dismiss"]')
    await vi.waitFor(() => expect(w.find('[data-testid="family-offer"]').exists()).toBe(false))
    await router.push(`/households/${ids.household}/visit`)
    await vi.waitFor(() => expect(w.find('[data-item="members_changed"]').exists()).toBe(true))
    await w.get('[data-item="members_changed"]').findAll('button')[0]!.trigger('click')
    expect(w.find('[data-testid="family-change-hint"]').exists()).toBe(false)
    await w.get('[data-item="contact_verified"]').findAll('button')[0]!.trigger('click')
    await click(w, '[data-action="save-visit"]')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe(`/households/${ids.household}`))
  })
})

describe('待处理 and refused register changes', () => {
  it('names a refused resident change by the flat and the masked name, and opens the household', async () => {
    const AttentionPage = (await import('../../src/app/pages/AttentionPage.vue')).default
    const { w } = await page()
    await click(w, `[data-testid="resident-row"]:first-child [data-action="move-out"]`)
    await click(w, '[data-action="save-change"]')
    await vi.waitFor(async () => expect(await outbox()).toHaveLength(1))
    const row = (await outbox())[0]!
    await db.outbox.update(row.seq!, { state: 'rejected', error: { code: 'OUT_OF_SCOPE', message: '这户不在你负责的网格里' } })
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/attention', component: AttentionPage },
        { path: '/:rest(.*)*', component: { render: () => null } },
      ],
    })
    await router.push('/attention')
    const list = mount(RouterView, { attachTo: document.body, global: { plugins: [pinia, router] } })
    await vi.waitFor(() => expect(list.find('[data-testid="rejected-name"]').exists()).toBe(true))
    expect(list.get('[data-testid="rejected-name"]').text()).toBe('修改居民信息：幸福里小区3号楼1单元502 · 王*国')
    expect(list.get('[data-testid="rejected-row"]').text()).toContain('这户不在你负责的网格里')
    expect(list.get('[data-action="open-household"]').attributes('href')).toBe(`/households/${ids.household}`)
  })
})
