import type { CampaignHouseholdState, ProgressCounts } from './schemas/campaign'
import type { VisitOutcome } from './schemas/visit'

// Where a household stands in a campaign and the progress counts: the part of campaignFlow.ts the
// phone's home page needs (its campaign lines), kept apart so that page loads no vote counting.

const REACHED: ReadonlySet<VisitOutcome> = new Set(['met', 'phone'])
export const reached = (v: { outcome: VisitOutcome }) => REACHED.has(v.outcome)

/** Reached (见面/电话) once is done, whatever came after (a second knock nobody answered does not
 *  undo answers given); else a refusal is final; else a 不在家 is an attempt; else not yet. */
export function campaignHouseholdState(visits: readonly { outcome: VisitOutcome }[]): CampaignHouseholdState {
  if (visits.some(reached)) return 'done'
  if (visits.some((v) => v.outcome === 'refused')) return 'refused'
  if (visits.some((v) => v.outcome === 'not_home')) return 'attempted'
  return 'not_yet'
}

/** Is the household still to be walked? A 不在家 is, when the campaign asks for a second attempt. */
export function isStillOpen(state: CampaignHouseholdState, secondAttempt: boolean): boolean {
  return state === 'not_yet' || (state === 'attempted' && secondAttempt)
}

export function emptyCounts(): ProgressCounts {
  return { targets: 0, done: 0, attempted: 0, refused: 0, notYet: 0, open: 0 }
}

export function addToCounts(c: ProgressCounts, state: CampaignHouseholdState, secondAttempt: boolean): void {
  c.targets++
  if (state === 'done') c.done++
  else if (state === 'not_yet') c.notYet++
  else {
    c.attempted++
    if (state === 'refused') c.refused++
  }
  if (isStillOpen(state, secondAttempt)) c.open++
}
