import { z } from 'zod'
import { Attention, Tag } from '../tags'
import { Id } from './common'

/** One row of the visit-frequency table: households matching it are visited every `days`.
 *  `tag`: a tag the household carries, 'tagged' (at least one tag), 'none' (no tag at all) or
 *  'any' (regardless of tags: an attention level alone decides).
 *  A household's interval is the shortest of the rules it matches. */
export const VisitRule = z.object({
  attention: z.union([Attention, z.literal('any')]),
  tag: z.union([Tag, z.literal('any'), z.literal('tagged'), z.literal('none')]),
  days: z.number().int().min(1, { error: '间隔至少1天' }).max(730, { error: '间隔最多两年' }),
})
export type VisitRule = z.infer<typeof VisitRule>

/** Defaults from published local practice; every number is the admin's to change. */
export const DEFAULT_VISIT_RULES: VisitRule[] = [
  { attention: 'high', tag: 'any', days: 7 }, // 高风险: weekly, tagged or not
  { attention: 'key', tag: 'any', days: 30 }, // 重点: monthly
  { attention: 'normal', tag: 'tagged', days: 91 }, // 一般 vulnerable: quarterly
  { attention: 'any', tag: 'none', days: 182 }, // ordinary household: twice a year
]

export const CaseDeadlines = z.object({
  /** Hours to respond (受理) by urgency. */
  redHours: z.number().positive().max(720),
  yellowHours: z.number().positive().max(720),
  blueHours: z.number().positive().max(720),
  /** A dispute must be taken up by the community within this many hours. */
  disputeAcceptHours: z.number().positive().max(720),
  /** Handling time given when a case is assigned, unless the secretary sets another. */
  defaultHandlingDays: z.number().int().positive().max(365),
})
export type CaseDeadlines = z.infer<typeof CaseDeadlines>

export const DEFAULT_CASE_DEADLINES: CaseDeadlines = { redHours: 2, yellowHours: 24, blueHours: 72, disputeAcceptHours: 48, defaultHandlingDays: 7 }

/** The community's settings: one record, synced to every device, edited by the admin. */
export const SETTINGS_ID = '00000000-0000-7000-8000-000000000001'
export const Settings = z.object({
  id: Id,
  visitRules: z.array(VisitRule).min(1, { error: '至少要有一条走访规则' }).max(100),
  caseDeadlines: CaseDeadlines,
})
export type Settings = z.infer<typeof Settings>

export const SettingsPatch = Settings.pick({ visitRules: true, caseDeadlines: true }).partial().strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>

export const DEFAULT_SETTINGS: Settings = { id: SETTINGS_ID, visitRules: DEFAULT_VISIT_RULES, caseDeadlines: DEFAULT_CASE_DEADLINES }
