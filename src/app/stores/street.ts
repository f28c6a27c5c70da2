import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { NewCommunityRequest, NewCommunityResponse, NewStreetStaffRequest, PatchStreetStaffRequest, StreetCase, StreetCaseStepRequest, StreetOverviewResponse, StreetStaffMember } from '../../domain'
import { addStreetCommunity, addStreetStaff, answerStreetCase, fetchStreetCases, fetchStreetOverview, fetchStreetStaff, patchStreetStaff, resetStreetStaffPassword } from '../api/street'
import { lastDays } from './stats'
import { useSessionStore } from './session'
import { errorText } from '../i18n/errorText'
import { ApiFailure } from '../api/client'

/** 街道's one page: every community's figures for a period and the escalated cases, read from
 *  the server when online (the street office keeps no community's records on its device). */
export const useStreetStore = defineStore('street', () => {
  const session = useSessionStore()
  const period = ref(lastDays(30))
  const overview = ref<StreetOverviewResponse | null>(null)
  const cases = ref<StreetCase[]>([])
  const loading = ref(false)
  const error = ref<string | null>(null)
  /** The server no longer takes this login (deactivated, a new password, expired): the page
   *  sends them to log in again; nothing of the street's is on the device to keep. */
  const expired = ref(false)
  /** The last case the street answered, and how: said on the page once it leaves the list. */
  const answered = ref<{ title: string; communityName: string; action: StreetCaseStepRequest['action'] } | null>(null)
  const client = { getToken: () => session.token }
  let seq = 0

  async function load(): Promise<void> {
    const mine = ++seq
    loading.value = true
    error.value = null
    expired.value = false
    try {
      const [o, c] = await Promise.all([fetchStreetOverview(client, period.value), fetchStreetCases(client)])
      if (mine !== seq) return
      overview.value = o
      cases.value = c.cases
    } catch (err) {
      if (mine !== seq) return
      error.value = errorText(err)
      expired.value = err instanceof ApiFailure && err.kind === 'auth'
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

  /** The street office's own accounts, for its admin (street_admin) only: read with the page. */
  const staff = ref<StreetStaffMember[]>([])
  /** Adding a community and keeping the office's accounts are its admin's (street_admin). */
  const isAdmin = computed(() => session.user?.role === 'street_admin')
  async function loadStaff(): Promise<void> {
    if (isAdmin.value) staff.value = await fetchStreetStaff(client)
  }
  async function addStaff(body: NewStreetStaffRequest): Promise<StreetStaffMember> {
    const made = await addStreetStaff(client, body)
    staff.value = [...staff.value, made]
    return made
  }
  async function patchStaff(id: string, body: PatchStreetStaffRequest): Promise<void> {
    const changed = await patchStreetStaff(client, id, body)
    staff.value = staff.value.map((u) => (u.id === id ? changed : u))
  }
  const resetStaffPassword = (id: string, password: string) => resetStreetStaffPassword(client, id, password)

  return { period, overview, cases, loading, error, expired, answered, staff, isAdmin, load, setPeriod, addCommunity, answerCase, loadStaff, addStaff, patchStaff, resetStaffPassword }
})
