import type { Kysely, Transaction } from 'kysely'
import type { Campaign, CampaignTarget, VisitOutcome } from '../../domain'
import { nextVersion, reserveVersions } from './counters'
import type { Database } from './schema'

// Campaigns (专项任务), their targets and the visits made for them. The rules are in
// services/campaigns.ts and src/domain/campaignFlow.ts; this only reads and writes rows.

type Db = Kysely<Database> | Transaction<Database>
const BATCH = 500

export interface CampaignRow {
  version: number
  deleted: boolean
  data: unknown
}

export async function findCampaign(db: Db, id: string): Promise<CampaignRow | null> {
  const r = await db.selectFrom('campaigns').select(['version', 'deleted', 'data']).where('id', '=', id).executeTakeFirst()
  return r ? { version: Number(r.version), deleted: r.deleted === 1, data: JSON.parse(r.data) as unknown } : null
}

/** Every campaign not discarded, newest first (ids are UUIDv7). */
export async function liveCampaigns(db: Db): Promise<unknown[]> {
  const rows = await db.selectFrom('campaigns').select('data').where('deleted', '=', 0).orderBy('id', 'desc').execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

/** Writes the campaign (insert or replace) with a new version, so devices pull it; `deleted`
 *  discards a draft (a tombstone). */
export async function putCampaign(trx: Transaction<Database>, c: Campaign, deleted = false): Promise<number> {
  const version = await nextVersion(trx)
  const row = { version, deleted: deleted ? 1 : 0, grid_id: null, household_id: null, status: c.status, data: JSON.stringify(c) }
  await trx
    .insertInto('campaigns')
    .values({ id: c.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
  return version
}

/** Rewrites the campaign only while it is still in `status` (two launches or closes at once:
 *  the second finds nothing to update). False when it was not. */
export async function putCampaignIf(trx: Transaction<Database>, c: Campaign, status: Campaign['status']): Promise<boolean> {
  const version = await nextVersion(trx)
  const r = await trx
    .updateTable('campaigns')
    .set({ version, status: c.status, data: JSON.stringify(c) })
    .where('id', '=', c.id)
    .where('status', '=', status)
    .where('deleted', '=', 0)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** The households a campaign targets already. */
export async function targetHouseholdIds(db: Db, campaignId: string): Promise<Set<string>> {
  const rows = await db.selectFrom('campaign_targets').select('household_id').where('campaign_id', '=', campaignId).where('deleted', '=', 0).execute()
  return new Set(rows.map((r) => r.household_id!))
}

export async function isTarget(db: Db, campaignId: string, householdId: string): Promise<boolean> {
  const r = await db
    .selectFrom('campaign_targets')
    .select('id')
    .where('campaign_id', '=', campaignId)
    .where('household_id', '=', householdId)
    .where('deleted', '=', 0)
    .executeTakeFirst()
  return r !== undefined
}

/** Inserts targets, each with a version of its own (one block of the sequence), in batches. */
export async function insertTargets(trx: Transaction<Database>, targets: readonly CampaignTarget[]): Promise<void> {
  if (!targets.length) return
  const first = await reserveVersions(trx, targets.length)
  for (let i = 0; i < targets.length; i += BATCH) {
    const rows = targets.slice(i, i + BATCH).map((t, j) => ({
      id: t.id,
      version: first + i + j,
      deleted: 0,
      grid_id: t.gridId,
      household_id: t.householdId,
      campaign_id: t.campaignId,
      data: JSON.stringify(t),
    }))
    await trx.insertInto('campaign_targets').values(rows).execute()
  }
}

/** The campaign's target households as the register has them now (their JSON, their cell). */
export async function targetHouseholds(db: Db, campaignId: string): Promise<{ id: string; gridId: string | null; data: unknown }[]> {
  const rows = await db
    .selectFrom('campaign_targets as t')
    .innerJoin('households as h', 'h.id', 't.household_id')
    .select(['h.id', 'h.grid_id', 'h.data'])
    .where('t.campaign_id', '=', campaignId)
    .where('t.deleted', '=', 0)
    // Taken off the register since: nobody is left to visit, and it no longer counts.
    .where('h.deleted', '=', 0)
    .execute()
  return rows.map((r) => ({ id: r.id, gridId: r.grid_id, data: JSON.parse(r.data) as unknown }))
}

/** Every visit made for the campaign, with its record (the answers are in it): one index range. */
export async function campaignVisits(db: Db, campaignId: string): Promise<unknown[]> {
  const rows = await db.selectFrom('visits').select('data').where('campaign_id', '=', campaignId).where('deleted', '=', 0).execute()
  return rows.map((r) => JSON.parse(r.data) as unknown)
}

export interface HouseholdVisitSummary {
  campaignId: string
  householdId: string
  outcomes: Set<VisitOutcome>
}

/** Per campaign and household, which outcomes its campaign visits had: enough for the totals of
 *  many campaigns at once, without reading a single record. */
export async function visitOutcomesByHousehold(db: Db, campaignIds: readonly string[]): Promise<HouseholdVisitSummary[]> {
  if (!campaignIds.length) return []
  const rows = await db
    .selectFrom('visits')
    .select(['campaign_id', 'household_id', 'outcome'])
    .where('campaign_id', 'in', campaignIds)
    .where('deleted', '=', 0)
    .groupBy(['campaign_id', 'household_id', 'outcome'])
    .execute()
  const out = new Map<string, HouseholdVisitSummary>()
  for (const r of rows) {
    const key = `${r.campaign_id}|${r.household_id}`
    const s = out.get(key) ?? { campaignId: r.campaign_id!, householdId: r.household_id!, outcomes: new Set<VisitOutcome>() }
    s.outcomes.add(r.outcome as VisitOutcome)
    out.set(key, s)
  }
  return [...out.values()]
}

/** Cases about any of these households (their first party), as records. */
export async function casesOfHouseholds(db: Db, householdIds: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = []
  for (let i = 0; i < householdIds.length; i += BATCH) {
    const rows = await db
      .selectFrom('cases')
      .select('data')
      .where('deleted', '=', 0)
      .where('household_id', 'in', householdIds.slice(i, i + BATCH))
      .execute()
    for (const r of rows) out.push(JSON.parse(r.data) as unknown)
  }
  return out
}
