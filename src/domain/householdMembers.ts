import type { Answer, ChecklistItem, ChecklistTemplate } from './schemas/checklist'
import type { Resident } from './schemas/register'
import { say } from './language'

// Who lives in a household, one rule for the server (which writes headName and searchKey), the
// import, and the device (which shows the change at once). Zod-free: the first screen uses it.

type Member = Pick<Resident, 'name' | 'relation'> & { status?: Resident['status'] }

/** Living there: not moved out, not deceased. Records older than the status field have none. */
export function isPresent(r: { status?: Resident['status'] }): boolean {
  return r.status !== 'moved_out' && r.status !== 'deceased'
}

/** Whom lists name the household by, when the head is gone: the spouse, then a grown child… */
const HEAD_ORDER: Record<Resident['relation'], number> = { head: 0, spouse: 1, child: 2, parent: 3, sibling: 4, grandchild: 5, other: 6 }

/** The name lists show for a household: its head while they live there, else the next person
 *  living there by relation; when nobody does any more, the head it had (the flat is still
 *  known by that name at the door). Ties keep the register's order. */
export function householdHeadName(residents: readonly Member[]): string {
  const byRelation = (list: readonly Member[]) =>
    list.map((r, i) => ({ r, i })).sort((a, b) => HEAD_ORDER[a.r.relation] - HEAD_ORDER[b.r.relation] || a.i - b.i)[0]?.r
  return (byRelation(residents.filter(isPresent)) ?? byRelation(residents))?.name ?? ''
}

/** The names a household is found by: those living there. */
export function memberNames(residents: readonly Member[]): string[] {
  return residents.filter(isPresent).map((r) => r.name)
}

/** Why a resident's status does not hold together, in words; null when it does. `today` is the
 *  local day (YYYY-MM-DD): a move or death is not recorded ahead of time. */
export function residentStatusProblem(
  r: Pick<Resident, 'status' | 'statusDate' | 'movedTo' | 'birthYear'>,
  today: string,
): string | null {
  if (r.status === 'present') {
    if (r.statusDate !== null || r.movedTo !== null) return say('在住的居民没有迁出或去世日期', 'A resident who lives here has no date of moving out or death')()
    return null
  }
  if (!r.statusDate) return r.status === 'moved_out' ? say('请填写迁出日期', 'Enter the date of moving out')() : say('请填写去世日期', 'Enter the date of death')()
  if (r.statusDate > today) return say('日期不能晚于今天', 'The date cannot be after today')()
  if (Number(r.statusDate.slice(0, 4)) < r.birthYear) return say('日期早于出生年份', 'The date is before the year of birth')()
  if (r.status === 'deceased' && r.movedTo !== null) return say('去世的居民没有去向', 'A resident who died has not moved anywhere')()
  return null
}

/** What a checklist answer says about the family: someone new, someone moved out, someone died,
 *  or a change not named; null for none. */
export type FamilyChange = 'added' | 'moved_out' | 'deceased' | 'changed'

/** The checklist item that asks whether the family changed (日常走访's 家庭成员有无变化). Templates
 *  are the admin's data: known by its id in the default template, by its words in others. */
export function isFamilyChangeItem(item: Pick<ChecklistItem, 'id' | 'label'>): boolean {
  return item.id === 'members_changed' || (/家庭成员|家庭人口|家里人/.test(item.label) && /变化|变动/.test(item.label))
}

export function familyChangeOf(item: ChecklistItem, answer: Answer | undefined): FamilyChange | null {
  if (answer === undefined || !isFamilyChangeItem(item)) return null
  if (item.kind === 'yesno') return answer === true ? 'changed' : null
  if (typeof answer !== 'string' || /^\s*(无|没有|未|不)/.test(answer)) return null
  if (/新增|新生|出生|迁入|搬来|新来/.test(answer)) return 'added'
  if (/迁出|搬走|搬离|外迁/.test(answer)) return 'moved_out'
  if (/去世|死亡|过世|病故/.test(answer)) return 'deceased'
  // A choice other than the first (which says "no change" in every template seen) is a change;
  // free text says one only in the words above.
  return item.kind === 'choice' && answer !== item.options[0] ? 'changed' : null
}

/** The family change a filled checklist reports, if any. */
export function familyChangeIn(template: Pick<ChecklistTemplate, 'items'> | null | undefined, answers: Record<string, Answer | undefined>): FamilyChange | null {
  for (const item of template?.items ?? []) {
    const change = familyChangeOf(item, answers[item.id])
    if (change) return change
  }
  return null
}
