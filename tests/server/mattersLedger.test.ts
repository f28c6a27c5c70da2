import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { computeShares, type Household, yuan, type LedgerEntry, type Matter, MatterLedgerResponse, type ProjectCreate, uuidv7 } from '../../src/domain'
import { daysAgo, householdOf, newEntry, newMatter, newMeeting, today } from '../support/fixtures'
import { create, expectRefused, matterKit, patch, step } from '../support/matters'
import { startTestServer, workerOf, type TestServer } from '../support/server'

// 筹 on the server: the elevator of one stairwell from 提 to 评 — two meetings, a vote that passed,
// shares by floor written exactly, contributions and a subsidy, a receipt, a correction — and the
// ledger's refusals (BALANCE_NEGATIVE and the others) with nothing written, its append-only rule,
// and the office's totals route.

let s: TestServer
const tokens: Record<string, string> = {}
let k: ReturnType<typeof matterKit>
let stairwell: Household[]
let unitScope: { kind: 'unit'; buildingId: string; unit: string }

beforeAll(async () => {
  s = await startTestServer(400)
  for (const u of ['secretary', 'admin', 'grid01', 'grid02']) tokens[u] = await s.login(u)
  k = matterKit(s, tokens)
  const h = householdOf(s.community, 'grid01', 0)
  const b = s.community.buildings.find((x) => x.gridId === h.gridId && x.units > 0)!
  stairwell = s.community.households.filter((x) => x.buildingId === b.id && x.unit === '1')
  unitScope = { kind: 'unit', buildingId: b.id, unit: '1' }
})
afterAll(() => s.close())

const BANDS = [
  { fromFloor: 1, toFloor: 1, percent: 0 },
  { fromFloor: 2, toFloor: 2, percent: 10 },
  { fromFloor: 3, toFloor: 4, percent: 20 },
  { fromFloor: 5, toFloor: 6, percent: 30 },
  { fromFloor: 7, toFloor: 120, percent: 40 },
]
const ledger = (id: string, query = '', who = 'secretary') => s.app.inject({ method: 'GET', url: `/api/matters/${id}/ledger${query}`, headers: { authorization: `Bearer ${tokens[who]}` } })
const entriesOf = async (matterId: string) => (await s.store.selectFrom('ledger_entries').select('data').where('matter_id', '=', matterId).execute()).map((r) => JSON.parse(r.data) as LedgerEntry)

/** A matter of the stairwell, decided by a resolution, with a budget. */
async function decided(budget: number | null = 36_000_000): Promise<string> {
  const m = newMatter(unitScope, { budget })
  await k.applied('secretary', create('matter', m))
  const meeting = newMeeting(m.id)
  await k.applied('secretary', create('meeting', meeting))
  await k.applied('secretary', step(m.id, 'discuss'))
  await k.applied('secretary', step(m.id, 'decide', { decision: { kind: 'resolution', meetingId: meeting.id, text: '同意' }, publicity: { startDay: daysAgo(15), endDay: daysAgo(8) } }))
  return m.id
}

describe('the elevator, 提 to 评', () => {
  it('two meetings, a vote that passed, shares by floor, contributions, a subsidy, a receipt, a correction, the project done, judged', async () => {
    // 民事民提: a household on the eighth floor asked for it at the counter.
    const asker = stairwell.find((h) => h.floor === 8)!
    const need = { id: uuidv7(), gridId: asker.gridId, householdIds: [asker.id], category: 'elevator', description: '腿脚不好，希望加装电梯', urgency: 'blue', source: { kind: 'office' }, raisedBy: workerOf(s.community, 'secretary').id, raisedAt: new Date().toISOString() }
    await k.applied('secretary', create('need', need))
    const m = newMatter(unitScope, { title: '1号楼1单元加装电梯', origin: { kind: 'need', needId: need.id }, raisedByName: '1单元高层住户' })
    await k.applied('secretary', create('matter', m))
    const first = newMeeting(m.id, { day: daysAgo(40), parties: [...stairwell.slice(0, 4).map((h) => ({ kind: 'household' as const, householdId: h.id, present: true })), { kind: 'owners_committee', present: true }] })
    const second = newMeeting(m.id, { day: daysAgo(30), place: '小区议事亭', minutes: '低层住户同意，物业负责后期维护', positions: [{ party: '物业', text: '愿意签管理协议' }] })
    await k.applied('secretary', create('meeting', first))
    await k.applied('secretary', create('meeting', second))
    await k.applied('secretary', step(m.id, 'discuss', { note: '两次议事协商会' }))
    const vote = await k.closedVote(stairwell)
    // The vote closed three weeks ago and its 公示 is over (a test cannot wait out the days).
    const closedAt = new Date(Date.now() - 21 * 86_400_000).toISOString()
    await s.store.updateTable('campaigns').set({ data: JSON.stringify({ ...vote, closedAt }) }).where('id', '=', vote.id).execute()
    const early = await k.one('secretary', step(m.id, 'decide', { decision: { kind: 'vote', campaignId: vote.id }, publicity: { startDay: daysAgo(25), endDay: daysAgo(18) } }))
    expectRefused(early, 'VALIDATION_FAILED', /公示要在决定之后/)
    await k.applied('secretary', step(m.id, 'decide', { decision: { kind: 'vote', campaignId: vote.id }, publicity: { startDay: daysAgo(20), endDay: daysAgo(13) } }))
    await k.applied('secretary', patch('matter', m.id, { budget: 56_000_000 }))

    // 分摊: ¥360,000.01 of the ¥560,000 by floor; a subsidy covers the rest.
    const amount = 36_000_001
    const before = await k.written()
    expectRefused(await k.one('secretary', step(m.id, 'apportion', { funding: { rule: { kind: 'floor', bands: BANDS.slice(1).map((b, i) => (i === 0 ? { ...b, percent: 10 } : b)) }, amount } })), 'VALIDATION_FAILED', /各档比例加起来是|不在任何一档里/)
    expect(await k.written()).toEqual(before)
    await k.applied('secretary', step(m.id, 'apportion', { funding: { rule: { kind: 'floor', bands: BANDS }, amount } }))
    const shares = (await entriesOf(m.id)).filter((e) => e.kind === 'share')
    const want = computeShares({ kind: 'floor', bands: BANDS }, amount, stairwell.map((h) => ({ householdId: h.id, floor: h.floor, area: h.area ?? null, place: h.address })))
    if (!want.ok) throw new Error(want.message)
    expect(shares.reduce((n, e) => n + e.amount, 0)).toBe(amount)
    expect(new Map(shares.map((e) => [e.kind === 'share' && e.householdId, e.amount]))).toEqual(new Map(want.shares.filter((x) => x.amount > 0).map((x) => [x.householdId, x.amount])))
    expect(shares.some((e) => e.kind === 'share' && stairwell.find((h) => h.id === e.householdId)!.floor === 1), 'the ground floor pays nothing').toBe(false)
    expect(await k.row<Matter>('matters', m.id)).toMatchObject({ stage: 'decided', funding: { amount, households: shares.length, rule: { kind: 'floor' } } })
    expect((await k.stepsOf(m.id)).at(-1)).toMatchObject({ action: 'apportion', from: 'decided', to: 'decided', note: `按楼层分摊 ¥360,000.01，${shares.length} 户` })
    expectRefused(await k.one('secretary', step(m.id, 'apportion', { funding: { rule: { kind: 'equal' }, amount: 100 } })), 'INVALID_TRANSITION', /已经分摊过了/)

    // Contributions of every household but one, and the subsidy.
    const [late, ...payers] = shares
    for (const sh of payers) if (sh.kind === 'share') await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'contribution', sh.amount, { householdId: sh.householdId })))
    await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'subsidy', 20_000_000, { source: '区住建局加装电梯补贴' })))
    // The budget is ¥560,000.00; ¥360,000.01 shared plus ¥200,000 of subsidy is a fen more.
    expectRefused(await k.one('secretary', step(m.id, 'fund')), 'FUNDS_SHORT', new RegExp(`资金还差 ${yuan(late!.amount - 1).replace(/[.$]/g, '\\$&')}：预算 ¥560,000\\.00`))
    // The late household paid ¥100 too much: corrected by an entry, and then paid.
    const lateShare = late as Extract<LedgerEntry, { kind: 'share' }>
    const overpaid = newEntry(m.id, 'contribution', lateShare.amount + 10_000, { householdId: lateShare.householdId })
    await k.applied('secretary', create('ledgerEntry', overpaid))
    await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'correction', -10_000, { correctsId: overpaid.id, note: '多收100元，已退' })))
    const totals = MatterLedgerResponse.parse((await ledger(m.id)).json())
    expect(totals).toMatchObject({ budget: 56_000_000, income: 56_000_001, expenses: 0, balance: 56_000_001, stillToRaise: 0, corrections: { entries: 1, net: -10_000 } })
    expect(totals.totals).toEqual({ share: amount, contribution: amount, subsidy: 20_000_000, other_income: 0, expense: 0 })
    expect(totals.shares).toEqual({ households: shares.length, due: amount, paid: amount, outstanding: 0, paidInFull: shares.length })
    await k.applied('secretary', step(m.id, 'fund'))

    // 办 as a project of 三张清单, completed; the expense shows its receipt.
    const receipt = await k.upload('secretary', 11)
    await k.applied('secretary', create('ledgerEntry', newEntry(m.id, 'expense', 56_000_000, { what: '电梯设备及安装', photoIds: [receipt] })))
    const project: ProjectCreate = { id: uuidv7(), title: '1号楼1单元加装电梯', category: 'elevator', leadName: '业委会主任', description: '', needIds: [need.id], resourceIds: [], startDay: today(), endDay: null }
    await k.applied('secretary', create('project', project))
    await k.applied('secretary', patch('matter', m.id, { projectId: project.id }))
    expectRefused(await k.one('secretary', step(m.id, 'complete')), 'STAGE_NOT_READY', /还没有完成/)
    await k.applied('secretary', { entity: 'project', id: project.id, op: 'transition', data: { action: 'start', at: new Date().toISOString() } })
    await k.applied('secretary', { entity: 'project', id: project.id, op: 'transition', data: { action: 'complete', at: new Date().toISOString() } })
    await k.applied('secretary', step(m.id, 'complete', { photoIds: [receipt] }))
    await k.applied('secretary', step(m.id, 'judge', { evaluation: '16户中15户满意' }))
    expect((await k.stepsOf(m.id)).map((x) => x.action)).toEqual(['raise', 'discuss', 'decide', 'apportion', 'fund', 'complete', 'judge'])
    const end = MatterLedgerResponse.parse((await ledger(m.id)).json())
    expect([end.stage, end.income, end.expenses, end.balance]).toEqual(['judged', 56_000_001, 56_000_000, 1])
  })
})

describe('the ledger’s refusals, nothing written', () => {
  it('an expense beyond the balance is refused BALANCE_NEGATIVE, in words', async () => {
    const id = await decided()
    await k.applied('secretary', create('ledgerEntry', newEntry(id, 'subsidy', 120_000)))
    const receipt = await k.upload('secretary', 21)
    const before = await k.written()
    const r = await k.one('secretary', create('ledgerEntry', newEntry(id, 'expense', 500_000, { photoIds: [receipt] })))
    expectRefused(r, 'BALANCE_NEGATIVE', /结余只有 ¥1,200\.00，这笔支出 ¥5,000\.00会让结余变成 -¥3,800\.00，没有记账/)
    const income = (await entriesOf(id))[0]!
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'correction', -120_001, { correctsId: income.id }))), 'VALIDATION_FAILED', /会变成负数/)
    await k.applied('secretary', create('ledgerEntry', newEntry(id, 'expense', 100_000, { photoIds: [receipt] })))
    const mid = await k.written()
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'correction', -20_001, { correctsId: income.id }))), 'BALANCE_NEGATIVE', /结余只有 ¥200\.00/)
    expect(await k.written()).toEqual(mid)
    expect(mid).not.toEqual(before)
  })

  it('each other refusal has its code: receipt, household, scope, share twice, correction of a correction, a day ahead, no matter', async () => {
    const id = await decided()
    const inScope = stairwell[5]!
    const outside = householdOf(s.community, 'grid02', 0)
    await k.applied('secretary', create('ledgerEntry', newEntry(id, 'share', 100_000, { householdId: inScope.id })))
    const fix = newEntry(id, 'correction', -100, { correctsId: (await entriesOf(id))[0]!.id })
    await k.applied('secretary', create('ledgerEntry', fix))
    const before = await k.written()
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'expense', 100))), 'VALIDATION_FAILED', /收据或发票的照片/)
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'contribution', 100, { householdId: uuidv7() }))), 'NOT_FOUND', /出资的户不在台账里/)
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'share', 100, { householdId: outside.id }))), 'VALIDATION_FAILED', /不在议题的范围/)
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'share', 100, { householdId: inScope.id }))), 'VALIDATION_FAILED', /已经有份额 ¥1,000\.00：要调整请记一笔更正/)
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'correction', 5, { correctsId: fix.id }))), 'VALIDATION_FAILED', /不能更正一笔更正/)
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'correction', 5, { correctsId: uuidv7() }))), 'NOT_FOUND', /找不到要更正的那笔账/)
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(id, 'subsidy', 100, { day: daysAgo(-2) }))), 'VALIDATION_FAILED', /还没到/)
    expectRefused(await k.one('secretary', create('ledgerEntry', newEntry(uuidv7(), 'subsidy', 100))), 'NOT_FOUND', /找不到这个议题/)
    expectRefused(await k.one('secretary', create('ledgerEntry', { ...newEntry(id, 'subsidy', 100), amount: 1.5 })), 'VALIDATION_FAILED', /整数/)
    expect(await k.written()).toEqual(before)
  })

  it('shares come from the rule: an area rule over a household without its area is refused whole', async () => {
    const id = await decided()
    const noArea = stairwell[2]!
    await s.store.updateTable('households').set({ data: JSON.stringify({ ...noArea, area: null }) }).where('id', '=', noArea.id).execute()
    const before = await k.written()
    expectRefused(await k.one('secretary', step(id, 'apportion', { funding: { rule: { kind: 'area' }, amount: 1_000_000 } })), 'VALIDATION_FAILED', /1 户（如 .*）没有登记建筑面积/)
    await s.store.updateTable('households').set({ data: JSON.stringify(noArea) }).where('id', '=', noArea.id).execute()
    expect(await k.written()).toEqual(before)
    await k.applied('secretary', step(id, 'apportion', { funding: { rule: { kind: 'area' }, amount: 1_000_000 } }))
    const shares = await entriesOf(id)
    expect(shares.reduce((n, e) => n + e.amount, 0)).toBe(1_000_000)
    expect(shares).toHaveLength(stairwell.length)
  })

  it('append-only: a patch or delete of a ledger entry or a step is refused UNSUPPORTED_OPERATION, and nothing changes', async () => {
    const id = await decided()
    const e = newEntry(id, 'subsidy', 100_000)
    await k.applied('secretary', create('ledgerEntry', e))
    const stepId = (await s.store.selectFrom('matter_steps').select('id').where('matter_id', '=', id).executeTakeFirstOrThrow()).id
    const before = await k.written()
    for (const who of ['secretary', 'admin', 'grid01']) {
      expectRefused(await k.one(who, patch('ledgerEntry', e.id, { amount: 1 })), 'UNSUPPORTED_OPERATION', /账目只能追加.*更正/)
      expectRefused(await k.one(who, { entity: 'ledgerEntry', id: e.id, op: 'delete', data: {} }), 'UNSUPPORTED_OPERATION', /不能修改或删除/)
      expectRefused(await k.one(who, patch('matterStep', stepId, { note: '改' })), 'UNSUPPORTED_OPERATION', /留作记录/)
    }
    expect(await k.written()).toEqual(before)
    expect((await entriesOf(id))[0]).toMatchObject({ amount: 100_000 })
  })
})

describe('GET /api/matters/:id/ledger', () => {
  it('the office’s: totals by kind, balance, up to a day; a worker is refused, a bad day or an unknown matter too', async () => {
    const id = await decided()
    await k.applied('secretary', create('ledgerEntry', newEntry(id, 'other_income', 30_000, { day: daysAgo(3), source: '物业捐助' })))
    await k.applied('secretary', create('ledgerEntry', newEntry(id, 'subsidy', 50_000)))
    const all = MatterLedgerResponse.parse((await ledger(id)).json())
    expect(all).toMatchObject({ matterId: id, asOf: null, income: 80_000, balance: 80_000, budget: 36_000_000, stillToRaise: 35_920_000, entries: 2, stage: 'decided' })
    const earlier = MatterLedgerResponse.parse((await ledger(id, `?asOf=${daysAgo(1)}`)).json())
    expect(earlier).toMatchObject({ asOf: daysAgo(1), income: 30_000, entries: 1, totals: { other_income: 30_000, subsidy: 0 } })
    for (const who of ['grid01', 'grid02']) {
      const res = await ledger(id, '', who)
      expect(res.statusCode).toBe(403)
      expect(res.json<{ error: { code: string } }>().error.code).toBe('FORBIDDEN')
    }
    const bad = await ledger(id, '?asOf=yesterday')
    expect([bad.statusCode, bad.json<{ error: { code: string } }>().error.code]).toEqual([400, 'VALIDATION_FAILED'])
    expect((await ledger('not-an-id')).statusCode).toBe(400)
    const unknown = await ledger(uuidv7())
    expect([unknown.statusCode, unknown.json<{ error: { code: string } }>().error.code]).toEqual([404, 'NOT_FOUND'])
    const none = MatterLedgerResponse.parse((await ledger(await decided(null))).json())
    expect(none).toMatchObject({ budget: null, stillToRaise: null, income: 0, balance: 0, entries: 0 })
    expect(workerOf(s.community, 'grid01').gridIds.length).toBeGreaterThan(0)
  })
})
