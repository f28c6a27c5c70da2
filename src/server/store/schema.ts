import type { Generated } from 'kysely'

// Register and visit tables share one shape: the columns the server queries or scopes by,
// plus `data`, the whole record as JSON validated by its zod schema in src/domain.
// One shape lets pull and push treat every entity alike; add a column only when a query needs it.
export interface RecordTable {
  id: string
  version: number
  deleted: number
  grid_id: string | null
  household_id: string | null
  data: string
}

export interface HouseholdTable extends RecordTable {
  /** JSON {field: version}: the version that last changed each field, for field-level conflicts. */
  field_versions: string
}

export interface ResidentTable extends RecordTable {
  /** Full ID number: never synced to devices (they get `idMasked` inside data). */
  id_number: string | null
  /** As households.field_versions (migration 0008): resident edits are field-level too. */
  field_versions: Generated<string>
}

export interface VisitTable extends RecordTable {
  worker_id: string
  /** UTC, in toISOString()'s form whatever offset the device sent: periods compare it as text. */
  started_at: string
  /** met / not_home / refused / phone, copied from data for aggregates (migration 0003). */
  outcome: string
  /** The follow-up date promised (YYYY-MM-DD), copied from data for aggregates (migration 0006). */
  follow_up_date: string | null
  /** The campaign the visit was made for, copied from data (migration 0009); null for most. */
  campaign_id: Generated<string | null>
}

export interface CampaignTable extends RecordTable {
  /** draft / launched / closed, copied from data: a worker's pull never sends a draft. */
  status: string
}

export interface CampaignTargetTable extends RecordTable {
  campaign_id: string
}

/** 需求 (migration 0010): scoped by grid cell like households; `household_id` is its first household. */
export interface NeedTable extends RecordTable {
  status: string
  category: string
  /** UTC, toISOString()'s form (compared as text): an offer's capacity counts orders by it. */
  raised_at: string
  resource_id: string | null
  /** The offer a service-menu order was for; null for every other need. */
  offer_id: string | null
  project_id: string | null
}

export interface ResourceTable extends RecordTable {
  kind: string
}

export interface ProjectTable extends RecordTable {
  status: string
}

/** A volunteer's hours (migration 0010): the office's only; points come with confirmation. */
export interface ServiceRecordTable extends RecordTable {
  resource_id: string
  status: string
  /** The day served, 'YYYY-MM-DD' (China time). */
  day: string
}

/** 议题 (migration 0011): the community's, pulled by a worker through matter_cells. */
export interface MatterTable extends RecordTable {
  stage: string
}

/** The grid cells a matter touches (fixed when it is raised): whose workers pull it, its steps
 *  and its meetings. A matter spans cells, so one grid_id column cannot say it. */
export interface MatterCellTable {
  matter_id: string
  grid_id: string
}

export interface MatterChildTable extends RecordTable {
  matter_id: string
}

/** 筹 (migration 0011): append-only; the office's alone. `household_id` is a share's or a
 *  contribution's household. */
export interface LedgerEntryTable extends MatterChildTable {
  kind: string
  corrects_id: string | null
}

export interface UserTable {
  id: string
  username: string
  name: string
  role: string
  password_hash: string
  sensitive_tags: number
  /** Bumped when the user's grid assignment changes: devices holding an older cursor re-pull. */
  scope_epoch: number
  created_at: string
  /** 1, or 0 once an admin deactivated the account (migration 0004). */
  active: number
}

export interface GridAssignmentTable {
  id: Generated<number>
  user_id: string
  grid_id: string
  assigned_at: string
  unassigned_at: string | null
}

export interface SessionTable {
  token_hash: string
  user_id: string
  created_at: string
  expires_at: string
}

export interface CounterTable {
  name: string
  value: number
}

/** One row per applied mutation, written in the same transaction as the change it made.
 *  Keyed by (user_id, device_id, mutation_id) since migration 0005. */
export interface MutationTable {
  device_id: string
  mutation_id: string
  user_id: string
  entity: string
  entity_id: string
  op: string
  status: string
  version: number
  received_at: string
}

export interface ConflictTable {
  id: Generated<number>
  entity: string
  entity_id: string
  field: string
  base_version: number
  kept_value: string
  overwritten_value: string
  user_id: string
  mutation_id: string
  at: string
  settled_at: string | null
  /** Who wrote the overwritten value and when (migration 0007); null on older rows and for
   *  values that came from an import. */
  overwritten_by: string | null
  overwritten_at: string | null
  /** How it was settled (migration 0007): by whom, 'current' | 'other' | 'value', the value that
   *  stands (JSON), and the household version the settling wrote (null when nothing changed). */
  settled_by: string | null
  settled_choice: string | null
  settled_value: string | null
  settled_version: number | null
}

export interface CaseTable extends RecordTable {
  state: string
  reported_at: string
}

export interface AttachmentTable {
  sha256: string
  mime: string
  size: number
  uploaded_by: string
  created_at: string
}

/** Who uploaded a photo's bytes (migration 0005): each of them may refer to it. */
export interface AttachmentUploadTable {
  sha256: string
  user_id: string
  uploaded_at: string
}

/** Failed logins per key ("user:<name>" or "ip:<address>"), for a growing delay (migration 0005). */
export interface LoginThrottleTable {
  key: string
  failures: number
  last_failure_at: string
  /** No attempt under this key is checked before this instant. */
  next_allowed_at: string
}

/** One row per export (PIPL: exports are explicit and logged). */
export interface ExportLogTable {
  id: Generated<number>
  user_id: string
  at: string
  kind: string
  format: string
  /** The StatsQuery filters, as JSON. */
  filters: string
  row_count: number
}

/** One row per audited action (migration 0004): never updated, never deleted by the app. */
export interface AuditLogTable {
  id: Generated<number>
  at: string
  /** Who acted; null for a failed login with an unknown username. */
  user_id: string | null
  action: string
  subject_type: string | null
  subject_id: string | null
  /** JSON object; never a password, never a full ID number. */
  details: string
}

export interface Database {
  settings: RecordTable
  teams: RecordTable
  cases: CaseTable
  case_steps: RecordTable & { case_id: string }
  comments: RecordTable & { visit_id: string }
  attachments: AttachmentTable
  attachment_uploads: AttachmentUploadTable
  login_throttle: LoginThrottleTable
  /** Which records refer to which photo: a photo is readable by whoever may read one of them. */
  attachment_refs: { sha256: string; entity: string; entity_id: string; grid_id: string | null }
  grid_cells: RecordTable
  buildings: RecordTable
  households: HouseholdTable
  residents: ResidentTable
  checklist_templates: RecordTable
  visits: VisitTable
  users: UserTable
  grid_assignments: GridAssignmentTable
  sessions: SessionTable
  counters: CounterTable
  mutations: MutationTable
  conflicts: ConflictTable
  exports_log: ExportLogTable
  audit_log: AuditLogTable
  campaigns: CampaignTable
  campaign_targets: CampaignTargetTable
  needs: NeedTable
  resources: ResourceTable
  projects: ProjectTable
  service_records: ServiceRecordTable
  matters: MatterTable
  matter_cells: MatterCellTable
  matter_steps: MatterChildTable
  meetings: MatterChildTable
  ledger_entries: LedgerEntryTable
  notices: RecordTable
}

export const ENTITY_TABLES = {
  settings: 'settings',
  team: 'teams',
  case: 'cases',
  caseStep: 'case_steps',
  comment: 'comments',
  gridCell: 'grid_cells',
  building: 'buildings',
  household: 'households',
  resident: 'residents',
  checklistTemplate: 'checklist_templates',
  visit: 'visits',
  campaign: 'campaigns',
  campaignTarget: 'campaign_targets',
  need: 'needs',
  resource: 'resources',
  project: 'projects',
  serviceRecord: 'service_records',
  matter: 'matters',
  matterStep: 'matter_steps',
  meeting: 'meetings',
  ledgerEntry: 'ledger_entries',
  notice: 'notices',
} as const
