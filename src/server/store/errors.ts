// What a database error means, whichever database said it: the store knows the dialects, the
// services only ask.

/** A unique or primary key was taken by another write (SQLite's SQLITE_CONSTRAINT_PRIMARYKEY /
 *  _UNIQUE from better-sqlite3, PostgreSQL's SQLSTATE 23505 from pg). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505'
}
