import { describe, expect, it } from 'vitest'
import { CaseDeadlines, DEFAULT_CASE_DEADLINES, DEFAULT_MEETING_PLACES, DEFAULT_POINT_RULES, DEFAULT_SETTINGS, DEFAULT_VISIT_RULES, Settings, SETTINGS_ID, SettingsPatch, VisitRule } from '../../src/domain'
import { messagesOf } from './messagesOf'

describe('the default settings', () => {
  it('are a valid settings record with the fixed id, the default rules, deadlines, points and meeting places', () => {
    expect(Settings.parse(DEFAULT_SETTINGS)).toEqual({ id: SETTINGS_ID, visitRules: DEFAULT_VISIT_RULES, caseDeadlines: DEFAULT_CASE_DEADLINES, officeVisitDays: 90, pointRules: DEFAULT_POINT_RULES, meetingPlaces: DEFAULT_MEETING_PLACES })
    expect(DEFAULT_POINT_RULES).toEqual([{ category: null, pointsPerHour: 10 }])
  })

  it('a record from before the points table has none (the default stands in); a patch may set one, checked', () => {
    const { pointRules: _, ...older } = DEFAULT_SETTINGS
    expect(Settings.parse(older).pointRules).toBeUndefined()
    const rules = [{ category: null, pointsPerHour: 10 }, { category: 'elderly_care', pointsPerHour: 15 }]
    expect(SettingsPatch.parse({ pointRules: rules })).toEqual({ pointRules: rules })
    expect(messagesOf(SettingsPatch.safeParse({ pointRules: [{ category: 'meals', pointsPerHour: 10 }] }))).toContain('积分规则要有且只有一条默认规则（不分类别）')
    expect(messagesOf(SettingsPatch.safeParse({ pointRules: [...rules, { category: 'elderly_care', pointsPerHour: 5 }] }))).toContain('同一类别的积分规则写了两条')
    expect(messagesOf(SettingsPatch.safeParse({ pointRules: [{ category: null, pointsPerHour: 2.5 }] }))).toContain('每小时积分要是整数')
    expect(SettingsPatch.safeParse({ pointRules: [{ category: 'gardening', pointsPerHour: 10 }] }).success).toBe(false)
  })

  it('a record from before the office window gets 90 days; a patch naming other fields leaves the days alone', () => {
    const { officeVisitDays: _, ...older } = DEFAULT_SETTINGS
    expect(Settings.parse(older).officeVisitDays).toBe(90)
    expect(SettingsPatch.parse({ caseDeadlines: DEFAULT_CASE_DEADLINES })).toEqual({ caseDeadlines: DEFAULT_CASE_DEADLINES })
    expect(SettingsPatch.safeParse({ officeVisitDays: 29 }).error?.issues[0]?.message).toBe('至少保留30天（首页要数近30天的走访）')
    expect(SettingsPatch.safeParse({ officeVisitDays: 3651 }).error?.issues[0]?.message).toBe('最多保留十年')
    expect(SettingsPatch.safeParse({ officeVisitDays: 30.5 }).success).toBe(false)
    expect(SETTINGS_ID).toBe('00000000-0000-7000-8000-000000000001')
  })

  it('give an assigned case a week to be handled', () => {
    expect(DEFAULT_CASE_DEADLINES.defaultHandlingDays).toBe(7)
  })
})

describe('VisitRule', () => {
  const rule = (over: Record<string, unknown>) => VisitRule.safeParse({ attention: 'key', tag: 'any', days: 30, ...over })

  it('visits every 1 to 730 days', () => {
    expect(rule({ days: 1 }).success).toBe(true)
    expect(rule({ days: 730 }).success).toBe(true)
    expect(messagesOf(rule({ days: 0 }))).toEqual(['间隔至少1天'])
    expect(messagesOf(rule({ days: 731 }))).toEqual(['间隔最多两年'])
    expect(rule({ days: 7.5 }).success).toBe(false)
  })

  it('matches an attention level or any, and a tag, tagged, none or any', () => {
    for (const attention of ['normal', 'key', 'high', 'any']) expect(rule({ attention }).success, attention).toBe(true)
    for (const tag of ['dibao', 'drug', 'any', 'tagged', 'none']) expect(rule({ tag }).success, tag).toBe(true)
    expect(rule({ attention: 'all' }).success).toBe(false)
    expect(rule({ tag: 'untagged' }).success).toBe(false)
  })
})

describe('CaseDeadlines', () => {
  const deadlines = (over: Record<string, unknown>) => CaseDeadlines.safeParse({ ...DEFAULT_CASE_DEADLINES, ...over })

  it('allows up to 720 hours (30 days) to respond, and half an hour', () => {
    for (const key of ['redHours', 'yellowHours', 'blueHours', 'disputeAcceptHours']) {
      expect(deadlines({ [key]: 720 }).success, key).toBe(true)
      expect(deadlines({ [key]: 0.5 }).success, key).toBe(true)
      expect(deadlines({ [key]: 721 }).success, key).toBe(false)
      expect(deadlines({ [key]: 0 }).success, key).toBe(false)
    }
  })

  it('gives 1 to 365 whole days to handle a case', () => {
    expect(deadlines({ defaultHandlingDays: 1 }).success).toBe(true)
    expect(deadlines({ defaultHandlingDays: 365 }).success).toBe(true)
    expect(deadlines({ defaultHandlingDays: 366 }).success).toBe(false)
    expect(deadlines({ defaultHandlingDays: 0 }).success).toBe(false)
    expect(deadlines({ defaultHandlingDays: 1.5 }).success).toBe(false)
  })
})

describe('Settings', () => {
  const rules = (n: number) => Array.from({ length: n }, () => ({ attention: 'any', tag: 'any', days: 30 }))

  it('needs 1 to 100 visit rules', () => {
    expect(Settings.safeParse({ ...DEFAULT_SETTINGS, visitRules: rules(1) }).success).toBe(true)
    expect(Settings.safeParse({ ...DEFAULT_SETTINGS, visitRules: rules(100) }).success).toBe(true)
    expect(messagesOf(Settings.safeParse({ ...DEFAULT_SETTINGS, visitRules: [] }))).toEqual(['至少要有一条走访规则'])
    expect(Settings.safeParse({ ...DEFAULT_SETTINGS, visitRules: rules(101) }).success).toBe(false)
  })

  it('a patch changes the rules, the deadlines or both, and nothing else', () => {
    expect(SettingsPatch.parse({})).toEqual({})
    expect(SettingsPatch.parse({ visitRules: rules(1) })).toEqual({ visitRules: rules(1) })
    expect(SettingsPatch.parse({ caseDeadlines: DEFAULT_CASE_DEADLINES })).toEqual({ caseDeadlines: DEFAULT_CASE_DEADLINES })
    expect(SettingsPatch.safeParse({ id: SETTINGS_ID }).success).toBe(false)
    expect(SettingsPatch.safeParse({ visitRules: [] }).success).toBe(false)
  })
})
