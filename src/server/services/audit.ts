import type { AuditAction, AuditEntry, AuditQuery } from '../../domain/schemas/admin'
import type { Store } from '../store/open'

// PIPL: who did what, when. Callers record inside the transaction of the change they audit, so
// an action and its entry commit together or not at all. Never a password or a full ID number.

export type { AuditAction }

export interface AuditInput {
  userId: string | null
  action: AuditAction
  subject?: { type: string; id: string } | null
  details?: Record<string, unknown>
  at?: string
}

export async function record(db: Pick<Store, 'insertInto'>, entry: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at ?? new Date().toISOString(),
      user_id: entry.userId,
      action: entry.action,
      subject_type: entry.subject?.type ?? null,
      subject_id: entry.subject?.id ?? null,
      details: JSON.stringify(entry.details ?? {}),
    })
    .execute()
}

/** Entries newest first, filtered; `total` counts all that match. */
export async function listAudit(db: Pick<Store, 'selectFrom'>, q: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }> {
  let base = db.selectFrom('audit_log')
  if (q.from) base = base.where('audit_log.at', '>=', new Date(q.from).toISOString())
  if (q.to) base = base.where('audit_log.at', '<', new Date(q.to).toISOString())
  if (q.action) base = base.where('audit_log.action', '=', q.action)
  if (q.userId) base = base.where('audit_log.user_id', '=', q.userId)
  const count = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()
  const rows = await base
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .select(['audit_log.id', 'audit_log.at', 'audit_log.user_id', 'users.name as user_name', 'audit_log.action', 'audit_log.subject_type', 'audit_log.subject_id', 'audit_log.details'])
    .orderBy('audit_log.at', 'desc')
    .orderBy('audit_log.id', 'desc')
    .limit(q.limit)
    .offset(q.offset)
    .execute()
  return {
    total: Number(count?.n ?? 0),
    entries: rows.map((r) => ({
      id: Number(r.id),
      at: r.at,
      userId: r.user_id,
      userName: r.user_name ?? null,
      action: r.action as AuditAction,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      details: JSON.parse(r.details) as Record<string, unknown>,
    })),
  }
}
