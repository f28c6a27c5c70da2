import { z } from 'zod'
import { Id } from './common'

/** One item of a checklist template: data the admin edits, not code. */
export const ChecklistItem = z.discriminatedUnion('kind', [
  z.object({ id: z.string().min(1).max(40), label: z.string().min(1).max(100), kind: z.literal('yesno'), required: z.boolean().default(false) }),
  z.object({
    id: z.string().min(1).max(40),
    label: z.string().min(1).max(100),
    kind: z.literal('choice'),
    options: z.array(z.string().min(1).max(50)).min(2).max(20),
    required: z.boolean().default(false),
  }),
  z.object({
    id: z.string().min(1).max(40),
    label: z.string().min(1).max(100),
    kind: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
    required: z.boolean().default(false),
  }),
  z.object({ id: z.string().min(1).max(40), label: z.string().min(1).max(100), kind: z.literal('text'), required: z.boolean().default(false) }),
])
export type ChecklistItem = z.infer<typeof ChecklistItem>

const Items = z
  .array(ChecklistItem)
  .min(1)
  .max(60)
  .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { error: '清单项目编号不能重复' })

/** A past version of a template: its items as they were when visits were filled with it. */
export const ChecklistVersion = z.object({ version: z.number().int().positive(), items: Items })
export type ChecklistVersion = z.infer<typeof ChecklistVersion>

// Versioning. A template is one synced record: `version`/`items` are the current version, and
// `history` keeps every earlier version with its own items (never rewritten). The admin's edit
// (checklistTemplate:patch) makes version N+1 and moves version N into `history`; devices get
// the whole record at their next sync. A new visit is filled with the current version; a visit
// names `templateId` + `templateVersion`, and both the server (checking answers) and the app
// (showing them) look that version up with `templateAt`, so an old visit keeps its own labels.
export const ChecklistTemplate = z.object({
  id: Id,
  code: z.string().min(1).max(30),
  name: z.string().min(1).max(50),
  version: z.number().int().positive(),
  items: Items,
  /** Earlier versions, oldest first; absent on a template never edited. */
  history: z.array(ChecklistVersion).max(200).optional(),
})
export type ChecklistTemplate = z.infer<typeof ChecklistTemplate>

/** The template as it was at `version` (the current one, or one from its history); null if unknown. */
export function templateAt(template: ChecklistTemplate, version: number): ChecklistTemplate | null {
  if (version === template.version) return template
  const past = template.history?.find((h) => h.version === version)
  return past ? { ...template, version: past.version, items: past.items } : null
}

/** What the admin sends to change a template (checklistTemplate:patch). Items replace the list. */
export const ChecklistTemplatePatch = z
  .object({ name: z.string().trim().min(1).max(50).optional(), items: Items.optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.items !== undefined, { error: '没有要修改的内容' })
export type ChecklistTemplatePatch = z.infer<typeof ChecklistTemplatePatch>

/** A new template (checklistTemplate:create): it starts at version 1. */
export const ChecklistTemplateCreate = z
  .object({ id: Id, code: z.string().trim().min(1).max(30), name: z.string().trim().min(1).max(50), items: Items })
  .strict()
export type ChecklistTemplateCreate = z.infer<typeof ChecklistTemplateCreate>

export const Answer = z.union([z.boolean(), z.number(), z.string().max(500)])
export type Answer = z.infer<typeof Answer>
export const Answers = z.record(z.string(), Answer)
export type Answers = z.infer<typeof Answers>

export interface AnswerProblem {
  itemId: string
  message: string
}

/** Checks answers against the template they were filled from. Shared by the form and the server. */
export function checkAnswers(template: ChecklistTemplate, answers: Answers): AnswerProblem[] {
  const problems: AnswerProblem[] = []
  const known = new Set(template.items.map((i) => i.id))
  for (const key of Object.keys(answers)) {
    if (!known.has(key)) problems.push({ itemId: key, message: `清单里没有这一项 (${key})` })
  }
  for (const item of template.items) {
    const a = answers[item.id]
    if (a === undefined || a === '') {
      if (item.required) problems.push({ itemId: item.id, message: `「${item.label}」必须填写` })
      continue
    }
    switch (item.kind) {
      case 'yesno':
        if (typeof a !== 'boolean') problems.push({ itemId: item.id, message: `「${item.label}」应选 是/否` })
        break
      case 'choice':
        if (typeof a !== 'string' || !item.options.includes(a))
          problems.push({ itemId: item.id, message: `「${item.label}」的选项不在清单里` })
        break
      case 'number':
        if (typeof a !== 'number' || !Number.isFinite(a)) problems.push({ itemId: item.id, message: `「${item.label}」应填数字` })
        else if ((item.min !== undefined && a < item.min) || (item.max !== undefined && a > item.max))
          problems.push({ itemId: item.id, message: `「${item.label}」超出范围` })
        break
      case 'text':
        if (typeof a !== 'string') problems.push({ itemId: item.id, message: `「${item.label}」应填文字` })
        break
    }
  }
  return problems
}
