import { z } from 'zod'
import { ERROR_CODES } from './errorCodes'

// The list itself is in errorCodes.ts, free of zod: the device reads a refusal's code without the schemas.
export { ERROR_CODES }

export const ErrorCode = z.enum(ERROR_CODES)
export type ErrorCode = z.infer<typeof ErrorCode>

export const ApiError = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.unknown().optional(),
})
export type ApiError = z.infer<typeof ApiError>

/** The one error shape every route answers. */
export const ErrorBody = z.object({ error: ApiError })
export type ErrorBody = z.infer<typeof ErrorBody>
