import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { db } from '../../src/app/db/instance'
import AttentionPage from '../../src/app/pages/AttentionPage.vue'
import MatterPage from '../../src/app/pages/MatterPage.vue'
import { useMattersStore } from '../../src/app/stores/matters'
import { chinaDay, LedgerEntryCreate, MatterTransition, MeetingCreate, type User } from '../../src/domain'
import { logIn, seedRegister } from './matterKit'
import { MATTER, STAIRWELL, stairwellEntry, stairwellMatter, stairwellMeeting } from '../support/fixtures'
import { testRouter } from './helpers'
import type { OutboxRow } from '../../src/app/db/database'

// A matter's page on the office's device, offline: a meeting recorded with who came, 议 and then 决
// by that meeting's resolution, each shown at once (stage bar, steps) and queued as the contract's
// mutations; a refusal shows its reason and queues nothing; the 分摊 preview adds up to exactly the
// amount; the ledger takes a contribution and refuses an expense without its receipt.

const TODAY = chinaDay(Date.now())
let pinia: Pinia
beforeEach(async () => {
  pinia = createPinia()
  setActivePinia(pinia)
  await seedRegister()
})

async function mountAs(role: User['role']): Promise<VueWrapper> {
  logIn(role)
  const w = mount(MatterPage, { props: { id: MATTER }, global: { plugins: [pinia, testRouter()] } })
  await vi.waitFor(() => expect(w.find('[data-testid="matter-title"]').exists()).toBe(true))
  await flushPromises()
  return w
}
const stage = (w: VueWrapper) => w.get('[data-testid="matter-stage-bar"]').attributes('data-stage')
const alerts = (w: VueWrapper) => w.findAll('[role="alert"]').map((a) => a.text()).join(' ')
const outbox = () => db.outbox.orderBy('seq').toArray()

describe('MatterPage, the office', () => {
  it('walks 提 → 议 → 决 on the device: a meeting with who came, 开始协商, then the meeting’s resolution with its 公示', async () => {
    await db.matters.put(stairwellMatter())
    const w = await mountAs('secretary')
    expect(stage(w)).toBe('raised')
    expect(w.get('[data-testid="matter-scope"]').text()).toBe('幸福里小区3号楼2单元')
    expect(w.get('[aria-current="step"]').text()).toBe('提')
    // The 提出 step is shown before the server's arrives.
    expect(w.findAll('[data-testid="matter-step"]').map((s) => s.attributes('data-action'))).toEqual(['raise'])

    // 议 without a meeting: the reason, nothing queued.
    await w.get('[data-action="matter-discuss"]').trigger('click')
    await vi.waitFor(() => expect(alerts(w)).toContain('还没有议事协商会或入户征询'))
    expect(await db.outbox.count()).toBe(0)

    await w.get('[data-action="new-meeting"]').trigger('click')
    const form = w.get('[data-testid="meeting-form"]')
    expect((form.get('select[name="meetingPlace"]').element as HTMLSelectElement).value).toBe('邻里议事厅')
    await form.get('input[name="meetingTime"]').setValue('19:00')
    await form.get('[data-action="invite-owners_committee"]').trigger('click')
    await form.get('[data-action="invite-property"]').trigger('click')
    await form.get('[data-action="invite-all-households"]').trigger('click')
    const present = w.findAll('[data-testid="meeting-party"] input[name="present"]')
    expect(present).toHaveLength(14)
    await present[0]!.setValue(true)
    await present[2]!.setValue(true)
    await form.get('[data-action="add-position"]').trigger('click')
    await form.get('input[name="positionParty"]').setValue('低层住户')
    await form.get('textarea[name="positionText"]').setValue('担心采光和噪音')
    await form.get('textarea[name="minutes"]').setValue('各方同意先做方案')
    await form.trigger('submit')
    await vi.waitFor(() => expect(w.findAll('[data-testid="meeting"]')).toHaveLength(1))
    expect(w.get('[data-testid="meeting"]').text()).toContain(`${TODAY} 19:00 · 邻里议事厅`)
    expect(w.get('[data-testid="meeting"]').text()).toContain('到会 2 / 邀请 14')
    expect(w.get('[data-testid="meeting"]').text()).toContain('低层住户：担心采光和噪音')

    await w.get('[data-action="matter-discuss"]').trigger('click')
    await vi.waitFor(() => expect(stage(w)).toBe('discussed'))
    expect(w.get('[aria-current="step"]').text()).toBe('议')

    // 决 by the meeting's resolution: without its text the schema's message, nothing queued.
    await vi.waitFor(() => expect(w.find('[data-testid="act-decide"] select[name="resolutionMeeting"]').exists()).toBe(true))
    const queued = await db.outbox.count()
    await w.get('[data-action="matter-decide"]').trigger('click')
    await vi.waitFor(() => expect(alerts(w)).toContain('请写下议事会的决议'))
    expect(await db.outbox.count()).toBe(queued)
    expect((w.get('input[name="publicityStart"]').element as HTMLInputElement).value).toBe(TODAY)
    await w.get('textarea[name="resolution"]').setValue('同意加装电梯，费用按楼层分摊')
    await w.get('[data-action="matter-decide"]').trigger('click')
    await vi.waitFor(() => expect(stage(w)).toBe('decided'))
    expect(w.get('[data-testid="matter-decision"]').text()).toContain(`${TODAY} 议事会决议：同意加装电梯，费用按楼层分摊`)
    expect(w.findAll('[data-testid="matter-step"]').map((s) => s.attributes('data-action'))).toEqual(['raise', 'discuss', 'decide'])
    expect(w.find('[data-testid="matter-unsent"]').text()).toContain('3 条修改未上传')

    const rows = await outbox()
    expect(rows.map((r) => [r.entity, r.op])).toEqual([
      ['meeting', 'create'],
      ['matter', 'transition'],
      ['matter', 'transition'],
    ])
    const meeting = MeetingCreate.parse(rows[0]!.data)
    expect(rows[0]!.data).toEqual(meeting)
    expect(meeting).toMatchObject({ matterId: MATTER, day: TODAY, time: '19:00', place: '邻里议事厅', positions: [{ party: '低层住户', text: '担心采光和噪音' }], minutes: '各方同意先做方案' })
    expect(meeting.parties.slice(0, 3)).toEqual([{ kind: 'owners_committee', present: true }, { kind: 'property', present: false }, { kind: 'household', householdId: STAIRWELL[0], present: true }])
    const decide = MatterTransition.parse(rows[2]!.data)
    expect(rows[2]!.data).toEqual(decide)
    expect(decide).toMatchObject({ action: 'decide', decision: { kind: 'resolution', meetingId: meeting.id, text: '同意加装电梯，费用按楼层分摊' }, publicity: { startDay: TODAY } })
  })

  it('分摊: the preview of each household’s share adds up to exactly the amount, by any rule; 分摊 sends the rule and the amount', async () => {
    await db.matters.put(stairwellMatter({ stage: 'discussed', budget: 100_001 }))
    const w = await mountAs('secretary')
    const panel = () => w.get('[data-testid="act-apportion"]')
    const lines = () => panel().findAll('[data-testid="share-line"]').map((l) => Number(l.attributes('data-fen')))
    const sum = () => Number(panel().get('[data-testid="share-sum"]').attributes('data-fen'))
    expect((panel().get('input[name="shareAmount"]').element as HTMLInputElement).value).toBe('1000.01')
    expect(lines()).toHaveLength(12)
    expect(lines().reduce((a, b) => a + b, 0)).toBe(100_001)
    expect(sum()).toBe(100_001)
    expect(new Set(lines())).toEqual(new Set([8333, 8334]))

    await panel().get('[data-rule="floor"]').trigger('click')
    // Two floors a band, higher floors paying more: 16.67 %, 33.33 %, 50 %.
    expect(panel().findAll('input[name="bandPercent"]').map((i) => Number((i.element as HTMLInputElement).value))).toEqual([16.67, 33.33, 50])
    expect(lines().reduce((a, b) => a + b, 0)).toBe(100_001)
    expect(lines()[0]).toBeLessThan(lines()[11]!)
    await panel().get('[data-rule="area"]').trigger('click')
    expect(lines().reduce((a, b) => a + b, 0)).toBe(100_001)
    await panel().get('input[name="shareAmount"]').setValue('999.99')
    expect(lines().reduce((a, b) => a + b, 0)).toBe(99_999)
    expect(panel().get('[data-testid="share-sum"]').text()).toContain('合计 ¥999.99，12 户出钱')

    await panel().get('[data-action="matter-apportion"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="matter-funding"]').exists()).toBe(true))
    expect(w.get('[data-testid="matter-funding"]').text()).toBe('已按面积分摊 ¥999.99，12 户')
    const [row] = await outbox()
    expect(MatterTransition.parse(row!.data)).toMatchObject({ action: 'apportion', funding: { rule: { kind: 'area' }, amount: 99_999 } })
  })

  it('the ledger: a contribution shows in the entries, the balance and the household’s line; an expense without a receipt photo is refused with the schema’s words', async () => {
    await db.matters.put(stairwellMatter({ stage: 'discussed' }))
    await db.ledgerEntries.put(stairwellEntry({ id: '0190a000-0000-7000-8000-0000000e0301', kind: 'share', householdId: STAIRWELL[11]!, amount: 1_200_000 }))
    const w = await mountAs('secretary')
    const ledger = () => w.get('[data-testid="matter-ledger"]')
    await vi.waitFor(() => expect(ledger().findAll('[data-testid="ledger-entry"]')).toHaveLength(1))
    const form = ledger().get('[data-testid="ledger-form"]')

    await form.get('[data-kind="expense"]').trigger('click')
    await form.get('input[name="what"]').setValue('打印公示')
    await form.get('input[name="amount"]').setValue('50')
    await form.trigger('submit')
    await vi.waitFor(() => expect(alerts(w)).toContain('支出要附上收据或发票的照片'))
    expect(await db.outbox.count()).toBe(0)

    await form.get('[data-kind="contribution"]').trigger('click')
    await form.get('input[name="amount"]').setValue('3,000.5')
    await form.trigger('submit')
    await vi.waitFor(() => expect(alerts(w)).toContain('请选出资的户'))
    expect(await db.outbox.count()).toBe(0)
    await form.get('select[name="ledgerHousehold"]').setValue(STAIRWELL[11])
    await form.trigger('submit')
    await vi.waitFor(() => expect(ledger().findAll('[data-testid="ledger-entry"]')).toHaveLength(2))
    expect(ledger().get('[data-testid="ledger-balance"]').text()).toBe('¥3,000.50')
    expect(ledger().get('[data-testid="ledger-still"]').text()).toBe('¥356,999.50')
    const line = ledger().get(`[data-testid="ledger-household"][data-household="${STAIRWELL[11]}"]`)
    expect(line.text()).toContain('应摊 ¥12,000.00 · 已缴 ¥3,000.50 · 未缴 ¥8,999.50')
    expect(ledger().findAll('[data-testid="ledger-entry"]')[0]!.attributes('data-kind')).toBe('contribution')
    const [row] = await outbox()
    expect(row!.data).toEqual(LedgerEntryCreate.parse(row!.data))
    expect(row!.data).toMatchObject({ kind: 'contribution', householdId: STAIRWELL[11], amount: 300_050, day: TODAY })

    // A correction shows against the entry it corrects.
    await form.get('[data-kind="correction"]').trigger('click')
    await form.get('select[name="correctsId"]').setValue(row!.entityId)
    await form.get('input[name="amount"]').setValue('-0.5')
    await form.get('input[name="ledgerNote"]').setValue('实收3000元')
    await form.trigger('submit')
    await vi.waitFor(() => expect(ledger().findAll('[data-testid="ledger-entry"]')).toHaveLength(3))
    expect(ledger().get('[data-testid="ledger-corrected"]').text()).toBe('已更正，现在算 ¥3,000.00')
    expect(ledger().get('[data-testid="ledger-entry"][data-kind="correction"]').text()).toContain('-¥0.50')
    expect(ledger().get('[data-testid="ledger-entry"][data-kind="correction"]').text()).toContain('更正：居民出资 ¥3,000.50')
    expect(ledger().get('[data-testid="ledger-balance"]').text()).toBe('¥3,000.00')
  })

  it('a change the server refused shows its reason on the page', async () => {
    await db.matters.put(stairwellMatter({ stage: 'discussed' }))
    await db.outbox.add({ mutationId: '0190a000-0000-7000-8000-0000000e0401', entity: 'matter', entityId: MATTER, op: 'transition', data: {}, at: new Date().toISOString(), state: 'rejected', attempts: 1, error: { code: 'DECISION_REQUIRED', message: '表决「加装电梯表决」还没有结束，结果没有定：结束表决后再记录决定' } } as OutboxRow) // only its refusal is shown
    const w = await mountAs('secretary')
    await vi.waitFor(() => expect(w.find('[data-testid="matter-rejected"]').exists()).toBe(true))
    expect(w.get('[data-testid="matter-rejected"]').text()).toContain('表决「加装电梯表决」还没有结束')
  })
})

describe('待处理', () => {
  it('names a refused ledger entry by its matter, amount and day, and opens the matter’s page', async () => {
    await db.matters.put(stairwellMatter({ stage: 'discussed' }))
    logIn('secretary')
    await useMattersStore().addLedgerEntry({ kind: 'contribution', matterId: MATTER, amount: 300_000, day: TODAY, householdId: STAIRWELL[0]! })
    const [row] = await outbox()
    await db.outbox.update(row!.seq!, { state: 'rejected', error: { code: 'NOT_FOUND', message: '出资的户不在台账里' } })
    const w = mount(AttentionPage, { global: { plugins: [pinia, testRouter()] } })
    await vi.waitFor(() => expect(w.find('[data-testid="rejected-name"]').exists()).toBe(true))
    expect(w.get('[data-testid="rejected-name"]').text()).toBe(`议题账目：3号楼2单元加装电梯 · ¥3,000.00 · ${TODAY}`)
    expect(w.get('[data-action="fix"]').attributes('href')).toBe(`/matters/${MATTER}`)
  })
})

describe('MatterPage, a worker', () => {
  it('shows the matter and its meetings, no actions and no ledger', async () => {
    await db.matters.put(stairwellMatter({ stage: 'discussed' }))
    await db.meetings.put(stairwellMeeting())
    await db.ledgerEntries.put(stairwellEntry({ kind: 'contribution', householdId: STAIRWELL[0]! }))
    const w = await mountAs('worker')
    await vi.waitFor(() => expect(w.findAll('[data-testid="meeting"]')).toHaveLength(1))
    expect(w.find('[data-testid="matter-actions"]').exists()).toBe(false)
    expect(w.find('[data-testid="matter-ledger"]').exists()).toBe(false)
    expect(w.find('[data-action="new-meeting"]').exists()).toBe(false)
    expect(w.text()).not.toContain('¥1,000.00')
  })
})
