import { addToCounts, campaignHouseholdState, emptyCounts, isStillOpen } from './campaignProgress'
import { dayNumber } from './householdState'
import type { Campaign, CampaignHouseholdState, CampaignTarget, ProgressCounts } from './schemas/campaign'
import type { VisitOutcome } from './schemas/visit'

// A worker's campaigns as their phone holds them (issue 12, "the worker walks it offline"): each
// launched campaign with targets on the device, how far its households are (the same rule the
// office counts by: campaignFlow.ts), how many days are left, and the households still to walk.
// Pure: the today page recomputes it on every change.

export interface WalkVisit {
  householdId: string
  campaignId?: string
  outcome: VisitOutcome
}

export interface CampaignWalkHousehold<H> {
  household: H
  state: CampaignHouseholdState
  /** Still to be walked: not yet, or 不在家 when the campaign asks for a second attempt. */
  open: boolean
}

export interface CampaignWalk<H> {
  campaign: Campaign
  /** Over this device's targets of the campaign (a worker's: their cells'). */
  counts: ProgressCounts
  /** The deadline minus today, in days: 0 on the last day, negative once it has passed. */
  daysLeft: number
  /** Every target on the device, each with where it stands. */
  households: CampaignWalkHousehold<H>[]
}

/** Launched campaigns with at least one target whose household is on the device, the soonest
 *  deadline first. `today` is a day number (householdState.dayOfInstant). */
export function campaignWalks<H extends { id: string }>(
  campaigns: readonly Campaign[],
  targets: readonly CampaignTarget[],
  households: ReadonlyMap<string, H>,
  visits: readonly WalkVisit[],
  today: number,
): CampaignWalk<H>[] {
  const visitsOf = new Map<string, WalkVisit[]>()
  for (const v of visits) {
    if (v.campaignId === undefined) continue
    const key = `${v.campaignId}:${v.householdId}`
    const list = visitsOf.get(key)
    if (list) list.push(v)
    else visitsOf.set(key, [v])
  }
  const targetsOf = new Map<string, CampaignTarget[]>()
  for (const t of targets) {
    const list = targetsOf.get(t.campaignId)
    if (list) list.push(t)
    else targetsOf.set(t.campaignId, [t])
  }
  const walks: CampaignWalk<H>[] = []
  for (const campaign of campaigns) {
    if (campaign.status !== 'launched') continue
    const counts = emptyCounts()
    const seen = new Set<string>()
    const list: CampaignWalkHousehold<H>[] = []
    for (const t of targetsOf.get(campaign.id) ?? []) {
      const household = households.get(t.householdId)
      if (!household || seen.has(t.householdId)) continue
      seen.add(t.householdId)
      const state = campaignHouseholdState(visitsOf.get(`${campaign.id}:${t.householdId}`) ?? [])
      addToCounts(counts, state, campaign.secondAttempt)
      list.push({ household, state, open: isStillOpen(state, campaign.secondAttempt) })
    }
    if (list.length) walks.push({ campaign, counts, daysLeft: dayNumber(campaign.deadline) - today, households: list })
  }
  return walks.sort((a, b) => a.daysLeft - b.daysLeft || a.campaign.title.localeCompare(b.campaign.title, 'zh-CN'))
}

/** The launched campaigns that target this household and are still open for it, for its visit. */
export function openCampaignsOf<H extends { id: string }>(walks: readonly CampaignWalk<H>[], householdId: string): CampaignWalk<H>[] {
  return walks.filter((w) => w.households.some((h) => h.household.id === householdId && h.open))
}
