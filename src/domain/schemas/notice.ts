import { z } from 'zod'
import { say } from '../language'
import { Day, Id, Instant, NOTHING_TO_CHANGE } from './common'

// 公告: what the office publishes to residents on the public page (docs/public.md) — the 四务公开
// of community practice (党务、政务、财务、服务) — for the whole community or one compound (小区),
// shown from its first day until its last (or until withdrawn). It is written for the internet:
// the server refuses one that carries a resident's name, a phone or an ID number
// (publicRules.personalDataIn), and nothing but these fields is published.

export const NOTICE_CATEGORIES = ['party', 'affairs', 'finance', 'service'] as const
export const NoticeCategory = z.enum(NOTICE_CATEGORIES, { error: say('请选公告类别（党务、政务、财务、服务）', 'Choose a notice category (party, affairs, finance, service)') })
export type NoticeCategory = z.infer<typeof NoticeCategory>

const Title = z.string().trim().min(1, { error: say('请写公告标题', 'Write a notice title') }).max(60, { error: say('标题最多60字', 'A title can be at most 60 characters') })
const Body = z.string().trim().min(1, { error: say('请写公告内容', 'Write the notice text') }).max(2000, { error: say('内容最多2000字', 'The text can be at most 2000 characters') })
/** A compound of the register (Building.compound); null: the whole community. */
const Compound = z.string().trim().min(1).max(50).nullable()

const shownDays = <T extends { fromDay?: string; untilDay?: string | null }>(n: T) => !n.fromDay || !n.untilDay || n.untilDay >= n.fromDay
const DAYS = { path: ['untilDay'], error: say('截止日期不能早于开始日期', 'The end date cannot be before the start date') }

export const Notice = z
  .object({
    id: Id,
    title: Title,
    body: Body,
    category: NoticeCategory,
    compound: Compound,
    /** Shown on the public page from this day (China time) … */
    fromDay: Day,
    /** … through this day; null: until withdrawn. */
    untilDay: Day.nullable(),
    /** Taken off the public page before its last day; it stays listed for the office. */
    withdrawn: z.boolean(),
    createdBy: Id,
    createdAt: Instant,
    updatedAt: Instant,
  })
  .refine(shownDays, DAYS)
export type Notice = z.infer<typeof Notice>

/** notice:create — the server adds who and when. */
export const NoticeCreate = z
  .object({ id: Id, title: Title, body: Body, category: NoticeCategory, compound: Compound, fromDay: Day, untilDay: Day.nullable() })
  .refine(shownDays, DAYS)
export type NoticeCreate = z.infer<typeof NoticeCreate>

/** notice:patch — any of its words and days, or withdrawn (and published again). */
export const NoticePatch = z
  .object({ title: Title, body: Body, category: NoticeCategory, compound: Compound, fromDay: Day, untilDay: Day.nullable(), withdrawn: z.boolean() })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { error: NOTHING_TO_CHANGE })
export type NoticePatch = z.infer<typeof NoticePatch>

/** On the public page on `day`: published, begun, not yet over. */
export function noticeShownOn(n: Pick<Notice, 'withdrawn' | 'fromDay' | 'untilDay'>, day: string): boolean {
  return !n.withdrawn && n.fromDay <= day && (n.untilDay === null || n.untilDay >= day)
}
