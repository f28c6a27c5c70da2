import { z } from 'zod'
import { say } from '../language'
import { Answers } from './checklist'
import { Sha256 } from './case'
import { Day, GeoPoint, Id, Instant } from './common'

/** 见面 / 不在家 / 拒访 / 电话 */
export const VisitOutcome = z.enum(['met', 'not_home', 'refused', 'phone'])
export type VisitOutcome = z.infer<typeof VisitOutcome>

/** Who answered a campaign's questions: 业主本人 / 家属 / 租户. Only an owner's answer counts in a vote. */
export const Respondent = z.enum(['owner', 'family', 'tenant'])
export type Respondent = z.infer<typeof Respondent>

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
    notes: z.string().trim().max(2000, { error: say('备注最多2000字', 'Notes can be at most 2000 characters') }),
    needs: z.string().trim().max(1000, { error: say('诉求最多1000字', 'Needs can be at most 1000 characters') }),
    followUpDate: Day.nullable(),
    location: GeoPoint.nullable(),
    /** Photos, by SHA-256 of their bytes; uploaded before the visit is pushed. */
    photoIds: z.array(Sha256).max(9, { error: say('最多9张照片', 'At most 9 photos') }),
    // A visit made for a campaign (专项任务) names it and carries the answers to its checklist (the
    // campaign's template at the version fixed at launch), apart from the routine checklist above:
    // one visit can be both. Optional, not defaulted: visits without a campaign have none of them.
    campaignId: Id.optional(),
    campaignAnswers: Answers.optional(),
    respondent: Respondent.optional(),
  })
  .superRefine((v, ctx) => {
    if (v.outcome === 'not_home' && v.residentIds.length > 0)
      ctx.addIssue({ code: 'custom', path: ['residentIds'], message: say('不在家时不能选见到的居民', 'Nobody was home: no residents can be marked as met')() })
    if ((v.templateId === null) !== (v.templateVersion === null))
      ctx.addIssue({ code: 'custom', path: ['templateVersion'], message: say('清单和清单版本要一起给', 'Give the checklist and its version together')() })
    if (v.campaignId === undefined && (v.campaignAnswers !== undefined || v.respondent !== undefined))
      ctx.addIssue({ code: 'custom', path: ['campaignId'], message: say('任务的回答要写明是哪个专项任务', 'Campaign answers must name their campaign')() })
    // Nobody answered at a closed door or a refusal: the attempt counts, with no answers.
    const answered = v.outcome === 'met' || v.outcome === 'phone'
    if (!answered && v.campaignAnswers !== undefined && Object.keys(v.campaignAnswers).length > 0)
      ctx.addIssue({ code: 'custom', path: ['campaignAnswers'], message: say('不在家或拒访时不能填任务的回答', 'Not at home or refused: there are no campaign answers')() })
    if (!answered && v.respondent !== undefined)
      ctx.addIssue({ code: 'custom', path: ['respondent'], message: say('不在家或拒访时没有回答的人', 'Not at home or refused: nobody answered')() })
  })
export type Visit = z.infer<typeof Visit>
