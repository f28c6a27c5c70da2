import type { Answer, ChecklistItem, ChecklistTemplate } from './schemas/checklist'

// What a checklist's answers mean, kept free of zod: a phone's home page counts its campaigns'
// checklists on its first screen. The shapes are in schemas/checklist.ts.

/** The template as it was at `version` (the current one, or one from its history); null if unknown. */
export function templateAt(template: ChecklistTemplate, version: number): ChecklistTemplate | null {
  if (version === template.version) return template
  const past = template.history?.find((h) => h.version === version)
  return past ? { ...template, version: past.version, items: past.items } : null
}

/** Does this answer of the item mean 有隐患 (its template's `hazardWhen`)? */
export function isHazardAnswer(item: ChecklistItem, answer: Answer | undefined): boolean {
  if (answer === undefined) return false
  if (item.kind === 'yesno') return item.hazardWhen !== undefined && answer === item.hazardWhen
  if (item.kind === 'choice') return item.hazardWhen !== undefined && typeof answer === 'string' && item.hazardWhen.includes(answer)
  return false
}
