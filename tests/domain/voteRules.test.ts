import { describe, expect, it } from 'vitest'
import {
  MAJOR_MATTER,
  ORDINARY_MATTER,
  shortfallSentence,
  stillNeeded,
  tallyVote,
  VOTE_ANSWER_LABELS,
  VOTE_RULE_LABELS,
  VOTE_STATUS_LABELS,
  VOTE_STATUSES,
  type VoteAnswer,
  type VoteHousehold,
} from '../../src/domain/voteRules'
import { VoteRule } from '../../src/domain/schemas/vote'

// The thresholds of 民法典 第二百七十八条, written out by hand: every case below sits on a bound
// (以上 is ≥, 过半数 is >), and the expected figures are worked out on paper, not by the code.

let n = 0
const hh = (area: number | null, answer: VoteAnswer | null): VoteHousehold => ({ householdId: `h${++n}`, area, answer })
/** `count` households of the same area and answer. */
const many = (count: number, area: number | null, answer: VoteAnswer | null) => Array.from({ length: count }, () => hh(area, answer))

describe('the rules', () => {
  it('the presets are the law: 2/3 participation (≥) for both, consent ≥ 3/4 for major matters and > 1/2 for the rest', () => {
    expect(MAJOR_MATTER).toEqual({ preset: 'major', participation: { num: 2, den: 3, strict: false }, consent: { num: 3, den: 4, strict: false } })
    expect(ORDINARY_MATTER).toEqual({ preset: 'ordinary', participation: { num: 2, den: 3, strict: false }, consent: { num: 1, den: 2, strict: true } })
    expect(VoteRule.safeParse(MAJOR_MATTER).success).toBe(true)
    expect(VoteRule.safeParse(ORDINARY_MATTER).success).toBe(true)
  })

  it('a preset cannot be given other thresholds; a custom rule may ask more than the law, never less', () => {
    expect(VoteRule.safeParse({ ...MAJOR_MATTER, consent: { num: 1, den: 2, strict: true } }).success).toBe(false)
    expect(VoteRule.safeParse({ ...ORDINARY_MATTER, participation: { num: 3, den: 4, strict: false } }).success).toBe(false)
    expect(VoteRule.safeParse({ ...MAJOR_MATTER, consent: { num: 3, den: 4, strict: true } }).success).toBe(false)
    // Equal to the law, written with other numbers, and stricter: fine.
    expect(VoteRule.safeParse({ preset: 'custom', participation: { num: 4, den: 6, strict: false }, consent: { num: 1, den: 2, strict: true } }).success).toBe(true)
    expect(VoteRule.safeParse({ preset: 'custom', participation: { num: 4, den: 5, strict: false }, consent: { num: 2, den: 3, strict: false } }).success).toBe(true)
    // Half is not more than half; 3/5 participation is below two thirds.
    expect(VoteRule.safeParse({ preset: 'custom', participation: { num: 2, den: 3, strict: false }, consent: { num: 1, den: 2, strict: false } }).success).toBe(false)
    expect(VoteRule.safeParse({ preset: 'custom', participation: { num: 3, den: 5, strict: false }, consent: { num: 3, den: 4, strict: false } }).success).toBe(false)
  })

  it('a threshold is a share no larger than the whole, and "more than all" is refused', () => {
    const custom = (consent: object) => VoteRule.safeParse({ preset: 'custom', participation: { num: 2, den: 3, strict: false }, consent }).success
    expect(custom({ num: 1, den: 1, strict: false })).toBe(true) // unanimity
    expect(custom({ num: 1, den: 1, strict: true })).toBe(false)
    expect(custom({ num: 5, den: 4, strict: false })).toBe(false)
    expect(custom({ num: 0, den: 4, strict: false })).toBe(false)
    expect(custom({ num: 1.5, den: 2, strict: false })).toBe(false)
    expect(custom({ num: 99, den: 101, strict: false })).toBe(false) // keeps cross products safe integers
  })

  it('labels in Chinese and English for every preset, answer and status', () => {
    expect(VOTE_RULE_LABELS.major).toEqual({ 'zh-CN': '重大事项（四分之三）', en: 'Major matter (three quarters)' })
    expect(VOTE_RULE_LABELS.ordinary['zh-CN']).toBe('一般事项（过半数）')
    expect(VOTE_ANSWER_LABELS.conditional['zh-CN']).toBe('有条件同意')
    expect(VOTE_ANSWER_LABELS.abstain['zh-CN']).toBe('弃权')
    expect(Object.keys(VOTE_STATUS_LABELS)).toEqual([...VOTE_STATUSES])
    for (const l of [VOTE_RULE_LABELS, VOTE_ANSWER_LABELS, VOTE_STATUS_LABELS].flatMap((t) => Object.values(t))) {
      expect(l['zh-CN']).toMatch(/\p{Script=Han}/u)
      expect(l.en).toMatch(/^[A-Z][\x20-\x7e]+$/)
    }
  })
})

describe('participation: two thirds of all owners, by number and by area', () => {
  it('exactly 2/3 by number and by area takes part: passes (以上 includes the bound)', () => {
    // 6 of 9 households; 400 of 600 ㎡.
    const t = tallyVote([...many(4, 50, 'agree'), hh(100, 'agree'), hh(100, 'agree'), hh(80, null), hh(60, null), hh(60, null)], MAJOR_MATTER)
    expect(t.households).toMatchObject({ total: 9, participants: 6, participationPassed: true })
    expect(t.area).toMatchObject({ total: 600, participants: 400, participationPassed: true })
    expect(t).toMatchObject({ status: 'passed', passed: true, participationPassed: true, consentPassed: true, areaMissing: 0 })
    expect(t.needed).toEqual({ participation: { households: 0, area: 0 }, consent: { households: 0, area: 0 } })
    expect(stillNeeded(t, 'zh-CN')).toEqual([])
    expect(stillNeeded(t, 'en')).toEqual([])
  })

  it('2/3 by area but not by number falls short', () => {
    // The owner of 200 of 300 ㎡ takes part: 1 of 3 households.
    const t = tallyVote([hh(200, 'agree'), hh(50, null), hh(50, null)], ORDINARY_MATTER)
    expect(t.area.participationPassed).toBe(true)
    expect(t.households.participationPassed).toBe(false)
    expect(t).toMatchObject({ status: 'participation_short', passed: false, participationPassed: false, consentPassed: true })
    expect(t.needed.participation).toEqual({ households: 1, area: 0 })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['还需 1 户参与表决'])
    expect(stillNeeded(t, 'en')).toEqual(['1 more household must take part'])
  })

  it('2/3 by number but not by area falls short, by a hundredth of a ㎡', () => {
    // 2 of 3 households, 200 of 300.01 ㎡: two thirds of 300.01 is 200.0066…, so 0.01 ㎡ more.
    const t = tallyVote([hh(100, 'agree'), hh(100, 'agree'), hh(100.01, null)], ORDINARY_MATTER)
    expect(t.households.participationPassed).toBe(true)
    expect(t.area.participationPassed).toBe(false)
    expect(t.status).toBe('participation_short')
    expect(t.needed.participation).toEqual({ households: 0, area: 0.01 })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['还需 0.01 ㎡ 参与表决'])
    expect(stillNeeded(t, 'en')).toEqual(['0.01 m² more must take part'])
  })

  it('one household under 2/3 falls short even when everyone taking part agrees', () => {
    const t = tallyVote([...many(5, 90, 'agree'), ...many(4, 90, null)], MAJOR_MATTER)
    expect(t).toMatchObject({ status: 'participation_short', passed: false, consentPassed: true })
    expect(t.needed.participation).toEqual({ households: 1, area: 90 })
  })

  it('a custom rule is counted by its own thresholds', () => {
    const rule = { preset: 'custom', participation: { num: 4, den: 5, strict: false }, consent: { num: 3, den: 4, strict: false } } as const
    const atFour = tallyVote([...many(4, 80, 'agree'), hh(80, null)], rule)
    const atThree = tallyVote([...many(3, 80, 'agree'), ...many(2, 80, null)], rule)
    expect(atFour.status).toBe('passed')
    expect(atThree.status).toBe('participation_short')
    expect(atThree.needed.participation).toEqual({ households: 1, area: 80 })
  })
})

describe('consent: measured against the participants, by number and by area', () => {
  it('major: 3/4 by number but not by area fails', () => {
    // 3 of 4 agree, but 300 of 401 ㎡: three quarters of 401 is 300.75.
    const t = tallyVote([hh(100, 'agree'), hh(100, 'agree'), hh(100, 'agree'), hh(101, 'oppose')], MAJOR_MATTER)
    expect(t.households.consentPassed).toBe(true)
    expect(t.area.consentPassed).toBe(false)
    expect(t).toMatchObject({ status: 'consent_short', passed: false, participationPassed: true, consentPassed: false })
    expect(t.needed.consent).toEqual({ households: 0, area: 0.75 })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['还需 0.75 ㎡ 同意'])
    expect(stillNeeded(t, 'en')).toEqual(['0.75 m² more must agree'])
  })

  it('major: 3/4 by area but not by number fails', () => {
    // 600 of 700 ㎡ agree, but 2 of 4 households.
    const t = tallyVote([hh(300, 'agree'), hh(300, 'agree'), hh(50, 'oppose'), hh(50, 'oppose')], MAJOR_MATTER)
    expect(t.area.consentPassed).toBe(true)
    expect(t.households.consentPassed).toBe(false)
    expect(t).toMatchObject({ status: 'consent_short', consentPassed: false })
    expect(t.needed.consent).toEqual({ households: 1, area: 0 })
  })

  it('major: exactly 3/4 of the participants by number and by area passes', () => {
    // Participation exactly 2/3 too: 4 of 6 households, 400 of 600 ㎡; consent 3 of 4, 300 of 400 ㎡.
    const t = tallyVote([hh(80, 'agree'), hh(120, 'agree'), hh(100, 'agree'), hh(100, 'oppose'), hh(150, null), hh(50, null)], MAJOR_MATTER)
    expect(t.households).toMatchObject({ participants: 4, agree: 3, oppose: 1, consentPassed: true })
    expect(t.area).toMatchObject({ participants: 400, agree: 300, oppose: 100, consentPassed: true })
    expect(t.status).toBe('passed')
  })

  it('consent is counted against those who took part, not against everyone', () => {
    // 6 of 8 take part and agree: 3/4 of everyone, all of the participants.
    const t = tallyVote([...many(6, 70, 'agree'), ...many(2, 70, null)], MAJOR_MATTER)
    expect(t.status).toBe('passed')
  })

  it('ordinary: exactly half fails (过半数 is strict), half plus one passes', () => {
    const half = tallyVote([...many(2, 100, 'agree'), ...many(2, 100, 'oppose')], ORDINARY_MATTER)
    expect(half).toMatchObject({ status: 'consent_short', passed: false })
    expect(half.households.consentPassed).toBe(false)
    expect(half.area.consentPassed).toBe(false)
    expect(half.needed.consent).toEqual({ households: 1, area: 0.01 })
    expect(stillNeeded(half, 'zh-CN')).toEqual(['还需 1 户、0.01 ㎡ 同意'])
    expect(stillNeeded(half, 'en')).toEqual(['1 more household and 0.01 m² must agree'])
    const halfPlusOne = tallyVote([...many(3, 100, 'agree'), ...many(1, 100, 'oppose')], ORDINARY_MATTER)
    expect(halfPlusOne).toMatchObject({ status: 'passed', passed: true })
    expect(tallyVote([...many(2, 100, 'agree'), hh(100, 'oppose')], ORDINARY_MATTER).status).toBe('passed')
  })

  it('ordinary: more than half by number but exactly half by area fails', () => {
    // 3 of 5 households agree, but 300 of 600 ㎡ is only half.
    const t = tallyVote([...many(3, 100, 'agree'), hh(150, 'oppose'), hh(150, 'oppose')], ORDINARY_MATTER)
    expect(t.households.consentPassed).toBe(true)
    expect(t.area.consentPassed).toBe(false)
    expect(t.status).toBe('consent_short')
  })

  it('a tie fails both rules', () => {
    const tie = [...many(3, 90, 'agree'), ...many(3, 90, 'oppose')]
    expect(tallyVote(tie, ORDINARY_MATTER).status).toBe('consent_short')
    expect(tallyVote(tie, MAJOR_MATTER).status).toBe('consent_short')
    expect(tallyVote(tie, MAJOR_MATTER).needed.consent).toEqual({ households: 2, area: 135 })
  })

  it('the same count passes an ordinary matter and fails a major one', () => {
    const twoThirds = [...many(4, 90, 'agree'), ...many(2, 90, 'oppose')]
    expect(tallyVote(twoThirds, ORDINARY_MATTER).passed).toBe(true)
    expect(tallyVote(twoThirds, MAJOR_MATTER).passed).toBe(false)
  })
})

describe('abstain and conditional agreement', () => {
  it('take part but do not consent, and are reported on their own', () => {
    // Everyone takes part; 3 of 6 agree: half, not more.
    const t = tallyVote([...many(3, 50, 'agree'), hh(50, 'abstain'), hh(60, 'conditional'), hh(40, 'conditional')], ORDINARY_MATTER)
    expect(t.households).toMatchObject({ total: 6, participants: 6, agree: 3, oppose: 0, abstain: 1, conditional: 2, participationPassed: true, consentPassed: false })
    expect(t.area).toMatchObject({ total: 300, participants: 300, agree: 150, abstain: 50, conditional: 100, participationPassed: true, consentPassed: false })
    expect(t.status).toBe('consent_short')
    expect(t.needed.consent).toEqual({ households: 1, area: 0.01 })
  })

  it('make up participation on their own', () => {
    const t = tallyVote([hh(100, 'abstain'), hh(100, 'conditional'), hh(100, null)], ORDINARY_MATTER)
    expect(t).toMatchObject({ participationPassed: true, consentPassed: false, status: 'consent_short' })
    expect(t.needed.consent).toEqual({ households: 2, area: 100.01 })
  })

  it('an abstention raises the bar for consent: 2 agree, 1 oppose, 1 abstain is not more than half', () => {
    const t = tallyVote([...many(2, 80, 'agree'), hh(80, 'oppose'), hh(80, 'abstain')], ORDINARY_MATTER)
    expect(t.status).toBe('consent_short')
  })
})

describe('households without an area', () => {
  it('leave the area measure undecided: area_incomplete, never passed, even when all agree', () => {
    const t = tallyVote([hh(100, 'agree'), hh(100, 'agree'), hh(null, 'agree')], ORDINARY_MATTER)
    expect(t).toMatchObject({ status: 'area_incomplete', passed: false, participationPassed: false, consentPassed: false, areaMissing: 1 })
    expect(t.households).toMatchObject({ participationPassed: true, consentPassed: true })
    expect(t.area).toMatchObject({ total: 200, participants: 200, agree: 200, participationPassed: null, consentPassed: null })
    expect(t.needed).toEqual({ participation: { households: 0, area: null }, consent: { households: 0, area: null } })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['1 户缺建筑面积，无法按面积计票'])
    expect(stillNeeded(t, 'en')).toEqual(['1 household has no floor area: the area measure cannot be counted'])
  })

  it('an area of zero, below zero or not a number is missing too', () => {
    const t = tallyVote([hh(0, 'agree'), hh(-5, 'agree'), hh(Number.NaN, 'agree'), hh(100, 'agree')], MAJOR_MATTER)
    expect(t).toMatchObject({ status: 'area_incomplete', passed: false, areaMissing: 3 })
    expect(t.area.total).toBe(100)
  })

  it('is the status before any shortfall, and the number figures still speak', () => {
    const t = tallyVote([hh(null, null), hh(null, null), hh(100, 'agree')], MAJOR_MATTER)
    expect(t.status).toBe('area_incomplete')
    expect(t.needed.participation).toEqual({ households: 1, area: null })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['2 户缺建筑面积，无法按面积计票', '还需 1 户参与表决'])
    expect(stillNeeded(t, 'en')).toEqual(['2 households have no floor area: the area measure cannot be counted', '1 more household must take part'])
  })
})

describe('exact arithmetic where floating point misjudges', () => {
  it('participation of exactly 2/3 of 301.2 ㎡ passes', () => {
    // In floats 79.37 + 121.43 = 200.8 falls short of (79.37 + 121.43 + 100.4) × 2/3 = 200.80000000000004.
    expect(79.37 + 121.43 >= ((79.37 + 121.43 + 100.4) * 2) / 3).toBe(false)
    const t = tallyVote([hh(79.37, 'agree'), hh(121.43, 'agree'), hh(100.4, null)], MAJOR_MATTER)
    expect(t.area.participationPassed).toBe(true)
    expect(t.needed.participation).toEqual({ households: 0, area: 0 })
    expect(t.status).toBe('passed')
  })

  it('consent of exactly 3/4 by area passes a major matter', () => {
    // 97.66 + 61.79 + 71.64 = 231.09 = 3 × 77.03, but in floats the sum is 231.08999999999997.
    expect(97.66 + 61.79 + 71.64 >= ((97.66 + 61.79 + 71.64 + 77.03) * 3) / 4).toBe(false)
    const t = tallyVote([hh(97.66, 'agree'), hh(61.79, 'agree'), hh(71.64, 'agree'), hh(77.03, 'oppose')], MAJOR_MATTER)
    expect(t.area).toMatchObject({ agree: 231.09, participants: 308.12, consentPassed: true })
    expect(t.status).toBe('passed')
  })

  it('0.1 + 0.2 ㎡ is exactly half of 0.6 ㎡: not more than half', () => {
    expect(0.1 + 0.2 > 0.3).toBe(true) // what floats would say of "agree > oppose"
    const t = tallyVote([hh(0.1, 'agree'), hh(0.2, 'agree'), hh(0.3, 'oppose')], ORDINARY_MATTER)
    expect(t.households.consentPassed).toBe(true)
    expect(t.area).toMatchObject({ agree: 0.3, oppose: 0.3, participants: 0.6, consentPassed: false })
    expect(t.status).toBe('consent_short')
    expect(t.needed.consent).toEqual({ households: 0, area: 0.01 })
  })

  it('areas are counted to 0.01 ㎡, rounded from the input', () => {
    const t = tallyVote([hh(33.333, 'agree'), hh(66.664, 'agree'), hh(0.005, null)], ORDINARY_MATTER)
    expect(t.area).toMatchObject({ total: 100, participants: 99.99 })
    // Less than 0.01 ㎡ once rounded is no area at all.
    expect(tallyVote([hh(0.004, 'agree'), hh(50, 'agree')], ORDINARY_MATTER)).toMatchObject({ status: 'area_incomplete', areaMissing: 1 })
  })
})

describe('an empty scope', () => {
  it('has its own status, passes nothing and divides by nothing', () => {
    const t = tallyVote([], MAJOR_MATTER)
    const zero = { total: 0, participants: 0, agree: 0, oppose: 0, abstain: 0, conditional: 0, participationPassed: false, consentPassed: false }
    expect(t).toEqual({ status: 'empty', passed: false, participationPassed: false, consentPassed: false, households: zero, area: zero, areaMissing: 0, needed: { participation: null, consent: null } })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['表决范围内没有业主'])
    expect(stillNeeded(t, 'en')).toEqual(['No owners in scope'])
  })

  it('nobody has taken part yet: no consent bar, only participation is needed', () => {
    const t = tallyVote(many(3, 100, null), MAJOR_MATTER)
    expect(t).toMatchObject({ status: 'participation_short', consentPassed: false })
    expect(t.needed).toEqual({ participation: { households: 2, area: 200 }, consent: null })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['还需 2 户、200 ㎡ 参与表决'])
  })
})

describe('what is still needed', () => {
  it('households rounded up, area rounded up to 0.01 ㎡, both sentences', () => {
    // 10 households of 1000.01 ㎡: two thirds is 6.67 households → 7, and 666.673… ㎡ → 666.68 ㎡.
    // 4 take part with 400 ㎡ (2 agree, 250 ㎡): 3 households and 266.68 ㎡ more must take part;
    // among the 4, consent (> 1/2) needs 3 households and more than 200 ㎡: 1 more household, 0 ㎡.
    const t = tallyVote([hh(150, 'agree'), hh(100, 'agree'), hh(100, 'oppose'), hh(50, 'abstain'), ...many(5, 100, null), hh(100.01, null)], ORDINARY_MATTER)
    expect(t.needed).toEqual({ participation: { households: 3, area: 266.68 }, consent: { households: 1, area: 0 } })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['还需 3 户、266.68 ㎡ 参与表决', '还需 1 户同意'])
    expect(stillNeeded(t, 'en')).toEqual(['3 more households and 266.68 m² must take part', '1 more household must agree'])
  })

  it('the consent shortfall of a major matter among the current participants', () => {
    // 12 take part with 1000 ㎡; 6 agree with 629.5 ㎡. Three quarters: 9 households, 750 ㎡.
    const agree = [...many(5, 100, 'agree'), hh(129.5, 'agree')]
    const others = [...many(3, 60, 'oppose'), hh(60, 'abstain'), hh(60, 'conditional'), hh(70.5, 'oppose')]
    const t = tallyVote([...agree, ...others], MAJOR_MATTER)
    expect(t.needed.consent).toEqual({ households: 3, area: 120.5 })
    expect(stillNeeded(t, 'zh-CN')).toEqual(['还需 3 户、120.5 ㎡ 同意'])
    expect(stillNeeded(t, 'en')).toEqual(['3 more households and 120.5 m² must agree'])
  })

  it('the sentence of a shortfall, and none when nothing more is needed', () => {
    expect(shortfallSentence({ households: 2, area: 186 }, 'participation', 'zh-CN')).toBe('还需 2 户、186 ㎡ 参与表决')
    expect(shortfallSentence({ households: 2, area: 186 }, 'participation', 'en')).toBe('2 more households and 186 m² must take part')
    expect(shortfallSentence({ households: 3, area: 120.5 }, 'consent', 'zh-CN')).toBe('还需 3 户、120.5 ㎡ 同意')
    expect(shortfallSentence({ households: 2, area: null }, 'consent', 'en')).toBe('2 more households must agree')
    expect(shortfallSentence({ households: 0, area: 1234.5 }, 'consent', 'zh-CN')).toBe('还需 1234.5 ㎡ 同意')
    expect(shortfallSentence({ households: 0, area: 0 }, 'participation', 'zh-CN')).toBeNull()
    expect(shortfallSentence({ households: 0, area: null }, 'consent', 'en')).toBeNull()
  })
})

it('one vote per household: a household counted twice is refused', () => {
  const h = hh(80, 'agree')
  expect(() => tallyVote([h, { ...h, answer: 'oppose' }], ORDINARY_MATTER)).toThrow(h.householdId)
})

describe('a custom rule that asks more than the law', () => {
  const moreThanTwoThirds = { preset: 'custom' as const, participation: { num: 2, den: 3, strict: false }, consent: { num: 2, den: 3, strict: true } }

  it('"more than two thirds" agreeing: exactly two thirds is short by one, one more passes', () => {
    expect(VoteRule.safeParse(moreThanTwoThirds).success).toBe(true)
    const onTheBound = tallyVote([...many(6, 100, 'agree'), ...many(3, 100, 'oppose')], moreThanTwoThirds)
    expect([onTheBound.status, onTheBound.households.consentPassed, onTheBound.area.consentPassed]).toEqual(['consent_short', false, false])
    expect(onTheBound.needed.consent).toEqual({ households: 1, area: 0.01 })
    const above = tallyVote([...many(7, 100, 'agree'), ...many(2, 100, 'oppose')], moreThanTwoThirds)
    expect([above.status, above.passed]).toEqual(['passed', true])
  })
})

describe('an area that is no number of square metres', () => {
  it('is missing: the area measure waits for the register', () => {
    const t = tallyVote([hh(Number.POSITIVE_INFINITY, 'agree'), hh(Number.NaN, 'agree'), hh(100, 'agree')], MAJOR_MATTER)
    expect([t.status, t.areaMissing, t.area.total]).toEqual(['area_incomplete', 2, 100])
  })
})
