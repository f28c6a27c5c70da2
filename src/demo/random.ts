// A small seeded PRNG (mulberry32) and helpers. The demo generator never touches
// Math.random or the real clock: the same seed always gives the same community.

/** Mixes a seed with a label into an independent 32-bit seed (FNV-1a over the label, then a finaliser). */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

export class Rng {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** Float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list')
    return items[Math.floor(this.next() * items.length)]!
  }

  /** Picks by weight: [[value, weight], …]. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0
    for (const [, w] of items) total += w
    let r = this.next() * total
    for (const [v, w] of items) {
      r -= w
      if (r < 0) return v
    }
    return items[items.length - 1]![0]
  }

  /** Roughly normal (sum of three uniforms), mean 0, sd ≈ 1. */
  gauss(): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1))
      const tmp = items[i]!
      items[i] = items[j]!
      items[j] = tmp
    }
    return items
  }

  /** n random bytes, for uuidv7's random part. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n)
    for (let i = 0; i < n; i += 4) {
      let v = Math.floor(this.next() * 4294967296)
      for (let k = 0; k < 4 && i + k < n; k++) {
        out[i + k] = v & 0xff
        v >>>= 8
      }
    }
    return out
  }
}

/** Samples up to k distinct items, each picked with probability proportional to its weight. */
export function weightedSample<T>(rng: Rng, items: readonly T[], weight: (item: T) => number, k: number): T[] {
  // Efraimidis–Spirakis: key = u^(1/w), keep the k largest.
  const keyed: { item: T; key: number }[] = []
  for (const item of items) {
    const w = weight(item)
    if (w <= 0) continue
    keyed.push({ item, key: Math.log(1 - rng.next()) / w })
  }
  keyed.sort((a, b) => b.key - a.key)
  return keyed.slice(0, k).map((x) => x.item)
}
