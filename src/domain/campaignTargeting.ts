// Kept free of zod: a phone's home page decides which campaigns reach a household with it.

/** Whether a targeting names anything at all (CampaignTargeting, by shape: schemas/campaign.ts
 *  uses this in its own rules). */
export function hasCriteria(t: Record<'gridIds' | 'compounds' | 'buildingIds' | 'units' | 'tags' | 'attention', readonly unknown[]>): boolean {
  return t.gridIds.length + t.compounds.length + t.buildingIds.length + t.units.length + t.tags.length + t.attention.length > 0
}
