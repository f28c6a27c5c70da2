import { z } from 'zod'
import { say } from '../language'
import { GeoPoint, Id, Instant } from './common'

/** 矛盾纠纷 dispute / 民情诉求 need / 安全隐患 hazard: one entity, three kinds. */
export const CaseKind = z.enum(['dispute', 'need', 'hazard'])
export type CaseKind = z.infer<typeof CaseKind>

export const CATEGORIES = {
  // 邻里纠纷, 家庭婚姻, 物业管理, 劳资纠纷, 房屋宅基地, 征地拆迁, 医患纠纷, 消费纠纷, 其他
  dispute: ['neighbor', 'family', 'property', 'labor', 'housing_land', 'demolition', 'medical', 'consumer', 'other'],
  // 养老服务, 医疗健康, 就业, 救助帮扶, 维修, 环境卫生, 停车, 加装电梯, 法律咨询, 心理疏导, 其他
  need: ['elderly_care', 'health', 'employment', 'assistance', 'repair', 'sanitation', 'parking', 'elevator', 'legal', 'counseling', 'other'],
  // 消防, 燃气, 用电, 房屋结构, 治安, 其他
  hazard: ['fire', 'gas', 'electrical', 'structural', 'public_order', 'other'],
} as const satisfies Record<CaseKind, readonly string[]>

export const CaseCategory = z.enum([...new Set(Object.values(CATEGORIES).flat())] as [string, ...string[]])

/** 红 red / 黄 yellow / 蓝 blue */
export const Urgency = z.enum(['red', 'yellow', 'blue'])
export type Urgency = z.infer<typeof Urgency>

/** 上报 → 受理 → 分派 → 处置 → 办结 → 核查 → 结案, plus 回退 and 上报街道. */
export const CASE_STATES = ['reported', 'accepted', 'assigned', 'in_progress', 'resolved', 'verified', 'closed', 'returned', 'escalated'] as const
export const CaseState = z.enum(CASE_STATES)
export type CaseState = z.infer<typeof CaseState>

/** Content-addressed photo id: lower-case hex SHA-256 of the bytes. */
export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, { error: say('照片编号格式不对', 'Wrong photo ID format') })

const caseFields = {
  id: Id,
  kind: CaseKind,
  category: CaseCategory,
  title: z.string().trim().min(1, { error: say('请写一个标题', 'Write a title') }).max(60, { error: say('标题最多60字', 'A title can be at most 60 characters') }),
  description: z.string().trim().max(2000, { error: say('情况说明最多2000字', 'A description can be at most 2000 characters') }),
  gridId: Id,
  /** 当事人: households and residents involved. */
  householdIds: z.array(Id).max(20),
  residentIds: z.array(Id).max(50),
  location: GeoPoint.nullable(),
  /** Where, in words ("3号楼2单元楼道"), when there is no household or point. */
  place: z.string().trim().max(100),
  urgency: Urgency,
  photoIds: z.array(Sha256).max(9, { error: say('最多9张照片', 'At most 9 photos') }),
  /** The visit during which it was found, if any. */
  visitId: Id.nullable(),
  reporterId: Id,
  reportedAt: Instant,
}

function categoryMatchesKind(c: { kind: CaseKind; category: string }, ctx: z.RefinementCtx) {
  if (!(CATEGORIES[c.kind] as readonly string[]).includes(c.category))
    ctx.addIssue({ code: 'custom', path: ['category'], message: say('类别和问题种类对不上', 'The category does not belong to the kind of case')() })
}

/** What a device sends to report a case. Everything else is the server's to decide. */
export const CaseReport = z.object(caseFields).superRefine(categoryMatchesKind)
export type CaseReport = z.infer<typeof CaseReport>

export const Case = z
  .object({
    ...caseFields,
    state: CaseState,
    /** The team handling it (调解室, 律师会客厅, 物业公司 …). */
    handlerTeamId: Id.nullable(),
    /** When handling must be done; set when assigned. */
    deadline: Instant.nullable(),
    /** Last state change. */
    updatedAt: Instant,
  })
  .superRefine(categoryMatchesKind)
export type Case = z.infer<typeof Case>

export const CASE_ACTIONS = ['report', 'accept', 'return', 'resubmit', 'assign', 'start', 'resolve', 'escalate', 'street_resolve', 'hand_back', 'verify', 'reject_verification', 'close'] as const
export const CaseAction = z.enum(CASE_ACTIONS)
export type CaseAction = z.infer<typeof CaseAction>

/** One step of a case's history. Append-only: never edited, never deleted. */
export const CaseStep = z.object({
  id: Id,
  caseId: Id,
  gridId: Id,
  action: CaseAction,
  from: CaseState.nullable(),
  to: CaseState,
  actorId: Id,
  actorName: z.string().max(30),
  at: Instant,
  note: z.string().trim().max(1000, { error: say('说明最多1000字', 'A note can be at most 1000 characters') }),
  handlerTeamId: Id.nullable(),
  deadline: Instant.nullable(),
  /** The follow-up visit that verified the result (谁调处谁回访). */
  visitId: Id.nullable(),
  photoIds: z.array(Sha256).max(9),
})
export type CaseStep = z.infer<typeof CaseStep>

/** A transition a device asks for. The server's answer is final. */
export const CaseTransition = z.object({
  stepId: Id,
  action: CaseAction.exclude(['report']),
  note: z.string().trim().max(1000, { error: say('说明最多1000字', 'A note can be at most 1000 characters') }),
  handlerTeamId: Id.nullable().default(null),
  deadline: Instant.nullable().default(null),
  visitId: Id.nullable().default(null),
  photoIds: z.array(Sha256).max(9).default([]),
  at: Instant,
})
export type CaseTransition = z.infer<typeof CaseTransition>

/** The community's handling teams, kept as data. */
export const Team = z.object({
  id: Id,
  name: z.string().trim().min(1).max(30),
  kind: z.enum(['mediation', 'lawyer', 'property', 'owners_committee', 'volunteer', 'street', 'grid', 'other']),
  active: z.boolean(),
})
export type Team = z.infer<typeof Team>

/** 点评: a secretary's comment on a visit log, shown to the worker after sync. */
export const Comment = z.object({
  id: Id,
  visitId: Id,
  gridId: Id,
  authorId: Id,
  authorName: z.string().max(30),
  text: z.string().trim().min(1, { error: say('点评不能为空', 'A comment cannot be empty') }).max(500, { error: say('点评最多500字', 'A comment can be at most 500 characters') }),
  at: Instant,
})
export type Comment = z.infer<typeof Comment>

/** What a device sends to comment: author and grid are the server's to fill in. */
export const CommentCreate = Comment.pick({ id: true, visitId: true, text: true, at: true })
export type CommentCreate = z.infer<typeof CommentCreate>
