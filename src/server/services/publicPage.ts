import { Campaign, chinaDay, DEFAULT_PUBLIC_MIN_HOUSEHOLDS, LedgerEntry, Matter, MatterStep, Meeting, Notice, Project, Resource, type PublicCommunityResponse } from '../../domain'
import { Building } from '../../domain/schemas/register'
import { publicCommunity } from '../../domain/publicRules'
import { liveCampaigns } from '../store/campaigns'
import { readCounter } from '../store/counters'
import { liveListRows } from '../store/lists'
import { liveMatterRows } from '../store/matters'
import { liveNoticeRows } from '../store/notices'
import type { Store } from '../store/open'
import { liveRows } from '../store/register'
import { residentNames } from '../store/residents'
import { readSettings } from './stats'

/** 公开: the community's public page, from the records as they are now (docs/public.md). Drafts
 *  never reach it (only closed votes are read), nor does anything publicRules.ts does not copy:
 *  of the ledger, totals only. */
export async function publicCommunityView(store: Store, now = new Date()): Promise<PublicCommunityResponse> {
  const [settings, resources, projects, campaigns, buildings, matters, steps, meetings, ledger, notices, names] = await Promise.all([
    readSettings(store),
    liveListRows(store, 'resources'),
    liveListRows(store, 'projects'),
    liveCampaigns(store),
    liveRows(store, 'buildings'),
    liveMatterRows(store, 'matters'),
    liveMatterRows(store, 'matter_steps'),
    liveMatterRows(store, 'meetings'),
    liveMatterRows(store, 'ledger_entries'),
    liveNoticeRows(store),
    residentNames(store),
  ])
  return publicCommunity({
    community: settings.communityName ?? '社区',
    minHouseholds: settings.publicMinHouseholds ?? DEFAULT_PUBLIC_MIN_HOUSEHOLDS,
    now,
    resources: resources.map((r) => Resource.parse(r)),
    projects: projects.map((p) => Project.parse(p)),
    campaigns: campaigns.map((c) => Campaign.parse(c)),
    buildings: buildings.map((b) => Building.parse(b.data)),
    matters: matters.map((m) => Matter.parse(m)),
    matterSteps: steps.map((x) => MatterStep.parse(x)),
    meetings: meetings.map((x) => Meeting.parse(x)),
    ledgerEntries: ledger.map((x) => LedgerEntry.parse(x)),
    notices: notices.map((x) => Notice.parse(x)),
    residentNames: names,
  })
}

/** The page's data as last built, per store, while nothing was written since (the change
 *  sequence has not moved) and it is still the same day (notices begin and end by the day): a
 *  crowd opening the page from a notice board costs one build, not one each. Kept per process;
 *  the key is the database's, so every process agrees on when it is stale. */
const built = new WeakMap<Store, { key: string; view: Promise<PublicCommunityResponse> }>()

export async function cachedPublicCommunityView(store: Store, now = new Date()): Promise<PublicCommunityResponse> {
  const key = `${await readCounter(store, 'version')}|${chinaDay(now.getTime())}`
  const hit = built.get(store)
  if (hit?.key === key) return hit.view
  const view = publicCommunityView(store, now)
  built.set(store, { key, view })
  // A failed build is not kept: the next request tries again.
  view.catch(() => built.get(store)?.view === view && built.delete(store))
  return view
}
