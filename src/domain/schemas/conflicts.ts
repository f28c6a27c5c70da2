import { z } from 'zod'
import { Id, Instant } from './common'
import { HouseholdPatch, ResidentPatch } from './register'

// Two people changed the same household field from the same old version: the server kept the
// later write and recorded a conflict (design.md, "Conflicts"). These are the shapes of the
// office's list and of settling one, and of what a worker's phone hears when their value lost.
// A field's value travels as JSON of the field's own type (a housing code, a phone, a tag list).

/** The household fields a conflict can be about: those a patch may change. */
export type ConflictField = keyof HouseholdPatch

/** What a conflict is about: a household's field, or a resident's (their phone, their status). */
export const ConflictEntity = z.enum(['household', 'resident'])
export type ConflictEntity = z.infer<typeof ConflictEntity>

/** A resident's status, its day and destination answer one question (still here? moved out when,
 *  to where? died when?): their conflicts are settled together, by keeping or taking a side. */
export const RESIDENT_STATUS_FIELDS: readonly string[] = ['status', 'statusDate', 'movedTo']

/** The field's own schema (from HouseholdPatch or ResidentPatch), or null for a field patches no
 *  longer take. */
export function conflictFieldSchema(field: string, entity: ConflictEntity = 'household'): z.ZodType | null {
  const shape = (entity === 'resident' ? ResidentPatch.shape : HouseholdPatch.shape) as Record<string, z.ZodType | undefined>
  const s = Object.hasOwn(shape, field) ? shape[field] : undefined
  // Each shape entry is optional (a patch names only what it changes); a settled value must be there.
  return s ? (s as z.ZodOptional<z.ZodType>).unwrap() : null
}

/** A colleague, by display name (a colleague's name is not resident data). */
export const ConflictPerson = z.object({ id: Id, name: z.string() })
export type ConflictPerson = z.infer<typeof ConflictPerson>

/** One side of a conflict: a value, who wrote it and when the server took it. `by` and `at` are
 *  null where the server did not keep them (conflicts recorded before it did, imported values). */
export const ConflictSide = z.object({
  value: z.unknown(),
  by: ConflictPerson.nullable(),
  at: Instant.nullable(),
})
export type ConflictSide = z.infer<typeof ConflictSide>

export const SETTLE_CHOICES = ['current', 'other', 'value'] as const
export const SettleChoice = z.enum(SETTLE_CHOICES)
export type SettleChoice = z.infer<typeof SettleChoice>

export const ConflictSettlement = z.object({
  at: Instant,
  by: ConflictPerson.nullable(),
  choice: SettleChoice,
  /** The value that stands. */
  value: z.unknown(),
})

export const ConflictItem = z.object({
  id: z.number().int().positive(),
  entity: ConflictEntity.default('household'),
  householdId: Id,
  /** For a resident's field: who, by masked name as lists show them. */
  resident: z.object({ id: Id, nameMasked: z.string(), version: z.number().int().nonnegative() }).nullable().default(null),
  gridId: Id,
  /** As the office sees the household in lists: its address and the head's masked name. */
  address: z.string(),
  headNameMasked: z.string(),
  field: z.string(),
  /** The later write: what the household kept. */
  kept: ConflictSide,
  /** The earlier write it overwrote. */
  overwritten: ConflictSide,
  /** The field's value now (someone may have changed it again since). */
  current: z.unknown(),
  /** The household's version when listed: settling refuses if the field changed after it (for a
   *  resident's field, `resident.version` is the one sent back). */
  householdVersion: z.number().int().nonnegative(),
  settled: ConflictSettlement.nullable(),
})
export type ConflictItem = z.infer<typeof ConflictItem>

export const ConflictListQuery = z.object({
  /** open: not yet settled; settled: decided; all (default): open ones first, then settled, newest first. */
  state: z.enum(['open', 'settled', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
})
export type ConflictListQuery = z.infer<typeof ConflictListQuery>

export const ConflictListResponse = z.object({
  conflicts: z.array(ConflictItem),
  /** Matching the query, for paging. */
  total: z.number().int().nonnegative(),
  /** Open ones in the community, whatever the query: the count on the secretary's home. */
  open: z.number().int().nonnegative(),
})
export type ConflictListResponse = z.infer<typeof ConflictListResponse>

/** current: keep what the household holds now; other: take the value that was overwritten;
 *  value: enter the right one (checked by the field's schema on the server). `seenVersion` is
 *  the householdVersion the settler looked at: a field changed after it is refused as STALE. */
export const ConflictParams = z.object({ id: z.coerce.number<string>().int().positive().max(Number.MAX_SAFE_INTEGER) })

export const SettleConflictRequest = z.discriminatedUnion('choice', [
  z.strictObject({ choice: z.literal('current'), seenVersion: z.number().int().nonnegative() }),
  z.strictObject({ choice: z.literal('other'), seenVersion: z.number().int().nonnegative() }),
  z.strictObject({ choice: z.literal('value'), seenVersion: z.number().int().nonnegative(), value: z.unknown() }),
])
export type SettleConflictRequest = z.infer<typeof SettleConflictRequest>

/** What a worker's phone is told: a value they entered that does not stand on the household.
 *  Open: the later write stands until the office decides; settled: the office decided. */
export const ConflictNotice = z.object({
  id: z.number().int().positive(),
  householdId: Id,
  /** For a resident's field: whose, by masked name. */
  residentNameMasked: z.string().nullable().default(null),
  field: z.string(),
  /** The value this user entered. */
  mine: z.unknown(),
  mineAt: Instant.nullable(),
  /** The value that stands instead, who put it there and when. */
  standing: z.unknown(),
  by: ConflictPerson.nullable(),
  at: Instant.nullable(),
  settled: z.boolean(),
})
export type ConflictNotice = z.infer<typeof ConflictNotice>

export const MyConflictsResponse = z.object({ notices: z.array(ConflictNotice) })
export type MyConflictsResponse = z.infer<typeof MyConflictsResponse>
