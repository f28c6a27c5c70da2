import { z } from 'zod'
import { isVoteAnswer } from '../voteRules'
import { say } from '../language'
import { Id, NOTHING_TO_CHANGE } from './common'

/** Where a 表态 item's 有条件同意 keeps its condition, in the same answers. */
export const stanceNoteKey = (itemId: string) => `${itemId}_note`

/** One item of a checklist template: data the admin edits, not code.
 *  `hazardWhen` (yes/no and choice items) names the answer that means 有隐患: a campaign's office
 *  lists the households that gave it ("燃气管道完好？" → hazardWhen: false). `stance` is a 表态
 *  item of a consultation or vote: 同意 / 反对 / 弃权 / 有条件同意, stored as VoteAnswer; a
 *  有条件同意 carries its condition under `${id}_note` (see stanceNoteKey). */
export const ChecklistItem = z.discriminatedUnion('kind', [
  z.object({
    id: z.string().min(1).max(40),
    label: z.string().min(1).max(100),
    kind: z.literal('yesno'),
    required: z.boolean().default(false),
    hazardWhen: z.boolean().optional(),
  }),
  z.object({
    id: z.string().min(1).max(40),
    label: z.string().min(1).max(100),
    kind: z.literal('choice'),
    options: z.array(z.string().min(1).max(50)).min(2).max(20),
    required: z.boolean().default(false),
    /** The options that mean 有隐患 (each one of `options`). */
    hazardWhen: z.array(z.string().min(1).max(50)).min(1).max(20).optional(),
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
  z.object({ id: z.string().min(1).max(40), label: z.string().min(1).max(100), kind: z.literal('stance'), required: z.boolean().default(false) }),
])
export type ChecklistItem = z.infer<typeof ChecklistItem>

const Items = z
  .array(ChecklistItem)
  .min(1)
  .max(60)
  .refine((items) => new Set(items.map((i) => i.id)).size === items.length, { error: say('清单项目编号不能重复', 'Two checklist items have the same ID') })
  .refine((items) => items.every((i) => i.kind !== 'choice' || !i.hazardWhen || i.hazardWhen.every((o) => i.options.includes(o))), {
    error: say('「有隐患」的选项要在这一项的选项里', 'The "hazard" options must be among the options of the item'),
  })
  .refine((items) => !items.some((i) => i.kind === 'stance' && items.some((o) => o.id === stanceNoteKey(i.id))), {
    error: say('表态项的条件说明占用「编号_note」，不能再有同名的项目', 'A stance item keeps its condition under "ID_note": no other item may have that ID'),
  })

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

/** What the admin sends to change a template (checklistTemplate:patch). Items replace the list. */
export const ChecklistTemplatePatch = z
  .object({ name: z.string().trim().min(1).max(50).optional(), items: Items.optional() })
  .strict()
  .refine((p) => p.name !== undefined || p.items !== undefined, { error: NOTHING_TO_CHANGE })
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

const STANCE_NOTE_MAX = 500
const onlyWithConditions = (label: string) => say(`「${label}」只有选了有条件同意才写条件`, `"${label}": conditions are written only with "agree with conditions"`)()

export interface AnswerProblem {
  itemId: string
  message: string
}

/** Checks answers against the template they were filled from. Shared by the form and the server. */
/** `required: false` for a visit that reached nobody (不在家, 拒访): what was noted is checked,
 *  nothing is demanded. */
export function checkAnswers(template: ChecklistTemplate, answers: Answers, opts: { required?: boolean } = {}): AnswerProblem[] {
  const problems: AnswerProblem[] = []
  const known = new Set(template.items.map((i) => i.id))
  const notes = new Map(template.items.filter((i) => i.kind === 'stance').map((i) => [stanceNoteKey(i.id), i]))
  for (const key of Object.keys(answers)) {
    if (!known.has(key) && !notes.has(key)) problems.push({ itemId: key, message: say(`清单里没有这一项 (${key})`, `No such item in the checklist (${key})`)() })
  }
  for (const item of template.items) {
    const a = answers[item.id]
    if (a === undefined || a === '') {
      if (item.required && opts.required !== false) problems.push({ itemId: item.id, message: say(`「${item.label}」必须填写`, `"${item.label}" is required`)() })
      if (item.kind === 'stance' && answers[stanceNoteKey(item.id)] !== undefined)
        problems.push({ itemId: stanceNoteKey(item.id), message: onlyWithConditions(item.label) })
      continue
    }
    switch (item.kind) {
      case 'yesno':
        if (typeof a !== 'boolean') problems.push({ itemId: item.id, message: say(`「${item.label}」应选 是/否`, `"${item.label}": choose yes or no`)() })
        break
      case 'choice':
        if (typeof a !== 'string' || !item.options.includes(a))
          problems.push({ itemId: item.id, message: say(`「${item.label}」的选项不在清单里`, `"${item.label}": that option is not in the checklist`)() })
        break
      case 'number':
        if (typeof a !== 'number' || !Number.isFinite(a)) problems.push({ itemId: item.id, message: say(`「${item.label}」应填数字`, `"${item.label}": enter a number`)() })
        else if ((item.min !== undefined && a < item.min) || (item.max !== undefined && a > item.max))
          problems.push({ itemId: item.id, message: say(`「${item.label}」超出范围`, `"${item.label}" is out of range`)() })
        break
      case 'text':
        if (typeof a !== 'string') problems.push({ itemId: item.id, message: say(`「${item.label}」应填文字`, `"${item.label}": enter text`)() })
        break
      case 'stance': {
        const note = answers[stanceNoteKey(item.id)]
        if (!isVoteAnswer(a)) problems.push({ itemId: item.id, message: say(`「${item.label}」应选 同意/反对/弃权/有条件同意`, `"${item.label}": choose agree, oppose, abstain or agree with conditions`)() })
        else if (a === 'conditional') {
          if (typeof note !== 'string' || note.trim() === '')
            problems.push({ itemId: stanceNoteKey(item.id), message: say(`「${item.label}」选了有条件同意，请写明条件`, `"${item.label}": agreed with conditions, please write the conditions`)() })
          else if (note.length > STANCE_NOTE_MAX) problems.push({ itemId: stanceNoteKey(item.id), message: say(`「${item.label}」的条件最多${STANCE_NOTE_MAX}字`, `"${item.label}": the conditions can be at most ${STANCE_NOTE_MAX} characters`)() })
        } else if (note !== undefined) problems.push({ itemId: stanceNoteKey(item.id), message: onlyWithConditions(item.label) })
        break
      }
    }
  }
  return problems
}

