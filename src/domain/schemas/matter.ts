import { z } from 'zod'
import { say } from '../language'
import { Sha256 } from './case'
import { Day, Id, Instant, NOTHING_TO_CHANGE } from './common'

// 议题 the 六民 way (提 议 决 筹 办 评): a matter, its steps, its meetings (议事协商会) and its funding
// ledger (筹). docs/matters.md has the whole contract; the stage rules are in matterFlow.ts, the
// ledger's arithmetic (balance, corrections, shares by rule) in matterLedger.ts.

const Count = z.number().int().nonnegative()

/** Money in fen (分), integers only: ¥0 … ¥10 亿. Floating yuan would lose fen in sums. */
export const MAX_FEN = 100_000_000_000
export const Fen = z.number({ error: say('金额应为数字（分）', 'An amount must be a number (in fen)') }).int({ error: say('金额以分计，要是整数', 'An amount is counted in fen and must be a whole number') }).min(0, { error: say('金额不能为负', 'An amount cannot be negative') }).max(MAX_FEN, { error: say('金额最多10亿元', 'An amount can be at most 1 billion yuan') })

const Compound = z.string().trim().min(1).max(50)
const UnitName = z.string().trim().min(1).max(10)

/** Where a matter is: a vote's places (unit, building, compound) plus the whole community. */
export const MatterScope = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('community') }),
  z.object({ kind: z.literal('compound'), compound: Compound }),
  z.object({ kind: z.literal('building'), buildingId: Id }),
  z.object({ kind: z.literal('unit'), buildingId: Id, unit: UnitName }),
])
export type MatterScope = z.infer<typeof MatterScope>

/** Where it was raised: a need of the 需求清单, a case, a campaign's answer, or by the office. */
export const MatterOrigin = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('need'), needId: Id }),
  z.object({ kind: z.literal('case'), caseId: Id }),
  z.object({ kind: z.literal('campaign'), campaignId: Id, visitId: Id.nullable().default(null) }),
  z.object({ kind: z.literal('office') }),
])
export type MatterOrigin = z.infer<typeof MatterOrigin>
export const MATTER_ORIGIN_ZH: Record<MatterOrigin['kind'], string> = { need: '需求清单', case: '问题上报', campaign: '专项任务', office: '社区登记' }

/** 提 → 议 → 决 → 筹 → 办 → 评, or closed / dropped with a reason. The last three are final. */
export const MATTER_STAGES = ['raised', 'discussed', 'decided', 'funded', 'done', 'judged', 'closed', 'dropped'] as const
export const MatterStage = z.enum(MATTER_STAGES)
export type MatterStage = z.infer<typeof MatterStage>
export const MATTER_STAGE_ZH: Record<MatterStage, string> = {
  raised: '已提出',
  discussed: '协商中',
  decided: '已决定',
  funded: '已筹资',
  done: '已办结',
  judged: '已评议',
  closed: '已关闭',
  dropped: '已放弃',
}
/** The 六民 character of each stage on the way; closed and dropped have none. */
export const MATTER_STAGE_CHAR: Partial<Record<MatterStage, string>> = { raised: '提', discussed: '议', decided: '决', funded: '筹', done: '办', judged: '评' }

/** 决: a 表决 campaign's result (closed, passed) or what a meeting of this matter resolved. */
export const MatterDecision = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('vote'), campaignId: Id }),
  z.object({ kind: z.literal('resolution'), meetingId: Id, text: z.string().trim().min(1, { error: say('请写下议事会的决议', 'Write down the resolution of the meeting') }).max(1000, { error: say('决议最多1000字', 'A resolution can be at most 1000 characters') }) }),
])
export type MatterDecision = z.infer<typeof MatterDecision>

/** 公示: the days a decision is posted for residents to object. */
export const Publicity = z
  .object({ startDay: Day, endDay: Day })
  .refine((p) => p.endDay >= p.startDay, { path: ['endDay'], error: say('公示结束日期不能早于开始日期', 'The end of the posting cannot be before its start') })
export type Publicity = z.infer<typeof Publicity>

// ---- funding rules (筹) ----

/** A percent with at most two decimals (12.5 %): counted in hundredths, so sums are exact. */
const Percent = z
  .number({ error: say('比例应为数字', 'A share must be a number') })
  .min(0, { error: say('比例不能为负', 'A share cannot be negative') })
  .max(100, { error: say('比例最多100%', 'A share can be at most 100%') })
  .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-6, { error: say('比例最多两位小数', 'A share can have at most two decimals') })

const Floor = z.number().int().min(-5).max(120)
export const FloorBand = z
  .object({ fromFloor: Floor, toFloor: Floor, percent: Percent })
  .refine((b) => b.toFloor >= b.fromFloor, { path: ['toFloor'], error: say('楼层段的结束层不能低于开始层', 'The last floor of a band cannot be below its first floor') })
export type FloorBand = z.infer<typeof FloorBand>

/** How the households of the scope share an amount: by floor bands (each band a percent of the
 *  whole, split equally on its floors), in proportion to floor area, or equally. */
export const FundingRule = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('floor'),
    bands: z
      .array(FloorBand)
      .min(1, { error: say('请至少写一档楼层比例', 'Write at least one band of floors and its share') })
      .max(30)
      .superRefine((bands, ctx) => {
        const sum = bands.reduce((n, b) => n + Math.round(b.percent * 100), 0)
        if (sum !== 10_000) ctx.addIssue({ code: 'custom', message: say(`各档比例加起来是${sum / 100}%，要正好100%`, `The bands add up to ${sum / 100}%; they must make exactly 100%`)() })
        const sorted = [...bands].sort((a, b) => a.fromFloor - b.fromFloor)
        for (let i = 1; i < sorted.length; i++)
          if (sorted[i]!.fromFloor <= sorted[i - 1]!.toFloor) ctx.addIssue({ code: 'custom', message: say(`${sorted[i]!.fromFloor}层同时在两档里`, `Floor ${sorted[i]!.fromFloor} is in two bands`)() })
      }),
  }),
  z.object({ kind: z.literal('area') }),
  z.object({ kind: z.literal('equal') }),
])
export type FundingRule = z.infer<typeof FundingRule>
export const FUNDING_RULE_ZH: Record<FundingRule['kind'], string> = { floor: '按楼层', area: '按面积', equal: '平均' }

/** Set by 分摊: the rule the shares were computed by, and what was shared among how many. */
export const Funding = z.object({ rule: FundingRule, amount: Fen, households: Count, apportionedAt: Instant })
export type Funding = z.infer<typeof Funding>

// ---- the matter ----

const PhotoIds = z.array(Sha256).max(9, { error: say('最多9张照片', 'At most 9 photos') })
const Reason = z.string().trim().max(200, { error: say('原因最多200字', 'A reason can be at most 200 characters') })
const Evaluation = z.string().trim().max(1000, { error: say('评议最多1000字', 'A judgement can be at most 1000 characters') })

/** 办 without a project: a piece of the work, done on its day, with its photos. */
export const MatterTask = z
  .object({
    id: Id,
    title: z.string().trim().min(1, { error: say('请写任务内容', 'Write what the task is') }).max(60, { error: say('任务内容最多60字', 'A task can be at most 60 characters') }),
    done: z.boolean(),
    doneDay: Day.nullable(),
    photoIds: PhotoIds,
    note: z.string().trim().max(200, { error: say('说明最多200字', 'A note can be at most 200 characters') }),
  })
  .refine((t) => t.done === (t.doneDay !== null), { path: ['doneDay'], error: say('完成的任务要写完成日期，没完成的不写', 'A done task has the day it was done; a task not done has none') })
export type MatterTask = z.infer<typeof MatterTask>

const Tasks = z
  .array(MatterTask)
  .max(50, { error: say('最多50项任务', 'At most 50 tasks') })
  .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, { error: say('两项任务用了同一个编号', 'Two tasks have the same ID') })
const CampaignIds = z
  .array(Id)
  .max(20, { error: say('最多关联20个征询任务', 'At most 20 consultation campaigns can be linked') })
  .refine((ids) => new Set(ids).size === ids.length, { error: say('同一个任务关联了两次', 'The same campaign is linked twice') })

const matterFields = {
  id: Id,
  title: z.string().trim().min(1, { error: say('请写议题名称', 'Write a name for the matter') }).max(60, { error: say('议题名称最多60字', 'A matter name can be at most 60 characters') }),
  description: z.string().trim().max(2000, { error: say('议题说明最多2000字', 'A matter description can be at most 2000 characters') }),
  scope: MatterScope,
  origin: MatterOrigin,
  /** Who raised it, in words (一位居民, 业委会, 3号楼居民): never required to name a person. */
  raisedByName: z.string().trim().min(1, { error: say('请写提出人（如：3号楼居民、业委会）', "Write who raised it (e.g. residents of building 3, the owners' committee)") }).max(30, { error: say('提出人最多30字', 'Who raised it can be at most 30 characters') }),
  raisedAt: Instant,
}

export const Matter = z
  .object({
    ...matterFields,
    /** The cells of the scope's households when it was raised (the server's): who pulls it. */
    gridIds: z.array(Id).min(1).max(500),
    stage: MatterStage,
    /** 议 door to door: 意见征询 campaigns. */
    consultationCampaignIds: CampaignIds,
    decision: MatterDecision.nullable(),
    publicity: Publicity.nullable(),
    /** Fen; null until known, 0 for a matter that costs nothing. */
    budget: Fen.nullable(),
    funding: Funding.nullable(),
    /** 办 as a project of 三张清单. */
    projectId: Id.nullable(),
    tasks: Tasks,
    /** 评: a 意见征询 campaign of residents' satisfaction. */
    satisfactionCampaignId: Id.nullable(),
    evaluation: Evaluation,
    /** Closed or dropped: why. */
    endReason: Reason.nullable(),
    createdBy: Id,
    createdAt: Instant,
    updatedAt: Instant,
  })
  .superRefine((m, ctx) => {
    const wrong = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    const decided = m.stage === 'decided' || m.stage === 'funded' || m.stage === 'done' || m.stage === 'judged'
    if (decided && (m.decision === null || m.publicity === null)) wrong('decision', say('决定之后的议题要有决定和公示', 'A matter past the decision needs its decision and its posting')())
    if ((m.stage === 'closed' || m.stage === 'dropped') !== (m.endReason !== null)) wrong('endReason', say('关闭或放弃的议题要写明原因，其他的不写', 'A closed or dropped matter needs a reason; other matters have none')())
  })
export type Matter = z.infer<typeof Matter>

/** matter:create (office). Stage, cells, steps and dates are the server's. */
export const MatterCreate = z.object({
  ...matterFields,
  budget: Fen.nullable().default(null),
  consultationCampaignIds: CampaignIds.default([]),
})
export type MatterCreate = z.infer<typeof MatterCreate>

/** matter:patch (office): the fields given replace the matter's (lists replace the list). What
 *  may change at which stage: matterFlow.whyNotEditMatter. */
export const MatterPatch = z
  .strictObject({
    title: matterFields.title,
    description: matterFields.description,
    raisedByName: matterFields.raisedByName,
    consultationCampaignIds: CampaignIds,
    budget: Fen.nullable(),
    projectId: Id.nullable(),
    tasks: Tasks,
    satisfactionCampaignId: Id.nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
export type MatterPatch = z.infer<typeof MatterPatch>

/** The moves of a matter; `apportion` (分摊) records the shares and keeps the stage. */
export const MATTER_ACTIONS = ['discuss', 'decide', 'fund', 'complete', 'judge', 'close', 'drop', 'apportion'] as const
export const MatterAction = z.enum(MATTER_ACTIONS)
export type MatterAction = z.infer<typeof MatterAction>

/** matter:transition (office). What each action needs is in matterFlow.ts. */
export const MatterTransition = z.object({
  stepId: Id,
  action: MatterAction,
  note: z.string().trim().max(1000, { error: say('说明最多1000字', 'A note can be at most 1000 characters') }).default(''),
  photoIds: PhotoIds.default([]),
  at: Instant,
  /** decide */
  decision: MatterDecision.optional(),
  publicity: Publicity.optional(),
  /** judge: the residents' judgement as recorded (or a satisfaction campaign's result). */
  evaluation: Evaluation.optional(),
  /** apportion: the rule and the amount the scope's households share. */
  funding: z.object({ rule: FundingRule, amount: Fen.refine((n) => n > 0, { error: say('分摊的金额要大于0', 'The amount to share must be more than 0') }) }).optional(),
})
export type MatterTransition = z.infer<typeof MatterTransition>

/** One step of a matter's history: its creation (raise) and every move. Append-only. */
export const MatterStep = z.object({
  id: Id,
  matterId: Id,
  action: z.enum(['raise', ...MATTER_ACTIONS]),
  from: MatterStage.nullable(),
  to: MatterStage,
  actorId: Id,
  actorName: z.string().max(30),
  at: Instant,
  note: z.string().trim().max(1000),
  photoIds: PhotoIds,
})
export type MatterStep = z.infer<typeof MatterStep>

// ---- meetings (议事协商会) ----

/** The community's 议事 spaces (Settings.meetingPlaces): a meeting is held in one of them. */
export const MeetingPlaces = z
  .array(z.string().trim().min(1, { error: say('场所名称不能为空', 'A place name cannot be empty') }).max(30, { error: say('场所名称最多30字', 'A place name can be at most 30 characters') }))
  .min(1, { error: say('至少要有一个议事场所', 'There must be at least one meeting place') })
  .max(50, { error: say('最多50个议事场所', 'At most 50 meeting places') })
  .refine((ps) => new Set(ps).size === ps.length, { error: say('同一个议事场所写了两次', 'The same meeting place is written twice') })

const Present = z.boolean()
/** Who was invited, each with whether they came. Residents by household; the others by role. */
export const MeetingParty = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('household'), householdId: Id, present: Present }),
  z.object({ kind: z.literal('owners_committee'), present: Present }),
  z.object({ kind: z.literal('property'), present: Present }),
  z.object({ kind: z.literal('unit'), resourceId: Id, present: Present }),
  z.object({ kind: z.literal('party_branch'), present: Present }),
  z.object({ kind: z.literal('other'), name: z.string().trim().min(1, { error: say('请写参会方', 'Write who took part') }).max(30, { error: say('参会方最多30字', 'A party can be at most 30 characters') }), present: Present }),
])
export type MeetingParty = z.infer<typeof MeetingParty>
export const MEETING_PARTY_ZH: Record<MeetingParty['kind'], string> = {
  household: '居民',
  owners_committee: '业委会',
  property: '物业',
  unit: '驻区单位',
  party_branch: '党支部',
  other: '其他',
}

const Parties = z
  .array(MeetingParty)
  .min(1, { error: say('请写参会的各方', 'Write the parties that took part') })
  .max(100, { error: say('参会方最多100个', 'At most 100 parties') })
  .superRefine((ps, ctx) => {
    const keys = ps.map((p) => (p.kind === 'household' ? p.householdId : p.kind === 'unit' ? p.resourceId : p.kind === 'other' ? `other:${p.name}` : p.kind))
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', message: say('同一个参会方写了两次', 'The same party is written twice')() })
  })

export const Position = z.object({
  /** Who, in words (低层住户, 物业). */
  party: z.string().trim().min(1, { error: say('请写是哪一方的意见', 'Write whose view it is') }).max(30, { error: say('意见方最多30字', 'Whose view can be at most 30 characters') }),
  text: z.string().trim().min(1, { error: say('请写意见内容', 'Write the view') }).max(500, { error: say('每条意见最多500字', 'Each view can be at most 500 characters') }),
})
export type Position = z.infer<typeof Position>

const meetingFields = {
  day: Day,
  /** "19:00"; null when only the day is known. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: say('时间格式不对（如19:00）', 'Wrong time format (e.g. 19:00)') }).nullable(),
  place: z.string().trim().min(1, { error: say('请选议事场所', 'Choose a meeting place') }).max(30),
  parties: Parties,
  positions: z.array(Position).max(50, { error: say('最多50条意见', 'At most 50 views') }),
  minutes: z.string().trim().max(5000, { error: say('会议纪要最多5000字', 'Minutes can be at most 5000 characters') }),
  nextSteps: z.string().trim().max(2000, { error: say('下一步最多2000字', 'Next steps can be at most 2000 characters') }),
  photoIds: PhotoIds,
}

export const Meeting = z.object({
  id: Id,
  matterId: Id,
  ...meetingFields,
  recordedBy: Id,
  recordedAt: Instant,
  updatedAt: Instant,
})
export type Meeting = z.infer<typeof Meeting>

/** meeting:create (office). */
export const MeetingCreate = z.object({
  id: Id,
  matterId: Id,
  ...meetingFields,
  time: meetingFields.time.default(null),
  positions: meetingFields.positions.default([]),
  minutes: meetingFields.minutes.default(''),
  nextSteps: meetingFields.nextSteps.default(''),
  photoIds: meetingFields.photoIds.default([]),
})
export type MeetingCreate = z.infer<typeof MeetingCreate>

/** meeting:patch (office): the fields given replace the meeting's; the matter never changes. */
export const MeetingPatch = z
  .strictObject(meetingFields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
export type MeetingPatch = z.infer<typeof MeetingPatch>

// ---- the funding ledger (筹), append-only ----

export const LEDGER_KINDS = ['share', 'contribution', 'subsidy', 'other_income', 'expense', 'correction'] as const
export type LedgerKind = (typeof LEDGER_KINDS)[number]
export const LEDGER_KIND_ZH: Record<LedgerKind, string> = {
  share: '应摊份额',
  contribution: '居民出资',
  subsidy: '补贴',
  other_income: '其他收入',
  expense: '支出',
  correction: '更正',
}

const Amount = Fen.refine((n) => n > 0, { error: say('金额要大于0', 'The amount must be more than 0') })
/** Required words, at most `max` characters: what to say when empty and when too long. */
const Words = (max: number, empty: () => string, tooLong: () => string) => z.string().trim().min(1, { error: empty }).max(max, { error: tooLong })

const entryFields = {
  id: Id,
  matterId: Id,
  amount: Amount,
  /** When the money moved (or the share was set), China time. */
  day: Day,
  note: z.string().trim().max(200, { error: say('说明最多200字', 'A note can be at most 200 characters') }),
  photoIds: PhotoIds,
}

const Receipts = PhotoIds.min(1, { error: say('支出要附上收据或发票的照片', 'An expense needs a photo of its receipt or invoice') })
const byKind = {
  share: { kind: z.literal('share'), householdId: Id },
  contribution: { kind: z.literal('contribution'), householdId: Id },
  subsidy: { kind: z.literal('subsidy'), source: Words(50, say('请写补贴来源', 'Write where the subsidy comes from'), say('补贴来源最多50字', 'Where the subsidy comes from can be at most 50 characters')) },
  other_income: { kind: z.literal('other_income'), source: Words(50, say('请写收入来源', 'Write where the income comes from'), say('收入来源最多50字', 'Where the income comes from can be at most 50 characters')) },
  // 阳光财务: an expense shows its receipt.
  expense: { kind: z.literal('expense'), what: Words(100, say('请写支出用途', 'Write what the money was spent on'), say('支出用途最多100字', 'What the money was spent on can be at most 100 characters')), photoIds: Receipts },
  correction: {
    kind: z.literal('correction'),
    correctsId: Id,
    // Signed: a correction adds to or takes from the entry it corrects.
    amount: z.number({ error: say('金额应为数字（分）', 'An amount must be a number (in fen)') }).int({ error: say('金额以分计，要是整数', 'An amount is counted in fen and must be a whole number') }).min(-MAX_FEN).max(MAX_FEN).refine((n) => n !== 0, { error: say('更正的金额不能为0', 'A correction cannot be 0') }),
    note: Words(200, say('请写更正的原因', 'Write the reason for the correction'), say('更正的原因最多200字', 'The reason for the correction can be at most 200 characters')),
  },
}

const recorded = { ...entryFields, recordedBy: Id, recordedAt: Instant }
export const LedgerEntry = z.discriminatedUnion('kind', [
  z.object({ ...recorded, ...byKind.share }),
  z.object({ ...recorded, ...byKind.contribution }),
  z.object({ ...recorded, ...byKind.subsidy }),
  z.object({ ...recorded, ...byKind.other_income }),
  z.object({ ...recorded, ...byKind.expense }),
  z.object({ ...recorded, ...byKind.correction }),
])
export type LedgerEntry = z.infer<typeof LedgerEntry>

/** ledgerEntry:create (office). recordedBy/At are the server's. */
const sent = { ...entryFields, note: entryFields.note.default(''), photoIds: entryFields.photoIds.default([]) }
export const LedgerEntryCreate = z.discriminatedUnion('kind', [
  z.object({ ...sent, ...byKind.share }),
  z.object({ ...sent, ...byKind.contribution }),
  z.object({ ...sent, ...byKind.subsidy }),
  z.object({ ...sent, ...byKind.other_income }),
  // prefault, not default: a missing list is checked, so the message asks for the receipt.
  z.object({ ...sent, ...byKind.expense, photoIds: Receipts.prefault([]) }),
  z.object({ ...sent, ...byKind.correction }),
])
export type LedgerEntryCreate = z.infer<typeof LedgerEntryCreate>

// ---- the office's read ----

export const MatterLedgerParams = z.object({ id: Id })
export const MatterLedgerQuery = z.object({ asOf: Day.optional() })
export type MatterLedgerQuery = z.infer<typeof MatterLedgerQuery>

const Signed = z.number().int()
export const LedgerTotals = z.object({
  /** By kind, each entry at its effective amount (its corrections folded in). */
  totals: z.object({ share: Count, contribution: Count, subsidy: Count, other_income: Count, expense: Count }),
  corrections: z.object({ entries: Count, net: Signed }),
  income: Count,
  expenses: Count,
  balance: Signed,
  shares: z.object({
    households: Count,
    due: Count,
    /** Contributions of the households that have a share. */
    paid: Count,
    /** What they still owe, each household's at least 0. */
    outstanding: Count,
    paidInFull: Count,
  }),
  entries: Count,
})
export type LedgerTotals = z.infer<typeof LedgerTotals>

/** GET /api/matters/:id/ledger */
export const MatterLedgerResponse = LedgerTotals.extend({
  matterId: Id,
  title: z.string(),
  stage: MatterStage,
  asOf: Day.nullable(),
  at: Instant,
  budget: Fen.nullable(),
  /** budget − income, at least 0; null without a budget. */
  stillToRaise: Count.nullable(),
})
export type MatterLedgerResponse = z.infer<typeof MatterLedgerResponse>
