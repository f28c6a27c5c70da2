import { computed, onScopeDispose, shallowRef } from 'vue'
import type { GeoPoint } from '../../domain'

/** Watches the phone's position while a form is open, so saving can use the latest fix at once.
 *  Never asked for at save time: a denied, slow or absent GPS must never delay saving. */
export function useCurrentPosition(maxAgeMs = 120_000) {
  const fix = shallowRef<{ point: GeoPoint; at: number } | null>(null)
  const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined
  let watchId: number | null = null
  /** Why there is no fix: still waiting, the user said no, or the device cannot tell. */
  const failed = shallowRef<'denied' | 'unavailable' | null>(geo ? null : 'unavailable')
  if (geo) {
    watchId = geo.watchPosition(
      (p) => {
        fix.value = {
          point: { lat: p.coords.latitude, lng: p.coords.longitude, accuracy: Math.round(p.coords.accuracy), source: 'gps' },
          at: Date.now(),
        }
        failed.value = null
      },
      // Denied or unavailable: the visit is saved without a position, and the form says so.
      (err) => {
        if (err.code === err.PERMISSION_DENIED) failed.value = 'denied'
        else if (!fix.value && err.code === err.POSITION_UNAVAILABLE) failed.value = 'unavailable'
      },
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
  /** What the form shows: captured (with its accuracy in metres), waiting, denied, unavailable. */
  const state = computed(() =>
    fix.value ? ({ kind: 'captured', accuracy: fix.value.point.accuracy ?? null } as const) : ({ kind: failed.value ?? 'waiting', accuracy: null } as const),
  )
  return { current, state }
}
