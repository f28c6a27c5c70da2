import { z } from 'zod'

export const Id = z.uuid({ error: '编号格式不对 (expected a UUID)' })
export type Id = z.infer<typeof Id>

/** An instant, as an ISO-8601 string with offset ("2026-11-21T08:30:00.000Z"). */
export const Instant = z.iso.datetime({ offset: true, error: '时间格式不对 (expected an ISO date-time)' })

/** A calendar day, "2026-11-21". */
export const Day = z.iso.date({ error: '日期格式不对 (expected YYYY-MM-DD)' })

/** Mainland mobile (11 digits starting 1) or a landline with area code. */
export const Phone = z
  .string()
  .trim()
  .regex(/^(1\d{10}|0\d{2,3}-?\d{7,8})$/, { error: '电话号码格式不对' })

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
    .array(z.array(z.tuple([z.number(), z.number()])).min(4, { error: '多边形至少需要4个点' }))
    .min(1),
})
export type Polygon = z.infer<typeof Polygon>

/** A period of calendar days (China time), `to` included: from ≤ to, a year at most. */
export function periodChecks(ctx: z.core.ParsePayload<{ from: string; to: string }>): void {
  const { from, to } = ctx.value
  if (from > to) ctx.issues.push({ code: 'custom', message: '开始日期不能晚于结束日期', path: ['to'], input: ctx.value })
  else if (Date.parse(to) - Date.parse(from) > 366 * 86_400_000) ctx.issues.push({ code: 'custom', message: '时间段最长一年', path: ['to'], input: ctx.value })
}

export const Period = z.object({ from: Day, to: Day }).check(periodChecks)
export type Period = z.infer<typeof Period>
