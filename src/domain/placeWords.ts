import type { VoteScope } from './schemas/campaign'
import type { MatterScope } from './schemas/matter'

// A place as the notice board and the office say it: 幸福里小区 / 幸福里小区3号楼 /
// 幸福里小区3号楼2单元, or the community's own word for itself. Kept free of zod (the app reads it).

type Building = { compound: string; number: string }

export function placeWords(scope: VoteScope | MatterScope, buildingOf: (id: string) => Building | undefined, community = '全社区'): string {
  if (scope.kind === 'community') return community
  if (scope.kind === 'compound') return scope.compound
  const b = buildingOf(scope.buildingId)
  const name = b ? `${b.compound}${b.number}` : ''
  return scope.kind === 'unit' ? `${name}${scope.unit}单元` : name
}
