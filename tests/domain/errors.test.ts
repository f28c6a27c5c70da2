import { describe, expect, it } from 'vitest'
import { ERROR_CODES, ErrorBody, ErrorCode } from '../../src/domain'

describe('ErrorBody', () => {
  it('accepts every known code, with or without details', () => {
    for (const code of ERROR_CODES) expect(ErrorBody.safeParse({ error: { code, message: '出错了' } }).success, code).toBe(true)
    expect(ErrorBody.safeParse({ error: { code: 'VALIDATION_FAILED', message: '地址不能为空', details: [{ path: ['address'] }] } }).success).toBe(true)
  })

  it('rejects an unknown code, so a client never switches on a code it cannot handle', () => {
    expect(ErrorBody.safeParse({ error: { code: 'TEAPOT', message: 'no' } }).success).toBe(false)
  })

  it('rejects an error without a message and a bare error object', () => {
    expect(ErrorBody.safeParse({ error: { code: 'INTERNAL' } }).success).toBe(false)
    expect(ErrorBody.safeParse({ code: 'INTERNAL', message: 'x' }).success).toBe(false)
  })
})

describe('error codes', () => {
  it('are the closed set clients switch on', () => {
    // Written out by hand: the app reacts to each of these (asks to log in, to update, waits and retries, …).
    const codes = ['VALIDATION_FAILED', 'BAD_REQUEST', 'BAD_CREDENTIALS', 'UNAUTHORIZED', 'FORBIDDEN', 'OUT_OF_SCOPE', 'NOT_FOUND', 'ID_TAKEN', 'UNSUPPORTED_OPERATION']
    codes.push('INVALID_TRANSITION', 'ATTACHMENT_MISSING', 'UNSUPPORTED_MEDIA', 'PROTOCOL_MISMATCH', 'CURSOR_INVALID', 'PAYLOAD_TOO_LARGE', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'INTERNAL')
    for (const code of codes) expect(ErrorCode.safeParse(code).success, code).toBe(true)
  })
})
