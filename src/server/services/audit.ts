import type { AuditAction, AuditEntry, AuditQuery } from '../../domain/schemas/admin'
import { auditRows, insertAuditRow } from '../store/auditLog'
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
  await insertAuditRow(db, {
    at: entry.at ?? new Date().toISOString(),
    userId: entry.userId,
    action: entry.action,
    subjectType: entry.subject?.type ?? null,
    subjectId: entry.subject?.id ?? null,
    details: JSON.stringify(entry.details ?? {}),
  })
}

/** Entries newest first, filtered; `total` counts all that match. */
export async function listAudit(db: Pick<Store, 'selectFrom'>, q: AuditQuery): Promise<{ entries: AuditEntry[]; total: number }> {
  const { total, rows } = await auditRows(db, {
    from: q.from ? new Date(q.from).toISOString() : undefined,
    to: q.to ? new Date(q.to).toISOString() : undefined,
    action: q.action,
    userId: q.userId,
    limit: q.limit,
    offset: q.offset,
  })
  return { total, entries: rows.map((r) => ({ ...r, action: r.action as AuditAction, details: JSON.parse(r.details) as Record<string, unknown> })) }
}
