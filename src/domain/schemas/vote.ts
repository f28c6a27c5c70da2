import { z } from 'zod'
import { say } from '../language'
import { atLeastTheLaw, presetIntact, VOTE_ANSWERS, VOTE_RULE_PRESETS, type VoteRule as VoteRuleShape, type VoteThreshold as VoteThresholdShape } from '../voteRules'

// The shapes of a vote's rule and answer (民法典 第二百七十八条): the counting is in voteRules.ts.

/** A share of a whole: reached when part/whole ≥ num/den, or > num/den when `strict`. */
export const VoteThreshold = z
  .object({
    num: z.number().int().min(1),
    // Small denominators keep every cross product (area in hundredths × den) a safe integer.
    den: z.number().int().min(1).max(100),
    strict: z.boolean(),
  })
  .refine((t) => t.num <= t.den, { error: say('比例不能超过全部', 'A share cannot be more than the whole') })
  .refine((t) => !(t.strict && t.num === t.den), { error: say('超过全部不可能达到', 'More than the whole can never be reached') }) satisfies z.ZodType<VoteThresholdShape>
export type VoteThreshold = VoteThresholdShape

/** The rule of a vote, as data kept with the campaign. A preset carries exactly its law's
 *  thresholds; 'custom' (a 议事规则 that asks more) may raise them but never go below the law's
 *  ordinary bar. */
export const VoteRule = z
  .object({ preset: z.enum(VOTE_RULE_PRESETS), participation: VoteThreshold, consent: VoteThreshold })
  .refine(presetIntact, { error: say('预设规则的比例不能修改', 'The shares of a preset rule cannot be changed') })
  .refine(atLeastTheLaw, { error: say('不能低于民法典第二百七十八条的比例', 'Cannot be lower than the shares of Civil Code article 278') }) satisfies z.ZodType<VoteRuleShape>
export type VoteRule = VoteRuleShape

export const VoteAnswer = z.enum(VOTE_ANSWERS)
