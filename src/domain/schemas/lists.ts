import { z } from 'zod'
import { say } from '../language'
import { NEED_CATEGORIES, NEED_CATEGORY_IDS, type NeedCategory as NeedCategoryId } from '../needCategories'
import { Sha256, Urgency } from './case'
import { Day, Id, Instant, NOTHING_TO_CHANGE, Period, Phone } from './common'

// 三张清单 (needs, resources, projects), 你点我来 (the service menu) and volunteers' points.
// docs/lists.md has the whole contract; who may move what from where is in needFlow.ts, the
// counting (summary, figures, points, capacity) in listRules.ts.

export { NEED_CATEGORIES, NEED_CATEGORY_IDS, isNeedCategory, needCategoryZh } from '../needCategories'

/** One list for needs, offers and the menu. A category this version does not know is refused
 *  with UNKNOWN_CATEGORY (listIssueCode), not lumped in with other mistakes: it usually means the
 *  app or the server is out of date, and the message says so. */
export const NeedCategory = z.enum(NEED_CATEGORY_IDS, { error: (iss) => say(`需求类别「${String(iss.input)}」不在类别表里`, `"${String(iss.input)}" is not a kind of need in the list`)() })
export type NeedCategory = NeedCategoryId

const Count = z.number().int().nonnegative()

// ---- needs (需求清单) ----

/** 待对接 → 已对接 → 已解决, or 无法解决 (with its reason); the office may reopen. */
export const NEED_STATUSES = ['open', 'matched', 'met', 'closed'] as const
export const NeedStatus = z.enum(NEED_STATUSES)
export type NeedStatus = z.infer<typeof NeedStatus>
export const NEED_STATUS_ZH: Record<NeedStatus, string> = { open: '待对接', matched: '已对接', met: '已解决', closed: '无法解决' }

/** Where a need was heard: on a visit (群众诉求), in a campaign's answers, by the office itself,
 *  or ordered from the service menu at the door (你点我来: already matched to the offer's resource). */
export const NeedSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('visit'), visitId: Id }),
  z.object({ kind: z.literal('campaign'), campaignId: Id, visitId: Id.nullable().default(null) }),
  z.object({ kind: z.literal('office') }),
  z.object({ kind: z.literal('order'), offerId: Id, visitId: Id.nullable().default(null) }),
])
export type NeedSource = z.infer<typeof NeedSource>
export const NEED_SOURCE_ZH: Record<NeedSource['kind'], string> = { visit: '走访', campaign: '专项任务', office: '社区登记', order: '服务菜单点单' }

const needFields = {
  id: Id,
  /** The households' grid cell (all of them are of one cell): a worker's device holds its cells' needs. */
  gridId: Id,
  householdIds: z.array(Id).min(1, { error: say('请选这条需求涉及的户', 'Choose the households this need concerns') }).max(20, { error: say('一条需求最多涉及20户', 'A need can concern at most 20 households') }),
  category: NeedCategory,
  description: z.string().trim().max(500, { error: say('需求说明最多500字', 'A need description can be at most 500 characters') }),
  urgency: Urgency,
  source: NeedSource,
  raisedBy: Id,
  /** When it was heard, on the device: an order's response deadline runs from here, like a case's. */
  raisedAt: Instant,
}

function needRules(n: { householdIds: string[]; source: NeedSource }, ctx: z.RefinementCtx) {
  if (new Set(n.householdIds).size !== n.householdIds.length) ctx.addIssue({ code: 'custom', path: ['householdIds'], message: say('同一户选了两次', 'The same household is chosen twice')() })
  if (n.source.kind === 'order' && n.householdIds.length !== 1) ctx.addIssue({ code: 'custom', path: ['householdIds'], message: say('服务菜单一次为一户点单', 'A service menu order is for one household at a time')() })
}

/** need:create — what a device sends. Status, resource and dates are the server's to decide
 *  (an order arrives matched). Extra fields of a whole record are ignored. */
export const NeedCreate = z.object(needFields).superRefine(needRules)
export type NeedCreate = z.infer<typeof NeedCreate>

const Reason = z.string().trim().max(200, { error: say('原因最多200字', 'A reason can be at most 200 characters') })

export const Need = z
  .object({
    ...needFields,
    status: NeedStatus,
    /** The resource it was matched to (an order: the offer's). */
    resourceId: Id.nullable(),
    /** The project serving it; joining a project matches an open need. */
    projectId: Id.nullable(),
    matchedAt: Instant.nullable(),
    metAt: Instant.nullable(),
    closedAt: Instant.nullable(),
    /** 无法解决: why. */
    closeReason: Reason.nullable(),
    /** 已解决: how, in a few words (a project's completion says which project). */
    metNote: Reason.nullable(),
    /** By when the resource is to respond (an order) or serve (a match): a case's deadline rules. */
    dueAt: Instant.nullable(),
    updatedAt: Instant,
  })
  .superRefine((n, ctx) => {
    needRules(n, ctx)
    const missing = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (n.status === 'open' && (n.resourceId || n.projectId || n.matchedAt || n.metAt || n.closedAt)) missing('status', say('待对接的需求不能带对接、解决或关闭的信息', 'An open need cannot carry matching, meeting or closing details')())
    if (n.status === 'matched' && n.matchedAt === null) missing('matchedAt', say('已对接的需求要有对接时间', 'A matched need must have the time it was matched')())
    if (n.status === 'matched' && !n.resourceId && !n.projectId) missing('resourceId', say('已对接的需求要有资源或项目', 'A matched need must have a resource or project')())
    if (n.status === 'met' && !n.metAt) missing('metAt', say('已解决的需求要有解决时间', 'A met need must have the time it was met')())
    if (n.status === 'closed' && (!n.closedAt || !n.closeReason)) missing('closeReason', say('无法解决要写明原因', 'Write why it cannot be met')())
  })
export type Need = z.infer<typeof Need>

export const NEED_ACTIONS = ['match', 'meet', 'close', 'reopen'] as const
export const NeedAction = z.enum(NEED_ACTIONS)
export type NeedAction = z.infer<typeof NeedAction>

/** need:transition — the office moves a need (needFlow.ts says from where). */
export const NeedTransition = z.object({
  action: NeedAction,
  /** meet: how it was met; close: why not (required). */
  note: Reason.default(''),
  /** match: the resource (required) and optionally which of its offers. */
  resourceId: Id.nullable().default(null),
  offerId: Id.nullable().default(null),
  /** match: by when it is to be served; the settings' default handling days when absent. */
  dueAt: Instant.nullable().default(null),
  at: Instant,
})
export type NeedTransition = z.infer<typeof NeedTransition>

// ---- resources (资源清单) and what they offer (the service menu) ----

/** 驻区单位 / 服务团队 / 志愿者 */
export const ResourceKind = z.enum(['unit', 'team', 'volunteer'])
export type ResourceKind = z.infer<typeof ResourceKind>
export const RESOURCE_KIND_ZH: Record<ResourceKind, string> = { unit: '驻区单位', team: '服务团队', volunteer: '志愿者' }

export const UnitType = z.enum(['hospital', 'school', 'company', 'government', 'social_org', 'other'])
export type UnitType = z.infer<typeof UnitType>

export const OfferPeriod = z.enum(['week', 'month'])
export type OfferPeriod = z.infer<typeof OfferPeriod>

/** One service a resource offers: "上门理发，每月10次，每月第一个周三上午". */
export const Offer = z
  .object({
    id: Id,
    category: NeedCategory,
    title: z.string().trim().min(1, { error: say('请写服务名称', 'Write a service name') }).max(30, { error: say('服务名称最多30字', 'A service name can be at most 30 characters') }),
    description: z.string().trim().max(200, { error: say('服务说明最多200字', 'A service description can be at most 200 characters') }),
    /** How many orders it takes per period (20 a month); null: no limit. */
    capacity: z.number().int().min(1, { error: say('份数至少为1', 'The number of places is at least 1') }).max(10_000).nullable(),
    period: OfferPeriod.nullable(),
    /** When, in words ("每周五下午"). */
    schedule: z.string().trim().max(50, { error: say('服务时间最多50字', 'Service times can be at most 50 characters') }),
    /** On the service menu (你点我来): a worker may order it for a household. */
    onMenu: z.boolean(),
  })
  .refine((o) => (o.capacity === null) === (o.period === null), { path: ['period'], error: say('份数和周期要一起填（如每月20份），不限量就都不填', 'Give the number of places and the period together (e.g. 20 a month), or neither if unlimited') })
export type Offer = z.infer<typeof Offer>

/** A volunteer's own part: personal data, shown to workers masked (listRules.volunteerCopy). */
export const Volunteer = z.object({
  /** The resident on the register, when the volunteer lives in the community. */
  residentId: Id.nullable(),
  skills: z.array(z.string().trim().min(1).max(20, { error: say('每项特长最多20字', 'Each skill can be at most 20 characters') })).max(10, { error: say('特长最多10项', 'At most 10 skills') }),
  availability: z.string().trim().max(100, { error: say('服务时间最多100字', 'Availability can be at most 100 characters') }),
  /** 党员亮明身份; the branch (支部) they belong to, or report to as an 在职党员. */
  partyMember: z.boolean(),
  branch: z.string().trim().max(50, { error: say('支部名称最多50字', 'A party branch name can be at most 50 characters') }).nullable(),
  /** Agreed to be named on a points list; otherwise 志愿者（未同意公开）. */
  pointsConsent: z.boolean(),
})
export type Volunteer = z.infer<typeof Volunteer>

const resourceFields = {
  id: Id,
  kind: ResourceKind,
  /** A unit's or team's name; a volunteer's own name. */
  name: z.string().trim().min(1, { error: say('请写名称', 'Write a name') }).max(50, { error: say('名称最多50字', 'A name can be at most 50 characters') }),
  /** A unit's kind. */
  unitType: UnitType.nullable(),
  /** A team that is also one of the community's handling teams (调解室, 律师会客厅 …). */
  teamId: Id.nullable(),
  contactName: z.string().trim().max(30, { error: say('联系人最多30字', 'A contact name can be at most 30 characters') }),
  contactPhone: Phone.nullable(),
  description: z.string().trim().max(500, { error: say('说明最多500字', 'A description can be at most 500 characters') }),
  offers: z.array(Offer).max(30, { error: say('一项资源最多30项服务', 'A resource can offer at most 30 services') }),
  /** Only for a volunteer, and required for one. */
  volunteer: Volunteer.nullable(),
}

function resourceRules(r: { kind: ResourceKind; unitType: UnitType | null; teamId: string | null; volunteer: Volunteer | null; offers: Offer[] }, ctx: z.RefinementCtx) {
  if ((r.kind === 'volunteer') !== (r.volunteer !== null)) ctx.addIssue({ code: 'custom', path: ['volunteer'], message: say('志愿者要填志愿者信息，单位和团队不填', 'A volunteer needs volunteer details; a unit or team has none')() })
  if (r.kind !== 'unit' && r.unitType !== null) ctx.addIssue({ code: 'custom', path: ['unitType'], message: say('只有驻区单位有单位类型', 'Only a resident unit has a unit type')() })
  if (r.kind !== 'team' && r.teamId !== null) ctx.addIssue({ code: 'custom', path: ['teamId'], message: say('只有服务团队能关联处置团队', 'Only a service team can be linked to a handling team')() })
  if (new Set(r.offers.map((o) => o.id)).size !== r.offers.length) ctx.addIssue({ code: 'custom', path: ['offers'], message: say('两项服务用了同一个编号', 'Two services have the same ID')() })
}

export const Resource = z
  .object({
    ...resourceFields,
    /** Retired resources stay (needs and projects name them) but take no new match or order. */
    active: z.boolean(),
    /** Only on a copy sent to someone who may not see a volunteer's contact data: the phone, masked
     *  (contactPhone is null there). Absent on the record itself. */
    contactPhoneMasked: z.string().max(20).optional(),
    createdBy: Id,
    createdAt: Instant,
    updatedAt: Instant,
  })
  .superRefine(resourceRules)
export type Resource = z.infer<typeof Resource>

/** resource:create (office). */
export const ResourceCreate = z.object(resourceFields).superRefine(resourceRules)
export type ResourceCreate = z.infer<typeof ResourceCreate>

/** resource:patch (office): the fields given replace the record's (a list of offers replaces the
 *  list). The kind never changes. */
export const ResourcePatch = z
  .strictObject({
    name: resourceFields.name,
    unitType: resourceFields.unitType,
    teamId: resourceFields.teamId,
    contactName: resourceFields.contactName,
    contactPhone: resourceFields.contactPhone,
    description: resourceFields.description,
    offers: resourceFields.offers,
    volunteer: resourceFields.volunteer,
    active: z.boolean(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
export type ResourcePatch = z.infer<typeof ResourcePatch>

// ---- projects (项目清单) ----

/** 策划 → 实施 → 完成 → 评价 */
export const PROJECT_STATUSES = ['planning', 'doing', 'done', 'evaluated'] as const
export const ProjectStatus = z.enum(PROJECT_STATUSES)
export type ProjectStatus = z.infer<typeof ProjectStatus>
export const PROJECT_STATUS_ZH: Record<ProjectStatus, string> = { planning: '策划', doing: '实施', done: '完成', evaluated: '评价' }

const Summary = z.string().trim().max(2000, { error: say('实施情况最多2000字', 'What was done can be at most 2000 characters') })
const Evaluation = z.string().trim().max(1000, { error: say('评价最多1000字', 'An evaluation can be at most 1000 characters') })
const HouseholdsServed = z.number().int().min(0).max(100_000)
const PhotoIds = z.array(Sha256).max(9, { error: say('最多9张照片', 'At most 9 photos') })

const projectFields = {
  id: Id,
  title: z.string().trim().min(1, { error: say('请写项目名称', 'Write a project name') }).max(50, { error: say('项目名称最多50字', 'A project name can be at most 50 characters') }),
  /** What it mostly serves: the category a volunteer's hours on it earn points by. */
  category: NeedCategory,
  /** 领办人 */
  leadName: z.string().trim().min(1, { error: say('请写领办人', 'Write who leads it') }).max(30, { error: say('领办人最多30字', 'The leader can be at most 30 characters') }),
  description: z.string().trim().max(1000, { error: say('项目说明最多1000字', 'A project description can be at most 1000 characters') }),
  /** The needs it serves: at least one (PROJECT_NO_NEEDS). */
  needIds: z.array(Id).max(500, { error: say('一个项目最多500条需求', 'A project can serve at most 500 needs') }),
  resourceIds: z.array(Id).max(30, { error: say('一个项目最多30项资源', 'A project can use at most 30 resources') }),
  startDay: Day,
  endDay: Day.nullable(),
}

/** A project with no needs is refused with a code of its own: it is what the lists are for. */
export const NO_NEEDS_MESSAGE = say('项目要对应至少一条需求：先在需求清单里选上它要解决的需求', 'A project must serve at least one need: first choose the needs it solves in the needs list')

function projectRules(p: { needIds?: string[]; resourceIds?: string[]; startDay?: string; endDay?: string | null }, ctx: z.RefinementCtx) {
  if (p.needIds !== undefined && p.needIds.length === 0) ctx.addIssue({ code: 'custom', path: ['needIds'], message: NO_NEEDS_MESSAGE(), params: { code: 'PROJECT_NO_NEEDS' } })
  if (p.needIds && new Set(p.needIds).size !== p.needIds.length) ctx.addIssue({ code: 'custom', path: ['needIds'], message: say('同一条需求选了两次', 'The same need is chosen twice')() })
  if (p.resourceIds && new Set(p.resourceIds).size !== p.resourceIds.length) ctx.addIssue({ code: 'custom', path: ['resourceIds'], message: say('同一项资源选了两次', 'The same resource is chosen twice')() })
  if (p.startDay && p.endDay && p.endDay < p.startDay) ctx.addIssue({ code: 'custom', path: ['endDay'], message: say('结束日期不能早于开始日期', 'The end date cannot be before the start date')() })
}

export const Project = z
  .object({
    ...projectFields,
    status: ProjectStatus,
    /** 实施情况: what was done. */
    summary: Summary,
    photoIds: PhotoIds,
    /** 服务户数; on completion the households of its needs unless the office says more. */
    householdsServed: HouseholdsServed.nullable(),
    /** 民评: how residents judged it. */
    evaluation: Evaluation,
    createdBy: Id,
    createdAt: Instant,
    startedAt: Instant.nullable(),
    doneAt: Instant.nullable(),
    evaluatedAt: Instant.nullable(),
    updatedAt: Instant,
  })
  .superRefine(projectRules)
export type Project = z.infer<typeof Project>

/** project:create (office): a project starts in 策划. */
export const ProjectCreate = z.object(projectFields).superRefine(projectRules)
export type ProjectCreate = z.infer<typeof ProjectCreate>

/** project:patch (office). needIds replaces the list: needs may be added while it runs, removed
 *  only while in 策划 (needFlow.checkProjectEdit). */
export const ProjectPatch = z
  .strictObject({
    title: projectFields.title,
    category: projectFields.category,
    leadName: projectFields.leadName,
    description: projectFields.description,
    needIds: projectFields.needIds,
    resourceIds: projectFields.resourceIds,
    startDay: projectFields.startDay,
    endDay: projectFields.endDay,
    summary: Summary,
    photoIds: PhotoIds,
    householdsServed: HouseholdsServed.nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
  .superRefine(projectRules)
export type ProjectPatch = z.infer<typeof ProjectPatch>

export const PROJECT_ACTIONS = ['start', 'complete', 'evaluate'] as const
export const ProjectAction = z.enum(PROJECT_ACTIONS)
export type ProjectAction = z.infer<typeof ProjectAction>

/** project:transition (office). complete may carry what was done; evaluate needs the evaluation. */
export const ProjectTransition = z.object({
  action: ProjectAction,
  summary: Summary.optional(),
  photoIds: PhotoIds.optional(),
  householdsServed: HouseholdsServed.nullable().optional(),
  evaluation: Evaluation.optional(),
  at: Instant,
})
export type ProjectTransition = z.infer<typeof ProjectTransition>

// ---- volunteers' service hours and points (积分) ----

/** 待确认 → 已确认 (points computed then) or 不予确认. Only confirmed hours ever count. */
export const SERVICE_STATUSES = ['recorded', 'confirmed', 'rejected'] as const
export const ServiceStatus = z.enum(SERVICE_STATUSES)
export type ServiceStatus = z.infer<typeof ServiceStatus>
export const SERVICE_STATUS_ZH: Record<ServiceStatus, string> = { recorded: '待确认', confirmed: '已确认', rejected: '不予确认' }

/** Half hours, more than nothing, at most a day. */
export const ServiceHours = z
  .number({ error: say('工时应为数字', 'Hours must be a number') })
  .positive({ error: say('工时要大于0', 'Hours must be more than 0') })
  .max(24, { error: say('一天最多24小时', 'At most 24 hours a day') })
  .refine((h) => Number.isInteger(h * 2), { error: say('工时按半小时计（如1.5）', 'Hours are counted in half hours (e.g. 1.5)') })

const serviceFields = {
  id: Id,
  /** The volunteer (a resource of kind volunteer). */
  resourceId: Id,
  projectId: Id.nullable(),
  needId: Id.nullable(),
  day: Day,
  hours: ServiceHours,
  note: z.string().trim().max(500, { error: say('说明最多500字', 'A note can be at most 500 characters') }),
}

function servesSomething(r: { projectId: string | null; needId: string | null }, ctx: z.RefinementCtx) {
  if (r.projectId === null && r.needId === null) ctx.addIssue({ code: 'custom', path: ['projectId'], message: say('工时要记在一个项目或一条需求（含点单）上', 'Hours must be recorded against a project or a need (or an order)')() })
}

export const ServiceRecord = z
  .object({
    ...serviceFields,
    /** The need's or project's category, fixed when recorded: the rule its points come by. */
    category: NeedCategory.nullable(),
    status: ServiceStatus,
    recordedBy: Id,
    recordedAt: Instant,
    confirmedBy: Id.nullable(),
    confirmedAt: Instant.nullable(),
    /** Computed at confirmation from Settings.pointRules; null until then (and when rejected). */
    points: z.number().nonnegative().nullable(),
    pointsPerHour: z.number().nonnegative().nullable(),
    rejectReason: Reason.nullable(),
  })
  .superRefine((r, ctx) => {
    servesSomething(r, ctx)
    const confirmed = r.status === 'confirmed'
    if (confirmed ? r.points === null || r.confirmedAt === null || r.confirmedBy === null : r.points !== null || r.pointsPerHour !== null)
      ctx.addIssue({ code: 'custom', path: ['points'], message: say('只有确认过的工时有积分', 'Only confirmed hours earn points')() })
    if (r.status === 'rejected' && !r.rejectReason) ctx.addIssue({ code: 'custom', path: ['rejectReason'], message: say('不予确认要写明原因', 'Write why the hours are not confirmed')() })
  })
export type ServiceRecord = z.infer<typeof ServiceRecord>

/** serviceRecord:create (office). Points are never sent: they are computed when the hours are
 *  confirmed; a create that carries them is refused POINTS_UNCONFIRMED. */
export const ServiceRecordCreate = z.object(serviceFields).superRefine(servesSomething)
export type ServiceRecordCreate = z.infer<typeof ServiceRecordCreate>

export const SERVICE_ACTIONS = ['confirm', 'reject'] as const
export const ServiceAction = z.enum(SERVICE_ACTIONS)
export type ServiceAction = z.infer<typeof ServiceAction>

/** serviceRecord:transition (office): confirm (points by the rule table) or reject (note required). */
export const ServiceRecordTransition = z.object({ action: ServiceAction, note: Reason.default(''), at: Instant })
export type ServiceRecordTransition = z.infer<typeof ServiceRecordTransition>

/** One row of the points table: a category's rate, or the default (category null). */
export const PointRule = z.object({
  category: NeedCategory.nullable(),
  pointsPerHour: z.number().int({ error: say('每小时积分要是整数', 'Points per hour must be a whole number') }).min(0).max(1000, { error: say('每小时积分最多1000', 'At most 1000 points per hour') }),
})
export type PointRule = z.infer<typeof PointRule>

export const PointRules = z
  .array(PointRule)
  .min(1)
  .max(NEED_CATEGORIES.length + 1)
  .superRefine((rules, ctx) => {
    if (rules.filter((r) => r.category === null).length !== 1) ctx.addIssue({ code: 'custom', message: say('积分规则要有且只有一条默认规则（不分类别）', 'The point rules need exactly one default rule (for every category)')() })
    const named = rules.filter((r) => r.category !== null).map((r) => r.category)
    if (new Set(named).size !== named.length) ctx.addIssue({ code: 'custom', message: say('同一类别的积分规则写了两条', 'Two point rules for the same category')() })
  })

// ---- the office's routes ----

export const ListsPeriodQuery = Period
export type ListsPeriodQuery = z.infer<typeof ListsPeriodQuery>

/** Which needs the summary groups: 待对接 (the default), 已对接, or both (未解决). */
export const NeedSummaryQuery = z.object({ status: z.enum(['open', 'matched', 'unresolved']).default('open') })
export type NeedSummaryQuery = z.infer<typeof NeedSummaryQuery>

export const BuildingCount = z.object({ buildingId: Id.nullable(), gridId: Id.nullable(), compound: z.string(), number: z.string(), households: Count })
export const GridCount = z.object({ gridId: Id, code: z.string(), name: z.string(), households: Count })
const CategoryCount = z.object({ category: NeedCategory, households: Count })

export const NeedCategoryGroup = z.object({
  category: NeedCategory,
  label: z.string(),
  needs: Count,
  /** Households with at least one such need: a household is counted once whatever its needs. */
  households: Count,
  buildings: z.array(BuildingCount),
  grids: z.array(GridCount),
  /** "23 户在教师新村2–4号楼需要助餐". */
  line: z.string(),
})
export type NeedCategoryGroup = z.infer<typeof NeedCategoryGroup>

/** GET /api/needs/summary: needs grouped by category (largest first), by building and by grid cell. */
export const NeedSummaryResponse = z.object({
  at: Instant,
  status: NeedSummaryQuery.shape.status,
  needs: Count,
  households: Count,
  byCategory: z.array(NeedCategoryGroup),
  byBuilding: z.array(BuildingCount.extend({ needs: Count, categories: z.array(CategoryCount) })),
  byGrid: z.array(GridCount.extend({ needs: Count, categories: z.array(CategoryCount) })),
})
export type NeedSummaryResponse = z.infer<typeof NeedSummaryResponse>

/** How long it took, over the needs that got there in the period. */
export const DurationFigure = z.object({ count: Count, medianHours: z.number().nonnegative().nullable() })
export type DurationFigure = z.infer<typeof DurationFigure>

/** GET /api/lists/figures: the dashboard's figures. Statuses are as they stand now; the period
 *  picks what happened in it. */
export const ListsFiguresResponse = z.object({
  from: Day,
  to: Day,
  at: Instant,
  needs: z.object({ open: Count, matched: Count, met: Count, closed: Count, raised: Count, metInPeriod: Count }),
  /** Needs not yet met or closed, by category and by grid cell. */
  openByCategory: z.array(z.object({ category: NeedCategory, open: Count, matched: Count, households: Count })),
  openByGrid: z.array(z.object({ gridId: Id, code: z.string(), name: z.string(), open: Count, matched: Count, households: Count })),
  /** raisedAt → matchedAt of needs matched in the period (orders arrive matched and are left out). */
  toMatch: DurationFigure,
  /** matchedAt → metAt of needs met in the period. */
  toMet: DurationFigure,
  /** Every resource with any use in the period, most used first. */
  resources: z.array(
    z.object({
      resourceId: Id,
      kind: ResourceKind,
      name: z.string(),
      /** Needs matched to it in the period, orders included. */
      matched: Count,
      orders: Count,
      met: Count,
      /** Households of the needs it met in the period. */
      households: Count,
      /** Confirmed service hours of the period (volunteers). */
      hours: z.number().nonnegative(),
    }),
  ),
  projects: z.object({ planning: Count, doing: Count, done: Count, evaluated: Count, doneInPeriod: Count }),
})
export type ListsFiguresResponse = z.infer<typeof ListsFiguresResponse>

/** A volunteer who did not agree to be named appears only as this. */
export const UNNAMED_VOLUNTEER = '志愿者（未同意公开）'

/** GET /api/points: confirmed hours and points per volunteer for the period, most points first. */
export const PointsResponse = z.object({
  from: Day,
  to: Day,
  volunteers: z.array(
    z.object({
      /** null for one who did not agree to be named. */
      resourceId: Id.nullable(),
      name: z.string(),
      named: z.boolean(),
      partyMember: z.boolean().nullable(),
      records: Count,
      hours: z.number().nonnegative(),
      points: z.number().nonnegative(),
    }),
  ),
  total: z.object({ volunteers: Count, records: Count, hours: z.number().nonnegative(), points: z.number().nonnegative() }),
})
export type PointsResponse = z.infer<typeof PointsResponse>

/** The code a refusal of these shapes answers with, when it is not a plain VALIDATION_FAILED: a
 *  category not on the list (UNKNOWN_CATEGORY) and a project with no needs (PROJECT_NO_NEEDS). */
export function listIssueCode(issues: readonly z.core.$ZodIssue[]): 'UNKNOWN_CATEGORY' | 'PROJECT_NO_NEEDS' | null {
  for (const i of issues) {
    if (i.code === 'invalid_value' && i.path[i.path.length - 1] === 'category') return 'UNKNOWN_CATEGORY'
    const code = i.code === 'custom' ? (i.params as { code?: unknown } | undefined)?.code : undefined
    if (code === 'PROJECT_NO_NEEDS') return code
  }
  return null
}
