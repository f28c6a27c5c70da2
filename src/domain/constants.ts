// Protocol numbers with no zod attached: the device's first screen imports these without
// loading the schema library (keep this file free of zod).

/** Bumped whenever a change would make an older app misread the server or vice versa. */
export const PROTOCOL_VERSION = 1
export const PROTOCOL_HEADER = 'x-zoufang-protocol'
export const MAX_PUSH_BATCH = 200
export const MAX_PULL_LIMIT = 2000
/** A pull answer with more behind it names the next page's cursor in this header too (the same
 *  as its body's `cursor`): the device can ask for that page as soon as the headers are in,
 *  before it has read, parsed and written this one (src/app/sync/pullPages.ts). */
export const PULL_NEXT_HEADER = 'x-zoufang-next-cursor'
export const DEFAULT_PULL_LIMIT = 1000
/** A pull page stops growing past this many bytes of records (and always holds at least one):
 *  big records (grid boundaries, long notes) must not make one answer too large for a phone. */
export const PULL_PAGE_BYTES = 1_000_000

/** The key of a deployment's first community (docs/communities.md): the one a public page shows
 *  when its address names none, and whose records are the main store's own tables. */
export const MAIN_COMMUNITY = 'main'
/** A community's key (代号): it names its SQLite file or PostgreSQL schema, so lower-case letters,
 *  digits and _ only, starting with a letter. */
export const COMMUNITY_KEY = /^[a-z][a-z0-9_]{0,30}$/
/** Keys no community the street adds may take: the first community's, and the street office's. */
export const RESERVED_COMMUNITY_KEYS: readonly string[] = [MAIN_COMMUNITY, 'street']

/** An office device keeps the last 90 days of visits (Settings.officeVisitDays). Here, not in
 *  settingsDefaults.ts, because the Settings schema fills it in and settingsDefaults.ts takes its
 *  types from the schemas: one import each way would be a circle. */
export const DEFAULT_OFFICE_VISIT_DAYS = 90
