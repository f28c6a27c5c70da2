import type { AuditEntry } from '../../../domain/schemas/admin'
import { translate as t } from '../../i18n'

// An audit entry as an admin reads it: what was touched, by its name where this device knows it
// (a user, a grid cell, a building, a household, a campaign), and what happened in words, not the
// raw subject id and JSON the server keeps. The id stays on the row's tooltip for a lookup.

export interface AuditNames {
  user: (id: string) => string | undefined
  grid: (id: string) => string | undefined
  building: (id: string) => string | undefined
  household: (id: string) => string | undefined
}

const KNOWN_TYPES = ['user', 'grid', 'gridCell', 'gridCells', 'building', 'compound', 'household', 'resident', 'campaign', 'export', 'register', 'settings']

/** "用户 高欣妍", "楼栋 幸福里 3号楼", "社区设置"; "—" for none. */
export function auditSubject(e: Pick<AuditEntry, 'subjectType' | 'subjectId' | 'details'>, names: AuditNames): string {
  const type = e.subjectType
  if (!type) return '—'
  const word = KNOWN_TYPES.includes(type) ? t(`admin.audit.subjectType.${type}`) : type
  const id = e.subjectId ?? ''
  const d = e.details
  const name =
    type === 'user'
      ? (names.user(id) ?? str(d.username))
      : type === 'grid' || type === 'gridCell'
        ? (names.grid(id) ?? str(d.code))
        : type === 'building'
          ? (names.building(id) ?? ([str(d.compound), str(d.number)].filter(Boolean).join(' ') || undefined))
          : type === 'household'
            ? names.household(id)
            : type === 'campaign'
              ? str(d.title)
              : type === 'compound'
                ? id
                : type === 'export'
                  ? exportKind(id)
                  : undefined
  return name ? `${word} ${name}` : word
}

const FLAGS = ['created', 'retired', 'launched', 'closed', 'discarded']
/** Detail keys said in words; any other key is shown as it is, its value readable. */
const LABELLED = ['username', 'reason', 'workerId', 'from', 'changed', 'kind', 'format', 'rows', 'targets', 'added', 'done', 'households', 'residents', 'create', 'update', 'renamedFrom', 'buildings', 'version', 'filters', 'code', 'title', 'compound', 'number', 'addresses']

/** One line per fact: "新建", "改了 名称、边界", "网格员 高欣妍", "行数 120". */
export function auditDetails(e: Pick<AuditEntry, 'details'>, names: AuditNames): string[] {
  const out: string[] = []
  for (const [key, value] of Object.entries(e.details)) {
    if (value === null || value === undefined || value === '') continue
    if (FLAGS.includes(key)) {
      if (value === true) out.push(t(`admin.audit.detail.${key}`))
      continue
    }
    const label = LABELLED.includes(key) ? t(`admin.audit.detail.${key}`) : key
    out.push(`${label} ${readable(key, value, names)}`)
  }
  return out
}

function readable(key: string, value: unknown, names: AuditNames): string {
  if (key === 'workerId' && typeof value === 'string') return names.user(value) ?? t('common.unknown')
  if (key === 'from' && Array.isArray(value)) return value.map((id) => (typeof id === 'string' ? (names.user(id) ?? t('common.unknown')) : String(id))).join(t('punct.list')) || '—'
  if (key === 'kind' && typeof value === 'string') return exportKind(value) ?? value
  if (key === 'reason' && value === 'inactive') return t('admin.audit.detail.inactive')
  // `changed` is a list of fields or the patch itself: the fields' names say what was changed.
  if (key === 'changed' && value && typeof value === 'object') return (Array.isArray(value) ? value.map(String) : Object.keys(value)).join(t('punct.list'))
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'object' ? flat(v) : String(v))).join(t('punct.list'))
  if (typeof value === 'object') return flat(value)
  if (typeof value === 'boolean') return value ? t('visit.yes') : t('visit.no')
  return String(value)
}

const flat = (o: unknown): string =>
  o && typeof o === 'object'
    ? Object.entries(o)
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => `${k}=${typeof v === 'object' ? flat(v) : String(v)}`)
        .join(t('punct.list'))
    : String(o)
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
const EXPORT_KINDS = ['dashboard', 'visits', 'cases', 'audit', 'register']
const exportKind = (k: string) => (EXPORT_KINDS.includes(k) ? t(`admin.audit.exportKind.${k}`) : k)
