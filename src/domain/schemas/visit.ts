import { z } from 'zod'
import { Answers } from './checklist'
import { Sha256 } from './case'
import { Day, GeoPoint, Id, Instant } from './common'

/** 见面 / 不在家 / 拒访 / 电话 */
export const VisitOutcome = z.enum(['met', 'not_home', 'refused', 'phone'])
export type VisitOutcome = z.infer<typeof VisitOutcome>

/** 走访记录 / 民情日志. Append-only: a visit is never edited after it is saved. */
export const Visit = z
  .object({
    id: Id,
    householdId: Id,
    gridId: Id,
    workerId: Id,
    startedAt: Instant,
    outcome: VisitOutcome,
    residentIds: z.array(Id).max(30),
    templateId: Id.nullable(),
    templateVersion: z.number().int().positive().nullable(),
    answers: Answers,
    notes: z.string().trim().max(2000, { error: '备注最多2000字' }),
    needs: z.string().trim().max(1000, { error: '诉求最多1000字' }),
    followUpDate: Day.nullable(),
    location: GeoPoint.nullable(),
    /** Photos, by SHA-256 of their bytes; uploaded before the visit is pushed. */
    photoIds: z.array(Sha256).max(9, { error: '最多9张照片' }),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === 'not_home' && v.residentIds.length > 0)
      ctx.addIssue({ code: 'custom', path: ['residentIds'], message: '不在家时不能选见到的居民' })
    if ((v.templateId === null) !== (v.templateVersion === null))
      ctx.addIssue({ code: 'custom', path: ['templateVersion'], message: '清单和清单版本要一起给' })
  })
export type Visit = z.infer<typeof Visit>
