import { z } from 'zod'
import { en, zhCN } from 'zod/locales'
import { domainLanguage, say } from '../language'

// zod's own messages (a wrong type, a string too long) in the language of ours: every schema
// module imports this one, so the choice is made before anything parses. Both locales are built
// once; which one speaks is asked per issue, since the app changes language at run time. The
// server leaves the language at Chinese: it speaks the community's language, and clients map its
// codes to theirs.
const ZOD_LOCALES = { 'zh-CN': zhCN(), en: en() }
z.config({ localeError: (issue) => ZOD_LOCALES[domainLanguage()].localeError(issue) })

/** "Nothing to change": a patch that names no field. */
export const NOTHING_TO_CHANGE = say('没有要修改的内容', 'Nothing to change')

export const Id = z.uuid({ error: say('编号格式不对 (expected a UUID)', 'Wrong ID format (expected a UUID)') })
export type Id = z.infer<typeof Id>

/** An instant, as an ISO-8601 string with offset ("2026-11-21T08:30:00.000Z"). */
export const Instant = z.iso.datetime({ offset: true, error: say('时间格式不对 (expected an ISO date-time)', 'Wrong time format (expected an ISO date-time)') })

/** A calendar day, "2026-11-21". */
export const Day = z.iso.date({ error: say('日期格式不对 (expected YYYY-MM-DD)', 'Wrong date format (expected YYYY-MM-DD)') })

/** Mainland mobile (11 digits starting 1) or a landline with area code. */
export const Phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, { error: say('电话号码格式不对', 'Not a valid phone number') })

/** WGS-84 point with accuracy in metres and where it came from. */
export const GeoPoint = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  accuracy: z.number().nonnegative().nullable().default(null),
  source: z.enum(['gps', 'manual', 'register']).default('register'),
})
export type GeoPoint = z.infer<typeof GeoPoint>

/** GeoJSON polygon, WGS-84, [lng, lat] pairs, rings closed. */
export const Polygon = z.object({
  type: z.literal('Polygon'),
  coordinates: z
    .array(z.array(z.tuple([z.number(), z.number()])).min(4, { error: say('多边形至少需要4个点', 'A polygon needs at least 4 points') }))
    .min(1),
})
export type Polygon = z.infer<typeof Polygon>

/** A period of calendar days (China time), `to` included: from ≤ to, a year at most. */
export function periodChecks(ctx: z.core.ParsePayload<{ from: string; to: string }>): void {
  const { from, to } = ctx.value
  if (from > to) ctx.issues.push({ code: 'custom', message: say('开始日期不能晚于结束日期', 'The start date cannot be after the end date')(), path: ['to'], input: ctx.value })
  else if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) ctx.issues.push({ code: 'custom', message: say('时间段最长一年', 'A period is at most one year')(), path: ['to'], input: ctx.value })
}

export const Period = z.object({ from: Day, to: Day }).check(periodChecks)
export type Period = z.infer<typeof Period>
