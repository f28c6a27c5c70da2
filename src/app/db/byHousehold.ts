/** Records grouped by the household they belong to, in the order they come: what a household's
 *  pack holds (db/packs.ts), and what the schema upgrades that made the packs put in them. */
export function groupByHousehold<R extends { householdId: string }>(records: Iterable<R>): Map<string, R[]> {
  const byHousehold = new Map<string, R[]>()
  for (const r of records) {
    const list = byHousehold.get(r.householdId)
    if (list) list.push(r)
    else byHousehold.set(r.householdId, [r])
  }
  return byHousehold
}
