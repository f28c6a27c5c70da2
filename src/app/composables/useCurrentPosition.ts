import { onScopeDispose, shallowRef } from 'vue'
import type { GeoPoint } from '../../domain'

/** Watches the phone's position while a form is open, so saving can use the latest fix at once.
 *  Never asked for at save time: a denied, slow or absent GPS must never delay saving. */
export function useCurrentPosition(maxAgeMs = 120_000) {
  const fix = shallowRef<{ point: GeoPoint; at: number } | null>(null)
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined
  let watchId: number | null = null
  if (geo) {
    watchId = geo.watchPosition(
      (p) => {
        fix.value = {
          point: { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: Math.round(p.coords.accuracy), source: 'gps' },
          at: Date.now(),
        }
      },
      () => undefined, // denied or unavailable: the visit is saved without a position
      { enableHighAccuracy: true, maximumAge: 60_000, timeout: 30_000 },
    )
  }
  onScopeDispose(() => {
    if (watchId !== null) geo?.clearWatch(watchId)
  })
  /** The latest fix if recent enough, else null. Returns immediately. */
  function current(): GeoPoint | null {
    return fix.value && Date.now() - fix.value.at <= maxAgeMs ? fix.value.point : null
  }
  return { current }
}
