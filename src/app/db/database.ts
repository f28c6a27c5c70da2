import Dexie, { type Table, type Transaction } from 'dexie'
import type { z } from 'zod'
import type { ApiError, Entity, EntityRecord, ErrorCode, MUTATION_DATA, MutationKind } from '../../domain'
import { groupByHousehold } from './byHousehold'

/** A record as the device keeps it: the server's shape plus `_v`, the server version it was
 *  pulled at (absent for a record made on this device and not yet acknowledged). */
export type Local<E extends Entity> = EntityRecord<E> & { _v?: number }

/** What a queued change sends, by kind ('visit:create', 'case:transition' …): the output of its
 *  mutation schema (src/domain/protocol.ts MUTATION_DATA), which the store parsed it with. */
export type MutationData<K extends MutationKind> = z.output<(typeof MUTATION_DATA)[K]>

/** One kind of change: its entity, its op and its data, read by type (a visit's photoIds, a
 *  matter patch's tasks) rather than picked out of a bag of fields. */
type ChangeOf<K extends MutationKind> = K extends `${infer E}:${infer O}` ? { entity: E; op: O; data: MutationData<K> } : never

interface OutboxRowBase {
  seq?: number
  mutationId: string
  entityId: string
  baseVersion?: number
  at: string
  /** pending: waiting to be sent. rejected: the server refused it; it waits for the user to fix
   *  or discard it, and later changes to the same record wait behind it. */
  state: 'pending' | 'rejected'
  attempts: number
  error?: ApiError
  /** What a person calls the record (an address, a case's title), taken when the change was
   *  made: when the server refuses it, the record may have left the device (its cell went to
   *  another worker), and the 待处理 list must still say what it was. Absent on older rows. */
  label?: string
}

/** A queued change: a union keyed by entity and op, one member per kind a device may send. */
export type OutboxRow = { [K in MutationKind]: OutboxRowBase & ChangeOf<K> }[MutationKind]

/** A queued change whose kind a caller does not know (built generically, or resent after a fix):
 *  the data was parsed by its mutation schema, which is what makes the cast to OutboxRow true. */
export type AnyOutboxRow = OutboxRowBase & { entity: Entity; op: OutboxRow['op']; data: Record<string, unknown> }

/** A server change that arrived while the record had unsent changes: applied once they drain. */
export interface ParkedChange {
  key: string
  entity: Entity
  id: string
  version: number
  deleted: boolean
  data: Record<string, unknown> | null
}

/** A photo taken on this device (or fetched for offline viewing), by SHA-256 of its bytes.
 *  `uploaded` 0 until the server has it: mutations that reference it wait until then. */
export interface PhotoRow {
  sha256: string
  blob: Blob
  mime: string
  size: number
  width: number
  height: number
  uploaded: 0 | 1
  createdAt: string
  /** Last upload failure the server gave a reason for (shown; the photo is kept), and its code,
   *  which says it in the user's language (errorText). */
  error?: string
  errorCode?: ErrorCode
}

/** A household's visits, kept together (db/packs.ts says why; all access goes through db/visits.ts). */
export interface VisitPack {
  householdId: string
  visits: Local<'visit'>[]
}

/** A household's residents, kept together (all access goes through db/residents.ts). */
export interface ResidentPack {
  householdId: string
  residents: Local<'resident'>[]
}

export interface MetaRow {
  key: string
  value: unknown
}

export const TABLE_OF = {
  settings: 'settings',
  team: 'teams',
  case: 'cases',
  caseStep: 'caseSteps',
  comment: 'comments',
  gridCell: 'gridCells',
  building: 'buildings',
  household: 'households',
  /** Packed per household: read and write them with db/residents.ts, never as rows of their own. */
  resident: 'residentPacks',
  checklistTemplate: 'checklistTemplates',
  /** Packed per household: read and write them with db/visits.ts, never as rows of their own. */
  visit: 'visitPacks',
  campaign: 'campaigns',
  campaignTarget: 'campaignTargets',
  need: 'needs',
  resource: 'resources',
  project: 'projects',
  serviceRecord: 'serviceRecords',
  matter: 'matters',
  matterStep: 'matterSteps',
  meeting: 'meetings',
  ledgerEntry: 'ledgerEntries',
  notice: 'notices',
} as const satisfies Record<Entity, string>

/** The entities kept one record per row (all but visits and residents), for code that writes any of them. */
export type RowEntity = Exclude<Entity, 'visit' | 'resident'>

export const RECORD_TABLES = Object.values(TABLE_OF)

export class ZoufangDb extends Dexie {
  gridCells!: Table<Local<'gridCell'>, string>
  buildings!: Table<Local<'building'>, string>
  households!: Table<Local<'household'>, string>
  residentPacks!: Table<ResidentPack, string>
  checklistTemplates!: Table<Local<'checklistTemplate'>, string>
  visitPacks!: Table<VisitPack, string>
  settings!: Table<Local<'settings'>, string>
  teams!: Table<Local<'team'>, string>
  cases!: Table<Local<'case'>, string>
  caseSteps!: Table<Local<'caseStep'>, string>
  comments!: Table<Local<'comment'>, string>
  campaigns!: Table<Local<'campaign'>, string>
  campaignTargets!: Table<Local<'campaignTarget'>, string>
  needs!: Table<Local<'need'>, string>
  resources!: Table<Local<'resource'>, string>
  projects!: Table<Local<'project'>, string>
  serviceRecords!: Table<Local<'serviceRecord'>, string>
  matters!: Table<Local<'matter'>, string>
  matterSteps!: Table<Local<'matterStep'>, string>
  meetings!: Table<Local<'meeting'>, string>
  ledgerEntries!: Table<Local<'ledgerEntry'>, string>
  notices!: Table<Local<'notice'>, string>
  photos!: Table<PhotoRow, string>
  outbox!: Table<OutboxRow, number>
  parked!: Table<ParkedChange, string>
  meta!: Table<MetaRow, string>

  constructor(name = 'zoufang') {
    super(name)
    // Lean on purpose: every index costs time on each of the thousands of writes of a first
    // sync. Lists filter in memory; only lookups that must be fast without loading a table
    // get an index. Never edit a released version: add version(2) with an upgrade.
    this.version(1).stores({
      gridCells: 'id',
      buildings: 'id',
      households: 'id',
      residents: 'id, householdId',
      checklistTemplates: 'id',
      visits: 'id, householdId',
      outbox: '++seq, entityId',
      parked: 'key',
      meta: 'key',
    })
    // Cases, their steps, comments on visits, teams, settings and photos. Adding tables keeps
    // every existing row, the outbox included.
    this.version(2).stores({
      settings: 'id',
      teams: 'id',
      cases: 'id',
      caseSteps: 'id, caseId',
      comments: 'id, visitId',
      photos: 'sha256, uploaded',
    })
    // Visits packed per household (db/visits.ts): the visits a device holds move into packs, in
    // the upgrade's one transaction. The old table is removed in version 5, after it (an upgrade
    // can read only a table that still exists).
    this.version(3)
      .stores({ visitPacks: 'householdId' })
      .upgrade((tx) => packRows(tx, 'visits', 'visitPacks', 'visits'))
    // Campaigns (专项任务) and the households each targets, pulled like any record.
    this.version(4).stores({ campaigns: 'id', campaignTargets: 'id' })
    this.version(5).stores({ visits: null })
    // 三张清单 (docs/lists.md): needs (a household's page finds its own by householdIds), resources
    // and projects for everyone, volunteers' service records on office devices only.
    this.version(6).stores({ needs: 'id, *householdIds', resources: 'id', projects: 'id', serviceRecords: 'id' })
    // 议题 (docs/matters.md): matters of the device's cells, their steps and meetings (a matter's
    // page finds them by matterId); ledger entries on office devices only.
    this.version(7).stores({ matters: 'id', matterSteps: 'id, matterId', meetings: 'id, matterId', ledgerEntries: 'id, matterId' })
    // 公告 (docs/public.md): the community's notices to residents, on every device.
    this.version(8).stores({ notices: 'id' })
    // Residents packed per household (db/packs.ts), as visits are: they move into packs in the
    // upgrade's one transaction; the old table goes in version 10, after it.
    this.version(9)
      .stores({ residentPacks: 'householdId' })
      .upgrade((tx) => packRows(tx, 'residents', 'residentPacks', 'residents'))
    this.version(10).stores({ residents: null })
  }

  tableOf<E extends RowEntity>(entity: E): Table<Local<E>, string> {
    return this.table(TABLE_OF[entity]) as Table<Local<E>, string>
  }
}

/** A schema upgrade's move of one row per record into one pack per household (`{ householdId,
 *  [field]: records }`), in the upgrade's transaction. */
async function packRows(tx: Transaction, rows: string, packs: string, field: string): Promise<void> {
  const records = await tx.table<{ householdId: string }, string>(rows).toArray()
  await tx.table(packs).bulkPut([...groupByHousehold(records)].map(([householdId, list]) => ({ householdId, [field]: list })))
}

export async function getMeta<T>(db: ZoufangDb, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined
}

export async function setMeta(db: ZoufangDb, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value })
}
