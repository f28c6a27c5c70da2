import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import CaseNewPage from '../../src/app/pages/CaseNewPage.vue'
import { CaseReport, type User } from '../../src/domain'
import { ids, validGridCell, validHousehold, validResident, validUser, validVisit } from '../support/fixtures'
import { testRouter } from './helpers'
import { putVisits } from '../../src/app/db/visits'
import { putResidents } from '../../src/app/db/residents'

const spouseId = '0190a000-0000-7000-8000-0000000000a2'
const otherGrid = '0190a000-0000-7000-8000-0000000000e2'

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.bulkPut([validGridCell(), validGridCell({ id: otherGrid, code: 'G02', name: '幸福里第二网格' })])
  await db.households.put(validHousehold())
  await putResidents(db, [validResident(), validResident({ id: spouseId, name: '李秀英', sex: 'F', relation: 'spouse' })])
  await putVisits(db, [validVisit({ startedAt: new Date().toISOString() })])
})

function logIn(user: User = validUser()) {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
}

async function mountPage(props: { household?: string; visit?: string } = { household: ids.household }, user?: User) {
  logIn(user)
  const router = testRouter()
  await router.push('/cases/new')
  const w = mount(CaseNewPage, { props, global: { plugins: [pinia, router] } })
  await flushPromises()
  // The household and its residents arrive from IndexedDB after mount.
  if (props.household) await vi.waitFor(() => expect(w.findAll('[data-resident]').length + w.findAll('[data-testid="case-household"]').length).toBe(3))
  return { w, router }
}
type W = Awaited<ReturnType<typeof mountPage>>['w']

const categoryLabels = (w: W) =>
  w
    .findAll('select[name="category"] option')
    .filter((o) => o.attributes('value'))
    .map((o) => o.text())
const save = async (w: W) => {
  await w.get('form').trigger('submit')
  await flushPromises()
}

describe('CaseNewPage', () => {
  it('offers the categories of the kind chosen, in Chinese', async () => {
    const { w } = await mountPage()
    expect(categoryLabels(w)).toEqual([])
    await w.get('[data-kind="dispute"]').trigger('click')
    expect(categoryLabels(w)).toEqual(['邻里纠纷', '家庭婚姻', '物业管理', '劳资纠纷', '房屋宅基地', '征地拆迁', '医患纠纷', '消费纠纷', '其他'])
    await w.get('[data-kind="hazard"]').trigger('click')
    expect(categoryLabels(w)).toContain('燃气')
    expect(categoryLabels(w)).not.toContain('邻里纠纷')
  })

  it('shows the household, its residents masked, and the response time of the urgency chosen', async () => {
    const { w } = await mountPage({ household: ids.household, visit: ids.visit })
    expect(w.get('[data-testid="case-household"]').text()).toBe('幸福里小区3号楼1单元502')
    expect(w.find('[data-testid="case-visit"]').exists()).toBe(true)
    expect(w.text()).toContain('王*国')
    expect(w.text()).toContain('李*英')
    expect(w.html()).not.toContain('王建国')
    await w.get('[data-urgency="red"]').trigger('click')
    expect(w.get('[data-testid="urgency-hint"]').text()).toBe('红：2小时内响应')
  })

  it('refuses a report without a title, saying 请写一个标题, and saves nothing', async () => {
    const { w, router } = await mountPage()
    await w.get('[data-kind="dispute"]').trigger('click')
    await w.get('select[name="category"]').setValue('property')
    await save(w)
    expect(w.get('[data-error="title"]').text()).toBe('请写一个标题')
    expect(w.get('[data-testid="fix-errors"]').text()).toBe('还有 1 处要改')
    expect(await db.cases.count()).toBe(0)
    expect(await db.outbox.count()).toBe(0)
    expect(router.currentRoute.value.path).toBe('/cases/new')
  })

  it('asks for the kind and the category before anything else is checked', async () => {
    const { w } = await mountPage()
    await w.get('input[name="title"]').setValue('楼道堆物')
    await save(w)
    expect(w.text()).toContain('请选择问题种类')
    expect(w.text()).toContain('请选择类别')
    expect(await db.cases.count()).toBe(0)
  })

  it('saves a valid report on the device as one reported case and one queued create, then opens it', async () => {
    const { w, router } = await mountPage({ household: ids.household, visit: ids.visit })
    await w.get('[data-kind="dispute"]').trigger('click')
    await w.get('select[name="category"]').setValue('neighbor')
    await w.get('input[name="title"]').setValue('  楼上漏水到楼下  ')
    await w.get('textarea[name="description"]').setValue('两家为修卫生间防水争执')
    await w.get('[data-urgency="red"]').trigger('click')
    await w.get(`[data-resident="${spouseId}"]`).setValue(true)
    await w.get('input[name="place"]').setValue('3号楼1单元')
    await save(w)

    const saved = await db.cases.toArray()
    expect(saved).toHaveLength(1)
    const c = saved[0]!
    expect(c).toMatchObject({
      state: 'reported',
      kind: 'dispute',
      category: 'neighbor',
      title: '楼上漏水到楼下',
      description: '两家为修卫生间防水争执',
      urgency: 'red',
      gridId: ids.grid,
      householdIds: [ids.household],
      residentIds: [spouseId],
      place: '3号楼1单元',
      visitId: ids.visit,
      reporterId: ids.worker,
      handlerTeamId: null,
      deadline: null,
    })
    expect(CaseReport.safeParse(c).success).toBe(true)
    const rows = await db.outbox.toArray()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ entity: 'case', op: 'create', entityId: c.id, state: 'pending' })
    expect(router.currentRoute.value.path).toBe(`/cases/${c.id}`)
    expect(sessionStorage.getItem('zoufang.flash')).toBe('问题已保存在本机上，有网时自动上传')
  })

  it('standalone, files the report under the worker’s one grid cell without asking', async () => {
    const { w } = await mountPage({})
    await vi.waitFor(() => expect(w.text()).toContain('网格：幸福里第一网格'))
    expect(w.find('select[name="gridId"]').exists()).toBe(false)
    await w.get('[data-kind="hazard"]').trigger('click')
    await w.get('select[name="category"]').setValue('fire')
    await w.get('input[name="title"]').setValue('电动车楼道充电')
    await save(w)
    expect(await db.cases.toArray()).toMatchObject([{ gridId: ids.grid, householdIds: [], residentIds: [], visitId: null, category: 'fire' }])
  })

  it('standalone, asks a worker with several grid cells which one', async () => {
    const { w } = await mountPage({}, validUser({ gridIds: [ids.grid, otherGrid] }))
    await w.get('[data-kind="need"]').trigger('click')
    await w.get('select[name="category"]').setValue('parking')
    await w.get('input[name="title"]').setValue('小区停车难')
    await save(w)
    expect(w.text()).toContain('请选择网格')
    expect(await db.cases.count()).toBe(0)
    await w.get('select[name="gridId"]').setValue(otherGrid)
    await save(w)
    expect(await db.cases.toArray()).toMatchObject([{ gridId: otherGrid }])
  })
})
