import { describe, expect, it } from 'vitest'
import { Day, GeoPoint, Id, Instant, Phone, Polygon } from '../../src/domain'
import { messagesOf } from './messagesOf'

describe('Id', () => {
  it('is a UUID, and says so otherwise', () => {
    expect(Id.safeParse('0190a000-0000-7000-8000-000000000001').success).toBe(true)
    expect(messagesOf(Id.safeParse('0190a000-0000-7000-8000-00000000001'))).toEqual(['编号格式不对 (expected a UUID)'])
  })
})

describe('Instant and Day', () => {
  it('an instant is an ISO date-time in UTC or with an offset', () => {
    for (const s of ['2026-11-21T08:30:00.000Z', '2026-11-21T08:30:00Z', '2026-11-21T16:30:00+08:00']) expect(Instant.safeParse(s).success, s).toBe(true)
    for (const s of ['2026-11-21', '2026-11-21T08:30:00', '21/11/2026 08:30']) expect(messagesOf(Instant.safeParse(s)), s).toEqual(['时间格式不对 (expected an ISO date-time)'])
  })

  it('a day is YYYY-MM-DD', () => {
    expect(Day.safeParse('2026-11-21').success).toBe(true)
    for (const s of ['2026-11-21T00:00:00Z', '2026-13-01', '2026/11/21']) expect(messagesOf(Day.safeParse(s)), s).toEqual(['日期格式不对 (expected YYYY-MM-DD)'])
  })
})

describe('Phone', () => {
  it('trims, and names what is wrong', () => {
    expect(Phone.parse(' 13812345678 ')).toBe('13812345678')
    expect(messagesOf(Phone.safeParse('12345'))).toEqual(['电话号码格式不对'])
  })
})

describe('GeoPoint', () => {
  const point = (over: Record<string, unknown>) => GeoPoint.safeParse({ lat: 36.15, lng: 117.15, ...over })

  it('a point on Earth: latitude -90 to 90, longitude -180 to 180', () => {
    for (const [lat, lng] of [
      [90, 180],
      [-90, -180],
    ])
      expect(point({ lat, lng }).success, `${lat},${lng}`).toBe(true)
    expect(point({ lat: 90.01 }).success).toBe(false)
    expect(point({ lat: -90.01 }).success).toBe(false)
    expect(point({ lng: 180.01 }).success).toBe(false)
    expect(point({ lng: -180.01 }).success).toBe(false)
  })

  it('accuracy and source default to unknown and the register', () => {
    expect(GeoPoint.parse({ lat: 36.15, lng: 117.15 })).toEqual({ lat: 36.15, lng: 117.15, accuracy: null, source: 'register' })
    expect(point({ accuracy: 0, source: 'gps' }).success).toBe(true)
    expect(point({ source: 'manual' }).success).toBe(true)
    expect(point({ accuracy: -1 }).success).toBe(false)
    expect(point({ source: 'wifi' }).success).toBe(false)
  })
})

describe('Polygon', () => {
  const ring = (n: number): [number, number][] => Array.from({ length: n }, (_, i) => [117 + i / 100, 36])

  it('has at least one ring of at least four points', () => {
    expect(Polygon.safeParse({ type: 'Polygon', coordinates: [ring(4)] }).success).toBe(true)
    expect(messagesOf(Polygon.safeParse({ type: 'Polygon', coordinates: [ring(3)] }))).toEqual(['多边形至少需要4个点'])
    expect(Polygon.safeParse({ type: 'Polygon', coordinates: [] }).success).toBe(false)
    expect(Polygon.safeParse({ type: 'MultiPolygon', coordinates: [ring(4)] }).success).toBe(false)
  })
})
