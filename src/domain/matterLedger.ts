import { yuan } from './money'
import { say } from './language'
import type { FundingRule, LedgerEntry, LedgerTotals } from './schemas/matter'

// 筹: a matter's funding ledger, counted. Entries are never changed: a correction is an entry of
// its own naming the one it corrects, and every figure here reads an entry at its effective
// amount (its own plus its corrections'). Money is in fen, integers throughout; shares are split
// with BigInt so that no rounding ever loses or invents a fen.

// Money in words lives in money.ts (the first screen names a refused ledger entry with it).
export { yuan }

type Kind = Exclude<LedgerEntry['kind'], 'correction'>
/** What brings money in; shares are what is owed, not money. */
const INCOME: readonly Kind[] = ['contribution', 'subsidy', 'other_income']

/** Each entry that is not a correction, at its amount plus its corrections'. */
export function effectiveAmounts(entries: readonly LedgerEntry[]): Map<string, { entry: Exclude<LedgerEntry, { kind: 'correction' }>; amount: number }> {
  const out = new Map<string, { entry: Exclude<LedgerEntry, { kind: 'correction' }>; amount: number }>()
  for (const e of entries) if (e.kind !== 'correction') out.set(e.id, { entry: e, amount: e.amount })
  for (const e of entries) {
    if (e.kind !== 'correction') continue
    const target = out.get(e.correctsId)
    // A correction whose entry is not among these (a period cut by asOf) counts for nothing here.
    if (target) target.amount += e.amount
  }
  return out
}

/** What the ledger adds up to: totals by kind, income, expenses, balance and the shares. */
export function ledgerTotals(entries: readonly LedgerEntry[]): LedgerTotals {
  const totals = { share: 0, contribution: 0, subsidy: 0, other_income: 0, expense: 0 }
  for (const { entry, amount } of effectiveAmounts(entries).values()) totals[entry.kind] += amount
  const corrections = entries.filter((e) => e.kind === 'correction')
  const income = INCOME.reduce((n, k) => n + totals[k], 0)
  const households = householdLedger(entries).filter((h) => h.due > 0)
  return {
    totals,
    corrections: { entries: corrections.length, net: corrections.reduce((n, e) => n + e.amount, 0) },
    income,
    expenses: totals.expense,
    balance: income - totals.expense,
    shares: {
      households: households.length,
      due: households.reduce((n, h) => n + h.due, 0),
      paid: households.reduce((n, h) => n + h.paid, 0),
      outstanding: households.reduce((n, h) => n + h.outstanding, 0),
      paidInFull: households.filter((h) => h.outstanding === 0).length,
    },
    entries: entries.length,
  }
}

export interface HouseholdLedgerLine {
  householdId: string
  due: number
  paid: number
  /** What it still owes: due − paid, at least 0 (paying more is a gift, not a debt the other way). */
  outstanding: number
}

/** Each household's due share and what it paid, households with a share first (by id). Personal
 *  data: the office's device and routes only. */
export function householdLedger(entries: readonly LedgerEntry[]): HouseholdLedgerLine[] {
  const lines = new Map<string, HouseholdLedgerLine>()
  const line = (id: string) => lines.get(id) ?? lines.set(id, { householdId: id, due: 0, paid: 0, outstanding: 0 }).get(id)!
  for (const { entry, amount } of effectiveAmounts(entries).values()) {
    if (entry.kind === 'share') line(entry.householdId).due += amount
    if (entry.kind === 'contribution') line(entry.householdId).paid += amount
  }
  for (const l of lines.values()) l.outstanding = Math.max(0, l.due - l.paid)
  return [...lines.values()].sort((a, b) => Number(b.due > 0) - Number(a.due > 0) || (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0))
}

export type LedgerRefusal = { code: 'NOT_FOUND' | 'VALIDATION_FAILED' | 'BALANCE_NEGATIVE'; message: string }

/** May this entry be added to the ledger as it stands? null when it may; the reason when not. A
 *  correction names an entry of this ledger that is not itself a correction and leaves it at 0 or
 *  more; nothing may bring the balance below zero (money spent that was never received). */
export function checkLedgerEntry(entries: readonly LedgerEntry[], entry: LedgerEntry): LedgerRefusal | null {
  const before = ledgerTotals(entries)
  if (entry.kind === 'correction') {
    const target = entries.find((e) => e.id === entry.correctsId)
    if (!target) return { code: 'NOT_FOUND', message: say('找不到要更正的那笔账：更正要对应这个议题账上的一笔', "The entry to correct was not found: a correction must match an entry of this matter's ledger")() }
    if (target.kind === 'correction') return { code: 'VALIDATION_FAILED', message: say('不能更正一笔更正：请直接更正原来那笔账', 'A correction cannot be corrected: correct the original entry instead')() }
    const now = effectiveAmounts(entries).get(target.id)!.amount
    if (now + entry.amount < 0) return { code: 'VALIDATION_FAILED', message: say(`那笔账现在是 ${yuan(now)}，减去 ${yuan(-entry.amount)} 会变成负数：请核对更正的金额`, `That entry is now ${yuan(now)}; taking off ${yuan(-entry.amount)} would make it negative: check the amount of the correction`)() }
  }
  const after = ledgerTotals([...entries, entry])
  if (after.balance < 0 && after.balance < before.balance) {
    const what =
      entry.kind === 'expense'
        ? { zh: `这笔支出 ${yuan(entry.amount)}`, en: `this expense of ${yuan(entry.amount)}` }
        : { zh: `这笔更正（${yuan(entry.amount)}）`, en: `this correction (${yuan(entry.amount)})` }
    return { code: 'BALANCE_NEGATIVE', message: say(`结余只有 ${yuan(before.balance)}，${what.zh}会让结余变成 ${yuan(after.balance)}，没有记账：先记下到账的款项，或核对金额`, `The balance is only ${yuan(before.balance)}; ${what.en} would bring it to ${yuan(after.balance)}, so it was not recorded: first record the money received, or check the amount`)() }
  }
  return null
}

// ---- shares by rule ----

export interface ShareHousehold {
  householdId: string
  floor: number | null
  /** 建筑面积, ㎡ (two decimals at most). */
  area: number | null
  /** Where, in words, for a message about it ("3号楼2单元501"). */
  place: string
}

export type SharesResult = { ok: true; shares: Array<{ householdId: string; amount: number }> } | { ok: false; message: string }

const byId = (a: { householdId: string }, b: { householdId: string }) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0)

/** `amount` split by integer weights, exactly: each gets the floor of its part, and what is left
 *  goes one unit each to the largest remainders, ties to the earlier item. Weights sum > 0. */
function splitByWeights(amount: number, weights: readonly bigint[]): number[] {
  const total = weights.reduce((n, w) => n + w, 0n)
  const a = BigInt(amount)
  const parts = weights.map((w, i) => ({ i, q: (a * w) / total, r: (a * w) % total }))
  let left = a - parts.reduce((n, p) => n + p.q, 0n)
  const order = [...parts].sort((x, y) => (y.r > x.r ? 1 : y.r < x.r ? -1 : x.i - y.i))
  for (const p of order) {
    if (left === 0n) break
    p.q += 1n
    left -= 1n
  }
  return parts.map((p) => Number(p.q))
}

/** A few of the households a refusal is about, in both languages: "3 户（如 1-101、1-102、2-301）". */
const few = (hs: readonly ShareHousehold[]) => {
  const some = hs.slice(0, 3).map((h) => h.place)
  return { zh: `${hs.length} 户（如 ${some.join('、')}）`, en: `${hs.length} ${hs.length === 1 ? 'household' : 'households'} (e.g. ${some.join(', ')})` }
}

/** Each household's share of `amount` by the rule; the shares sum to exactly `amount`, and the
 *  answer does not depend on the order the households are given in. */
export function computeShares(rule: FundingRule, amount: number, households: readonly ShareHousehold[]): SharesResult {
  if (households.length === 0) return { ok: false, message: say('议题范围里没有登记的住户，没有人可以分摊', "No registered households in the matter's scope: nobody to share the costs")() }
  if (new Set(households.map((h) => h.householdId)).size !== households.length) throw new Error('分摊的户有重复')
  const hs = [...households].sort(byId)
  const ok = (amounts: number[], of: readonly ShareHousehold[]): SharesResult => ({ ok: true, shares: of.map((h, i) => ({ householdId: h.householdId, amount: amounts[i]! })) })

  if (rule.kind === 'equal') return ok(splitByWeights(amount, hs.map(() => 1n)), hs)

  if (rule.kind === 'area') {
    const missing = households.filter((h) => h.area === null || Math.round(h.area * 100) <= 0)
    if (missing.length) return { ok: false, message: say(`${few(missing).zh}没有登记建筑面积，无法按面积分摊：先在台账里补上面积`, `${few(missing).en}: no floor area registered, so costs cannot be shared by area: add the areas in the register first`)() }
    return ok(splitByWeights(amount, hs.map((h) => BigInt(Math.round(h.area! * 100)))), hs)
  }

  // Messages name places in the order given (the caller's walking order); shares go by id.
  const noFloor = households.filter((h) => h.floor === null)
  if (noFloor.length) return { ok: false, message: say(`${few(noFloor).zh}没有登记楼层，无法按楼层分摊：先在台账里补上楼层`, `${few(noFloor).en}: no floor registered, so costs cannot be shared by floor: add the floors in the register first`)() }
  const bands = rule.bands.map((b, i) => ({ band: b, i, members: hs.filter((h) => h.floor! >= b.fromFloor && h.floor! <= b.toFloor) }))
  const outside = households.filter((h) => !bands.some((b) => b.members.some((x) => x.householdId === h.householdId)))
  if (outside.length) return { ok: false, message: say(`${few(outside).zh}的楼层不在任何一档里：比例表要覆盖每一层（不出钱的楼层写0%）`, `${few(outside).en}: on floors in no band: the bands must cover every floor (0% for floors that pay nothing)`)() }
  const empty = bands.find((b) => b.band.percent > 0 && b.members.length === 0)
  if (empty) return { ok: false, message: say(`${empty.band.fromFloor}–${empty.band.toFloor}层没有住户，这一档的${empty.band.percent}%没人分摊：请调整比例表`, `No households on floors ${empty.band.fromFloor}–${empty.band.toFloor}, so nobody pays that band's ${empty.band.percent}%: adjust the bands`)() }
  // Two levels: the amount by band (percent in hundredths), then each band's part equally.
  const byBand = splitByWeights(amount, bands.map((b) => BigInt(Math.round(b.band.percent * 100))))
  const amounts = new Map<string, number>()
  for (const b of bands) {
    if (b.members.length === 0) continue
    const split = splitByWeights(byBand[b.i]!, b.members.map(() => 1n))
    b.members.forEach((h, j) => amounts.set(h.householdId, split[j]!))
  }
  return ok(hs.map((h) => amounts.get(h.householdId)!), hs)
}
