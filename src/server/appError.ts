import type { z } from 'zod'
import type { ApiError, ErrorCode } from '../domain'

/** The HTTP status of every error code: one table, so a code always answers with the same
 *  status, and a new code cannot be added without one (the Record must name every code).
 *  A mutation refused inside a push carries only the code (its result is in a 200 answer). */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  BAD_REQUEST: 400,
  BAD_CREDENTIALS: 401,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  OUT_OF_SCOPE: 403,
  NOT_FOUND: 404,
  ID_TAKEN: 409,
  ALREADY_EXISTS: 409,
  IN_USE: 409,
  STALE: 409,
  UNSUPPORTED_OPERATION: 400,
  INVALID_TRANSITION: 409,
  ATTACHMENT_MISSING: 409,
  UNSUPPORTED_MEDIA: 415,
  PROTOCOL_MISMATCH: 409,
  CURSOR_INVALID: 400,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 429,
  CAMPAIGN_NO_TARGETS: 409,
  DEADLINE_PASSED: 400,
  CAMPAIGN_CLOSED: 409,
  CAMPAIGN_NOT_TARGET: 409,
  RESPONDENT_REQUIRED: 400,
  VOTE_INCOMPLETE: 409,
  UNKNOWN_CATEGORY: 400,
  PROJECT_NO_NEEDS: 400,
  NO_CAPACITY: 409,
  POINTS_UNCONFIRMED: 409,
  DECISION_REQUIRED: 409,
  FUNDS_SHORT: 409,
  STAGE_NOT_READY: 409,
  BALANCE_NEGATIVE: 409,
  INTERNAL: 500,
}

/** An error a service or route raises on purpose; the error handler (http.ts) turns it into
 *  the one shape. Its own module, free of Fastify, so services raise it without importing the
 *  HTTP layer (which imports the services' types). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
  }
  get statusCode(): number {
    return ERROR_STATUS[this.code]
  }
  toJSON(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details }
  }
}

/** zod issues as a readable Chinese sentence plus a list a client can point at fields with. */
export function validationError(error: z.ZodError, where: string): AppError {
  const issues = error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }))
  const first = issues[0]
  const message = first ? `${where}不正确：${first.path ? `${first.path}：` : ''}${first.message}` : `${where}不正确`
  return new AppError('VALIDATION_FAILED', message, { issues })
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value)
  if (!r.success) throw validationError(r.error, where)
  return r.data
}
