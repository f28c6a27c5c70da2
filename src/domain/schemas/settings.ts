import { z } from 'zod'
import { say } from '../language'
import { Attention, Tag } from '../tags'
import { Id } from './common'
import { PointRules } from './lists'
import { MeetingPlaces } from './matter'
import { DEFAULT_OFFICE_VISIT_DAYS } from '../constants'

/** One row of the visit-frequency table: households matching it are visited every `days`.
 *  `tag`: a tag the household carries, 'tagged' (at least one tag), 'none' (no tag at all) or
 *  'any' (regardless of tags: an attention level alone decides).
 *  A household's interval is the shortest of the rules it matches. */
export const VisitRule = z.object({
  attention: z.union([Attention, z.literal('any')]),
  tag: z.union([Tag, z.literal('any'), z.literal('tagged'), z.literal('none')]),
  days: z.number().int().min(1, { error: say('间隔至少1天', 'The interval is at least 1 day') }).max(730, { error: say('间隔最多两年', 'The interval is at most two years') }),
})
export type VisitRule = z.infer<typeof VisitRule>


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


// At least 30: the home page counts each cell's visits of the last 30 days from the device.
const OfficeVisitDays = z.number().int().min(30, { error: say('至少保留30天（首页要数近30天的走访）', 'Keep at least 30 days (the home page counts the visits of the last 30 days)') }).max(3650, { error: say('最多保留十年', 'Keep at most ten years') })

const CommunityName = z.string().trim().min(1, { error: say('请写社区名称', 'Write the community name') }).max(30, { error: say('社区名称最多30字', 'The community name can be at most 30 characters') })
// Below 3 a tally tells who voted how; above 50 a building's vote could never be shown.
const PublicMinHouseholds = z.number().int().min(3, { error: say('公开的统计至少要有3户', 'Public figures need at least 3 households') }).max(50, { error: say('最多50户', 'At most 50 households') })

/** The community's settings: one record, synced to every device, edited by the admin. */
export const Settings = z.object({
  id: Id,
  visitRules: z.array(VisitRule).min(1, { error: say('至少要有一条走访规则', 'There must be at least one visit rule') }).max(100),
  caseDeadlines: CaseDeadlines,
  /** How many days of visits an office device (secretary, admin) keeps: it reads the map and the
   *  dashboard from the server, so it holds the recent visits, plus each household's latest one
   *  that reached somebody (its due date needs it); older ones are fetched when asked. A worker's
   *  device keeps all the visits of their cells. Older records lack it: the default stands in. */
  officeVisitDays: OfficeVisitDays.default(DEFAULT_OFFICE_VISIT_DAYS),
  /** Volunteers' points per confirmed hour: a category's rule, else the default one (category
   *  null). Optional, not defaulted: records older than it have none and DEFAULT_POINT_RULES
   *  stands in (listRules.pointRulesOf), so code that copies the other fields keeps working. */
  pointRules: PointRules.optional(),
  /** The community's name as residents know it, at the head of its public page (公开). */
  communityName: CommunityName.optional(),
  /** The public page states counts only for scopes of at least this many households; optional
   *  like pointRules (DEFAULT_PUBLIC_MIN_HOUSEHOLDS stands in). */
  publicMinHouseholds: PublicMinHouseholds.optional(),
  /** The community's 议事 spaces (邻里议事厅 …): a meeting is held in one of them. Optional like
   *  pointRules (DEFAULT_MEETING_PLACES stands in: matterFlow.meetingPlacesOf). */
  meetingPlaces: MeetingPlaces.optional(),
})
export type Settings = z.infer<typeof Settings>

// Not Settings.pick(…).partial(): the default would fill in a patch that leaves the days alone.
export const SettingsPatch = z.object({ visitRules: Settings.shape.visitRules, caseDeadlines: CaseDeadlines, officeVisitDays: OfficeVisitDays, pointRules: PointRules, communityName: CommunityName, publicMinHouseholds: PublicMinHouseholds, meetingPlaces: MeetingPlaces }).partial().strict()
export type SettingsPatch = z.infer<typeof SettingsPatch>
