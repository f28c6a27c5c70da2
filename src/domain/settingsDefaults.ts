import type { PointRule } from './schemas/lists'
import type { CaseDeadlines, Settings, VisitRule } from './schemas/settings'
import { DEFAULT_OFFICE_VISIT_DAYS } from './constants'

// The community's default settings. No zod in this file: the device's first screen reads these
// without loading the schema library. The schemas import nothing from here (the types below are
// theirs): a default the schema itself fills in lives in constants.ts.

/** Defaults from published local practice; every number is the admin's to change. */
export const DEFAULT_VISIT_RULES: VisitRule[] = [
  { attention: 'high', tag: 'any', days: 7 }, // 高风险: weekly, tagged or not
  { attention: 'key', tag: 'any', days: 30 }, // 重点: monthly
  { attention: 'normal', tag: 'tagged', days: 91 }, // 一般 vulnerable: quarterly
  { attention: 'any', tag: 'none', days: 182 }, // ordinary household: twice a year
]

export const DEFAULT_CASE_DEADLINES: CaseDeadlines = { redHours: 2, yellowHours: 24, blueHours: 72, disputeAcceptHours: 48, defaultHandlingDays: 7 }

/** 10 points per confirmed hour of volunteering, whatever the category, until the admin gives
 *  some categories a rate of their own. */
export const DEFAULT_POINT_RULES: PointRule[] = [{ category: null, pointsPerHour: 10 }]

/** The public page (公开) counts nothing for a scope of fewer households than this
 *  (Settings.publicMinHouseholds): a tally of three households would tell who voted how. */
export const DEFAULT_PUBLIC_MIN_HOUSEHOLDS = 5

/** Where a community's 议事协商会 meet, until the admin lists its own (Settings.meetingPlaces). */
export const DEFAULT_MEETING_PLACES: string[] = ['邻里议事厅', '社区党群服务中心会议室', '小区议事亭', '楼道议事角']

/** The community's settings are one record with this id. */
export const SETTINGS_ID = '00000000-0000-7000-8000-000000000001'

export const DEFAULT_SETTINGS: Settings = {
  id: SETTINGS_ID,
  visitRules: DEFAULT_VISIT_RULES,
  caseDeadlines: DEFAULT_CASE_DEADLINES,
  officeVisitDays: DEFAULT_OFFICE_VISIT_DAYS,
  pointRules: DEFAULT_POINT_RULES,
  meetingPlaces: DEFAULT_MEETING_PLACES,
}
