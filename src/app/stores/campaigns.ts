import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { ChecklistTemplate, Household } from '../../domain'
import { campaignWalks, type CampaignWalk } from '../../domain/campaignWalk'
import { dayOfInstant } from '../../domain/householdState'
import { templateAt } from '../../domain/checklistRules'
import { groupForWalking } from '../../domain/duePolicy'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { allVisits } from '../db/visits'
import { useRegisterStore } from './register'
import { useTodayStore } from './today'

/** The campaigns (专项任务) this device walks: launched ones with targets among its households,
 *  counted from the visits on the device by the rule the office counts by. Works offline. */
export const useCampaignsStore = defineStore('campaigns', () => {
  const register = useRegisterStore()
  const today = useTodayStore()
  const campaigns = useLiveQuery(() => db.campaigns.toArray(), [], undefined, { wholeTables: true })
  const targets = useLiveQuery(() => db.campaignTargets.toArray(), [], undefined, { wholeTables: true })
  // Only what the counting needs of each campaign visit: the list holds no answers or notes.
  const visits = useLiveQuery(
    async () => (await allVisits(db)).flatMap((v) => (v.campaignId === undefined ? [] : [{ householdId: v.householdId, campaignId: v.campaignId, outcome: v.outcome }])),
    [],
    undefined,
    { wholeTables: true },
  )
  const householdById = computed(() => new Map(register.households.map((h) => [h.id, h])))
  const walks = computed<CampaignWalk<Household>[]>(() => campaignWalks(campaigns.value, targets.value, householdById.value, visits.value, dayOfInstant(today.now)))

  /** A campaign's households still to walk, building → unit → room. */
  function openGroups(walk: CampaignWalk<Household>) {
    return groupForWalking(walk.households.filter((h) => h.open), register.buildingById)
  }

  /** The campaigns a visit to this household can serve: launched, targeting it (open or not: a
   *  worker may go back to a household already done). */
  function forHousehold(householdId: string): CampaignWalk<Household>[] {
    return walks.value.filter((w) => w.households.some((h) => h.household.id === householdId))
  }

  /** The checklist a campaign's answers are checked against: its template at the version fixed
   *  at launch. Null while the template is not on the device. */
  function templateOf(campaignId: string): ChecklistTemplate | null {
    const c = campaigns.value.find((x) => x.id === campaignId)
    const tpl = c ? register.templates.find((x) => x.id === c.templateId) : undefined
    return c && tpl ? templateAt(tpl, c.templateVersion) : null
  }

  return { campaigns, walks, openGroups, forHousehold, templateOf }
})
