import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import VisitPage from '../../src/app/pages/VisitPage.vue'
import type { Case } from '../../src/domain'
import { ids, validGridCell, validHousehold, validResident, validUser } from '../support/fixtures'
import { testRouter } from './helpers'
import { allVisits, countVisits } from '../../src/app/db/visits'
import { putResidents } from '../../src/app/db/residents'

// 谁调处谁回访: a visit opened from a case's 回访核查 records the check when it is saved.
const CASE_ID = '0190a000-0000-7000-8000-0000000000c5'
function aCase(state: Case['state']): Case {
  const at = new Date(Date.now() - 3600_000).toISOString()
  return { id: CASE_ID, kind: 'dispute', category: 'neighbor', title: '楼上漏水到楼下', description: '', gridId: ids.grid, householdIds: [ids.household], residentIds: [], location: null, place: '', urgency: 'yellow', photoIds: [], visitId: null, reporterId: ids.worker, reportedAt: at, state, handlerTeamId: null, deadline: null, updatedAt: at }
}

let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await db.gridCells.put(validGridCell())
  await db.households.put(validHousehold())
  await putResidents(db, [validResident()])
})

async function visitFor(state: Case['state']) {
  await db.cases.put(aCase(state))
  localStorage.setItem('zoufang.session', JSON.stringify({ token: 't', expiresAt: '2099-01-01T00:00:00.000Z', user: validUser() }))
  const router = testRouter()
  await router.push(`/households/${ids.household}/visit?verifyCase=${CASE_ID}`)
  const w = mount(VisitPage, { props: { id: ids.household }, global: { plugins: [pinia, router] } })
  await vi.waitFor(() => expect(w.find('[data-testid="verify-notice"]').exists()).toBe(true))
  return { w, router }
}
type W = Awaited<ReturnType<typeof visitFor>>['w']
async function save(w: W, notes: string, outcome = 'met') {
  await w.get(`[data-outcome="${outcome}"]`).trigger('click')
  await w.get('select[name="template"]').setValue(null)
  await w.get('textarea[name="notes"]').setValue(notes)
  await w.get('form').trigger('submit')
  await flushPromises()
}

describe('VisitPage with ?verifyCase', () => {
  it('saves the visit, records 回访核查 on the case with it, and opens the case', async () => {
    const { w, router } = await visitFor('resolved')
    expect(w.get('[data-testid="verify-notice"]').text()).toContain('楼上漏水到楼下')
    await save(w, '两家已和好，漏水修好了')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/cases/${CASE_ID}`))
    const [visit] = await allVisits(db)
    expect((await db.cases.get(CASE_ID))?.state).toBe('verified')
    expect(await db.caseSteps.toArray()).toMatchObject([{ action: 'verify', note: '两家已和好，漏水修好了', visitId: visit!.id }])
    expect((await db.outbox.toArray()).map((r) => `${r.entity}:${r.op}`)).toEqual(['visit:create', 'case:transition'])
  })

  it('keeps the visit and says why when the case cannot be verified now', async () => {
    const { w, router } = await visitFor('in_progress')
    await save(w, '')
    await vi.waitFor(() => expect(w.get('[role="alert"]').text()).toContain('走访已保存，但核查没有记上'))
    expect(w.get('[role="alert"]').text()).toContain('不能「回访核查」')
    expect(await countVisits(db)).toBe(1)
    expect((await db.cases.get(CASE_ID))?.state).toBe('in_progress')
    expect(router.currentRoute.value.path).toBe(`/households/${ids.household}/visit`)
    // Locked, so the same visit is not saved twice.
    expect(w.get('[data-action="save-visit"]').attributes('disabled')).toBeDefined()
  })

  it('does not count a visit where nobody was home as the check', async () => {
    const { w, router } = await visitFor('resolved')
    await save(w, '', 'not_home')
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe(`/cases/${CASE_ID}`))
    expect(await countVisits(db)).toBe(1)
    expect((await db.cases.get(CASE_ID))?.state).toBe('resolved')
    expect(sessionStorage.getItem('zoufang.flash')).toBe('走访已保存；没见到当事人，这次不算核查')
  })
})
