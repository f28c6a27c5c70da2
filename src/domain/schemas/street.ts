import { z } from 'zod'
import { COMMUNITY_KEY, RESERVED_COMMUNITY_KEYS } from '../constants'
import { say } from '../language'
import { Name, Password, Username } from './admin'
import { StreetRole } from './user'
import { CaseCategory, CaseKind, CaseState, Urgency } from './case'
import { Day, Id, Instant, NOTHING_TO_CHANGE, Period, Polygon } from './common'

// 街道 (docs/communities.md): the street office sees every community's figures and the cases the
// communities escalated to it (上报街道) — never a household's or a resident's record.

export const StreetQuery = Period
export type StreetQuery = z.infer<typeof StreetQuery>

/** What the street counts, for a community and for each of its grid cells. */
export const StreetFigures = z.object({
  households: z.number().int(),
  /** Visits made in the period. */
  visits: z.number().int(),
  /** Vulnerable households (tagged, or 重点/高风险) that needed a visit in the period / got one. */
  vulnerableNeeded: z.number().int(),
  vulnerableVisited: z.number().int(),
  vulnerableCoverage: z.number().min(0).max(1).nullable(),
  /** Vulnerable households late at the period's end (never visited, overdue, follow-up missed). */
  vulnerableOverdue: z.number().int(),
  openCases: z.number().int(),
})
export type StreetFigures = z.infer<typeof StreetFigures>

/** One grid cell's figures, for the street's map: its boundary, no household in it. */
export const StreetCell = StreetFigures.extend({
  id: Id,
  name: z.string(),
  /** Its boundary; null when the community has not drawn it. */
  polygon: Polygon.nullable(),
})
export type StreetCell = z.infer<typeof StreetCell>

/** One community's figures, counted as its own dashboard counts them (stats.ts). */
export const StreetCommunityRow = StreetFigures.extend({
  community: z.string(),
  name: z.string(),
  gridCells: z.number().int(),
  /** Open cases past their deadline (督办). */
  overdueCases: z.number().int(),
  /** Cases the community escalated to the street (上报街道), waiting on it. */
  escalatedCases: z.number().int(),
  /** The middle of its mapped grid cells, for the street's map; null when none is mapped. */
  center: z.object({ lat: z.number(), lng: z.number() }).nullable(),
  /** Its grid cells, each with its own figures (they add up to the community's). */
  cells: z.array(StreetCell),
})
export type StreetCommunityRow = z.infer<typeof StreetCommunityRow>

export const StreetOverviewResponse = z.object({
  from: Day,
  to: Day,
  street: z.string(),
  communities: z.array(StreetCommunityRow),
})
export type StreetOverviewResponse = z.infer<typeof StreetOverviewResponse>

/** An escalated case as the street reads it: what the community wrote and where, no register data
 *  (no resident, no household's people; the place is the address or the words the worker wrote). */
export const StreetCase = z.object({
  community: z.string(),
  communityName: z.string(),
  id: Id,
  kind: CaseKind,
  category: CaseCategory,
  title: z.string(),
  description: z.string(),
  place: z.string(),
  urgency: Urgency,
  reportedAt: Instant,
  /** When it was escalated (its last state change). */
  updatedAt: Instant,
  deadline: Instant.nullable(),
  /** Why the community escalated it, in its office's words (the escalation's note). */
  escalationNote: z.string(),
})
export type StreetCase = z.infer<typeof StreetCase>

export const StreetCasesResponse = z.object({ cases: z.array(StreetCase) })
export type StreetCasesResponse = z.infer<typeof StreetCasesResponse>

/** The street's answer to an escalated case (POST /api/street/cases/:community/:id/steps): solved
 *  (街道办结: the grid worker still checks it on a visit) or handed back to the community with
 *  what to do (交回社区). The step's id is the device's, so a resent answer is the same one. */
export const StreetCaseStepRequest = z.strictObject({
  stepId: Id,
  action: z.enum(['street_resolve', 'hand_back']),
  note: z
    .string()
    .trim()
    .min(1, { error: say('请写明办理结果或交回的理由', 'Write down what was done, or why it goes back') })
    .max(1000, { error: say('说明最多1000字', 'A note can be at most 1000 characters') }),
})
export type StreetCaseStepRequest = z.infer<typeof StreetCaseStepRequest>

export const StreetCaseStepResponse = z.object({ community: z.string(), id: Id, state: CaseState })
export type StreetCaseStepResponse = z.infer<typeof StreetCaseStepResponse>

/** A community the street office adds (新增社区): its key (代号, in its public page's address and
 *  in its store's name), its name, and its first admin, who then sets up its grid cells, users
 *  and register. */
export const NewCommunityRequest = z.strictObject({
  key: z
    .string()
    .trim()
    .regex(COMMUNITY_KEY, { error: say('代号只能用小写字母、数字和下划线，以字母开头，最多 31 位', 'A key can only use lower-case letters, digits and _, starting with a letter, at most 31 characters') })
    .refine((k) => !RESERVED_COMMUNITY_KEYS.includes(k), { error: say('这个代号留作他用，请换一个', 'This key is reserved: choose another') }),
  name: z.string().trim().min(2, { error: say('请输入社区名称', 'Enter the community’s name') }).max(40),
  admin: z.strictObject({ username: Username, name: Name, password: Password }),
})
export type NewCommunityRequest = z.infer<typeof NewCommunityRequest>

export const NewCommunityResponse = z.object({
  key: z.string(),
  name: z.string(),
  createdAt: Instant,
  admin: z.object({ id: Id, username: z.string(), name: z.string() }),
})
export type NewCommunityResponse = z.infer<typeof NewCommunityResponse>

/** One of the street office's own accounts, as its admin (street_admin) keeps them. */
export const StreetStaffMember = z.object({ id: Id, username: z.string(), name: z.string(), role: StreetRole, active: z.boolean(), createdAt: Instant })
export type StreetStaffMember = z.infer<typeof StreetStaffMember>

export const StreetStaffResponse = z.object({ staff: z.array(StreetStaffMember) })
export type StreetStaffResponse = z.infer<typeof StreetStaffResponse>

export const NewStreetStaffRequest = z.strictObject({ username: Username, name: Name, role: StreetRole, password: Password })
export type NewStreetStaffRequest = z.infer<typeof NewStreetStaffRequest>

export const PatchStreetStaffRequest = z
  .strictObject({ name: Name.optional(), role: StreetRole.optional(), active: z.boolean().optional() })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { error: NOTHING_TO_CHANGE })
export type PatchStreetStaffRequest = z.infer<typeof PatchStreetStaffRequest>
