// The map's colours, as data the legend and the layers share. Pure: no Leaflet.
import type { HouseholdStat, Urgency } from '../../domain'
import type { CampaignHouseholdState } from '../../domain/schemas/campaign'

/** How the secretary's map draws a household: its state (householdState.ts) with a missed
 *  follow-up drawn and counted as overdue (one red, one count, the coverage list's 逾期), and a
 *  household not due that got a visit in the period shown as visited. */
export type MapState = 'overdue' | 'never' | 'due' | 'visited' | 'ok' | 'unknown'

export function mapState(stat: HouseholdStat | null | undefined): MapState {
  if (!stat) return 'unknown'
  if (stat.state === 'followup_missed') return 'overdue'
  if (stat.state === 'ok' && stat.visited) return 'visited'
  return stat.state
}

/** Household states (from /api/stats/households), drawn with the worst on top. */
export const STATE_COLOR: Record<MapState, string> = {
  overdue: '#d92d20',
  never: '#7a0cab',
  due: '#f79009',
  visited: '#12b76a',
  ok: '#98a2b3',
  unknown: '#667085',
}
/** Draw order, bottom first: the households that need attention end up on top of a cluster. */
export const STATE_ORDER: readonly MapState[] = ['unknown', 'ok', 'visited', 'due', 'never', 'overdue']

/** A campaign's households on the map, by where they stand (campaignFlow.ts), open ones on top. */
export const CAMPAIGN_STATE_COLOR: Record<CampaignHouseholdState, string> = { done: '#12b76a', attempted: '#f79009', refused: '#d92d20', not_yet: '#2e90fa' }
export const CAMPAIGN_STATE_ORDER: readonly CampaignHouseholdState[] = ['done', 'refused', 'attempted', 'not_yet']

/** The worker's map: overdue, due today, due this week, everything else. */
export const DUE_COLOR = { overdue: '#d92d20', today: '#f79009', week: '#eaaa08', other: '#98a2b3' } as const
export type DueClass = keyof typeof DUE_COLOR

/** Coverage bands for grid cells: share of households that needed a visit and got one. */
export const COVERAGE_BANDS: readonly { min: number; max: number; color: string }[] = [
  { min: 0, max: 0.2, color: '#d92d20' },
  { min: 0.2, max: 0.4, color: '#f97066' },
  { min: 0.4, max: 0.6, color: '#fdb022' },
  { min: 0.6, max: 0.8, color: '#a6ef67' },
  { min: 0.8, max: 1.0001, color: '#12b76a' },
]
/** Nothing was needed in the period, or no figure (offline): neutral grey. */
export const NO_COVERAGE_COLOR = '#d0d5dd'

export function coverageColor(coverage: number | null | undefined): string {
  if (coverage === null || coverage === undefined) return NO_COVERAGE_COLOR
  return (COVERAGE_BANDS.find((b) => coverage >= b.min && coverage < b.max) ?? COVERAGE_BANDS[COVERAGE_BANDS.length - 1]!).color
}

export const URGENCY_COLOR: Record<Urgency, string> = { red: '#d92d20', yellow: '#f79009', blue: '#1570ef' }
/** A yellow or red card (督办) gets a thicker, darker outline so a late case stands out. */
export const CARD_OUTLINE = { none: { color: '#ffffff', weight: 2 }, yellow: { color: '#93370d', weight: 5 }, red: { color: '#55160c', weight: 6 } } as const

export const TRAIL_COLOR = '#1570ef'
export const POSITION_COLOR = '#1570ef'

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** '#rrggbb' → one pixel of an ImageData buffer viewed as Uint32 (opaque). */
export function packColor(hex: string): number {
  const v = Number.parseInt(hex.replace('#', ''), 16)
  const r = (v >> 16) & 255
  const g = (v >> 8) & 255
  const b = v & 255
  return (littleEndian ? ((255 << 24) | (b << 16) | (g << 8) | r) : ((r << 24) | (g << 16) | (b << 8) | 255)) >>> 0
}
