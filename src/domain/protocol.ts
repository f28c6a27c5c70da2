import { z } from 'zod'
import { say } from './language'
import { DEFAULT_PULL_LIMIT, MAX_PULL_LIMIT, MAX_PUSH_BATCH } from './constants'
import { ApiError } from './errors'
import { Case, CaseReport, CaseStep, CaseTransition, Comment, CommentCreate, Team } from './schemas/case'
import { ChecklistTemplate, ChecklistTemplateCreate, ChecklistTemplatePatch } from './schemas/checklist'
import { Id, Instant } from './schemas/common'
import { Campaign, CampaignTarget } from './schemas/campaign'
import {
  Need,
  NeedCreate,
  NeedTransition,
  Project,
  ProjectCreate,
  ProjectPatch,
  ProjectTransition,
  Resource,
  ResourceCreate,
  ResourcePatch,
  ServiceRecord,
  ServiceRecordCreate,
  ServiceRecordTransition,
} from './schemas/lists'
import { LedgerEntry, LedgerEntryCreate, Matter, MatterCreate, MatterPatch, MatterStep, MatterTransition, Meeting, MeetingCreate, MeetingPatch } from './schemas/matter'
import { Building, GridCell, Household, HouseholdPatch, Resident, ResidentCreate, ResidentPatch } from './schemas/register'
import { Notice, NoticeCreate, NoticePatch } from './schemas/notice'
import { CellLeft } from './schemas/user'
import { Settings, SettingsPatch } from './schemas/settings'
import { Visit } from './schemas/visit'


export const ENTITIES = [
  'settings',
  'team',
  'gridCell',
  'building',
  'household',
  'resident',
  'checklistTemplate',
  'visit',
  'case',
  'caseStep',
  'comment',
  'campaign',
  'campaignTarget',
  // Appended, never inserted: a first pull's cursor names an entity by its place in this list.
  'need',
  'resource',
  'project',
  'serviceRecord',
  // 议题 (docs/matters.md)
  'matter',
  'matterStep',
  'meeting',
  'ledgerEntry',
  // 公告 (docs/public.md)
  'notice',
] as const
export const Entity = z.enum(ENTITIES)
export type Entity = z.infer<typeof Entity>

/** The record shape of each entity: one schema validates form, Dexie row, push and route. */
export const ENTITY_SCHEMAS = {
  gridCell: GridCell,
  building: Building,
  household: Household,
  resident: Resident,
  checklistTemplate: ChecklistTemplate,
  visit: Visit,
  case: Case,
  caseStep: CaseStep,
  comment: Comment,
  team: Team,
  settings: Settings,
  campaign: Campaign,
  campaignTarget: CampaignTarget,
  need: Need,
  resource: Resource,
  project: Project,
  serviceRecord: ServiceRecord,
  matter: Matter,
  matterStep: MatterStep,
  meeting: Meeting,
  ledgerEntry: LedgerEntry,
  notice: Notice,
} as const
export type EntityRecord<E extends Entity> = z.infer<(typeof ENTITY_SCHEMAS)[E]>

export const Op = z.enum(['create', 'patch', 'delete', 'transition'])
export type Op = z.infer<typeof Op>

/** What a device may send, per entity. Anything else is UNSUPPORTED_OPERATION. */
export const MUTATION_DATA = {
  'visit:create': Visit,
  'household:patch': HouseholdPatch,
  'resident:create': ResidentCreate,
  'resident:patch': ResidentPatch,
  'case:create': CaseReport,
  'case:transition': CaseTransition,
  'comment:create': CommentCreate,
  'settings:patch': SettingsPatch,
  'checklistTemplate:patch': ChecklistTemplatePatch,
  'checklistTemplate:create': ChecklistTemplateCreate,
  // 三张清单 (docs/lists.md): a worker records needs for their cells; the rest is the office's.
  'need:create': NeedCreate,
  'need:transition': NeedTransition,
  'resource:create': ResourceCreate,
  'resource:patch': ResourcePatch,
  'project:create': ProjectCreate,
  'project:patch': ProjectPatch,
  'project:transition': ProjectTransition,
  'serviceRecord:create': ServiceRecordCreate,
  'serviceRecord:transition': ServiceRecordTransition,
  // 议题 (docs/matters.md): the office's alone. Steps are written by transitions; the ledger is
  // append-only (no patch, no delete: a correction is an entry).
  'matter:create': MatterCreate,
  'matter:patch': MatterPatch,
  'matter:transition': MatterTransition,
  'meeting:create': MeetingCreate,
  'meeting:patch': MeetingPatch,
  'ledgerEntry:create': LedgerEntryCreate,
  // 公告 (docs/public.md): the office's; withdrawn, never deleted.
  'notice:create': NoticeCreate,
  'notice:patch': NoticePatch,
} as const
export type MutationKind = keyof typeof MUTATION_DATA

export const Mutation = z.object({
  mutationId: Id,
  entity: Entity,
  id: Id,
  op: Op,
  /** The version of the record the edit was made on (patches): field-level conflict detection. */
  baseVersion: z.number().int().nonnegative().optional(),
  data: z.record(z.string(), z.unknown()),
  /** Device time of the change; informational only, never used for ordering. */
  at: Instant,
})
export type Mutation = z.infer<typeof Mutation>


export const PushRequest = z.object({
  deviceId: Id,
  protocolVersion: z.number().int(),
  mutations: z.array(Mutation).max(MAX_PUSH_BATCH, { error: say(`一次最多提交${MAX_PUSH_BATCH}条`, `At most ${MAX_PUSH_BATCH} changes at a time`) }),
})
export type PushRequest = z.infer<typeof PushRequest>

export const MutationStatus = z.enum(['applied', 'duplicate', 'rejected', 'conflict'])
export type MutationStatus = z.infer<typeof MutationStatus>

export const MutationResult = z.object({
  mutationId: Id,
  status: MutationStatus,
  version: z.number().int().optional(),
  error: ApiError.optional(),
})
export type MutationResult = z.infer<typeof MutationResult>

export const PushResponse = z.object({ results: z.array(MutationResult) })
export type PushResponse = z.infer<typeof PushResponse>


export const PullQuery = z.object({
  /** Opaque to the client; absent on the first pull. */
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  /** '1' on the first request of a pass: the answer then says how many records are to come. */
  count: z.literal('1').optional(),
})
export type PullQuery = z.infer<typeof PullQuery>

export const Change = z.object({
  entity: Entity,
  id: Id,
  version: z.number().int(),
  deleted: z.boolean(),
  /** The record; null for a tombstone. */
  data: z.record(z.string(), z.unknown()).nullable(),
})
export type Change = z.infer<typeof Change>

export const PullResponse = z.union([
  z.object({
    changes: z.array(Change),
    cursor: z.string(),
    hasMore: z.boolean(),
    /** On a pull from the start (no cursor) by a worker: the cells once theirs and no longer,
     *  for the device to tell which of the cells it held went where. Optional both ways: older
     *  clients ignore it, and a client facing an older server still sees which cells went. */
    cellsLeft: z.array(CellLeft).optional(),
    /** Asked for with count=1: the records from this cursor on, this page's included — what a
     *  first sync's progress counts towards. */
    total: z.number().int().nonnegative().optional(),
    /** For an office device: visits begun before this instant are not sent (but for each
     *  household's latest that reached somebody) and may be dropped from the device. */
    visitsFrom: z.string().optional(),
    /** This page is part of a first pull's snapshot (no cursor, or a cursor it handed out), which
     *  sends each record once, as it stands at the snapshot's start: a device can write its
     *  records knowing none came in an earlier page. Absent on the changes after it. */
    snapshot: z.literal(true).optional(),
  }),
  /** The cursor is older than the tombstone horizon or the user's scope changed: re-pull all. */
  z.object({ reset: z.literal(true) }),
])
export type PullResponse = z.infer<typeof PullResponse>

export const Health = z.object({ ok: z.boolean(), store: z.enum(['ready', 'unavailable']), protocolVersion: z.number() })


/** GET /api/households/:id/visits — every visit of one household, newest first: what an office
 *  device, which keeps only recent visits, shows when asked for the older ones. */
export const HouseholdVisitsResponse = z.object({ visits: z.array(Visit) })
export type HouseholdVisitsResponse = z.infer<typeof HouseholdVisitsResponse>
