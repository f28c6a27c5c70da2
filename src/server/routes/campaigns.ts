import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { Campaign, CampaignAddTargets, CampaignCreate, CampaignPatch, CampaignPreviewRequest, Id } from '../../domain'
import type { Deps } from '../deps'
import { route } from '../http'
import {
  addTargets,
  campaignHouseholds,
  campaignProgress,
  campaignResults,
  closeCampaign,
  createCampaign,
  discardCampaign,
  getCampaign,
  launchCampaign,
  listCampaigns,
  patchCampaign,
  previewCampaign,
} from '../services/campaigns'

const Params = z.object({ id: Id })
const OFFICE = ['secretary', 'admin'] as const

// 专项任务, managed by the office (docs/campaigns.md). Workers never call these: campaigns and
// their cells' targets reach them by pull, and their answers come as visits naming the campaign.
export function campaignRoutes(app: FastifyInstance, { authenticate }: Deps): void {
  route(app, authenticate, { method: 'GET', url: '/api/campaigns', auth: OFFICE }, async ({ store, user }) => listCampaigns(store, user))

  route(app, authenticate, { method: 'POST', url: '/api/campaigns', auth: OFFICE, body: CampaignCreate, response: Campaign }, async ({ store, user, body, reply }) => {
    void reply.status(201) // returned, not sent: the answer is checked against its schema
    return createCampaign(store, user, body)
  })

  // What a targeting selects, before a launch or an addition; writes nothing.
  route(app, authenticate, { method: 'POST', url: '/api/campaigns/preview', auth: OFFICE, body: CampaignPreviewRequest }, async ({ store, user, body }) =>
    previewCampaign(store, user, body),
  )

  route(app, authenticate, { method: 'GET', url: '/api/campaigns/:id', auth: OFFICE, params: Params }, async ({ store, user, params }) => getCampaign(store, user, params.id))

  route(app, authenticate, { method: 'PATCH', url: '/api/campaigns/:id', auth: OFFICE, params: Params, body: CampaignPatch }, async ({ store, user, params, body }) =>
    patchCampaign(store, user, params.id, body),
  )

  route(app, authenticate, { method: 'DELETE', url: '/api/campaigns/:id', auth: OFFICE, params: Params }, async ({ store, user, params, reply }) => {
    await discardCampaign(store, user, params.id)
    return reply.status(204).send()
  })

  route(app, authenticate, { method: 'POST', url: '/api/campaigns/:id/launch', auth: OFFICE, params: Params }, async ({ store, user, params }) =>
    launchCampaign(store, user, params.id),
  )

  route(app, authenticate, { method: 'POST', url: '/api/campaigns/:id/targets', auth: OFFICE, params: Params, body: CampaignAddTargets }, async ({ store, user, params, body }) =>
    addTargets(store, user, params.id, body),
  )

  route(app, authenticate, { method: 'POST', url: '/api/campaigns/:id/close', auth: OFFICE, params: Params }, async ({ store, user, params }) =>
    closeCampaign(store, user, params.id),
  )

  route(app, authenticate, { method: 'GET', url: '/api/campaigns/:id/progress', auth: OFFICE, params: Params }, async ({ store, user, params }) =>
    campaignProgress(store, user, params.id),
  )

  route(app, authenticate, { method: 'GET', url: '/api/campaigns/:id/results', auth: OFFICE, params: Params }, async ({ store, user, params }) =>
    campaignResults(store, user, params.id),
  )

  route(app, authenticate, { method: 'GET', url: '/api/campaigns/:id/households', auth: OFFICE, params: Params }, async ({ store, user, params }) =>
    campaignHouseholds(store, user, params.id),
  )
}
