import { z } from 'zod'
import {
  Campaign,
  CampaignAddTargetsResponse,
  CampaignHouseholdsResponse,
  CampaignListResponse,
  CampaignPreview,
  CampaignProgressResponse,
  CampaignResultsResponse,
  type CampaignAddTargets,
  CampaignCreate as CampaignCreateSchema,
  type CampaignPatch,
  type CampaignPreviewRequest,
} from '../../domain/schemas/campaign'
import { type ClientOptions, download, getJson, request } from './client'

// The office's campaign calls (/api/campaigns, docs/campaigns.md): online only, nothing queued.
// A campaign and its targets reach every device by pull once launched; these are for making,
// launching, closing and counting it. Every answer is checked against its schema.

export type CampaignExportPart = 'progress' | 'results' | 'hazards'

const id = (campaignId: string) => encodeURIComponent(campaignId)

export const listCampaigns = (opts: ClientOptions) => getJson(opts, '/api/campaigns', CampaignListResponse)
export const getCampaign = (opts: ClientOptions, campaignId: string) => getJson(opts, `/api/campaigns/${id(campaignId)}`, Campaign)
export const createCampaign = (opts: ClientOptions, body: z.input<typeof CampaignCreateSchema>) =>
  getJson(opts, '/api/campaigns', Campaign, { method: 'POST', json: body })
export const patchCampaign = (opts: ClientOptions, campaignId: string, patch: CampaignPatch) => getJson(opts, `/api/campaigns/${id(campaignId)}`, Campaign, { method: 'PATCH', json: patch })
export const previewCampaign = (opts: ClientOptions, body: CampaignPreviewRequest) => getJson(opts, '/api/campaigns/preview', CampaignPreview, { method: 'POST', json: body })
export const launchCampaign = (opts: ClientOptions, campaignId: string) => getJson(opts, `/api/campaigns/${id(campaignId)}/launch`, Campaign, { method: 'POST', json: {} })
export const closeCampaign = (opts: ClientOptions, campaignId: string) => getJson(opts, `/api/campaigns/${id(campaignId)}/close`, Campaign, { method: 'POST', json: {} })
export const addCampaignTargets = (opts: ClientOptions, campaignId: string, body: CampaignAddTargets) =>
  getJson(opts, `/api/campaigns/${id(campaignId)}/targets`, CampaignAddTargetsResponse, { method: 'POST', json: body })
export const campaignProgress = (opts: ClientOptions, campaignId: string) => getJson(opts, `/api/campaigns/${id(campaignId)}/progress`, CampaignProgressResponse)
export const campaignResults = (opts: ClientOptions, campaignId: string) => getJson(opts, `/api/campaigns/${id(campaignId)}/results`, CampaignResultsResponse)
export const campaignHouseholds = (opts: ClientOptions, campaignId: string) => getJson(opts, `/api/campaigns/${id(campaignId)}/households`, CampaignHouseholdsResponse)

/** A draft given up: nothing of it stays but the audit line. */
export async function discardCampaign(opts: ClientOptions, campaignId: string): Promise<void> {
  await request(opts, `/api/campaigns/${id(campaignId)}`, { method: 'DELETE' })
}

/** Progress, results or the hazard list as a file; names masked unless `unmasked` (logged). */
export function downloadCampaign(opts: ClientOptions, campaignId: string, part: CampaignExportPart, format: 'xlsx' | 'csv', unmasked = false) {
  return download(opts, `/api/exports/campaigns/${id(campaignId)}/${part}.${format}${unmasked ? '?unmasked=1' : ''}`, `campaign-${part}.${format}`)
}
