import { mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import GpsState from '../../src/app/components/device/GpsState.vue'
import { useCurrentPosition } from '../../src/app/composables/useCurrentPosition'

// The visit and case forms say whether what is saved will carry a position: found (and how
// closely), still looking, not allowed, or a device that cannot tell — never silent.

type Ok = (p: { coords: { latitude: number; longitude: number; accuracy: number } }) => void
type Fail = (e: { code: number; PERMISSION_DENIED: number; POSITION_UNAVAILABLE: number }) => void

/** A stand-in for the phone's geolocation that the test drives by hand. */
function fakeGeolocation() {
  const calls: { ok: Ok; fail: Fail }[] = []
  const geo = { watchPosition: (ok: Ok, fail: Fail) => calls.push({ ok, fail }), clearWatch: vi.fn() }
  vi.stubGlobal('navigator', { ...navigator, geolocation: geo })
  return {
    found: (accuracy: number) => calls[0]!.ok({ coords: { latitude: 31.2, longitude: 121.4, accuracy } }),
    error: (code: number) => calls[0]!.fail({ code, PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2 }),
  }
}

function form() {
  const Host = defineComponent(() => {
    const position = useCurrentPosition()
    return () => h(GpsState, { state: position.state.value })
  })
  return mount(Host)
}

const shown = (w: ReturnType<typeof mount>) => w.get('[data-testid="gps-state"]')

afterEach(() => vi.unstubAllGlobals())

describe('the form says where its position stands', () => {
  it('waits, then shows the fix and its accuracy in metres', async () => {
    const gps = fakeGeolocation()
    const w = form()
    expect(shown(w).attributes('data-state')).toBe('waiting')
    expect(shown(w).text()).toContain('正在定位')
    gps.found(17.6)
    await w.vm.$nextTick()
    expect(shown(w).attributes('data-state')).toBe('captured')
    expect(shown(w).text()).toBe('位置：已定位（误差约 18 米）')
  })

  it('says when the worker did not allow it, and that saving goes on without it', async () => {
    const gps = fakeGeolocation()
    const w = form()
    gps.error(1)
    await w.vm.$nextTick()
    expect(shown(w).attributes('data-state')).toBe('denied')
    expect(shown(w).text()).toContain('保存时不带位置')
  })

  it('keeps a fix it has when one later reading fails, and a device without GPS says so', async () => {
    const gps = fakeGeolocation()
    const w = form()
    gps.found(5)
    gps.error(2)
    await w.vm.$nextTick()
    expect(shown(w).attributes('data-state')).toBe('captured')
    vi.stubGlobal('navigator', { ...navigator, geolocation: undefined })
    const without = form()
    expect(shown(without).attributes('data-state')).toBe('unavailable')
  })
})
