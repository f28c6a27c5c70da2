import { inject, type InjectionKey, type ShallowRef } from 'vue'
import type { Map as LeafletMap, Renderer } from 'leaflet'
import type { Datum, LatLng } from '../../../domain/gcj02'

/** What MapView gives the layer components inside it. Coordinates going in are WGS-84, as
 *  stored; `toMap` shifts them into the basemap's datum, `fromMap` shifts a picked point back. */
export interface MapContext {
  map: LeafletMap
  datum: Datum
  /** Panes, bottom to top: grid cells, household dots, cases (and trail, position). Fixed
   *  panes keep the stacking right whatever order the layers happen to redraw in. */
  panes: { grid: string; points: string; cases: string }
  /** Canvas renderers of the grid and cases panes. */
  renderers: { grid: Renderer; cases: Renderer }
  toMap(p: LatLng): LatLng
  fromMap(p: LatLng): LatLng
}

export const MAP_CONTEXT: InjectionKey<ShallowRef<MapContext | null>> = Symbol('map')

/** The map a layer component lives on. Layers are rendered only once the map exists. */
export function useMapContext(): ShallowRef<MapContext | null> {
  const ctx = inject(MAP_CONTEXT)
  if (!ctx) throw new Error('map layers must be placed inside <MapView>')
  return ctx
}
