import { describe, expect, it } from 'vitest'
import { Id, uuidv7 } from '../../src/domain'

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidv7', () => {
  it('makes a version-7, RFC 4122 variant UUID that the Id schema accepts', () => {
    const id = uuidv7()
    expect(id).toMatch(V7)
    expect(Id.safeParse(id).success).toBe(true)
  })

  it('carries the timestamp in its first 48 bits', () => {
    const now = Date.UTC(2026, 10, 21, 8, 30)
    expect(parseInt(uuidv7(now).replace(/-/g, '').slice(0, 12), 16)).toBe(now)
  })

  it('keeps every random bit but the version and variant', () => {
    const now = Date.UTC(2026, 10, 21, 8, 30)
    const ts = now.toString(16).padStart(12, '0')
    const t = `${ts.slice(0, 8)}-${ts.slice(8)}`
    expect(uuidv7(now, (n) => new Uint8Array(n).fill(0xff))).toBe(`${t}-7fff-bfff-ffffffffffff`)
    expect(uuidv7(now, (n) => new Uint8Array(n))).toBe(`${t}-7000-8000-000000000000`)
    expect(uuidv7(0, (n) => new Uint8Array(n).fill(0x0a))).toBe('00000000-0000-7a0a-8a0a-0a0a0a0a0a0a')
  })

  it('sorts by creation time, whatever the random bits', () => {
    const t0 = Date.UTC(2026, 0, 1)
    const high = (n: number) => new Uint8Array(n).fill(0xff)
    const low = (n: number) => new Uint8Array(n)
    // A later id with the smallest random bits still sorts after an earlier id with the largest.
    const times = [t0, t0 + 1, t0 + 1000, t0 + 86_400_000]
    const made = times.map((t, i) => uuidv7(t, i % 2 ? low : high))
    expect([...made].sort()).toEqual(made)
  })

  it('never repeats over 10,000 calls', () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => uuidv7()))
    expect(seen.size).toBe(10_000)
  })
})
