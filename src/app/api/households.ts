import { HouseholdVisitsResponse } from '../../domain/protocol'
import { type ClientOptions, getJson } from './client'

// HTTP for what an office device does not keep: a household's visits older than its window
// (Settings.officeVisitDays). Online only, read-only.

export const fetchHouseholdVisits = async (opts: ClientOptions, householdId: string) =>
  (await getJson(opts, `/api/households/${encodeURIComponent(householdId)}/visits`, HouseholdVisitsResponse)).visits
