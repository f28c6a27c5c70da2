import { MAIN_COMMUNITY } from '../domain/constants'
import { DEMO_DEFAULTS, type DemoCommunity, type DemoOptions, generateCommunity } from './generate'

// A street (街道) of demo communities (ZOUFANG_DEMO_COMMUNITIES): the first is the demo community
// everyone knows (幸福里, logins grid01 … secretary, admin); each other is generated from its own
// seed and named after its own place, its logins prefixed with its key (heping-grid01 …), since
// a username is the whole street's. The street office's one login is `street`.

export interface DemoStreetCommunity {
  key: string
  name: string
  community: DemoCommunity
}

const PLACES = [
  { key: MAIN_COMMUNITY, stem: '幸福里' },
  { key: 'heping', stem: '和平里' },
  { key: 'xiangyang', stem: '向阳里' },
  { key: 'chaoyang', stem: '朝阳里' },
  { key: 'jinxiu', stem: '锦绣里' },
]

export const STREET_NAME = '泰山路街道'
export const STREET_KEY = 'street'

/** Where the stem of the first community's name appears in generated text (names of compounds,
 *  its canteen, its party branch), the other community's stem instead. Photos keep their bytes. */
function renamed<T>(value: T, from: string, to: string): T {
  if (typeof value === 'string') return value.replaceAll(from, to) as T
  if (Array.isArray(value)) return value.map((v) => renamed(v, from, to)) as T
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return value
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, from, to)])) as T
}

export function generateStreet(count: number, options: DemoOptions = {}): DemoStreetCommunity[] {
  const out: DemoStreetCommunity[] = []
  for (let i = 0; i < count; i++) {
    const place = PLACES[i] ?? { key: `c${i + 1}`, stem: `第${i + 1}` }
    const base = generateCommunity({ ...options, seed: (options.seed ?? DEMO_DEFAULTS.seed) + i })
    if (i === 0) {
      out.push({ key: place.key, name: base.name, community: base })
      continue
    }
    const community = renamed(base, PLACES[0]!.stem, place.stem)
    community.users = community.users.map((u) => ({ ...u, username: `${place.key}-${u.username}` }))
    out.push({ key: place.key, name: community.name, community })
  }
  return out
}
