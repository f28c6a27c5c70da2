import { defineStore } from 'pinia'
import { computed } from 'vue'
import { threePartyBoard } from '../../domain/threeParty'
import { db } from '../db/instance'
import { useLiveQuery } from '../db/useLiveQuery'
import { useCasesStore } from './cases'
import { useMattersStore } from './matters'
import { useRegisterStore } from './register'

/** 三方议事 (office): each compound's open cases and matters that involve 物业 or 业委会, and whose
 *  turn each is — from the device, offline too (domain/threeParty.ts decides). */
export const useThreePartyStore = defineStore('threeParty', () => {
  const cases = useCasesStore()
  const matters = useMattersStore()
  const register = useRegisterStore()
  const meetings = useLiveQuery(() => db.meetings.toArray(), [], undefined, { wholeTables: true })
  const compoundOfHousehold = computed(() => {
    const byId = new Map(register.households.map((h) => [h.id, h.buildingId ? register.buildingById.get(h.buildingId)?.compound : undefined]))
    return (id: string) => byId.get(id)
  })
  const board = computed(() =>
    threePartyBoard({
      cases: cases.cases,
      teams: cases.teams,
      matters: matters.matters,
      meetings: meetings.value,
      compoundOfHousehold: compoundOfHousehold.value,
      compoundOfBuilding: (id) => register.buildingById.get(id)?.compound,
    }),
  )
  return { board }
})
