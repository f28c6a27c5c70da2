import type { Kysely, Transaction } from 'kysely'
import type { Database } from './schema'

// The audit log's rows (PIPL: who did what, when). What an entry holds and who writes one is
// services/audit.ts's; this only writes and reads rows.

type Db = Kysely<Database> | Transaction<Database>

export interface AuditRow {
  at: string
  userId: string | null
  action: string
  subjectType: string | null
  subjectId: string | null
  details: string
}

export async function insertAuditRow(db: Pick<Db, 'insertInto'>, r: AuditRow): Promise<void> {
  await db.insertInto('audit_log').values({ at: r.at, user_id: r.userId, action: r.action, subject_type: r.subjectType, subject_id: r.subjectId, details: r.details }).execute()
}

export interface AuditFilter {
  from?: string
  to?: string
  action?: string
  userId?: string
  limit: number
  offset: number
}

/** Rows newest first, with the user's name, and how many match in all. */
export async function auditRows(db: Pick<Db, 'selectFrom'>, f: AuditFilter): Promise<{ total: number; rows: Array<AuditRow & { id: number; userName: string | null }> }> {
  let base = db.selectFrom('audit_log')
  if (f.from) base = base.where('audit_log.at', '>=', f.from)
  if (f.to) base = base.where('audit_log.at', '<', f.to)
  if (f.action) base = base.where('audit_log.action', '=', f.action)
  if (f.userId) base = base.where('audit_log.user_id', '=', f.userId)
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  const rows = await base
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.user_id', 'users.name as user_name', 'audit_log.action', 'audit_log.subject_type', 'audit_log.subject_id', 'audit_log.details'])
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(f.limit)
    .offset(f.offset)
    .execute()
  return {
    total: Number(count?.n ?? 0),
    rows: rows.map((r) => ({ id: Number(r.id), at: r.at, userId: r.user_id, userName: r.user_name ?? null, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, details: r.details })),
  }
}

/** The entries of some actions in [from, to), newest first, at most `limit`, with who did them. */
export async function auditOfActions(db: Pick<Db, 'selectFrom'>, actions: readonly string[], from: string, to: string, limit: number): Promise<Array<AuditRow & { byName: string | null }>> {
  const rows = await db
    .selectFrom('audit_log')
    .leftJoin('users as by', 'by.id', 'audit_log.user_id')
    .select(['audit_log.at', 'audit_log.user_id', 'audit_log.action', 'audit_log.subject_type', 'audit_log.subject_id', 'audit_log.details', 'by.name as by_name'])
    .where('audit_log.action', 'in', [...actions])
    .where('audit_log.at', '>=', from)
    .where('audit_log.at', '<', to)
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({ at: r.at, userId: r.user_id, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, details: r.details, byName: r.by_name ?? null }))
}
