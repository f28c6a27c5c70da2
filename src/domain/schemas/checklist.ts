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

export const ChecklistTemplate = z.object({
  id: Id,
  code: z.string().min(1).max(30),
  name: z.string().min(1).max(50),
  version: z.number().int().positive(),
  items: z.array(ChecklistItem).min(1).max(60),
})
export type ChecklistTemplate = z.infer<typeof ChecklistTemplate>

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
