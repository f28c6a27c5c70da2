import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import VolunteersPage from '../../src/app/pages/VolunteersPage.vue'
import { chinaDay, ResourcePatch, ServiceRecord, ServiceRecordCreate, ServiceRecordTransition, type User } from '../../src/domain'
import { DEFAULT_SETTINGS } from '../../src/domain/settingsDefaults'
import { ids, validNeed, validProject, validResource, validServiceRecord, validUser, validVolunteer } from '../support/fixtures'
import { testRouter } from './helpers'

// 志愿者积分, the office's side: hours recorded for a volunteer on a project show at once in 待确认
// (offline: nothing but the device), 确认 puts them in the volunteer's 台账 as 已确认 with the points
// of the device's rule table, 不予确认 needs a reason, and the outbox holds exactly the mutations
// the server takes (parsed here with the server's own schemas).
const VOLUNTEER = '0190a000-0000-7000-8000-0000000f0001'
const OTHER_VOLUNTEER = '0190a000-0000-7000-8000-0000000f0002'
const OTHER_NEED = '0190a000-0000-7000-8000-0000000f0003'
const DAY = chinaDay(Date.now())

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.resources.bulkPut([
    validResource(),
    validVolunteer({ id: VOLUNTEER }),
    validVolunteer({ id: OTHER_VOLUNTEER, name: '李秀英', contactName: '李秀英', volunteer: { residentId: null, skills: [], availability: '', partyMember: false, branch: null, pointsConsent: false } }),
  ])
  // 助餐 earns 15 points an hour here, anything else the default 10.
  await db.settings.put({ ...DEFAULT_SETTINGS, pointRules: [{ category: null, pointsPerHour: 10 }, { category: 'meals', pointsPerHour: 15 }], _v: 2 })
  await db.projects.put(validProject({ status: 'doing', resourceIds: [ids.resource, VOLUNTEER] }))
  await db.needs.bulkPut([
    validNeed({ category: 'elderly_care', description: '独居老人想要上门理发', status: 'matched', resourceId: VOLUNTEER, matchedAt: '2026-11-20T03:00:00.000Z' }),
    validNeed({ id: OTHER_NEED, category: 'other', description: '别人的需求', status: 'matched', resourceId: OTHER_VOLUNTEER, matchedAt: '2026-11-20T03:00:00.000Z' }),
  ])
})

async function mountAs(role: User['role']): Promise<VueWrapper> {
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser({ role }) }))
  const w = mount(VolunteersPage, { global: { plugins: [pinia, testRouter()] } })
  if (role !== 'worker') await vi.waitFor(() => expect(w.findAll('select[name="volunteer"] option')).toHaveLength(3))
  return w
}

const pending = (w: VueWrapper) => w.findAll('[data-testid="pending-record"]')
const alertText = (w: VueWrapper) => w.findAll('[role="alert"]').map((a) => a.text()).join(' ')

describe('VolunteersPage', () => {
  it('记工时 on a project → 待确认 at once → 确认 → 已确认 in the ledger with its points; the outbox holds the create and the confirmation', async () => {
    const w = await mountAs('secretary')
    expect(w.get('[data-testid="pending-hours"]').text()).toContain('没有待确认的工时')
    expect((w.get('input[name="day"]').element as HTMLInputElement).value).toBe(DAY)
    await w.get('select[name="volunteer"]').setValue(VOLUNTEER)
    await w.get('select[name="project"]').setValue(ids.project)
    await w.get('input[name="hours"]').setValue('2')
    await w.get('input[name="note"]').setValue(' 送餐上门 ')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(pending(w)).toHaveLength(1))
    const row = pending(w)[0]!
    expect(row.text()).toContain('王建华')
    expect(row.text()).toContain('2 小时')
    expect(row.text()).toContain(DAY)
    expect(row.text()).toContain('教师新村老年助餐点')
    expect(row.text()).toContain('送餐上门')
    expect(w.get('[role="status"]').text()).toContain('已记下王建华 2 小时，待确认')

    // On the device as the server will store it: 待确认, the project's category, no points.
    const [stored] = await db.serviceRecords.toArray()
    expect(ServiceRecord.parse(stored)).toMatchObject({ resourceId: VOLUNTEER, projectId: ids.project, needId: null, day: DAY, hours: 2, note: '送餐上门', category: 'meals', status: 'recorded', recordedBy: ids.worker, points: null, pointsPerHour: null })
    const [create] = await db.outbox.toArray()
    expect(create).toMatchObject({ entity: 'serviceRecord', op: 'create', entityId: stored!.id, state: 'pending' })
    // Exactly the create's shape: no status, no points (the server refuses points: POINTS_UNCONFIRMED).
    expect(create!.data).toEqual(ServiceRecordCreate.parse(create!.data))
    expect(create!.data).toEqual({ id: stored!.id, resourceId: VOLUNTEER, projectId: ids.project, needId: null, day: DAY, hours: 2, note: '送餐上门' })

    // The ledger follows the volunteer hours were recorded for.
    expect((w.get('select[name="ledgerVolunteer"]').element as HTMLSelectElement).value).toBe(VOLUNTEER)
    expect(w.get('[data-testid="ledger-record"]').attributes('data-status')).toBe('recorded')
    expect(w.get('[data-testid="ledger-status"]').text()).toBe('待确认')

    await row.get('[data-action="confirm-hours"]').trigger('click')
    await vi.waitFor(() => expect(pending(w)).toHaveLength(0))
    await vi.waitFor(() => expect(w.get('[data-testid="ledger-record"]').attributes('data-status')).toBe('confirmed'))
    expect(w.get('[data-testid="ledger-status"]').text()).toBe('已确认')
    expect(w.get('[data-testid="ledger-points"]').text()).toBe('30 分') // 2 h × 15 (助餐)
    expect(w.get('[data-testid="ledger-totals"]').text()).toContain('已确认 2 小时，共 30 分（1 条）')

    const confirmed = ServiceRecord.parse(await db.serviceRecords.get(stored!.id))
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedBy: ids.worker, points: 30, pointsPerHour: 15, rejectReason: null })
    const rows = await db.outbox.orderBy('seq').toArray()
    expect(rows.map((r) => [r.entity, r.op, r.entityId])).toEqual([
      ['serviceRecord', 'create', stored!.id],
      ['serviceRecord', 'transition', stored!.id],
    ])
    const body = ServiceRecordTransition.parse(rows[1]!.data)
    expect(rows[1]!.data).toEqual(body)
    expect(body).toEqual({ action: 'confirm', note: '', at: confirmed.confirmedAt })
  })

  it("the form shows the schema's messages and queues nothing: neither project nor need, no hours, not half hours", async () => {
    const w = await mountAs('secretary')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(alertText(w)).toContain('选志愿者')
    expect(alertText(w)).toContain('工时要记在一个项目或一条需求（含点单）上')
    expect(alertText(w)).toContain('工时要大于0')
    await w.get('select[name="volunteer"]').setValue(VOLUNTEER)
    await w.get('select[name="project"]').setValue(ids.project)
    await w.get('input[name="hours"]').setValue('1.3')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(alertText(w)).toContain('工时按半小时计（如1.5）')
    expect(alertText(w)).not.toContain('工时要记在一个项目')
    expect(await db.outbox.count()).toBe(0)
    expect(await db.serviceRecords.count()).toBe(0)
    expect(pending(w)).toHaveLength(0)
  })

  it("hours on a need matched to the volunteer (in a project too): only theirs are offered, and the need's category is the record's", async () => {
    const w = await mountAs('secretary')
    expect(w.get('select[name="need"]').attributes('disabled')).toBeDefined()
    await w.get('select[name="volunteer"]').setValue(VOLUNTEER)
    const options = w.findAll('select[name="need"] option').map((o) => o.attributes('value'))
    expect(options).toEqual(['', ids.need])
    await w.get('select[name="need"]').setValue(ids.need)
    await w.get('select[name="project"]').setValue(ids.project)
    await w.get('input[name="hours"]').setValue('1.5')
    await w.get('form').trigger('submit')
    await vi.waitFor(() => expect(pending(w)).toHaveLength(1))
    expect(pending(w)[0]!.text()).toContain('教师新村老年助餐点 · 养老照护：独居老人想要上门理发')
    const [stored] = await db.serviceRecords.toArray()
    // The need says best what the hours were for: its category (养老照护), not the project's (助餐).
    expect(stored).toMatchObject({ needId: ids.need, projectId: ids.project, category: 'elderly_care', hours: 1.5 })
    const [create] = await db.outbox.toArray()
    expect(ServiceRecordCreate.safeParse(create!.data).success).toBe(true)
    await pending(w)[0]!.get('[data-action="confirm-hours"]').trigger('click')
    await vi.waitFor(() => expect(w.get('[data-testid="ledger-points"]').text()).toBe('15 分')) // 1.5 h × the default 10
  })

  it('不予确认 without a reason shows why and queues nothing; with one, the ledger shows it not confirmed with the reason', async () => {
    await db.serviceRecords.put(validServiceRecord({ resourceId: VOLUNTEER, day: '2026-11-20', hours: 3 }))
    const w = await mountAs('secretary')
    await vi.waitFor(() => expect(pending(w)).toHaveLength(1))
    await pending(w)[0]!.get('[data-action="reject-hours"]').trigger('click')
    await pending(w)[0]!.get('[data-action="reject-send"]').trigger('click')
    await flushPromises()
    expect(pending(w)[0]!.get('[role="alert"]').text()).toBe('不予确认要写明原因')
    expect(await db.outbox.count()).toBe(0)
    expect((await db.serviceRecords.get(ids.serviceRecord))!.status).toBe('recorded')

    await pending(w)[0]!.get('input[name="rejectReason"]').setValue('当天活动改期，未到岗')
    await pending(w)[0]!.get('[data-action="reject-send"]').trigger('click')
    await vi.waitFor(() => expect(pending(w)).toHaveLength(0))
    await vi.waitFor(() => expect(w.get('[data-testid="ledger-record"]').attributes('data-status')).toBe('rejected'))
    expect(w.get('[data-testid="ledger-record"]').text()).toContain('不予确认')
    expect(w.get('[data-testid="ledger-record"]').text()).toContain('原因：当天活动改期，未到岗')
    expect(w.find('[data-testid="ledger-points"]').exists()).toBe(false)
    expect(w.get('[data-testid="ledger-totals"]').text()).toContain('已确认 0 小时，共 0 分（0 条）')

    expect(ServiceRecord.parse(await db.serviceRecords.get(ids.serviceRecord))).toMatchObject({ status: 'rejected', rejectReason: '当天活动改期，未到岗', points: null })
    const rows = await db.outbox.toArray()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ entity: 'serviceRecord', op: 'transition', entityId: ids.serviceRecord })
    expect(ServiceRecordTransition.parse(rows[0]!.data)).toEqual({ action: 'reject', note: '当天活动改期，未到岗', at: expect.any(String) })
  })

  it('同意公开署名 is shown and changed with the whole volunteer part (resource:patch)', async () => {
    const w = await mountAs('secretary')
    await w.get('select[name="ledgerVolunteer"]').setValue(VOLUNTEER)
    expect(w.get('[data-testid="ledger-consent"]').text()).toBe('同意公开署名')
    expect((w.get('input[name="pointsConsent"]').element as HTMLInputElement).checked).toBe(true)
    await w.get('input[name="pointsConsent"]').setValue(false)
    await vi.waitFor(() => expect(w.get('[data-testid="ledger-consent"]').attributes('data-consent')).toBe('false'))
    expect(w.get('[data-testid="ledger-consent"]').text()).toBe('未同意公开署名')
    const rows = await db.outbox.toArray()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ entity: 'resource', op: 'patch', entityId: VOLUNTEER })
    const whole = validVolunteer().volunteer!
    expect(ResourcePatch.parse(rows[0]!.data)).toEqual({ volunteer: { ...whole, pointsConsent: false } })
    expect(rows[0]!.data).toEqual({ volunteer: { ...whole, pointsConsent: false } })
  })

  it('a worker is told the page is the office’s and sees no form', async () => {
    const w = await mountAs('worker')
    await flushPromises()
    expect(w.text()).toContain('志愿者工时由社区书记和管理员记录和确认')
    expect(w.find('form').exists()).toBe(false)
  })
})
