// Periods for the map's filters: calendar days in China time, `to` included, as the stats API
// counts them (domain/schemas/stats.ts). Pure.
import { CHINA_OFFSET_MINUTES } from '../../domain/householdState'

const DAY = 86_400_000

export type PeriodPreset = '7d' | '30d' | 'quarter'
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['7d', '30d', 'quarter']

/** Today's date in China ("2026-11-21"), whatever the device's time zone. */
export function chinaDay(now = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10)
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(day) + n * DAY).toISOString().slice(0, 10)
}

/** 近7天 / 近30天 include today; 本季度 runs from the first day of the quarter to today. */
export function presetRange(preset: PeriodPreset, today: string): { from: string; to: string } {
  if (preset === '7d') return { from: addDays(today, -6), to: today }
  if (preset === '30d') return { from: addDays(today, -29), to: today }
  const [y, m] = today.split('-').map(Number) as [number, number]
  const first = Math.floor((m - 1) / 3) * 3 + 1
  return { from: `${y}-${String(first).padStart(2, '0')}-01`, to: today }
}

/** Which preset a range is, if any (to light up its button). */
export function presetOf(range: { from: string; to: string }, today: string): PeriodPreset | null {
  return PERIOD_PRESETS.find((p) => {
    const r = presetRange(p, today)
    return r.from === range.from && r.to === range.to
  }) ?? null
}

/** Why a range cannot be asked for, or null. The server refuses the same (StatsQuery). */
export function periodProblem(range: { from: string; to: string }): 'order' | 'too_long' | 'missing' | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(range.from) || !/^\d{4}-\d{2}-\d{2}$/.test(range.to)) return 'missing'
  if (range.from > range.to) return 'order'
  if (Date.parse(range.to) - Date.parse(range.from) > 366 * DAY) return 'too_long'
  return null
}
