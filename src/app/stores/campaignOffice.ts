import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Campaign, CampaignCreate, CampaignListResponse, CampaignPreviewRequest } from '../../domain/schemas/campaign'
import * as api from '../api/campaigns'

export type { CampaignExportPart } from '../api/campaigns'
import { errorText } from '../i18n/errorText'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'

/** The office's campaigns: made, launched, counted and closed online (a campaign reaches the
 *  workers' phones by pull once launched). The pages call these and show `error` as said. */
export const useCampaignOfficeStore = defineStore('campaignOffice', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const client = { getToken: () => session.token }
  const online = computed(() => sync.online)
  const isOffice = computed(() => session.user?.role === 'secretary' || session.user?.role === 'admin')
  const list = ref<CampaignListResponse['campaigns']>([])
  const loading = ref(false)
  const error = ref<string | null>(null)

  /** Runs an online call: the error, in the server's words, lands in `error` and the call gives
   *  undefined; the page keeps what the user typed. */
  async function attempt<T>(call: () => Promise<T>): Promise<T | undefined> {
    error.value = null
    loading.value = true
    try {
      return await call()
    } catch (err) {
      error.value = errorText(err)
      return undefined
    } finally {
      loading.value = false
    }
  }

  async function load(): Promise<void> {
    const r = await attempt(() => api.listCampaigns(client))
    if (r) list.value = r.campaigns
  }

  /** The launch, and the next sync of this device so its own copy follows. */
  async function launch(id: string): Promise<Campaign | undefined> {
    const c = await attempt(() => api.launchCampaign(client, id))
    if (c) sync.saved()
    return c
  }

  async function close(id: string): Promise<Campaign | undefined> {
    const c = await attempt(() => api.closeCampaign(client, id))
    if (c) sync.saved()
    return c
  }

  const get = (id: string) => attempt(() => api.getCampaign(client, id))
  const preview = (body: CampaignPreviewRequest) => attempt(() => api.previewCampaign(client, body))
  /** A new draft (no id yet) or changes to one. */
  const saveDraft = (id: string | null, body: CampaignCreate) => attempt(() => (id ? api.patchCampaign(client, id, body) : api.createCampaign(client, body)))
  const discard = (id: string) => attempt(async () => (await api.discardCampaign(client, id), true))
  const households = (id: string) => attempt(() => api.campaignHouseholds(client, id))
  /** Households added to a running campaign (never removed); this device's copy follows by sync. */
  async function addTargets(id: string, householdIds: string[]) {
    const r = await attempt(() => api.addCampaignTargets(client, id, { householdIds }))
    if (r) sync.saved()
    return r
  }
  const progress = (id: string) => attempt(() => api.campaignProgress(client, id))
  const results = (id: string) => attempt(() => api.campaignResults(client, id))
  const download = (id: string, part: api.CampaignExportPart, format: 'xlsx' | 'csv', unmasked: boolean) => attempt(() => api.downloadCampaign(client, id, part, format, unmasked))

  return { online, isOffice, list, loading, error, load, get, preview, saveDraft, discard, launch, close, households, addTargets, progress, results, download }
})
