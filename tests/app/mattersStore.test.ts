import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { db } from '../../src/app/db/instance'
import { useMattersStore } from '../../src/app/stores/matters'
import { chinaDay, LedgerEntry, LedgerEntryCreate, Matter, MatterCreate, MatterPatch, MatterStep, MatterTransition, Meeting, MeetingCreate, MeetingPatch } from '../../src/domain'
import { ids, MATTER, MEETING, photoId, STAIRWELL, stairwellEntry, stairwellMatter, stairwellMeeting } from '../support/fixtures'
import { logIn, seedRegister } from './matterKit'

// The matters store builds every mutation as the contract says and queues exactly it: each outbox
// row's data is what the server's schema parses it to. A refusal (the schema's, or matterFlow's and
// matterLedger's rules over the device's records) throws the message the page shows, and nothing
// is queued or changed on the device.

const TODAY = chinaDay(Date.now())

beforeEach(async () => {
  setActivePinia(createPinia())
  await seedRegister()
})

async function store(role: 'secretary' | 'worker' = 'secretary') {
  logIn(role)
  return useMattersStore()
}
const outbox = () => db.outbox.orderBy('seq').toArray()
/** A refusal: its message, with nothing queued and the device unchanged. */
async function refused(work: () => Promise<unknown>): Promise<string> {
  const before = { outbox: await db.outbox.count(), matters: await db.matters.toArray(), meetings: await db.meetings.count(), entries: await db.ledgerEntries.count(), steps: await db.matterSteps.count() }
  const message = await work().then(
    () => 'accepted',
    (err: Error) => err.message,
  )
  expect(await db.outbox.count()).toBe(before.outbox)
  expect(await db.matters.toArray()).toEqual(before.matters)
  expect([await db.meetings.count(), await db.ledgerEntries.count(), await db.matterSteps.count()]).toEqual([before.meetings, before.entries, before.steps])
  return message
}

describe('matter:create', () => {
  it('raises a matter for a stairwell: 已提出 on the device in the cells of its households, and the outbox holds exactly the MatterCreate', async () => {
    const s = await store()
    const m = await s.createMatter({ title: ' 3号楼2单元加装电梯 ', description: '', scope: { kind: 'unit', buildingId: ids.building, unit: '2' }, origin: { kind: 'need', needId: ids.need }, raisedByName: '3号楼居民', budget: 36_000_000 })
    const stored = Matter.parse(await db.matters.get(m.id))
    expect(stored).toMatchObject({ title: '3号楼2单元加装电梯', stage: 'raised', gridIds: [ids.grid], createdBy: ids.worker, decision: null, funding: null, tasks: [] })
    const [row] = await outbox()
    expect(row).toMatchObject({ entity: 'matter', op: 'create', entityId: m.id, state: 'pending', label: '3号楼2单元加装电梯' })
    expect(row!.data).toEqual(MatterCreate.parse(row!.data))
    expect(row!.data).toEqual({
      id: m.id,
      title: '3号楼2单元加装电梯',
      description: '',
      scope: { kind: 'unit', buildingId: ids.building, unit: '2' },
      origin: { kind: 'need', needId: ids.need },
      raisedByName: '3号楼居民',
      raisedAt: stored.raisedAt,
      budget: 36_000_000,
      consultationCampaignIds: [],
    })
  })

  it("refuses what the schema refuses, and a place with no household on the register, with the messages to show", async () => {
    const s = await store()
    const scope = { kind: 'unit' as const, buildingId: ids.building, unit: '2' }
    expect(await refused(() => s.createMatter({ title: ' ', description: '', scope, origin: { kind: 'office' }, raisedByName: '', budget: null }))).toBe('请写议题名称；请写提出人（如：3号楼居民、业委会）')
    expect(await refused(() => s.createMatter({ title: '修车棚', description: '', scope, origin: { kind: 'office' }, raisedByName: '居民', budget: 12.5 }))).toBe('金额以分计，要是整数')
    expect(await refused(() => s.createMatter({ title: '修车棚', description: '', scope: { ...scope, unit: '9' }, origin: { kind: 'office' }, raisedByName: '居民' }))).toBe('幸福里小区3号楼9单元没有登记的住户：请换一个范围')
  })

  it('is the office’s: a worker is told so and nothing is queued', async () => {
    const s = await store('worker')
    expect(await refused(() => s.createMatter({ title: '修车棚', description: '', scope: { kind: 'community' }, origin: { kind: 'office' }, raisedByName: '居民' }))).toBe('议题、议事会和账目由社区书记或管理员记录，网格员可以在本机上查看')
  })
})

describe('matter:patch and matter:transition', () => {
  beforeEach(async () => {
    await db.matters.put(stairwellMatter())
  })

  it('patches the budget as MatterPatch; a budget once funded is refused in matterFlow’s words', async () => {
    const s = await store()
    await s.patchMatter(MATTER, { budget: 40_000_000 })
    expect((await db.matters.get(MATTER))!.budget).toBe(40_000_000)
    const [row] = await outbox()
    expect(row).toMatchObject({ entity: 'matter', op: 'patch', entityId: MATTER })
    expect(row!.data).toEqual(MatterPatch.parse(row!.data))
    expect(row!.data).toEqual({ budget: 40_000_000 })
    await db.matters.put(stairwellMatter({ stage: 'funded', decision: { kind: 'resolution', meetingId: MEETING, text: '同意' }, publicity: { startDay: '2026-11-01', endDay: '2026-11-07' } }))
    expect(await refused(() => s.patchMatter(MATTER, { budget: 1 }))).toBe('议题「3号楼2单元加装电梯」的资金已经筹齐，预算不能再改')
  })

  it('议 needs a meeting: refused without one; with one, the step shows at once and the outbox holds the MatterTransition', async () => {
    const s = await store()
    expect(await refused(() => s.moveMatter(MATTER, { action: 'discuss' }))).toBe('还没有议事协商会或入户征询：先记下一次议事会（约好的也可以），或关联一个意见征询任务')
    await db.meetings.put(stairwellMeeting())
    const step = await s.moveMatter(MATTER, { action: 'discuss', note: '第一次议事会后开始协商' })
    expect((await db.matters.get(MATTER))!.stage).toBe('discussed')
    expect(MatterStep.parse(await db.matterSteps.get(step.id))).toMatchObject({ matterId: MATTER, action: 'discuss', from: 'raised', to: 'discussed', actorId: ids.worker, actorName: '刘书记', note: '第一次议事会后开始协商' })
    const [row] = await outbox()
    expect(row).toMatchObject({ entity: 'matter', op: 'transition', entityId: MATTER })
    expect(row!.data).toEqual(MatterTransition.parse(row!.data))
    expect(row!.data).toEqual({ stepId: step.id, action: 'discuss', note: '第一次议事会后开始协商', photoIds: [], at: step.at })
  })

  it('决 without a decision is refused (DECISION_REQUIRED’s words), a resolution without its text by the schema; with the meeting’s resolution and the 公示 it is decided', async () => {
    await db.matters.put(stairwellMatter({ stage: 'discussed' }))
    await db.meetings.put(stairwellMeeting())
    const s = await store()
    const publicity = { startDay: TODAY, endDay: TODAY }
    expect(await refused(() => s.moveMatter(MATTER, { action: 'decide', publicity }))).toBe('决定要有依据：一个已结束并通过的表决，或这个议题的议事会决议')
    expect(await refused(() => s.moveMatter(MATTER, { action: 'decide', decision: { kind: 'resolution', meetingId: MEETING, text: ' ' }, publicity }))).toBe('请写下议事会的决议')
    expect(await refused(() => s.moveMatter(MATTER, { action: 'decide', decision: { kind: 'resolution', meetingId: MEETING, text: '同意加装' } }))).toBe('决定要公示：请写公示的开始和结束日期')
    const step = await s.moveMatter(MATTER, { action: 'decide', decision: { kind: 'resolution', meetingId: MEETING, text: '同意加装' }, publicity })
    expect(Matter.parse(await db.matters.get(MATTER))).toMatchObject({ stage: 'decided', decision: { kind: 'resolution', meetingId: MEETING, text: '同意加装' }, publicity })
    const [row] = await outbox()
    expect(row!.data).toEqual(MatterTransition.parse(row!.data))
    expect(row!.data).toEqual({ stepId: step.id, action: 'decide', note: '', photoIds: [], at: step.at, decision: { kind: 'resolution', meetingId: MEETING, text: '同意加装' }, publicity })
  })

  it('筹 with received below the budget says how much is missing', async () => {
    await db.matters.put(stairwellMatter({ stage: 'decided', decision: { kind: 'resolution', meetingId: MEETING, text: '同意' }, publicity: { startDay: '2026-11-01', endDay: '2026-11-07' } }))
    await db.ledgerEntries.put(stairwellEntry({ kind: 'subsidy', amount: 20_000_000 }))
    const s = await store()
    expect(await refused(() => s.moveMatter(MATTER, { action: 'fund' }))).toBe('资金还差 ¥160,000.00：预算 ¥360,000.00，已到账 ¥200,000.00')
  })

  it('分摊 sends the rule and the amount; the matter says it is apportioned among the households that pay', async () => {
    await db.matters.put(stairwellMatter({ stage: 'discussed' }))
    const s = await store()
    const rule = { kind: 'floor' as const, bands: [{ fromFloor: 1, toFloor: 2, percent: 0 }, { fromFloor: 3, toFloor: 4, percent: 40 }, { fromFloor: 5, toFloor: 6, percent: 60 }] }
    expect(await refused(() => s.moveMatter(MATTER, { action: 'apportion', funding: { rule: { ...rule, bands: rule.bands.slice(1) }, amount: 100 } }))).toBe('没有分摊：4 户（如 幸福里小区3号楼2单元101、幸福里小区3号楼2单元102、幸福里小区3号楼2单元201）的楼层不在任何一档里：比例表要覆盖每一层（不出钱的楼层写0%）')
    const step = await s.moveMatter(MATTER, { action: 'apportion', funding: { rule, amount: 36_000_000 } })
    const m = Matter.parse(await db.matters.get(MATTER))
    expect(m.stage).toBe('discussed')
    expect(m.funding).toEqual({ rule, amount: 36_000_000, households: 8, apportionedAt: step.at })
    expect(step.note).toBe('按楼层分摊 ¥360,000.00，8 户')
    const [row] = await outbox()
    expect(row!.data).toEqual(MatterTransition.parse(row!.data))
    expect(row!.data).toEqual({ stepId: step.id, action: 'apportion', note: '', photoIds: [], at: step.at, funding: { rule, amount: 36_000_000 } })
    // No share entry on the device: the server writes them under its own ids.
    expect(await db.ledgerEntries.count()).toBe(0)
    expect(await refused(() => s.moveMatter(MATTER, { action: 'apportion', funding: { rule, amount: 100 } }))).toBe('已经分摊过了：要调整某一户的份额，请记一笔更正')
  })

  it('关闭 needs its reason', async () => {
    const s = await store()
    expect(await refused(() => s.moveMatter(MATTER, { action: 'close', note: ' ' }))).toBe('关闭议题要写明原因')
    await s.moveMatter(MATTER, { action: 'close', note: '物业已修好' })
    expect(Matter.parse(await db.matters.get(MATTER))).toMatchObject({ stage: 'closed', endReason: '物业已修好' })
  })
})

describe('meeting:create and meeting:patch', () => {
  beforeEach(async () => {
    await db.matters.put(stairwellMatter())
  })

  it('records a meeting as MeetingCreate and fills it in as MeetingPatch', async () => {
    const s = await store()
    const parties = [{ kind: 'household' as const, householdId: STAIRWELL[0]!, present: false }, { kind: 'property' as const, present: false }, { kind: 'other' as const, name: '街道城建科', present: false }]
    const m = await s.createMeeting({ matterId: MATTER, day: TODAY, time: '19:00', place: '邻里议事厅', parties, positions: [], minutes: '', nextSteps: '', photoIds: [] })
    expect(Meeting.parse(await db.meetings.get(m.id))).toMatchObject({ matterId: MATTER, place: '邻里议事厅', recordedBy: ids.worker })
    await s.patchMeeting(m.id, { parties: parties.map((p) => ({ ...p, present: true })), positions: [{ party: '低层住户', text: '担心采光' }], minutes: '同意再议一次' })
    const [create, patch] = await outbox()
    expect(create).toMatchObject({ entity: 'meeting', op: 'create', entityId: m.id, label: `3号楼2单元加装电梯 · 议事会 ${TODAY}` })
    expect(create!.data).toEqual(MeetingCreate.parse(create!.data))
    expect(create!.data).toEqual({ id: m.id, matterId: MATTER, day: TODAY, time: '19:00', place: '邻里议事厅', parties, positions: [], minutes: '', nextSteps: '', photoIds: [] })
    expect(patch).toMatchObject({ entity: 'meeting', op: 'patch', entityId: m.id })
    expect(patch!.data).toEqual(MeetingPatch.parse(patch!.data))
    expect(patch!.data).toEqual({ parties: parties.map((p) => ({ ...p, present: true })), positions: [{ party: '低层住户', text: '担心采光' }], minutes: '同意再议一次' })
    expect((await db.meetings.get(m.id))!.minutes).toBe('同意再议一次')
  })

  it('refuses a meeting with nobody, at a place not on the list, or for a matter that has ended', async () => {
    const s = await store()
    const base = { matterId: MATTER, day: TODAY, place: '邻里议事厅', parties: [{ kind: 'property' as const, present: false }] }
    expect(await refused(() => s.createMeeting({ ...base, parties: [], place: '' }))).toBe('请选议事场所；请写参会的各方')
    expect(await refused(() => s.createMeeting({ ...base, place: '会议室' }))).toBe('「会议室」不在议事场所表里（邻里议事厅、社区党群服务中心会议室、小区议事亭、楼道议事角）：请选一个，或请管理员在设置里加上')
    await db.matters.put(stairwellMatter({ stage: 'dropped', endReason: '表决没有通过' }))
    expect(await refused(() => s.createMeeting(base))).toBe('议题「3号楼2单元加装电梯」已放弃，不能再记录或修改议事会')
  })
})

describe('ledgerEntry:create', () => {
  beforeEach(async () => {
    await db.matters.put(stairwellMatter({ stage: 'decided', decision: { kind: 'resolution', meetingId: MEETING, text: '同意' }, publicity: { startDay: '2026-11-01', endDay: '2026-11-07' } }))
  })

  it('a contribution, a subsidy, an expense with its receipt and a correction, each exactly its LedgerEntryCreate', async () => {
    const s = await store()
    const paid = await s.addLedgerEntry({ kind: 'contribution', matterId: MATTER, amount: 300_000, day: TODAY, householdId: STAIRWELL[11]! })
    await s.addLedgerEntry({ kind: 'subsidy', matterId: MATTER, amount: 20_000_000, day: TODAY, source: '区住建局加装电梯补贴' })
    await s.addLedgerEntry({ kind: 'expense', matterId: MATTER, amount: 5_000_000, day: TODAY, what: '电梯设备首付款', photoIds: [photoId(1)] })
    await s.addLedgerEntry({ kind: 'correction', matterId: MATTER, amount: -50_000, day: TODAY, correctsId: paid.id, note: '实收 ¥2,500.00' })
    const rows = await outbox()
    expect(rows.map((r) => [r.entity, r.op])).toEqual(Array(4).fill(['ledgerEntry', 'create']))
    for (const r of rows) expect(r.data).toEqual(LedgerEntryCreate.parse(r.data))
    expect(rows[0]!.data).toEqual({ id: paid.id, kind: 'contribution', matterId: MATTER, amount: 300_000, day: TODAY, householdId: STAIRWELL[11]!, note: '', photoIds: [] })
    expect(rows[0]!.label).toBe(`3号楼2单元加装电梯 · ¥3,000.00 · ${TODAY}`)
    expect(rows[2]!.data).toMatchObject({ kind: 'expense', what: '电梯设备首付款', photoIds: [photoId(1)] })
    expect(rows[3]!.data).toMatchObject({ kind: 'correction', amount: -50_000, correctsId: paid.id, note: '实收 ¥2,500.00' })
    const stored = (await db.ledgerEntries.toArray()).map((e) => LedgerEntry.parse(e))
    expect(stored).toHaveLength(4)
    expect(stored.every((e) => e.recordedBy === ids.worker)).toBe(true)
  })

  it('refuses an expense without a receipt photo, one the balance cannot pay, a day to come and a correction that would make an entry negative', async () => {
    const s = await store()
    expect(await refused(() => s.addLedgerEntry({ kind: 'expense', matterId: MATTER, amount: 100, day: TODAY, what: '打印公示' }))).toBe('支出要附上收据或发票的照片')
    expect(await refused(() => s.addLedgerEntry({ kind: 'expense', matterId: MATTER, amount: 500_000, day: TODAY, what: '电梯设备首付款', photoIds: [photoId(1)] }))).toBe(
      '结余只有 ¥0.00，这笔支出 ¥5,000.00会让结余变成 -¥5,000.00，没有记账：先记下到账的款项，或核对金额',
    )
    expect(await refused(() => s.addLedgerEntry({ kind: 'contribution', matterId: MATTER, amount: 100, day: '2999-01-01', householdId: STAIRWELL[0]! }))).toBe('账目日期 2999-01-01 还没到：记已经发生的收支')
    expect(await refused(() => s.addLedgerEntry({ kind: 'contribution', matterId: MATTER, amount: 0, day: TODAY, householdId: STAIRWELL[0]! }))).toBe('金额要大于0')
    const paid = await s.addLedgerEntry({ kind: 'contribution', matterId: MATTER, amount: 100, day: TODAY, householdId: STAIRWELL[0]! })
    expect(await refused(() => s.addLedgerEntry({ kind: 'correction', matterId: MATTER, amount: -200, day: TODAY, correctsId: paid.id, note: '多记了' }))).toBe('那笔账现在是 ¥1.00，减去 ¥2.00 会变成负数：请核对更正的金额')
    expect(await refused(() => s.addLedgerEntry({ kind: 'correction', matterId: MATTER, amount: -50, day: TODAY, correctsId: paid.id, note: '' }))).toBe('请写更正的原因')
  })
})
