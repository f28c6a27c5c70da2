// Counting a residents' vote (表决, 业主共同决定) by 民法典 第二百七十八条:
// - participation: owners holding ≥ 2/3 of the exclusive area (专有部分面积) AND ≥ 2/3 of the owners
//   by number take part, measured against every owner in the vote's scope;
// - consent, measured against the participants (their number and their area): ≥ 3/4 of both for
//   raising the maintenance fund, altering or rebuilding (an added elevator too), changing the use
//   of common parts or running a business on them; more than half (过半数) of both for the rest.
// In Chinese law "以上" includes the bound (≥) and "过半数" does not (>). Every comparison is done
// in integers (area in hundredths of ㎡, cross products), so a count sitting exactly on 2/3 or 3/4
// is decided as the law says, not as floating point happens to round.

// This file stays free of zod: a phone's home page counts its campaigns with it. The schemas that
// check a rule or an answer from outside are in schemas/vote.ts, typed by these.

/** A share of a whole: reached when part/whole ≥ num/den, or > num/den when `strict`. */
export interface VoteThreshold {
  num: number
  den: number
  strict: boolean
}

/** The rule of a vote, as data kept with the campaign. */
export interface VoteRule {
  preset: VoteRulePreset
  participation: VoteThreshold
  consent: VoteThreshold
}

export const VOTE_RULE_PRESETS = ['major', 'ordinary', 'custom'] as const
export type VoteRulePreset = (typeof VOTE_RULE_PRESETS)[number]

/** 重大事项 (items 6–8 of art. 278): 维修资金的筹集, 改建重建 (加装电梯), 改变共有部分用途或经营. */
export const MAJOR_MATTER = {
  preset: 'major',
  participation: { num: 2, den: 3, strict: false },
  consent: { num: 3, den: 4, strict: false },
} as const satisfies VoteRuleShape

/** Every other matter of art. 278: same participation, consent by more than half. */
export const ORDINARY_MATTER = {
  preset: 'ordinary',
  participation: { num: 2, den: 3, strict: false },
  consent: { num: 1, den: 2, strict: true },
} as const satisfies VoteRuleShape

interface VoteRuleShape {
  preset: VoteRulePreset
  participation: VoteThreshold
  consent: VoteThreshold
}

/** a asks at least as much as b. */
function atLeast(a: VoteThreshold, b: VoteThreshold): boolean {
  const d = a.num * b.den - b.num * a.den
  return d > 0 || (d === 0 && (a.strict || !b.strict))
}
const same = (a: VoteThreshold, b: VoteThreshold) => a.num * b.den === b.num * a.den && a.strict === b.strict
const PRESET_RULES = { major: MAJOR_MATTER, ordinary: ORDINARY_MATTER } as const

/** A preset carries exactly its law's thresholds. */
export function presetIntact(r: VoteRule): boolean {
  return r.preset === 'custom' || (same(r.participation, PRESET_RULES[r.preset].participation) && same(r.consent, PRESET_RULES[r.preset].consent))
}

/** 'custom' (a 议事规则 that asks more) may raise the thresholds but never go below the law's
 *  ordinary bar: art. 278 sets a floor for every 共同决定事项. */
export function atLeastTheLaw(r: VoteRule): boolean {
  return atLeast(r.participation, ORDINARY_MATTER.participation) && atLeast(r.consent, ORDINARY_MATTER.consent)
}

export type VoteLocale = 'zh-CN' | 'en'

export const VOTE_RULE_LABELS: Record<VoteRulePreset, Record<VoteLocale, string>> = {
  major: { 'zh-CN': '重大事项（四分之三）', en: 'Major matter (three quarters)' },
  ordinary: { 'zh-CN': '一般事项（过半数）', en: 'Ordinary matter (more than half)' },
  custom: { 'zh-CN': '自定义比例', en: 'Custom thresholds' },
}

export const VOTE_ANSWERS = ['agree', 'oppose', 'abstain', 'conditional'] as const
export type VoteAnswer = (typeof VOTE_ANSWERS)[number]

export function isVoteAnswer(value: unknown): value is VoteAnswer {
  return (VOTE_ANSWERS as readonly unknown[]).includes(value)
}

export const VOTE_ANSWER_LABELS: Record<VoteAnswer, Record<VoteLocale, string>> = {
  agree: { 'zh-CN': '同意', en: 'Agree' },
  oppose: { 'zh-CN': '反对', en: 'Oppose' },
  abstain: { 'zh-CN': '弃权', en: 'Abstain' },
  conditional: { 'zh-CN': '有条件同意', en: 'Agree with conditions' },
}

/** One owner vote per household (专有部分) in the vote's scope. */
export interface VoteHousehold {
  householdId: string
  /** 建筑面积 in ㎡, up to 2 decimals (rounded to 0.01 ㎡ here). null, or anything less than
   *  0.01 ㎡, is a missing area: the area measure cannot be counted until the register has it. */
  area: number | null
  /** The owner's (业主本人) answer; null when none counts. The caller passes null for an answer
   *  given by anyone but the owner (a tenant, a relative without a proxy): only owners decide. */
  answer: VoteAnswer | null
}

/** Evaluated in this order: the first that holds is the status; only 'passed' passes.
 *  'area_incomplete' comes before the shortfalls because without every area the area measure, and so
 *  the outcome, is unknown: the register is fixed first. */
export const VOTE_STATUSES = ['empty', 'area_incomplete', 'participation_short', 'consent_short', 'passed'] as const
export type VoteStatus = (typeof VOTE_STATUSES)[number]

export const VOTE_STATUS_LABELS: Record<VoteStatus, Record<VoteLocale, string>> = {
  empty: { 'zh-CN': '表决范围内没有业主', en: 'No owners in scope' },
  area_incomplete: { 'zh-CN': '面积不全', en: 'Floor areas incomplete' },
  participation_short: { 'zh-CN': '参与不足', en: 'Too few took part' },
  consent_short: { 'zh-CN': '同意不足', en: 'Not enough consent' },
  passed: { 'zh-CN': '通过', en: 'Passed' },
}

/** One measure (by number of households, or by area in ㎡). */
export interface VoteMeasure {
  total: number
  participants: number
  agree: number
  oppose: number
  abstain: number
  conditional: number
  /** null: cannot be decided (the area measure while some area is missing). */
  participationPassed: boolean | null
  consentPassed: boolean | null
}

/** What is still needed to reach a threshold: households (whole) and area (㎡, rounded up to 0.01). */
export interface VoteShortfall {
  households: number
  /** null while some area in scope is missing. */
  area: number | null
}

export interface VoteTally {
  status: VoteStatus
  passed: boolean
  /** True only when both measures are known to pass. */
  participationPassed: boolean
  consentPassed: boolean
  households: VoteMeasure
  /** In ㎡; sums over the households whose area is known. */
  area: VoteMeasure
  /** Households in scope without an area. */
  areaMissing: number
  needed: {
    /** More owners who must take part (0 when met); null for an empty scope. */
    participation: VoteShortfall | null
    /** More agreement needed among the current participants, were they to change their answer
     *  (0 when met); null while nobody has taken part. More participants raise this bar. */
    consent: VoteShortfall | null
  }
}

// Integer division of non-negative safe integers, exact (a % b is exact where a / b may round).
const floorDiv = (a: number, b: number) => (a - (a % b)) / b
const ceilDiv = (a: number, b: number) => floorDiv(a + b - 1, b)

/** The least part of `whole` that reaches the threshold; null when whole is 0: a share of nothing
 *  never passes (and nothing divides by zero). */
function required(whole: number, t: VoteThreshold): number | null {
  if (whole === 0) return null
  return t.strict ? floorDiv(whole * t.num, t.den) + 1 : ceilDiv(whole * t.num, t.den)
}

interface Sums {
  total: number
  participants: number
  agree: number
  oppose: number
  abstain: number
  conditional: number
}

/** An area in hundredths of ㎡; null when missing or not at least 0.01 ㎡ (no flat has less). */
function hundredths(area: number | null): number | null {
  const h = area !== null && Number.isFinite(area) ? Math.round(area * 100) : 0
  return h > 0 ? h : null
}

/** Counts a vote. Abstaining (弃权) is taking part without consenting. An agreement with conditions
 *  (有条件同意) is counted the same way, as taking part but not as consent: whether its conditions
 *  are met is for the office to settle with the owner, who then answers agree or oppose; until then
 *  it is reported on its own (`conditional`), never silently added to either side. */
export function tallyVote(households: readonly VoteHousehold[], rule: VoteRule): VoteTally {
  const zero = (): Sums => ({ total: 0, participants: 0, agree: 0, oppose: 0, abstain: 0, conditional: 0 })
  const n = zero()
  const a = zero() // hundredths of ㎡
  const seen = new Set<string>()
  let areaMissing = 0
  for (const h of households) {
    if (seen.has(h.householdId)) throw new Error(`表决范围内重复的户：${h.householdId}`)
    seen.add(h.householdId)
    const area = hundredths(h.area)
    if (area === null) areaMissing++
    for (const [s, w] of [[n, 1], [a, area ?? 0]] as const) {
      s.total += w
      if (h.answer === null) continue
      s.participants += w
      s[h.answer] += w
    }
  }

  const areaKnown = areaMissing === 0
  const pNeed = (s: Sums) => required(s.total, rule.participation)
  const cNeed = (s: Sums) => required(s.participants, rule.consent)
  const passes = (part: number, need: number | null) => need !== null && part >= need
  const measure = (s: Sums, known: boolean, scale: number): VoteMeasure => ({
    total: s.total / scale,
    participants: s.participants / scale,
    agree: s.agree / scale,
    oppose: s.oppose / scale,
    abstain: s.abstain / scale,
    conditional: s.conditional / scale,
    participationPassed: known ? passes(s.participants, pNeed(s)) : null,
    consentPassed: known ? passes(s.agree, cNeed(s)) : null,
  })
  const byNumber = measure(n, true, 1)
  const byArea = measure(a, areaKnown, 100)
  const shortfall = (part: 'participants' | 'agree', need: (s: Sums) => number | null): VoteShortfall | null => {
    const hh = need(n)
    if (hh === null) return null
    const ar = need(a)
    return { households: Math.max(0, hh - n[part]), area: areaKnown && ar !== null ? Math.max(0, ar - a[part]) / 100 : null }
  }

  const participationPassed = byNumber.participationPassed === true && byArea.participationPassed === true
  const consentPassed = byNumber.consentPassed === true && byArea.consentPassed === true
  const status: VoteStatus =
    n.total === 0 ? 'empty'
    : !areaKnown ? 'area_incomplete'
    : !participationPassed ? 'participation_short'
    : !consentPassed ? 'consent_short'
    : 'passed'
  return {
    status,
    passed: status === 'passed',
    participationPassed,
    consentPassed,
    households: byNumber,
    area: byArea,
    areaMissing,
    needed: { participation: shortfall('participants', pNeed), consent: shortfall('agree', cNeed) },
  }
}

/** 186 → "186", 120.5 → "120.5": at most two decimals, no trailing zeros. */
const formatArea = (m2: number) => m2.toFixed(2).replace(/\.?0+$/, '')

/** "还需 2 户、186 ㎡ 参与表决" / "2 more households and 186 m² must take part"; null when nothing
 *  more is needed. An unknown area (null) is left out: say so with `stillNeeded`. */
export function shortfallSentence(need: VoteShortfall, kind: 'participation' | 'consent', locale: VoteLocale): string | null {
  const hh = need.households > 0 ? need.households : null
  const ar = need.area !== null && need.area > 0 ? formatArea(need.area) : null
  if (hh === null && ar === null) return null
  if (locale === 'zh-CN') {
    const parts = [hh !== null && `${hh} 户`, ar !== null && `${ar} ㎡`].filter(Boolean).join('、')
    // A space after the symbol ㎡, none after the word 户: "还需 2 户参与表决", "还需 186 ㎡ 同意".
    return `还需 ${parts}${ar !== null ? ' ' : ''}${kind === 'participation' ? '参与表决' : '同意'}`
  }
  const verb = kind === 'participation' ? 'must take part' : 'must agree'
  if (hh === null) return `${ar} m² more ${verb}`
  const who = `${hh} more ${hh === 1 ? 'household' : 'households'}`
  return ar === null ? `${who} ${verb}` : `${who} and ${ar} m² ${verb}`
}

/** Everything that stands between the tally and passing, one sentence each; [] once passed. */
export function stillNeeded(tally: VoteTally, locale: VoteLocale): string[] {
  const zh = locale === 'zh-CN'
  if (tally.status === 'empty') return [VOTE_STATUS_LABELS.empty[locale]]
  const out: string[] = []
  if (tally.areaMissing > 0) {
    const m = tally.areaMissing
    out.push(zh ? `${m} 户缺建筑面积，无法按面积计票` : `${m} ${m === 1 ? 'household has' : 'households have'} no floor area: the area measure cannot be counted`)
  }
  const { participation, consent } = tally.needed
  // consent is null while nobody has taken part: there is no bar yet, the participation sentence says it all.
  for (const [need, kind] of [[participation, 'participation'], [consent, 'consent']] as const) {
    const sentence = need && shortfallSentence(need, kind, locale)
    if (sentence) out.push(sentence)
  }
  return out
}
