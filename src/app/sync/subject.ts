import type { Entity, Household } from '../../domain'
import { maskName } from '../../domain/mask'
import { yuan } from '../../domain/money'
import type { OutboxRow, ZoufangDb } from '../db/database'
import { findResident } from '../db/residents'

// What a person calls the record a change is about — an address with the head of household's
// masked name, a case's title, a resident's masked name — never its id. Lists show names masked
// (domain.md, Privacy), so these are masked too.

/** The tables a name is read from: transactions that take a name must include them. */
export const SUBJECT_TABLES = ['households', 'residentPacks', 'cases', 'checklistTemplates', 'needs', 'resources', 'projects', 'serviceRecords', 'matters', 'meetings', 'ledgerEntries', 'notices'] as const

export function householdLabel(h: Pick<Household, 'address' | 'headName'>): string {
  return h.headName ? `${h.address} · ${maskName(h.headName)}` : h.address
}

export interface Subject {
  /** The name, or null when neither the device nor the change itself has one. */
  label: string | null
  /** Whether the record a fix needs (a visit's household, the case, the resident) is on this
   *  device: a cell moved to another worker takes its households off the phone. */
  onDevice: boolean
  /** The household whose page shows the record (a household's own, a resident's), when known. */
  householdId?: string
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null)

/** Names the record of a change from what the device holds now. Call inside a transaction that
 *  includes SUBJECT_TABLES, or outside any. */
export async function subjectOf(db: ZoufangDb, entity: Entity, entityId: string, data: Record<string, unknown>): Promise<Subject> {
  switch (entity) {
    case 'visit': {
      const h = typeof data.householdId === 'string' ? await db.households.get(data.householdId) : undefined
      return { label: h ? householdLabel(h) : null, onDevice: !!h }
    }
    case 'household': {
      const h = await db.households.get(entityId)
      return { label: h ? householdLabel(h) : null, onDevice: !!h, householdId: entityId }
    }
    case 'resident': {
      // By the flat and the masked name: "幸福里小区3号楼1单元502 · 王*国".
      const r = await findResident(db, entityId, str(data.householdId) ?? undefined)
      const name = r?.name ?? str(data.name)
      const householdId = r?.householdId ?? str(data.householdId) ?? undefined
      const h = householdId ? await db.households.get(householdId) : undefined
      const label = name ? (h ? `${h.address} · ${maskName(name)}` : maskName(name)) : null
      return { label, onDevice: !!r && !!h, ...(householdId ? { householdId } : {}) }
    }
    case 'case': {
      const c = await db.cases.get(entityId)
      return { label: c?.title ?? str(data.title), onDevice: !!c }
    }
    case 'checklistTemplate': {
      const x = await db.checklistTemplates.get(entityId)
      return { label: x?.name ?? str(data.name), onDevice: !!x }
    }
    case 'need': {
      // By the household and what was asked: "幸福里小区3号楼1单元502 · 王*国 · 想申请老年助餐".
      const n = await db.needs.get(entityId)
      const householdId = n?.householdIds[0] ?? (Array.isArray(data.householdIds) ? str(data.householdIds[0]) : null) ?? undefined
      const h = householdId ? await db.households.get(householdId) : undefined
      const what = (n?.description ?? str(data.description))?.slice(0, 20) ?? null
      // Without its household on the device, the name the change took when it was made stands.
      const label = h ? [householdLabel(h), what].filter(Boolean).join(' · ') : null
      return { label, onDevice: !!n && !!h, ...(householdId ? { householdId } : {}) }
    }
    case 'resource': {
      const r = await db.resources.get(entityId)
      return { label: r?.name ?? str(data.name), onDevice: !!r }
    }
    case 'project': {
      const p = await db.projects.get(entityId)
      return { label: p?.title ?? str(data.title), onDevice: !!p }
    }
    case 'serviceRecord': {
      // The volunteer and the day: "王建华 · 2026-11-28".
      const rec = await db.serviceRecords.get(entityId)
      const volunteerId = rec?.resourceId ?? str(data.resourceId)
      const v = volunteerId ? await db.resources.get(volunteerId) : undefined
      const day = rec?.day ?? str(data.day)
      const label = [v?.name ?? null, day].filter(Boolean).join(' · ') || null
      return { label, onDevice: !!rec }
    }
    case 'matter': {
      const m = await db.matters.get(entityId)
      return { label: m?.title ?? str(data.title), onDevice: !!m }
    }
    case 'meeting': {
      // The matter and the day: "3号楼2单元加装电梯 · 议事会 2026-11-20".
      const x = await db.meetings.get(entityId)
      const matterId = x?.matterId ?? str(data.matterId)
      const m = matterId ? await db.matters.get(matterId) : undefined
      const day = x?.day ?? str(data.day)
      const label = m ? [m.title, day ? `议事会 ${day}` : '议事会'].join(' · ') : null
      return { label, onDevice: !!m }
    }
    case 'ledgerEntry': {
      // The matter, the amount and the day: "3号楼2单元加装电梯 · ¥3,000.00 · 2026-11-20".
      const e = await db.ledgerEntries.get(entityId)
      const matterId = e?.matterId ?? str(data.matterId)
      const m = matterId ? await db.matters.get(matterId) : undefined
      const amount = e?.amount ?? (typeof data.amount === 'number' ? data.amount : null)
      const label = m ? [m.title, amount === null ? null : yuan(amount), e?.day ?? str(data.day)].filter(Boolean).join(' · ') : null
      return { label, onDevice: !!m }
    }
    case 'notice': {
      const n = await db.notices.get(entityId)
      return { label: n?.title ?? str(data.title), onDevice: !!n }
    }
    case 'comment':
      return { label: str(data.text)?.slice(0, 20) ?? null, onDevice: true }
    default:
      return { label: null, onDevice: true }
  }
}

/** The name to show for a queued change: the record's own when it is on the device (it may have
 *  been renamed since), else the one the change took when it was made. */
export async function nameOfChange(db: ZoufangDb, row: OutboxRow): Promise<Subject> {
  const now = await subjectOf(db, row.entity, row.entityId, row.data)
  return { ...now, label: now.label ?? row.label ?? null }
}
