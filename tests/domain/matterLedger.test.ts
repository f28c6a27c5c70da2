import { describe, expect, it } from 'vitest'
import {
  checkLedgerEntry,
  computeShares,
  FundingRule,
  householdLedger,
  LedgerEntry,
  LedgerEntryCreate,
  ledgerTotals,
  type ShareHousehold,
  uuidv7,
  yuan,
} from '../../src/domain'

// 筹 counted (matterLedger.ts): shares by floor, area or equally, exact to the fen and the same
// whatever order the households come in; a ledger whose corrections are entries of their own; a
// balance that never goes below zero.

const MATTER = uuidv7()
const BY = uuidv7()
const AT = '2026-11-21T08:00:00.000Z'
const RECEIPT = 'a'.repeat(64)

type Extra = { householdId?: string; source?: string; what?: string; correctsId?: string }
function entry(kind: LedgerEntry['kind'], amount: number, extra: Extra = {}): LedgerEntry {
  const base = { id: uuidv7(), matterId: MATTER, amount, day: '2026-11-20', note: kind === 'correction' ? '记错了' : '', photoIds: kind === 'expense' ? [RECEIPT] : [], recordedBy: BY, recordedAt: AT }
  const byKind: Record<LedgerEntry['kind'], Extra> = {
    share: { householdId: extra.householdId ?? uuidv7() },
    contribution: { householdId: extra.householdId ?? uuidv7() },
    subsidy: { source: '区住建局加装电梯补贴' },
    other_income: { source: '物业捐助' },
    expense: { what: '电梯设备款' },
    correction: { correctsId: extra.correctsId ?? uuidv7() },
  }
  return LedgerEntry.parse({ ...base, kind, ...byKind[kind], ...extra })
}

/** A stairwell of six floors, two flats a floor, areas differing. */
function stairwell(): ShareHousehold[] {
  const out: ShareHousehold[] = []
  for (let floor = 1; floor <= 6; floor++)
    for (const room of ['01', '02']) out.push({ householdId: uuidv7(), floor, area: 70 + floor + (room === '02' ? 0.37 : 0), place: `3号楼2单元${floor}${room}` })
  return out
}

const FLOOR_RULE = FundingRule.parse({
  kind: 'floor',
  bands: [
    { fromFloor: 1, toFloor: 1, percent: 0 },
    { fromFloor: 2, toFloor: 2, percent: 10 },
    { fromFloor: 3, toFloor: 4, percent: 30 },
    { fromFloor: 5, toFloor: 6, percent: 60 },
  ],
})

const shuffle = <T>(xs: readonly T[], seed: number): T[] => {
  const out = [...xs]
  let x = seed
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648
    const j = x % (i + 1)
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
const sum = (xs: ReadonlyArray<{ amount: number }>) => xs.reduce((n, x) => n + x.amount, 0)

describe('shares by rule', () => {
  it('by floor: each band its percent, split equally on its floors; the sum is exactly the amount', () => {
    const hs = stairwell()
    const amount = 36_000_001 // ¥360,000.01: a fen that cannot split evenly
    const r = computeShares(FLOOR_RULE, amount, hs)
    if (!r.ok) throw new Error(r.message)
    expect(sum(r.shares)).toBe(amount)
    const of = (floor: number) => r.shares.filter((s) => hs.find((h) => h.householdId === s.householdId)!.floor === floor).map((s) => s.amount)
    expect(of(1)).toEqual([0, 0])
    // 10 % of 36,000,001 is 3,600,000.1 → the band gets 3,600,000, its two flats 1,800,000 each.
    expect(of(2)).toEqual([1_800_000, 1_800_000])
    // 30 % (10,800,000.3) over four flats, 60 % (21,600,000.6 → 21,600,001: the largest remainder gets the left fen) over four.
    expect(of(3).concat(of(4))).toEqual([2_700_000, 2_700_000, 2_700_000, 2_700_000])
    expect([...of(5), ...of(6)].sort()).toEqual([5_400_000, 5_400_000, 5_400_000, 5_400_001])
    expect(r.shares.every((s) => Number.isInteger(s.amount) && s.amount >= 0)).toBe(true)
  })

  it('by area: in proportion to 建筑面积, exact, remainders to the largest', () => {
    const hs = stairwell()
    const amount = 1_000_003
    const r = computeShares({ kind: 'area' }, amount, hs)
    if (!r.ok) throw new Error(r.message)
    expect(sum(r.shares)).toBe(amount)
    const total = hs.reduce((n, h) => n + Math.round(h.area! * 100), 0)
    for (const s of r.shares) {
      const exact = (amount * Math.round(hs.find((h) => h.householdId === s.householdId)!.area! * 100)) / total
      expect(Math.abs(s.amount - exact), 'never a fen further than the exact share').toBeLessThan(1)
    }
    expect(computeShares({ kind: 'equal' }, 100, hs.slice(0, 3))).toMatchObject({ ok: true })
    const equal = computeShares({ kind: 'equal' }, 100, hs.slice(0, 3))
    expect(equal.ok && equal.shares.map((s) => s.amount).sort()).toEqual([33, 33, 34])
  })

  it('is deterministic: the same shares whatever order the households come in', () => {
    const hs = stairwell()
    for (const rule of [FLOOR_RULE, { kind: 'area' } as const, { kind: 'equal' } as const]) {
      const want = computeShares(rule, 12_345_679, hs)
      for (let seed = 1; seed < 6; seed++) {
        const got = computeShares(rule, 12_345_679, shuffle(hs, seed))
        expect(got.ok && new Map(got.shares.map((s) => [s.householdId, s.amount]))).toEqual(want.ok && new Map(want.shares.map((s) => [s.householdId, s.amount])))
      }
    }
  })

  it('says plainly what the register lacks or the table misses, and computes nothing', () => {
    const hs = stairwell()
    const noFloor = [...hs.slice(1), { ...hs[0]!, floor: null }]
    expect(computeShares(FLOOR_RULE, 100, noFloor)).toEqual({ ok: false, message: '1 户（如 3号楼2单元101）没有登记楼层，无法按楼层分摊：先在台账里补上楼层' })
    expect(computeShares({ kind: 'area' }, 100, [...hs.slice(1), { ...hs[0]!, area: null }])).toMatchObject({ ok: false, message: expect.stringContaining('没有登记建筑面积') })
    const partial = FundingRule.parse({ kind: 'floor', bands: [{ fromFloor: 2, toFloor: 6, percent: 100 }] })
    expect(computeShares(partial, 100, hs)).toMatchObject({ ok: false, message: expect.stringContaining('2 户（如 3号楼2单元101、3号楼2单元102）的楼层不在任何一档里') })
    const empty = FundingRule.parse({ kind: 'floor', bands: [{ fromFloor: 1, toFloor: 6, percent: 80 }, { fromFloor: 7, toFloor: 7, percent: 20 }] })
    expect(computeShares(empty, 100, hs)).toEqual({ ok: false, message: '7–7层没有住户，这一档的20%没人分摊：请调整比例表' })
    expect(computeShares({ kind: 'equal' }, 100, [])).toMatchObject({ ok: false })
  })

  it('a band table sums to exactly 100 % and has no floor twice', () => {
    expect(FundingRule.safeParse({ kind: 'floor', bands: [{ fromFloor: 1, toFloor: 3, percent: 33.33 }, { fromFloor: 4, toFloor: 6, percent: 66.67 }] }).success).toBe(true)
    const short = FundingRule.safeParse({ kind: 'floor', bands: [{ fromFloor: 1, toFloor: 3, percent: 40 }, { fromFloor: 4, toFloor: 6, percent: 50 }] })
    expect(short.success).toBe(false)
    expect(short.error!.issues[0]!.message).toBe('各档比例加起来是90%，要正好100%')
    const overlap = FundingRule.safeParse({ kind: 'floor', bands: [{ fromFloor: 1, toFloor: 3, percent: 40 }, { fromFloor: 3, toFloor: 6, percent: 60 }] })
    expect(overlap.error!.issues[0]!.message).toBe('3层同时在两档里')
    expect(FundingRule.safeParse({ kind: 'floor', bands: [{ fromFloor: 1, toFloor: 6, percent: 99.999 }, { fromFloor: 7, toFloor: 7, percent: 0.001 }] }).success).toBe(false)
  })
})

describe('the ledger: balance, corrections, shares paid', () => {
  it('balance is income less expenses; shares are no money', () => {
    const h = uuidv7()
    const entries = [entry('share', 500_000, { householdId: h }), entry('contribution', 300_000, { householdId: h }), entry('subsidy', 2_000_000), entry('other_income', 10_000), entry('expense', 1_500_000)]
    const t = ledgerTotals(entries)
    expect(t.totals).toEqual({ share: 500_000, contribution: 300_000, subsidy: 2_000_000, other_income: 10_000, expense: 1_500_000 })
    expect([t.income, t.expenses, t.balance]).toEqual([2_310_000, 1_500_000, 810_000])
    expect(t.shares).toEqual({ households: 1, due: 500_000, paid: 300_000, outstanding: 200_000, paidInFull: 0 })
  })

  it('a correction is an entry of its own, folded into the kind of the entry it corrects', () => {
    const h = uuidv7()
    const paid = entry('contribution', 300_000, { householdId: h })
    const share = entry('share', 500_000, { householdId: h })
    const entries = [share, paid, entry('correction', -50_000, { correctsId: paid.id }), entry('correction', -200_000, { correctsId: share.id })]
    const t = ledgerTotals(entries)
    expect(t.totals.contribution).toBe(250_000)
    expect(t.totals.share).toBe(300_000)
    expect(t.corrections).toEqual({ entries: 2, net: -250_000 })
    expect(t.balance).toBe(250_000)
    expect(householdLedger(entries)).toEqual([{ householdId: h, due: 300_000, paid: 250_000, outstanding: 50_000 }])
    expect(t.entries).toBe(4)
  })

  it('refuses what would take the balance below zero, and bad corrections, in words', () => {
    const income = entry('subsidy', 120_000)
    const entries = [income, entry('expense', 100_000)]
    expect(checkLedgerEntry(entries, entry('expense', 20_000))).toBeNull()
    expect(checkLedgerEntry(entries, entry('expense', 20_001))).toEqual({
      code: 'BALANCE_NEGATIVE',
      message: '结余只有 ¥200.00，这笔支出 ¥200.01会让结余变成 -¥0.01，没有记账：先记下到账的款项，或核对金额',
    })
    // Taking back income that was spent is refused the same way.
    expect(checkLedgerEntry(entries, entry('correction', -20_001, { correctsId: income.id }))).toMatchObject({ code: 'BALANCE_NEGATIVE' })
    expect(checkLedgerEntry(entries, entry('correction', -20_000, { correctsId: income.id }))).toBeNull()
    expect(checkLedgerEntry(entries, entry('correction', 5, { correctsId: uuidv7() }))).toMatchObject({ code: 'NOT_FOUND' })
    const fix = entry('correction', -1, { correctsId: income.id })
    expect(checkLedgerEntry([...entries, fix], entry('correction', 1, { correctsId: fix.id }))).toEqual({ code: 'VALIDATION_FAILED', message: '不能更正一笔更正：请直接更正原来那笔账' })
    const share = entry('share', 100)
    expect(checkLedgerEntry([share], entry('correction', -101, { correctsId: share.id }))).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('会变成负数') })
    // Shares and income never bring the balance down.
    expect(checkLedgerEntry(entries, entry('share', 99_999_999))).toBeNull()
  })

  it('what a device sends: an expense shows its receipt, a correction its reason; money is whole fen', () => {
    const send = (data: object) => LedgerEntryCreate.safeParse({ id: uuidv7(), matterId: MATTER, day: '2026-11-20', ...data })
    expect(send({ kind: 'expense', amount: 100, what: '设备款' }).error!.issues[0]!.message).toBe('支出要附上收据或发票的照片')
    expect(send({ kind: 'expense', amount: 100, what: '设备款', photoIds: [RECEIPT] }).success).toBe(true)
    expect(send({ kind: 'correction', amount: -100, correctsId: uuidv7() }).success).toBe(false)
    expect(send({ kind: 'correction', amount: -100, correctsId: uuidv7(), note: '多记了一元' }).success).toBe(true)
    expect(send({ kind: 'correction', amount: 0, correctsId: uuidv7(), note: '无' }).success).toBe(false)
    expect(send({ kind: 'subsidy', amount: 100.5, source: '补贴' }).success).toBe(false)
    expect(send({ kind: 'subsidy', amount: -100, source: '补贴' }).success).toBe(false)
    expect(send({ kind: 'contribution', amount: 100 }).success).toBe(false)
    expect(yuan(36_000_000)).toBe('¥360,000.00')
    expect(yuan(-5)).toBe('-¥0.05')
  })
})
