import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Insertable } from 'kysely'
import { DEMO_PASSWORD, type DemoCommunity, type DemoUser } from '../demo/generate'
import { type DemoStreetCommunity, STREET_KEY, STREET_NAME } from '../demo/street'
import { uuidv7 } from '../domain/ids'
import type { Deployment } from './deployment'
import { MAIN_COMMUNITY, renameCommunity } from './store/directory'
import { DEFAULT_SETTINGS, type LedgerEntry } from '../domain'
import { attachmentPath } from './services/attachments'
import { hashPassword } from './services/passwords'
import { bulkInsert } from './store/bulk'
import { setVersionCounter } from './store/counters'
import type { Store } from './store/open'
import { hasAnyUser, insertUser } from './store/users'
import type { Database } from './store/schema'

/** True when the store holds no users yet: a fresh data directory. */
export async function isEmpty(store: Store): Promise<boolean> {
  return !(await hasAnyUser(store))
}

export interface SeedFiles {
  /** Where the app keeps photo files (buildApp's attachmentsDir). Without it the demo's photos
   *  (the elevator's receipts) are not stored, and their ids stay unknown to the server. */
  attachmentsDir?: string
}

/** Writes a photo's bytes under its name, whole, then renamed (as an upload is): a crash never
 *  leaves half a photo. The bytes name themselves, so one already there is the same photo. */
function writePhoto(attachmentsDir: string, sha256: string, bytes: Uint8Array): void {
  const path = attachmentPath(attachmentsDir, sha256)
  if (existsSync(path)) return
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.seed.tmp`
  writeFileSync(tmp, bytes)
  renameSync(tmp, path)
}

/** Writes a generated community into an empty store, in one transaction, in batches; its photos'
 *  files first (so no row is ever without its file). */
export async function seedCommunity(store: Store, c: DemoCommunity, now = new Date(), files: SeedFiles = {}): Promise<void> {
  const hashes = await Promise.all(c.users.map((u) => hashPassword(u.password)))
  const photos = files.attachmentsDir ? c.photos : []
  for (const p of photos) writePhoto(files.attachmentsDir!, p.sha256, p.bytes)
  let version = 0
  const v = () => ++version
  const rec = (id: string, gridId: string | null, householdId: string | null, data: unknown) => ({
    id,
    version: v(),
    deleted: 0,
    grid_id: gridId,
    household_id: householdId,
    data: JSON.stringify(data),
  })

  await store.transaction().execute(async (trx) => {
    const insert = <T extends keyof Database>(table: T, rows: readonly Insertable<Database[T]>[]) => bulkInsert(trx, table, rows)
    await insert('settings', [rec(DEFAULT_SETTINGS.id, null, null, { ...DEFAULT_SETTINGS, communityName: c.name })])
    await insert('teams', c.teams.map((t) => rec(t.id, null, null, t)))
    await insert('checklist_templates', c.templates.map((t) => rec(t.id, null, null, t)))
    await insert('grid_cells', c.gridCells.map((g) => rec(g.id, g.id, null, g)))
    await insert('buildings', c.buildings.map((b) => rec(b.id, b.gridId, null, b)))
    await insert('households', c.households.map((h) => ({ ...rec(h.id, h.gridId, h.id, h), field_versions: '{}' })))
    await insert(
      'residents',
      c.residents.map(({ idNumber, ...r }) => ({ ...rec(r.id, r.gridId, r.householdId, r), id_number: idNumber })),
    )
    await insert(
      'visits',
      c.visits.map((vi) => ({
        ...rec(vi.id, vi.gridId, vi.householdId, vi),
        worker_id: vi.workerId,
        started_at: new Date(vi.startedAt).toISOString(),
        outcome: vi.outcome,
        follow_up_date: vi.followUpDate,
        campaign_id: vi.campaignId ?? null,
      })),
    )
    await insert(
      'cases',
      c.cases.map((k) => ({ ...rec(k.id, k.gridId, k.householdIds[0] ?? null, k), state: k.state, reported_at: k.reportedAt })),
    )
    await insert('case_steps', c.caseSteps.map((st) => ({ ...rec(st.id, st.gridId, null, st), case_id: st.caseId })))
    await insert('comments', c.comments.map((cm) => ({ ...rec(cm.id, cm.gridId, null, cm), visit_id: cm.visitId })))
    await insert('campaigns', c.campaigns.map((k) => ({ ...rec(k.id, null, null, k), status: k.status })))
    await insert('campaign_targets', c.campaignTargets.map((t) => ({ ...rec(t.id, t.gridId, t.householdId, t), campaign_id: t.campaignId })))
    await insert(
      'needs',
      c.needs.map((n) => ({
        ...rec(n.id, n.gridId, n.householdIds[0] ?? null, n),
        status: n.status,
        category: n.category,
        raised_at: new Date(n.raisedAt).toISOString(),
        resource_id: n.resourceId,
        offer_id: n.source.kind === 'order' ? n.source.offerId : null,
        project_id: n.projectId,
      })),
    )
    await insert('resources', c.resources.map((r) => ({ ...rec(r.id, null, null, r), kind: r.kind })))
    await insert('projects', c.projects.map((p) => ({ ...rec(p.id, null, null, p), status: p.status })))
    await insert('service_records', c.serviceRecords.map((r) => ({ ...rec(r.id, null, null, r), resource_id: r.resourceId, status: r.status, day: r.day })))
    // 议题: a matter is pulled by the workers of the cells it touches (matter_cells); its steps
    // and meetings with it; its ledger by the office alone (migration 0011, store/matters.ts).
    await insert('matters', c.matters.map((m) => ({ ...rec(m.id, null, null, m), stage: m.stage })))
    await insert('matter_cells', c.matters.flatMap((m) => m.gridIds.map((g) => ({ matter_id: m.id, grid_id: g }))))
    await insert('matter_steps', c.matterSteps.map((st) => ({ ...rec(st.id, null, null, st), matter_id: st.matterId })))
    await insert('meetings', c.meetings.map((mt) => ({ ...rec(mt.id, null, null, mt), matter_id: mt.matterId })))
    const householdOf = (e: LedgerEntry) => (e.kind === 'share' || e.kind === 'contribution' ? e.householdId : null)
    await insert(
      'ledger_entries',
      c.ledgerEntries.map((e) => ({ ...rec(e.id, null, householdOf(e), e), matter_id: e.matterId, kind: e.kind, corrects_id: e.kind === 'correction' ? e.correctsId : null })),
    )
    await insert('notices', c.notices.map((n) => rec(n.id, null, null, n)))
    // The office's photos, as their upload and the records showing them would leave them: the
    // uploader may refer to them, and no grid cell is named on their references.
    await insert('attachments', photos.map((p) => ({ sha256: p.sha256, mime: p.mime, size: p.bytes.length, uploaded_by: p.uploadedBy, created_at: p.uploadedAt })))
    await insert('attachment_uploads', photos.map((p) => ({ sha256: p.sha256, user_id: p.uploadedBy, uploaded_at: p.uploadedAt })))
    const stored = new Set(photos.map((p) => p.sha256))
    const refs = [
      ...c.ledgerEntries.flatMap((e) => e.photoIds.map((sha256) => ({ sha256, entity: 'ledgerEntry', entity_id: e.id }))),
      ...c.matters.flatMap((m) => m.tasks.flatMap((t) => t.photoIds.map((sha256) => ({ sha256, entity: 'matter', entity_id: m.id })))),
      ...c.matterSteps.flatMap((st) => st.photoIds.map((sha256) => ({ sha256, entity: 'matterStep', entity_id: st.id }))),
      ...c.meetings.flatMap((mt) => mt.photoIds.map((sha256) => ({ sha256, entity: 'meeting', entity_id: mt.id }))),
    ]
    const once = new Map(refs.filter((r) => stored.has(r.sha256)).map((r) => [`${r.sha256}|${r.entity}|${r.entity_id}`, { ...r, grid_id: null }]))
    await insert('attachment_refs', [...once.values()])
    await insert(
      'users',
      c.users.map((u, i) => ({
        id: u.id,
        username: u.username,
        name: u.name,
        role: u.role,
        password_hash: hashes[i]!,
        sensitive_tags: u.sensitiveTags ? 1 : 0,
        scope_epoch: 1,
        active: 1,
        created_at: now.toISOString(),
      })),
    )
    // Assignments start a year back so the demo's past visits were made while assigned.
    const since = new Date(now.getTime() - 400 * 86_400_000).toISOString()
    await insert(
      'grid_assignments',
      c.users.flatMap((u) =>
        u.gridIds.map((g) => ({ user_id: u.id, grid_id: g, assigned_at: since, unassigned_at: null })),
      ),
    )
    await setVersionCounter(trx, version)
  })
}

/** The street office's staff: users of its own store, with no records around them. */
export async function seedStreetOffice(store: Store, users: readonly DemoUser[], now = new Date()): Promise<void> {
  const hashes = await Promise.all(users.map((u) => hashPassword(u.password)))
  await store.transaction().execute(async (trx) => {
    for (const [i, u] of users.entries())
      await insertUser(trx, { id: u.id, username: u.username, name: u.name, role: u.role, passwordHash: hashes[i]!, sensitiveTags: false, createdAt: now.toISOString() })
  })
}

/** A street of generated communities into a fresh deployment: the first into the main store,
 *  each other into a store of its own, their usernames in the directory; with more than one, the
 *  street office and its login. Names each community in the directory after its settings. */
export async function seedStreet(deployment: Deployment, street: readonly DemoStreetCommunity[], now = new Date(), files: SeedFiles = {}): Promise<void> {
  for (const [i, s] of street.entries()) {
    const store = i === 0 ? deployment.main : await deployment.add({ key: s.key, name: s.name }, now)
    if (i === 0) await renameCommunity(deployment.main, MAIN_COMMUNITY, s.name)
    else for (const u of s.community.users) await deployment.claimUsername(u.username, s.key)
    await seedCommunity(store, s.community, now, files)
  }
  if (street.length < 2) return
  const office = await deployment.add({ key: STREET_KEY, name: STREET_NAME, kind: 'street' }, now)
  // Its admin (who adds communities and keeps the office's accounts) and one of its staff.
  const staff: DemoUser[] = [
    { id: uuidv7(), username: 'street', name: '街道网格办', role: 'street_admin', gridIds: [], sensitiveTags: false, password: DEMO_PASSWORD },
    { id: uuidv7(), username: 'street-staff', name: '王干事', role: 'street', gridIds: [], sensitiveTags: false, password: DEMO_PASSWORD },
  ]
  for (const u of staff) await deployment.claimUsername(u.username, STREET_KEY)
  await seedStreetOffice(office, staff, now)
}
