import { translate } from '../../i18n'

// How a conflict's field and values read, in the user's language: the same words the household
// page uses (自住, 低保, 高风险 …), never a code. Values are JSON of the field's own type.

const VALUE_KEYS: Record<string, string> = { housing: 'housing', residency: 'residency', attention: 'attentionLevel', status: 'conflict.residentStatus' }

/** The field's name ("住房", "联系电话"); a field this app version has no word for shows as is. */
export function fieldLabel(field: string): string {
  const key = `conflict.field.${field}`
  const s = translate(key)
  return s === key ? field : s
}

/** A value as a person reads it: a code's label, tags joined, an empty value said so. */
export function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return translate('conflict.empty')
  if (Array.isArray(value)) return value.length ? value.map((v) => translate(`tag.${String(v)}`)).join(translate('punct.list')) : translate('conflict.noTags')
  const group = VALUE_KEYS[field]
  if (group && typeof value === 'string') {
    const key = `${group}.${value}`
    const s = translate(key)
    return s === key ? value : s
  }
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/** "11-20 10:20", China time: the day and time the office and the worker talk about. */
export function shortTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}
