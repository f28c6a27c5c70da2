import { z } from 'zod'
import { VOTE_RULE_PRESETS } from '../voteRules'
import { NeedCategory, ProjectStatus, ResourceKind } from './lists'
import { MatterStage } from './matter'
import { NoticeCategory } from './notice'
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
  /** The compound it was held in: a compound's notice board (its QR code) shows its own. */
  compound: z.string().nullable(),
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

const Yuan = z.number().int().nonnegative() // fen

/** A meeting as residents are told of it: when, where, and which sides came — never who (no
 *  household is named; residents are a count, shown only from the smallest scope up). Minutes
 *  and positions are free text the office wrote for itself and are not published. */
export const PublicMeeting = z.object({
  day: Day,
  time: z.string().nullable(),
  place: z.string(),
  /** The sides that came besides residents: 业委会, 物业, 党支部, other — and a 驻区单位 by its
   *  name (an organisation). An "other" side is not named: its name is the office's free text. */
  sides: z.array(z.object({ kind: z.enum(['owners_committee', 'property', 'unit', 'party_branch', 'other']), name: z.string().nullable() })),
  /** Households present; null below Settings.publicMinHouseholds. */
  households: Count.nullable(),
})
export type PublicMeeting = z.infer<typeof PublicMeeting>

/** A matter (议题) the 六民 way, as the notice board shows it. */
export const PublicMatter = z.object({
  title: z.string(),
  description: z.string(),
  scope: z.string(),
  /** The compound its place is in; null for the whole community. */
  compound: z.string().nullable(),
  raisedBy: z.string(),
  stage: MatterStage,
  /** Each stage reached, with its day (提 2026-03-02, 议 2026-04-10 …). */
  steps: z.array(z.object({ to: MatterStage, day: Day })),
  meetings: z.array(PublicMeeting),
  decision: z.object({ kind: z.enum(['vote', 'resolution']), text: z.string() }).nullable(),
  publicity: z.object({ startDay: Day, endDay: Day }).nullable(),
  budget: Yuan.nullable(),
  /** Totals only, never a household's; null for a scope too small, or before any entry. */
  funding: z
    .object({ shares: Yuan, contributions: Yuan, subsidies: Yuan, otherIncome: Yuan, expenses: Yuan, balance: z.number().int(), households: Count.nullable() })
    .nullable(),
  tasks: z.array(z.object({ title: z.string(), done: z.boolean() })),
  evaluation: z.string(),
  /** 民评 door to door: the closed 满意度征询's answers to its choice and yes/no questions, by
   *  count; null while it runs, or when fewer households than the smallest count answered. */
  satisfaction: z
    .object({
      households: Count,
      items: z.array(z.object({ label: z.string(), options: z.array(z.object({ label: z.string(), count: Count })) })),
    })
    .nullable(),
  endReason: z.string().nullable(),
})
export type PublicMatter = z.infer<typeof PublicMatter>

/** A notice the office publishes (公告), while it is shown: its words and days, never who wrote it. */
export const PublicNotice = z.object({
  title: z.string(),
  body: z.string(),
  category: NoticeCategory,
  /** Null: for the whole community. */
  compound: z.string().nullable(),
  fromDay: Day,
  untilDay: Day.nullable(),
})
export type PublicNotice = z.infer<typeof PublicNotice>

/** GET /api/public/community */
export const PublicCommunityResponse = z.object({
  community: z.string(),
  generatedAt: Instant,
  minHouseholds: Count,
  /** The compounds of the register, each with its own address (?compound=…) and QR code. */
  compounds: z.array(z.string()),
  notices: z.array(PublicNotice),
  menu: z.array(PublicOffer),
  projects: z.array(PublicProject),
  votes: z.array(PublicVote),
  matters: z.array(PublicMatter),
})
export type PublicCommunityResponse = z.infer<typeof PublicCommunityResponse>
