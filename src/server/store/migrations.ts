import { type Kysely, type Migration, type MigrationProvider, PostgresAdapter, sql } from 'kysely'

// Migrations are code, listed in order, never edited once released: add a new one instead.
// Written with Kysely's builders so they run on SQLite and PostgreSQL alike, and in a community's
// own PostgreSQL schema (withSchema prefixes what a builder names, never raw SQL: none here).

/** An integer key the database numbers itself: SQLite's `integer primary key autoincrement`
 *  (as released), PostgreSQL's identity column (Kysely's autoIncrement() has no PostgreSQL form). */
function addAutoId(db: Kysely<unknown>, t: ReturnType<Kysely<unknown>['schema']['createTable']>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  return t.addColumn('id', 'integer', (c) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement()))
}

const recordColumns = (t: ReturnType<Kysely<unknown>['schema']['createTable']>) =>
  t
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('grid_id', 'text')
    .addColumn('household_id', 'text')
    .addColumn('data', 'text', (c) => c.notNull())

const m0001: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of ['grid_cells', 'buildings', 'checklist_templates'] as const) {
      await recordColumns(db.schema.createTable(table)).execute()
    }
    await recordColumns(db.schema.createTable('households'))
      .addColumn('field_versions', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute()
    await recordColumns(db.schema.createTable('residents')).addColumn('id_number', 'text').execute()
    await recordColumns(db.schema.createTable('visits'))
      .addColumn('worker_id', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .execute()
    for (const table of ['grid_cells', 'buildings', 'checklist_templates', 'households', 'residents', 'visits']) {
      await db.schema.createIndex(`${table}_version`).on(table).column('version').execute()
      await db.schema.createIndex(`${table}_grid_version`).on(table).columns(['grid_id', 'version']).execute()
    }
    await db.schema.createIndex('residents_household').on('residents').column('household_id').execute()
    await db.schema.createIndex('visits_household').on('visits').columns(['household_id', 'started_at']).execute()

    await db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('sensitive_tags', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('scope_epoch', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await addAutoId(db, db.schema
      .createTable('grid_assignments'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('grid_id', 'text', (c) => c.notNull())
      .addColumn('assigned_at', 'text', (c) => c.notNull())
      .addColumn('unassigned_at', 'text')
      .execute()
    await db.schema.createIndex('grid_assignments_user').on('grid_assignments').column('user_id').execute()
    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('counters')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('mutations')
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('mutation_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('mutations_pk', ['device_id', 'mutation_id'])
      .execute()
    await addAutoId(db, db.schema
      .createTable('conflicts'))
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('field', 'text', (c) => c.notNull())
      .addColumn('base_version', 'bigint', (c) => c.notNull())
      .addColumn('kept_value', 'text', (c) => c.notNull())
      .addColumn('overwritten_value', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('mutation_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('settled_at', 'text')
      .execute()
    await (db as Kysely<{ counters: { name: string; value: number } }>)
      .insertInto('counters')
      .values([{ name: 'version', value: 0 }, { name: 'tombstone_horizon', value: 0 }])
      .execute()
  },
}

const m0002: Migration = {
  async up(db: Kysely<unknown>) {
    for (const table of ['settings', 'teams'] as const) {
      await recordColumns(db.schema.createTable(table)).execute()
    }
    await recordColumns(db.schema.createTable('case_steps')).addColumn('case_id', 'text', (c) => c.notNull()).execute()
    await recordColumns(db.schema.createTable('comments')).addColumn('visit_id', 'text', (c) => c.notNull()).execute()
    await recordColumns(db.schema.createTable('cases'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reported_at', 'text', (c) => c.notNull())
      .execute()
    for (const table of ['settings', 'teams', 'cases', 'case_steps', 'comments']) {
      await db.schema.createIndex(`${table}_version`).on(table).column('version').execute()
      await db.schema.createIndex(`${table}_grid_version`).on(table).columns(['grid_id', 'version']).execute()
    }
    await db.schema.createIndex('case_steps_case').on('case_steps').column('case_id').execute()
    await db.schema.createIndex('comments_visit').on('comments').column('visit_id').execute()
    await db.schema
      .createTable('attachments')
      .addColumn('sha256', 'text', (c) => c.primaryKey())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('uploaded_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema
      .createTable('attachment_refs')
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('grid_id', 'text')
      .addPrimaryKeyConstraint('attachment_refs_pk', ['sha256', 'entity', 'entity_id'])
      .execute()
  },
}

/** The migration's own view of the visits table, as it is when 0003 runs. */
interface VisitsAt0003 {
  visits: { id: string; started_at: string; outcome: string; data: string }
}
const BACKFILL_BATCH = 1000

const m0003: Migration = {
  async up(untyped: Kysely<unknown>) {
    const db = untyped as unknown as Kysely<VisitsAt0003>
    // Aggregates count by outcome over 100,000 visits: reading it from each row's JSON would
    // parse every record. The default only covers rows until the backfill below reaches them.
    await untyped.schema.alterTable('visits').addColumn('outcome', 'text', (c) => c.notNull().defaultTo('')).execute()
    // Backfilled in JS, batch by batch (keyset on id), so it runs on SQLite and PostgreSQL alike.
    // started_at is also brought to toISOString()'s UTC form: periods compare it as a string.
    let after = ''
    for (;;) {
      const rows = await db.selectFrom('visits').select(['id', 'started_at', 'data']).where('id', '>', after).orderBy('id').limit(BACKFILL_BATCH).execute()
      if (rows.length === 0) break
      const byOutcome = new Map<string, string[]>()
      for (const r of rows) {
        const data = JSON.parse(r.data) as { outcome?: unknown; startedAt?: unknown }
        const outcome = typeof data.outcome === 'string' ? data.outcome : ''
        const ids = byOutcome.get(outcome)
        if (ids) ids.push(r.id)
        else byOutcome.set(outcome, [r.id])
        const utc = new Date(r.started_at).toISOString()
        if (utc !== r.started_at) await db.updateTable('visits').set({ started_at: utc }).where('id', '=', r.id).execute()
      }
      for (const [outcome, ids] of byOutcome) await db.updateTable('visits').set({ outcome }).where('id', 'in', ids).execute()
      after = rows[rows.length - 1]!.id
    }
    // Covering indexes: the per-household aggregate never touches the rows (and their JSON);
    // trails read one worker's day; the dashboard and exports read a range of days.
    await untyped.schema.createIndex('visits_household_outcome').on('visits').columns(['household_id', 'started_at', 'outcome', 'deleted']).execute()
    await untyped.schema.createIndex('visits_worker_started').on('visits').columns(['worker_id', 'started_at']).execute()
    await untyped.schema
      .createIndex('visits_started')
      .on('visits')
      .columns(['started_at', 'household_id', 'worker_id', 'outcome', 'deleted'])
      .execute()

    // PIPL: exports are explicit and logged — who, when, what, with which filters, how many rows.
    await addAutoId(untyped, untyped.schema
      .createTable('exports_log'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('filters', 'text', (c) => c.notNull())
      .addColumn('row_count', 'integer', (c) => c.notNull())
      .execute()
    await untyped.schema.createIndex('exports_log_at').on('exports_log').column('at').execute()
  },
}

const m0004: Migration = {
  async up(db: Kysely<unknown>) {
    // An admin deactivates an account instead of deleting it: its visits and audit entries keep
    // pointing at it. Deactivated users cannot log in and their sessions are ended.
    await db.schema.alterTable('users').addColumn('active', 'integer', (c) => c.notNull().defaultTo(1)).execute()

    // PIPL: who did what, when — logins, reveals of ID numbers, exports, user and grid changes.
    await addAutoId(db, db.schema
      .createTable('audit_log'))
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject_type', 'text')
      .addColumn('subject_id', 'text')
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute()
    await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute()
    await db.schema.createIndex('audit_log_action_at').on('audit_log').columns(['action', 'at']).execute()
    await db.schema.createIndex('audit_log_user_at').on('audit_log').columns(['user_id', 'at']).execute()
  },
}

const m0005: Migration = {
  async up(db: Kysely<unknown>) {
    // The ledger is keyed by user as well: someone who learns another device's id and a
    // mutation id must not get `duplicate` (and their own change silently dropped).
    await db.schema
      .createTable('mutations_v2')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('mutation_id', 'text', (c) => c.notNull())
      .addColumn('entity', 'text', (c) => c.notNull())
      .addColumn('entity_id', 'text', (c) => c.notNull())
      .addColumn('op', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('version', 'bigint', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('mutations_v2_pk', ['user_id', 'device_id', 'mutation_id'])
      .execute()
    const copied = ['user_id', 'device_id', 'mutation_id', 'entity', 'entity_id', 'op', 'status', 'version', 'received_at'] as const
    const untypedDb = db as Kysely<Record<'mutations' | 'mutations_v2', Record<(typeof copied)[number], unknown>>>
    await untypedDb.insertInto('mutations_v2').columns(copied).expression(untypedDb.selectFrom('mutations').select(copied)).execute()
    await db.schema.dropTable('mutations').execute()
    await db.schema.alterTable('mutations_v2').renameTo('mutations').execute()

    // Who has shown the server a photo's bytes: each of them may refer to it and read it back.
    // (attachments.uploaded_by keeps only the first.) Uploads no record shows yet count against
    // the uploader's allowance and are removed after a grace period.
    await db.schema
      .createTable('attachment_uploads')
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('uploaded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('attachment_uploads_pk', ['sha256', 'user_id'])
      .execute()
    await db.schema.createIndex('attachment_uploads_user').on('attachment_uploads').columns(['user_id', 'uploaded_at']).execute()
    const files = db as Kysely<{ attachments: { sha256: string; uploaded_by: string; created_at: string }; attachment_uploads: { sha256: string; user_id: string; uploaded_at: string } }>
    await files
      .insertInto('attachment_uploads')
      .columns(['sha256', 'user_id', 'uploaded_at'])
      .expression(files.selectFrom('attachments').select(['sha256', 'uploaded_by as user_id', 'created_at as uploaded_at']))
      .execute()
    await db.schema.createIndex('attachments_created').on('attachments').column('created_at').execute()

    // Failed logins, per username and per address, in the database so every app server in
    // front of one database counts the same tries.
    await db.schema
      .createTable('login_throttle')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('last_failure_at', 'text', (c) => c.notNull())
      .addColumn('next_allowed_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute()
  },
}

/** The migration's own view of the visits table, as it is when 0006 runs. */
interface VisitsAt0006 {
  visits: { id: string; data: string; follow_up_date: string | null }
}

const m0006: Migration = {
  async up(untyped: Kysely<unknown>) {
    const db = untyped as unknown as Kysely<VisitsAt0006>
    // A promised follow-up (约定回访) makes a household due on every view (householdState.ts), so
    // the aggregates need it per visit without parsing every visit's JSON. Few visits carry one:
    // a partial index holds just those, with what the aggregate reads.
    await untyped.schema.alterTable('visits').addColumn('follow_up_date', 'text').execute()
    let after = ''
    for (;;) {
      const rows = await db.selectFrom('visits').select(['id', 'data']).where('id', '>', after).orderBy('id').limit(BACKFILL_BATCH).execute()
      if (rows.length === 0) break
      const byDay = new Map<string, string[]>()
      for (const r of rows) {
        const day = (JSON.parse(r.data) as { followUpDate?: unknown }).followUpDate
        if (typeof day !== 'string') continue
        const ids = byDay.get(day)
        if (ids) ids.push(r.id)
        else byDay.set(day, [r.id])
      }
      for (const [day, ids] of byDay) await db.updateTable('visits').set({ follow_up_date: day }).where('id', 'in', ids).execute()
      after = rows[rows.length - 1]!.id
    }
    await untyped.schema
      .createIndex('visits_follow_up')
      .on('visits')
      .columns(['household_id', 'started_at', 'follow_up_date', 'deleted'])
      .where(sql.ref('follow_up_date'), 'is not', null)
      .execute()
  },
}

const m0007: Migration = {
  async up(db: Kysely<unknown>) {
    // A conflict is settled by a person who must see both sides: who wrote the value that was
    // overwritten, and when (the row already keeps the later writer and time), and later who
    // settled it, how, to what value, and the household version that settling wrote (if any).
    // Rows recorded before this migration have no overwritten author: the list says so.
    await db.schema.alterTable('conflicts').addColumn('overwritten_by', 'text').execute()
    await db.schema.alterTable('conflicts').addColumn('overwritten_at', 'text').execute()
    await db.schema.alterTable('conflicts').addColumn('settled_by', 'text').execute()
    await db.schema.alterTable('conflicts').addColumn('settled_choice', 'text').execute()
    await db.schema.alterTable('conflicts').addColumn('settled_value', 'text').execute()
    await db.schema.alterTable('conflicts').addColumn('settled_version', 'bigint').execute()
    // The office's list reads open ones first; settling finds the other open rows of one field.
    await db.schema.createIndex('conflicts_settled_at').on('conflicts').columns(['settled_at', 'at']).execute()
    await db.schema.createIndex('conflicts_entity_field').on('conflicts').columns(['entity_id', 'field']).execute()
  },
}

const m0008: Migration = {
  async up(db: Kysely<unknown>) {
    // Resident edits are field-level like households' (design.md, Conflicts): a resident moved
    // out on one phone while another edits their phone number are both kept; the same field
    // changed by two people is a conflict the secretary settles. Existing rows start with none.
    await db.schema.alterTable('residents').addColumn('field_versions', 'text', (c) => c.notNull().defaultTo('{}')).execute()
  },
}

const m0009: Migration = {
  async up(db: Kysely<unknown>) {
    // Campaigns (专项任务) are the community's records, like templates; `status` lets a pull keep
    // drafts to the office. Their targets are scoped like households, by grid cell.
    await recordColumns(db.schema.createTable('campaigns')).addColumn('status', 'text', (c) => c.notNull()).execute()
    await recordColumns(db.schema.createTable('campaign_targets')).addColumn('campaign_id', 'text', (c) => c.notNull()).execute()
    for (const table of ['campaigns', 'campaign_targets']) {
      await db.schema.createIndex(`${table}_version`).on(table).column('version').execute()
      await db.schema.createIndex(`${table}_grid_version`).on(table).columns(['grid_id', 'version']).execute()
    }
    // One target per household and campaign; progress reads a campaign's targets by this index.
    await db.schema.createIndex('campaign_targets_campaign').on('campaign_targets').columns(['campaign_id', 'household_id']).unique().execute()
    // A visit made for a campaign names it (copied from data): progress reads a campaign's visits
    // through this index without touching the others. No visit before this migration has one.
    await db.schema.alterTable('visits').addColumn('campaign_id', 'text').execute()
    await db.schema
      .createIndex('visits_campaign')
      .on('visits')
      .columns(['campaign_id', 'household_id', 'started_at'])
      .where(sql.ref('campaign_id'), 'is not', null)
      .execute()
  },
}

const m0010: Migration = {
  async up(db: Kysely<unknown>) {
    // 三张清单 (docs/lists.md). Needs are scoped like households, by grid cell; resources and
    // projects are the community's; service records reach only the office. The extra columns are
    // what the server filters by: a service-menu order's capacity counts the orders of one offer
    // in a week or month (needs_offer), the figures read needs and hours whole.
    await recordColumns(db.schema.createTable('needs'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('category', 'text', (c) => c.notNull())
      .addColumn('raised_at', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text')
      .addColumn('offer_id', 'text')
      .addColumn('project_id', 'text')
      .execute()
    await recordColumns(db.schema.createTable('resources')).addColumn('kind', 'text', (c) => c.notNull()).execute()
    await recordColumns(db.schema.createTable('projects')).addColumn('status', 'text', (c) => c.notNull()).execute()
    await recordColumns(db.schema.createTable('service_records'))
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('day', 'text', (c) => c.notNull())
      .execute()
    for (const table of ['needs', 'resources', 'projects', 'service_records']) {
      await db.schema.createIndex(`${table}_version`).on(table).column('version').execute()
      await db.schema.createIndex(`${table}_grid_version`).on(table).columns(['grid_id', 'version']).execute()
    }
    await db.schema.createIndex('needs_offer').on('needs').columns(['offer_id', 'raised_at']).where(sql.ref('offer_id'), 'is not', null).execute()
    await db.schema.createIndex('needs_project').on('needs').column('project_id').where(sql.ref('project_id'), 'is not', null).execute()
    await db.schema.createIndex('service_records_day').on('service_records').columns(['day', 'resource_id']).execute()
  },
}

const m0011: Migration = {
  async up(db: Kysely<unknown>) {
    // 议题 (docs/matters.md). A matter touches the grid cells of its place — often several —
    // listed in matter_cells (fixed when it is raised); a worker's pull sends the matters, steps
    // and meetings of matters with a row for one of their cells. Ledger entries reach only the
    // office and are never updated: corrections are rows of their own (corrects_id).
    await recordColumns(db.schema.createTable('matters')).addColumn('stage', 'text', (c) => c.notNull()).execute()
    await db.schema
      .createTable('matter_cells')
      .addColumn('matter_id', 'text', (c) => c.notNull())
      .addColumn('grid_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('matter_cells_pk', ['matter_id', 'grid_id'])
      .execute()
    await db.schema.createIndex('matter_cells_grid').on('matter_cells').columns(['grid_id', 'matter_id']).execute()
    for (const table of ['matter_steps', 'meetings']) await recordColumns(db.schema.createTable(table)).addColumn('matter_id', 'text', (c) => c.notNull()).execute()
    await recordColumns(db.schema.createTable('ledger_entries'))
      .addColumn('matter_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('corrects_id', 'text')
      .execute()
    for (const table of ['matters', 'matter_steps', 'meetings', 'ledger_entries']) await db.schema.createIndex(`${table}_version`).on(table).column('version').execute()
    for (const table of ['matter_steps', 'meetings', 'ledger_entries']) await db.schema.createIndex(`${table}_matter`).on(table).columns(['matter_id', 'version']).execute()
  },
}

const m0012: Migration = {
  async up(db: Kysely<unknown>) {
    // 公告 (docs/public.md): the community's, every device pulls them; the public page reads the
    // live ones whole (a community publishes tens a year), so no column beyond the record's.
    await recordColumns(db.schema.createTable('notices')).execute()
    await db.schema.createIndex('notices_version').on('notices').column('version').execute()
  },
}

export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_cases_comments_photos': m0002,
  '0003_visit_outcome_exports_log': m0003,
  '0004_users_active_audit_log': m0004,
  '0005_ledger_by_user_uploads_throttle': m0005,
  '0006_visit_follow_up_date': m0006,
  '0007_conflict_sides_settlement': m0007,
  '0008_resident_field_versions': m0008,
  '0009_campaigns': m0009,
  '0010_lists': m0010,
  '0011_matters': m0011,
  '0012_notices': m0012,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
}
