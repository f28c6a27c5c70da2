import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { NewCommunityRequest, NewCommunityResponse, StreetCase, StreetCaseStepRequest, StreetOverviewResponse } from '../../domain'
import { addStreetCommunity, answerStreetCase, fetchStreetCases, fetchStreetOverview } from '../api/stats'
import { lastDays } from './stats'
import { useSessionStore } from './session'
import { errorText } from '../i18n/errorText'

/** 街道's one page: every community's figures for a period and the escalated cases, read from
 *  the server when online (the street office keeps no community's records on its device). */
export const useStreetStore = defineStore('street', () => {
  const session = useSessionStore()
  const period = ref(lastDays(30))
  const overview = ref<StreetOverviewResponse | null>(null)
  const cases = ref<StreetCase[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** The last case the street answered, and how: said on the page once it leaves the list. */
  const answered = ref<{ title: string; communityName: string; action: StreetCaseStepRequest['action'] } | null>(null)
  const client = { getToken: () => session.token }
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    error.value = null
    try {
      const [o, c] = await Promise.all([fetchStreetOverview(client, period.value), fetchStreetCases(client)])
      if (mine !== seq) return
      overview.value = o
      cases.value = c.cases
    } catch (err) {
      if (mine === seq) error.value = errorText(err)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function setPeriod(from: string, to: string): void {
    period.value = { from, to }
    void load()
  }

  /** Adds a community (online only; the server refuses a key, name or username taken), then
   *  reads the figures again so it shows beside the others. */
  async function addCommunity(body: NewCommunityRequest): Promise<NewCommunityResponse> {
    const made = await addStreetCommunity(client, body)
    await load()
    return made
  }

  /** Answers an escalated case (online only); it then waits on the community, not on the street,
   *  and the figures are read again. */
  async function answerCase(k: StreetCase, body: StreetCaseStepRequest): Promise<void> {
    await answerStreetCase(client, k.community, k.id, body)
    answered.value = { title: k.title, communityName: k.communityName, action: body.action }
    cases.value = cases.value.filter((c) => !(c.community === k.community && c.id === k.id))
    await load()
  }

  return { period, overview, cases, loading, error, answered, load, setPeriod, addCommunity, answerCase }
})
