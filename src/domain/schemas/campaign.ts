import { z } from 'zod'
import { say } from '../language'
import { Attention, isSensitiveTag, Tag } from '../tags'
import { type VoteTally, VOTE_STATUSES } from '../voteRules'
import { VoteRule } from './vote'
import { hasCriteria } from '../campaignTargeting'
import { Day, Id, Instant, NOTHING_TO_CHANGE } from './common'

// 专项任务 (campaigns): 入户排查, 意见征询, 表决 … sent by the office to the households it names,
// walked like the today list, counted on the server. docs/campaigns.md has the whole contract;
// the rules (who is targeted, where a household stands, what is counted) are in campaignFlow.ts.

/** 入户排查 / 意见征询 / 表决 / 政策宣传 / 信息核查 */
export const CampaignKind = z.enum(['inspection', 'consultation', 'vote', 'outreach', 'registerCheck'])
export type CampaignKind = z.infer<typeof CampaignKind>

/** 草稿 → 已发布 → 已结束. A draft reaches only the office; a closed campaign's results are frozen. */
export const CampaignStatus = z.enum(['draft', 'launched', 'closed'])
export type CampaignStatus = z.infer<typeof CampaignStatus>

export const CAMPAIGN_STATUS_ZH: Record<CampaignStatus, string> = { draft: '草稿', launched: '进行中', closed: '已结束' }

const Compound = z.string().trim().min(1).max(50)
const UnitName = z.string().trim().min(1).max(10)
export const UnitRef = z.object({ buildingId: Id, unit: UnitName })
export type UnitRef = z.infer<typeof UnitRef>

/** What chose the households. Places (cells, compounds, buildings, units) add up: a household in
 *  any of them; tags and attention levels narrow: a household with any of the tags, at any of the
 *  levels. An empty list asks nothing of that kind. 政法 tags are never a criterion: every worker
 *  who walks the campaign would read them off its target list. */
export const CampaignTargeting = z.object({
  gridIds: z.array(Id).max(200),
  compounds: z.array(Compound).max(200),
  buildingIds: z.array(Id).max(1000),
  units: z.array(UnitRef).max(2000),
  tags: z.array(Tag.refine((t) => !isSensitiveTag(t), { error: say('专项任务不能按政法标签选户：网格员会从任务的户里看出这些标签', 'A campaign cannot pick households by a sensitive tag: grid workers would see the tag from the households in it') })).max(30),
  attention: z.array(Attention).max(3),
})
export type CampaignTargeting = z.infer<typeof CampaignTargeting>

/** A targeting in a request: lists left out are empty. */
export const CampaignTargetingInput = z.object({
  gridIds: CampaignTargeting.shape.gridIds.default([]),
  compounds: CampaignTargeting.shape.compounds.default([]),
  buildingIds: CampaignTargeting.shape.buildingIds.default([]),
  units: CampaignTargeting.shape.units.default([]),
  tags: CampaignTargeting.shape.tags.default([]),
  attention: CampaignTargeting.shape.attention.default([]),
})


/** The owners who decide (民法典 第二百七十八条): one stairwell (unit), a building or a compound.
 *  Its households are always targets of the vote, whatever else the targeting names. */
export const VoteScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unit'), buildingId: Id, unit: UnitName }),
  z.object({ kind: z.literal('building'), buildingId: Id }),
  z.object({ kind: z.literal('compound'), compound: Compound }),
])
export type VoteScope = z.infer<typeof VoteScope>

export const CampaignVote = z.object({ rule: VoteRule, scope: VoteScope })
export type CampaignVote = z.infer<typeof CampaignVote>

const Count = z.number().int().nonnegative()

/** Households by where they stand. done + attempted + notYet = targets. `attempted`: tried, not
 *  reached (不在家 or 拒访); `refused` counts those of them who refused (final). `open`: still to be
 *  walked — not yet, plus 不在家 ones when the campaign asks for a second attempt. */
export const ProgressCounts = z.object({ targets: Count, done: Count, attempted: Count, refused: Count, notYet: Count, open: Count })
export type ProgressCounts = z.infer<typeof ProgressCounts>

export const GridProgress = ProgressCounts.extend({ gridId: Id, code: z.string(), name: z.string() })
export const BuildingProgress = ProgressCounts.extend({ buildingId: Id.nullable(), gridId: Id, compound: z.string(), number: z.string() })
export const UnitProgress = ProgressCounts.extend({ buildingId: Id.nullable(), unit: z.string().nullable() })

export const CampaignProgressFigures = z.object({
  totals: ProgressCounts,
  /** By each household's grid cell (the current one; at close, as it was then), in code order. */
  byGrid: z.array(GridProgress),
  byBuilding: z.array(BuildingProgress),
  byUnit: z.array(UnitProgress),
})
export type CampaignProgressFigures = z.infer<typeof CampaignProgressFigures>

/** One answer of an item and how many households gave it. `share` is of those who answered the item. */
export const OptionResult = z.object({
  value: z.union([z.boolean(), z.string()]),
  label: z.string(),
  count: Count,
  share: z.number().min(0).max(1),
  /** The template marks this answer 有隐患. */
  hazard: z.boolean(),
})
export type OptionResult = z.infer<typeof OptionResult>

export const ItemResult = z.object({
  itemId: z.string(),
  label: z.string(),
  kind: z.enum(['yesno', 'choice', 'number', 'text', 'stance']),
  /** Households whose counted answer (their latest) has this item. */
  answered: Count,
  /** yes/no, choice and stance items: every answer the item allows, in the template's order. */
  options: z.array(OptionResult),
  /** Number items: over the answers given; null when nobody answered. */
  number: z.object({ min: z.number(), max: z.number(), mean: z.number(), sum: z.number() }).nullable(),
})
export type ItemResult = z.infer<typeof ItemResult>

const VoteMeasureSchema = z.object({
  total: z.number(),
  participants: z.number(),
  agree: z.number(),
  oppose: z.number(),
  abstain: z.number(),
  conditional: z.number(),
  participationPassed: z.boolean().nullable(),
  consentPassed: z.boolean().nullable(),
})
const Shortfall = z.object({ households: Count, area: z.number().nullable() })

/** tallyVote's answer (voteRules.ts), as it is stored and sent; held to its type below. */
export const VoteTallySchema = z.object({
  status: z.enum(VOTE_STATUSES),
  passed: z.boolean(),
  participationPassed: z.boolean(),
  consentPassed: z.boolean(),
  households: VoteMeasureSchema,
  area: VoteMeasureSchema,
  areaMissing: Count,
  needed: z.object({ participation: Shortfall.nullable(), consent: Shortfall.nullable() }),
}) satisfies z.ZodType<VoteTally>

export const CampaignVoteResult = z.object({
  tally: VoteTallySchema,
  /** Households of the scope whose only answers came from a relative or a tenant: not counted. */
  answeredByOthersOnly: Count,
})
export type CampaignVoteResult = z.infer<typeof CampaignVoteResult>

/** What a campaign counted: live while it runs, frozen into the record when it closes. No
 *  household is named here (the record reaches every device of the community). */
export const CampaignFigures = z.object({
  at: Instant,
  progress: CampaignProgressFigures,
  /** Households counted in the item results: those reached (见面/电话), each by its latest answer. */
  answeredHouseholds: Count,
  items: z.array(ItemResult),
  /** Households whose counted answer has at least one 有隐患 answer. */
  hazardHouseholds: Count,
  vote: CampaignVoteResult.nullable(),
})
export type CampaignFigures = z.infer<typeof CampaignFigures>

const Title = z.string().trim().min(1, { error: say('请写任务名称', 'Write a campaign name') }).max(50, { error: say('任务名称最多50字', 'A campaign name can be at most 50 characters') })
const Description = z.string().trim().max(1000, { error: say('任务说明最多1000字', 'A campaign description can be at most 1000 characters') })

const draftFields = {
  title: Title,
  kind: CampaignKind,
  /** What the workers are to do and say, in words. */
  description: Description,
  templateId: Id,
  startDay: Day,
  /** The last day of the campaign (inclusive, China time). */
  deadline: Day,
  /** 不在家 needs another try: such a household stays open until someone is reached or refuses. */
  secondAttempt: z.boolean(),
  vote: CampaignVote.nullable(),
}

function draftRules(c: { kind: CampaignKind; startDay: string; deadline: string; targeting: CampaignTargeting; vote: CampaignVote | null }, ctx: z.RefinementCtx) {
  if (c.deadline < c.startDay) ctx.addIssue({ code: 'custom', path: ['deadline'], message: say('截止日期不能早于开始日期', 'The deadline cannot be before the start date')() })
  if (c.vote !== null && c.kind !== 'vote') ctx.addIssue({ code: 'custom', path: ['vote'], message: say('只有表决任务才有表决规则和范围', 'Only a vote campaign has a voting rule and scope')() })
  if (!hasCriteria(c.targeting) && c.vote === null)
    ctx.addIssue({ code: 'custom', path: ['targeting'], message: say('请至少选一个条件：网格、小区、楼栋、单元、标签或关注程度', 'Choose at least one condition: grid cell, compound, building, stairwell, tag or attention level')() })
}

export const Campaign = z
  .object({
    id: Id,
    ...draftFields,
    /** The template's version the answers are checked against: its current one until launch, fixed then. */
    templateVersion: z.number().int().positive(),
    status: CampaignStatus,
    targeting: CampaignTargeting,
    /** Households targeted: 0 until launch, then the fixed list plus those added since. */
    targetCount: Count,
    createdBy: Id,
    createdAt: Instant,
    launchedAt: Instant.nullable(),
    closedAt: Instant.nullable(),
    /** Frozen when it closed; null before. */
    results: CampaignFigures.nullable(),
  })
  .superRefine(draftRules)
export type Campaign = z.infer<typeof Campaign>

/** One household a launched campaign targets. Written at launch (one per household) and when the
 *  office adds households; never removed. Scoped like households: by its grid cell. */
export const CampaignTarget = z.object({
  id: Id,
  campaignId: Id,
  householdId: Id,
  gridId: Id,
  addedAt: Instant,
})
export type CampaignTarget = z.infer<typeof CampaignTarget>

// ---- requests and answers of /api/campaigns ----

/** POST /api/campaigns: a new draft. */
export const CampaignCreate = z
  .strictObject({
    ...draftFields,
    description: Description.default(''),
    secondAttempt: z.boolean().default(true),
    vote: CampaignVote.nullable().default(null),
    targeting: CampaignTargetingInput,
  })
  .superRefine(draftRules)
export type CampaignCreate = z.infer<typeof CampaignCreate>

/** PATCH /api/campaigns/:id: a draft's fields; a list in `targeting` replaces the whole targeting. */
export const CampaignPatch = z
  .strictObject({
    title: Title,
    kind: CampaignKind,
    description: Description,
    templateId: Id,
    startDay: Day,
    deadline: Day,
    secondAttempt: z.boolean(),
    vote: CampaignVote.nullable(),
    targeting: CampaignTargetingInput,
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
export type CampaignPatch = z.infer<typeof CampaignPatch>

/** POST /api/campaigns/preview: what a targeting selects now, before a launch or an addition. */
export const CampaignPreviewRequest = z.strictObject({
  targeting: CampaignTargetingInput,
  voteScope: VoteScope.nullable().default(null),
  /** A launched campaign: say how many of these it targets already. */
  campaignId: Id.optional(),
})
export type CampaignPreviewRequest = z.infer<typeof CampaignPreviewRequest>

const HouseholdLine = z.object({ householdId: Id, gridId: Id, address: z.string(), headNameMasked: z.string() })

export const CampaignPreview = z.object({
  count: Count,
  /** Of `count`, households the campaign named in the request already targets (0 without one). */
  alreadyTargets: Count,
  byGrid: z.array(z.object({ gridId: Id, code: z.string(), name: z.string(), count: Count })),
  byBuilding: z.array(z.object({ buildingId: Id.nullable(), gridId: Id, compound: z.string(), number: z.string(), count: Count })),
  /** The first households in walking order (building → unit → room), names masked. */
  sample: z.array(HouseholdLine),
})
export type CampaignPreview = z.infer<typeof CampaignPreview>

/** POST /api/campaigns/:id/targets: households added to a launched campaign. */
export const CampaignAddTargets = z
  .strictObject({ householdIds: z.array(Id).max(10_000).optional(), targeting: CampaignTargetingInput.optional() })
  .refine((b) => (b.householdIds?.length ?? 0) > 0 || b.targeting !== undefined, { error: say('请给要加入的户，或选户的条件', 'Give the households to add, or the conditions to pick them by') })
export type CampaignAddTargets = z.infer<typeof CampaignAddTargets>

export const CampaignAddTargetsResponse = z.object({ added: Count, campaign: Campaign })
export type CampaignAddTargetsResponse = z.infer<typeof CampaignAddTargetsResponse>

export const CampaignListResponse = z.object({
  campaigns: z.array(z.object({ campaign: Campaign, totals: ProgressCounts.nullable() })),
})
export type CampaignListResponse = z.infer<typeof CampaignListResponse>

/** GET /api/campaigns/:id/progress. `frozen`: a closed campaign's figures, as they were at close. */
export const CampaignProgressResponse = CampaignProgressFigures.extend({
  campaignId: Id,
  status: CampaignStatus,
  frozen: z.boolean(),
  at: Instant,
  secondAttempt: z.boolean(),
})
export type CampaignProgressResponse = z.infer<typeof CampaignProgressResponse>

/** A household whose counted answer found a hazard: what the office turns into a case
 *  (case:create naming `visitId` and the household). `caseIds`: cases already reported from that visit. */
export const HazardHousehold = HouseholdLine.extend({
  buildingId: Id.nullable(),
  visitId: Id,
  startedAt: Instant,
  workerId: Id,
  items: z.array(z.object({ itemId: z.string(), label: z.string(), answer: z.union([z.boolean(), z.string()]) })),
  caseIds: z.array(Id),
})
export type HazardHousehold = z.infer<typeof HazardHousehold>

/** GET /api/campaigns/:id/results. The figures are frozen once closed; the hazard list is read now. */
export const CampaignResultsResponse = z.object({
  campaignId: Id,
  status: CampaignStatus,
  frozen: z.boolean(),
  at: Instant,
  answeredHouseholds: Count,
  items: z.array(ItemResult),
  hazardHouseholds: Count,
  hazards: z.array(HazardHousehold),
  vote: CampaignVoteResult.nullable(),
})
export type CampaignResultsResponse = z.infer<typeof CampaignResultsResponse>

/** 已完成 / 已尝试 (不在家) / 拒访 / 未走访 */
export const CampaignHouseholdState = z.enum(['done', 'attempted', 'refused', 'not_yet'])
export type CampaignHouseholdState = z.infer<typeof CampaignHouseholdState>
export const CAMPAIGN_HOUSEHOLD_STATE_ZH: Record<CampaignHouseholdState, string> = { done: '已完成', attempted: '已尝试', refused: '拒访', not_yet: '未走访' }

/** GET /api/campaigns/:id/households: every target and where it stands, in walking order. */
export const CampaignHouseholdsResponse = z.object({
  campaignId: Id,
  households: z.array(
    HouseholdLine.extend({
      buildingId: Id.nullable(),
      unit: z.string().nullable(),
      room: z.string().nullable(),
      state: CampaignHouseholdState,
      /** Campaign visits of the household, attempts included. */
      visits: Count,
      lastVisitAt: Instant.nullable(),
      /** Still to be walked (see ProgressCounts.open). */
      open: z.boolean(),
    }),
  ),
})
export type CampaignHouseholdsResponse = z.infer<typeof CampaignHouseholdsResponse>
