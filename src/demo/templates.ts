// Plausible answers for the default checklist templates (src/domain/defaultTemplates.ts).
import type { Answers } from '../domain'
import type { TemplateCode } from '../domain/defaultTemplates'
import type { Rng } from './random'

/** What the answers depend on. */
export interface AnswerContext {
  /** Oldest resident's age. */
  maxAge: number
  /** Someone is disabled, seriously ill or has dementia. */
  frail: boolean
  occupants: number
  bungalow: boolean
  /** By phone: only what can be asked on the phone. */
  byPhone: boolean
}

const HARDSHIPS = ['老伴住院，开销大', '收入低，冬季取暖费压力大', '子女在外地，无人照顾', '失业在家，找工作难', '看病报销手续不清楚']
const FACILITY_PROBLEMS = ['希望加装电梯', '楼道灯坏了', '单元门禁坏了', '下水道经常堵', '希望小区多装几个充电桩']
const RECTIFICATIONS = ['电动车移出楼道充电', '清理楼道杂物', '更换老化电线', '联系燃气公司检修']

export function answersFor(code: TemplateCode, rng: Rng, ctx: AnswerContext): Answers {
  const a: Answers = {}
  switch (code) {
    case 'routine': {
      a.members_changed = rng.weighted([['无变化', 95], ['新增', 2], ['迁出', 2], ['去世', 0.6]] as const)
      if (!ctx.byPhone || rng.chance(0.5)) a.occupants = ctx.occupants
      a.contact_verified = rng.chance(0.96)
      if (rng.chance(0.06)) a.hardship = rng.pick(HARDSHIPS)
      a.health = ctx.frail
        ? rng.weighted([['一般', 5], ['较差', 5]] as const)
        : ctx.maxAge >= 75
          ? rng.weighted([['良好', 3], ['一般', 5], ['较差', 2]] as const)
          : rng.weighted([['良好', 8], ['一般', 2]] as const)
      if (!ctx.byPhone) a.hazard = rng.chance(0.04)
      if (rng.chance(0.05)) a.facilities = rng.pick(FACILITY_PROBLEMS)
      break
    }
    case 'care': {
      const poor = ctx.frail || ctx.maxAge >= 88
      a.health = poor
        ? rng.weighted([['一般', 4], ['较差', 4], ['卧床', 1.5]] as const)
        : rng.weighted([['良好', 5], ['一般', 4], ['较差', 1]] as const)
      a.daily_living =
        a.health === '卧床'
          ? '需要专人照顾'
          : poor
            ? rng.weighted([['能自理', 4], ['部分需要照顾', 5], ['需要专人照顾', 1]] as const)
            : rng.weighted([['能自理', 9], ['部分需要照顾', 1]] as const)
      a.medication = rng.weighted([['按时服药', 7], ['偶尔漏服', 1.5], ['无需用药', 1.5]] as const)
      a.emergency_contact = rng.chance(0.93)
      if (!ctx.byPhone) {
        a.gas_safe = rng.chance(0.95)
        a.wiring_safe = rng.chance(ctx.bungalow ? 0.85 : 0.95)
        a.anti_slip = rng.chance(0.8)
      }
      a.home_service = rng.chance(poor ? 0.25 : 0.05)
      if (rng.chance(0.04)) a.other = rng.pick(HARDSHIPS)
      break
    }
    case 'safety': {
      a.ebike_charging = rng.chance(ctx.bungalow ? 0.02 : 0.05)
      a.corridor_clutter = rng.chance(ctx.bungalow ? 0.02 : 0.1)
      a.gas_pipe = rng.chance(0.02)
      a.old_wiring = rng.chance(ctx.bungalow ? 0.12 : 0.04)
      a.fire_exit = rng.chance(0.02)
      a.high_throw = rng.chance(ctx.bungalow ? 0 : 0.01)
      a.extinguishers = rng.weighted([[0, 6], [1, 3.5], [2, 0.5]] as const)
      const found = a.ebike_charging || a.corridor_clutter || a.gas_pipe || a.old_wiring
      if (found) a.rectification = rng.pick(RECTIFICATIONS)
      break
    }
    case 'outreach': {
      a.medical_insurance = rng.chance(0.95)
      if (ctx.maxAge >= 60) a.pension_cert = rng.chance(0.9)
      a.anti_fraud = rng.chance(0.97)
      if (!ctx.byPhone) a.fire_safety = rng.chance(0.8)
      break
    }
  }
  return a
}
