import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import CasePage from '../../src/app/pages/CasePage.vue'
import type { Case, Team, User } from '../../src/domain'
import { ids, validGridCell, validHousehold, validResident, validUser } from '../support/fixtures'
import { testRouter } from './helpers'
import type { OutboxRow } from '../../src/app/db/database'
import { putResidents } from '../../src/app/db/residents'

const CASE_ID = '0190a000-0000-7000-8000-0000000000c5'
const HOUR = 3600_000
const secretary = validUser({ id: '0190a000-0000-7000-8000-0000000000d1', username: 'secretary', name: '张书记', role: 'secretary', gridIds: [] })
const mediation: Team = { id: '0190a000-0000-7000-8000-0000000000f1', name: '调解室', kind: 'mediation', active: true }
const oldTeam: Team = { id: '0190a000-0000-7000-8000-0000000000f2', name: '老物业', kind: 'property', active: false }

function aCase(over: Partial<Case> = {}): Case {
  const at = new Date(Date.now() - HOUR).toISOString()
  return {
    id: CASE_ID,
    kind: 'dispute',
    category: 'neighbor',
    title: '楼上漏水到楼下',
    description: '两家为修卫生间防水争执',
    gridId: ids.grid,
    householdIds: [ids.household],
    residentIds: [ids.resident],
    location: null,
    place: '3号楼1单元',
    urgency: 'yellow',
    photoIds: [],
    visitId: null,
    reporterId: ids.worker,
    reportedAt: at,
    state: 'reported',
    handlerTeamId: null,
    deadline: null,
    updatedAt: at,
    ...over,
  }
}

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.households.put(validHousehold())
  await putResidents(db, [validResident()])
  await db.teams.bulkPut([mediation, oldTeam])
})

async function mountAs(user: User, c: Case = aCase()) {
  await db.cases.put(c)
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user }))
  const w = mount(CasePage, { props: { id: c.id }, global: { plugins: [pinia, testRouter()] } })
  await vi.waitFor(() => expect(w.find('[data-testid="case-title"]').exists()).toBe(true))
  await flushPromises()
  return w
}
type W = Awaited<ReturnType<typeof mountAs>>

const actionLabels = (w: W) => w.findAll('[data-action^="case-"]').map((b) => b.text())
const steps = (w: W) => w.findAll('[data-testid="case-step"] strong').map((s) => s.text())
async function act(w: W, action: string, fill?: (w: W) => Promise<void>) {
  await w.get(`[data-action="case-${action}"]`).trigger('click')
  if (fill) await fill(w)
  await w.get(`[data-form="${action}"]`).trigger('submit')
  await flushPromises()
}

describe('CasePage', () => {
  it('shows the case in full: residents by their full names, place, state and history', async () => {
    const w = await mountAs(secretary)
    expect(w.get('[data-testid="case-title"]').text()).toBe('楼上漏水到楼下')
    expect(w.get('[data-testid="case-state"]').text()).toBe('上报')
    expect(w.text()).toContain('矛盾纠纷 · 邻里纠纷')
    expect(w.get('[data-testid="case-place"]').text()).toContain('3号楼1单元')
    await vi.waitFor(() => expect(w.get('[data-testid="case-residents"]').text()).toBe('王建国（户主）'))
    expect(w.get('[data-testid="case-party"] a').attributes('href')).toBe(`/households/${ids.household}`)
    expect(steps(w)).toEqual(['上报'])
     // One time to act by, named for what is due: a reported case is to be answered (受理) by then.
    expect(w.get('[data-testid="case-respond-by"]').text()).not.toBe('')
    expect(w.find('[data-testid="case-deadline"]').exists()).toBe(false)
    expect(w.text()).toContain('应受理时间')
  })

  it('offers the secretary 受理 and 回退 on a reported case, and not 结案', async () => {
    const w = await mountAs(secretary)
    expect(actionLabels(w)).toEqual(['受理', '回退'])
    expect(actionLabels(w)).not.toContain('结案')
  })

  it('will not 回退 without a reason, says so, and changes nothing', async () => {
    const w = await mountAs(secretary)
    await w.get('[data-action="case-return"]').trigger('click')
    expect(w.get('[data-form="return"]').text()).toContain('理由或结果（必填）')
    await w.get('[data-form="return"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="action-error"]').text()).toBe('「回退」需要写明理由或结果')
    expect(await db.outbox.count()).toBe(0)
    expect((await db.cases.get(CASE_ID))?.state).toBe('reported')
    expect(steps(w)).toEqual(['上报'])
  })

  it('受理 moves the case to accepted on the device, adds the step and queues one transition', async () => {
    const w = await mountAs(secretary)
    await act(w, 'accept')
    await vi.waitFor(() => expect(w.get('[data-testid="case-state"]').text()).toBe('受理'))
    expect((await db.cases.get(CASE_ID))?.state).toBe('accepted')
    expect(steps(w)).toEqual(['上报', '受理'])
    expect(w.get('[data-action="accept"] .muted').text()).toContain('张书记')
    const rows = await db.outbox.toArray()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ entity: 'case', entityId: CASE_ID, op: 'transition', state: 'pending', data: { action: 'accept' } })
    expect(w.get('[data-testid="case-unsent"]').text()).toBe('未上传')
    // Now it can be assigned, and no longer accepted again.
    expect(actionLabels(w)).toEqual(['回退', '分派', '上报街道'])
  })

  it('分派 offers only active teams, needs one, and shows its name once assigned', async () => {
    const w = await mountAs(secretary, aCase({ state: 'accepted' }))
    await w.get('[data-action="case-assign"]').trigger('click')
    expect(w.findAll('select[name="handlerTeamId"] option').map((o) => o.text())).toEqual(['请选择处置单位', '调解室'])
    await w.get('[data-form="assign"]').trigger('submit')
    await flushPromises()
    expect(w.get('[data-testid="action-error"]').text()).toBe('分派时要选一个处置单位')
    await w.get('select[name="handlerTeamId"]').setValue(mediation.id)
    await w.get('[data-form="assign"]').trigger('submit')
    await vi.waitFor(() => expect(w.get('[data-testid="case-handler"]').text()).toBe('调解室'))
    expect((await db.cases.get(CASE_ID))?.deadline).not.toBeNull()
    expect(w.text()).toContain('交给调解室')
    // Once assigned, its deadline is shown once: not again as a second 'due' time with the same value.
    const deadline = w.get('[data-testid="case-deadline"]').text()
    expect(deadline).not.toBe('—')
    expect(w.find('[data-testid="case-respond-by"]').exists()).toBe(false)
    expect(w.findAll('.facts dd').filter((d) => d.text() === deadline)).toHaveLength(1)
  })

  it('offers the worker of the grid no office actions on a reported case', async () => {
    const w = await mountAs(validUser())
    expect(actionLabels(w)).toEqual([])
    expect(w.find('[data-action="case-accept"]').exists()).toBe(false)
    expect(w.find('[data-action="case-return"]').exists()).toBe(false)
  })

  it('lets the worker verify a resolved case by a follow-up visit to the household', async () => {
    const w = await mountAs(validUser(), aCase({ state: 'resolved' }))
    expect(actionLabels(w)).toEqual(['回访核查', '核查未通过'])
    await w.get('[data-action="case-verify"]').trigger('click')
    expect(w.get('[data-action="verify-by-visit"]').attributes('href')).toBe(`/households/${ids.household}/visit?verifyCase=${CASE_ID}`)
  })

  it('says when the server refused a change to the case, with its reason', async () => {
    await db.outbox.add({
      mutationId: '0190a000-0000-7000-8000-0000000000e9',
      entity: 'case',
      entityId: CASE_ID,
      op: 'transition',
      data: {},
      at: new Date().toISOString(),
      state: 'rejected',
      attempts: 1,
      error: { code: 'INVALID_TRANSITION', message: '案件现在是「受理」，不能「受理」' },
    } as OutboxRow) // only its refusal is shown
    const w = await mountAs(secretary)
    await vi.waitFor(() => expect(w.find('[data-testid="case-rejected"]').exists()).toBe(true))
    expect(w.get('[data-testid="case-rejected"]').text()).toContain('被退回')
    expect(w.get('[data-testid="case-rejected"]').text()).toContain('案件现在是「受理」，不能「受理」')
    expect(w.get('[data-testid="case-rejected"] a').attributes('href')).toBe('/attention')
  })
})
