import {
  type NewCommunityRequest,
  NewCommunityResponse,
  type NewStreetStaffRequest,
  type PatchStreetStaffRequest,
  StreetCasesResponse,
  type StreetCaseStepRequest,
  StreetCaseStepResponse,
  StreetOverviewResponse,
  StreetStaffMember,
  StreetStaffResponse,
} from '../../domain'
import { type ClientOptions, getJson, request } from './client'

// HTTP for the street office's page (街道汇总): online only, nothing queued — the street's
// devices hold no community's records (docs/communities.md).

/** Every community's figures for a period. */
export const fetchStreetOverview = (opts: ClientOptions, q: { from: string; to: string }) =>
  getJson(opts, `/api/street/overview?${new URLSearchParams({ from: q.from, to: q.to })}`, StreetOverviewResponse)
/** The cases the communities escalated to the street. */
export const fetchStreetCases = (opts: ClientOptions) => getJson(opts, '/api/street/cases', StreetCasesResponse)
/** 街道办结 / 交回社区: the street answers a case a community escalated to it. */
export const answerStreetCase = (opts: ClientOptions, community: string, id: string, body: StreetCaseStepRequest) =>
  getJson(opts, `/api/street/cases/${encodeURIComponent(community)}/${encodeURIComponent(id)}/steps`, StreetCaseStepResponse, { method: 'POST', json: body })
/** 新增社区: the street office's admin adds a community and its first admin. */
export const addStreetCommunity = (opts: ClientOptions, body: NewCommunityRequest) =>
  getJson(opts, '/api/street/communities', NewCommunityResponse, { method: 'POST', json: body })

/** The street office's own accounts (its admin's). */
export const fetchStreetStaff = async (opts: ClientOptions) => (await getJson(opts, '/api/street/staff', StreetStaffResponse)).staff
export const addStreetStaff = (opts: ClientOptions, body: NewStreetStaffRequest) => getJson(opts, '/api/street/staff', StreetStaffMember, { method: 'POST', json: body })
export const patchStreetStaff = (opts: ClientOptions, id: string, body: PatchStreetStaffRequest) =>
  getJson(opts, `/api/street/staff/${encodeURIComponent(id)}`, StreetStaffMember, { method: 'PATCH', json: body })
export async function resetStreetStaffPassword(opts: ClientOptions, id: string, password: string): Promise<void> {
  await request(opts, `/api/street/staff/${encodeURIComponent(id)}/password`, { method: 'POST', json: { password } })
}
