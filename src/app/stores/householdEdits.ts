import { defineStore } from 'pinia'
import type { Household, HouseholdPatch, Resident, ResidentPatch } from '../../domain'
import { uuidv7 } from '../../domain/ids'
import { db } from '../db/instance'
import { createLocal, patchHouseholdLocal, patchResidentLocal } from '../sync/outbox'
import { loadSchemas } from '../sync/schemas'
import { useSyncStore } from './sync'

/** What the worker types for someone new in a household. The ID number and 政法 tags are not
 *  theirs to record (the admin's, with the register). */
export type NewResident = Pick<Resident, 'name' | 'sex' | 'birthYear' | 'relation' | 'phone' | 'political'>

/** How a resident left, as the form gives it; or back to living there (a mistake undone). */
export type Departure = { status: 'moved_out'; statusDate: string; movedTo: string | null } | { status: 'deceased'; statusDate: string } | { status: 'present' }

/** The worker keeps the register true from the household page. Each change is saved on the
 *  device at once (record + outbox in one transaction), shown there, and sent as a field-level
 *  patch: only the fields that changed, so someone else's edit of another field is no conflict. */
export const useHouseholdEditsStore = defineStore('householdEdits', () => {
  const sync = useSyncStore()

  /** Sends only what differs from the household as the device has it; false when nothing did. */
  async function editHousehold(current: Household, wanted: HouseholdPatch): Promise<boolean> {
    const { HouseholdPatch } = await loadSchemas()
    const parsed = HouseholdPatch.parse(wanted)
    const patch = Object.fromEntries(
      Object.entries(parsed).filter(([k, v]) => v !== undefined && JSON.stringify(v) !== JSON.stringify((current as Record<string, unknown>)[k] ?? (k === 'notes' ? '' : null))),
    ) as HouseholdPatch
    if (Object.keys(patch).length === 0) return false
    await patchHouseholdLocal(db, current.id, patch)
    sync.saved()
    return true
  }

  async function addResident(household: Pick<Household, 'id' | 'gridId'>, input: NewResident): Promise<Resident> {
    const { ResidentCreate } = await loadSchemas()
    const resident = ResidentCreate.parse({ ...input, id: uuidv7(), householdId: household.id, gridId: household.gridId, idMasked: null, tags: [], status: 'present', statusDate: null, movedTo: null })
    await createLocal(db, 'resident', resident)
    sync.saved()
    return resident
  }

  /** A move, a death or its undoing carries the whole status (day and destination too), so the
   *  device shows what the server will store: it clears what a status does not send. */
  async function markResident(resident: Resident, departure: Departure): Promise<void> {
    const patch: ResidentPatch = {
      status: departure.status,
      statusDate: departure.status === 'present' ? null : departure.statusDate,
      movedTo: departure.status === 'moved_out' ? departure.movedTo : null,
    }
    await changeResident(resident, patch)
  }

  async function changePhone(resident: Resident, phone: string | null): Promise<boolean> {
    if ((resident.phone ?? null) === phone) return false
    await changeResident(resident, { phone })
    return true
  }

  async function changeResident(resident: Resident, patch: ResidentPatch): Promise<void> {
    const { ResidentPatch } = await loadSchemas()
    await patchResidentLocal(db, resident, ResidentPatch.parse(patch))
    sync.saved()
  }

  return { editHousehold, addResident, markResident, changePhone }
})
