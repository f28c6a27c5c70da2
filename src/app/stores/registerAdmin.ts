import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Building, GridCell, Polygon } from '../../domain'
import type { CreateBuildingRequest, PatchBuildingRequest, RegisterStructure } from '../../domain/schemas/registerAdmin'
import * as api from '../api/admin'
import { errorText } from '../i18n/errorText'
import { LocalError } from '../i18n/localError'
import { useSessionStore } from './session'
import { useSyncStore } from './sync'

export type StructureGrid = RegisterStructure['grids'][number]
export type StructureBuilding = RegisterStructure['buildings'][number]

/** The admin's register page: grid cells, compounds and buildings as the server has them, with
 *  their household counts. Online only, like the other admin pages; after each change the
 *  device's own copy follows at the next sync, which is asked for at once. */
export const useRegisterAdminStore = defineStore('registerAdmin', () => {
  const session = useSessionStore()
  const sync = useSyncStore()
  const client = { getToken: () => session.token }
  const online = computed(() => sync.online)

  const grids = ref<StructureGrid[]>([])
  const buildings = ref<StructureBuilding[]>([])
  const loaded = ref(false)
  const loading = ref(false)
  const error = ref<string | null>(null)

  const unlocated = computed(() => buildings.value.filter((b) => !b.location))
  const compounds = computed(() => {
    const by = new Map<string, StructureBuilding[]>()
    for (const b of buildings.value) by.set(b.compound, [...(by.get(b.compound) ?? []), b])
    return [...by].map(([name, list]) => ({ name, buildings: list, households: list.reduce((n, b) => n + b.households, 0) }))
  })

  async function load(): Promise<void> {
    error.value = null
    if (!online.value) {
      error.value = errorText(new LocalError('offlineRegister'))
      return
    }
    loading.value = true
    try {
      const s = await api.fetchRegisterStructure(client)
      grids.value = s.grids
      buildings.value = s.buildings
      loaded.value = true
    } catch (err) {
      error.value = errorText(err)
    } finally {
      loading.value = false
    }
  }

  /** Runs a change; its refusal is kept in `error` in the server's words, and the caller is told. */
  async function change<T>(fn: () => Promise<T>): Promise<T | null> {
    error.value = null
    if (!online.value) {
      error.value = errorText(new LocalError('offlineRegisterEdit'))
      return null
    }
    try {
      const out = await fn()
      void sync.syncNow()
      return out
    } catch (err) {
      error.value = errorText(err)
      return null
    }
  }

  const keepGrid = (g: GridCell) => {
    const i = grids.value.findIndex((x) => x.id === g.id)
    const households = i >= 0 ? grids.value[i]!.households : 0
    if (i >= 0) grids.value.splice(i, 1, { ...g, households })
    else grids.value.push({ ...g, households })
    return g
  }
  const keepBuilding = (b: Building) => {
    const i = buildings.value.findIndex((x) => x.id === b.id)
    const households = i >= 0 ? buildings.value[i]!.households : 0
    if (i >= 0) buildings.value.splice(i, 1, { ...b, households })
    else buildings.value.push({ ...b, households })
    return b
  }

  return {
    grids,
    buildings,
    unlocated,
    compounds,
    loaded,
    loading,
    error,
    online,
    load,
    createGridCell: (code: string, name: string) => change(async () => keepGrid(await api.createGridCell(client, { code, name, polygon: null }))),
    renameGridCell: (id: string, name: string) => change(async () => keepGrid(await api.patchGridCell(client, id, { name }))),
    setBoundary: (id: string, polygon: Polygon | null) => change(async () => keepGrid(await api.patchGridCell(client, id, { polygon }))),
    retireGridCell: (id: string) =>
      change(async () => {
        await api.retireGridCell(client, id)
        grids.value = grids.value.filter((g) => g.id !== id)
        return true
      }),
    createBuilding: (req: CreateBuildingRequest) => change(async () => keepBuilding(await api.createBuilding(client, req))),
    patchBuilding: (id: string, patch: PatchBuildingRequest) => change(async () => keepBuilding(await api.patchBuilding(client, id, patch))),
    retireBuilding: (id: string) =>
      change(async () => {
        await api.retireBuilding(client, id)
        buildings.value = buildings.value.filter((b) => b.id !== id)
        return true
      }),
    renameCompound: (from: string, to: string) =>
      change(async () => {
        const out = await api.renameCompound(client, from, to)
        buildings.value = buildings.value.map((b) => (b.compound === from ? { ...b, compound: to } : b))
        return out
      }),
  }
})
