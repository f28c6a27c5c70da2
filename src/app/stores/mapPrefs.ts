import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { DEFAULT_MAP_PREFS, type MapPrefs, resolveBasemap } from '../map/basemaps'

const KEY = 'zoufang.map'

/** This device's map settings (basemap, Tianditu key, own tile server). Device-level on purpose:
 *  a key is per deployment, and a worker offline must still be able to switch to no basemap. */
export const useMapPrefsStore = defineStore('mapPrefs', () => {
  const prefs = ref<MapPrefs>(load())
  const resolved = computed(() => resolveBasemap(prefs.value))

  function load(): MapPrefs {
    try {
      return { ...DEFAULT_MAP_PREFS, ...(JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<MapPrefs>) }
    } catch {
      return { ...DEFAULT_MAP_PREFS }
    }
  }

  function update(patch: Partial<MapPrefs>): void {
    prefs.value = { ...prefs.value, ...patch }
    localStorage.setItem(KEY, JSON.stringify(prefs.value))
  }

  return { prefs, resolved, update }
})
