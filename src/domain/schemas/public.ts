import { z } from 'zod'
import { VOTE_RULE_PRESETS } from '../voteRules'
import { NeedCategory, ProjectStatus, ResourceKind } from './lists'
import { Day, Instant } from './common'

// 公开: what the community shows its residents on a page anyone may open without logging in
// (docs/public.md). Built on the server from the records by publicRules.ts; every field here is
// one a resident may see: no names, no flats, no phones, and counts only for scopes of at least
// Settings.publicMinHouseholds households (smaller ones are null: "人数较少，不公布").

const Count = z.number().int().nonnegative()

/** One service of the menu (你点我来): what, of which kind, when, and by whom — a unit or a team
 *  by its name; a volunteer only as 志愿者. No contact: residents ask their grid worker. */
export const PublicOffer = z.object({
  category: NeedCategory,
  title: z.string(),
  schedule: z.string(),
  providerKind: ResourceKind,
  /** The unit's or team's name; null for a volunteer. */
  provider: z.string().nullable(),
})
export type PublicOffer = z.infer<typeof PublicOffer>

/** A project of the 项目清单 as residents are told of it: no lead's name, no photos. */
export const PublicProject = z.object({
  title: z.string(),
  category: NeedCategory,
  status: ProjectStatus,
  description: z.string(),
  startDay: Day,
  endDay: Day.nullable(),
  /** Null below the smallest scope counted. */
  householdsServed: Count.nullable(),
  summary: z.string(),
  evaluation: z.string(),
})
export type PublicProject = z.infer<typeof PublicProject>

const PublicMeasure = z.object({ total: z.number(), participants: z.number(), agree: z.number(), oppose: z.number(), abstain: z.number(), conditional: z.number() })

/** A closed 表决's result, by number and by area, as its 公示 shows it. */
export const PublicVote = z.object({
  title: z.string(),
  /** 幸福里小区 / 幸福里小区3号楼 / 幸福里小区3号楼2单元 */
  scope: z.string(),
  rule: z.enum(VOTE_RULE_PRESETS),
  closedDay: Day,
  /** Null when the scope has fewer households than Settings.publicMinHouseholds. */
  tally: z
    .object({
      passed: z.boolean(),
      households: PublicMeasure,
      /** Null when some owners' areas are not on the register (the result is not stated by area). */
      area: PublicMeasure.nullable(),
    })
    .nullable(),
})
export type PublicVote = z.infer<typeof PublicVote>

/** GET /api/public/community */
export const PublicCommunityResponse = z.object({
  community: z.string(),
  generatedAt: Instant,
  minHouseholds: Count,
  menu: z.array(PublicOffer),
  projects: z.array(PublicProject),
  votes: z.array(PublicVote),
})
export type PublicCommunityResponse = z.infer<typeof PublicCommunityResponse>
