// Kept free of zod: the device reads a refusal's code without loading the schema library
// (src/app/api/answerChecks.ts); errors.ts builds the schema from this list.

/** Every error the server can answer, as a closed union: clients switch on `code`, never on text. */
export const ERROR_CODES = [
  'VALIDATION_FAILED', // the body, query or a mutation's data does not match its schema
  'BAD_REQUEST', // the request itself is malformed: its URL, headers or JSON syntax
  'BAD_CREDENTIALS', // wrong username or password
  'UNAUTHORIZED', // no token, or an expired or unknown one
  'FORBIDDEN', // the role may not do this at all
  'OUT_OF_SCOPE', // the record belongs to a grid cell the user is not assigned to
  'NOT_FOUND', // the route, or a record a mutation refers to, does not exist
  'ID_TAKEN', // a create with an id that already holds a different record
  'ALREADY_EXISTS', // the admin makes something the register already has (a cell's code, a building's number)
  'IN_USE', // retiring or moving what still holds households (the message says how many)
  'STALE', // what the request decided on changed meanwhile (a conflict settled by someone else, the field edited again): reload and decide again
  'UNSUPPORTED_OPERATION', // this entity cannot take this op (visits, a matter's steps and its ledger entries are append-only)
  'INVALID_TRANSITION', // the case's (or campaign's, need's, project's, service record's, matter's) state does not allow this action (the reason says which)
  'ATTACHMENT_MISSING', // a record refers to a photo the server has not received yet
  'UNSUPPORTED_MEDIA', // a body of a type the route does not take; an upload that is not a JPEG or PNG photo
  'PROTOCOL_MISMATCH', // the app speaks another sync protocol version: update the app
  'CURSOR_INVALID', // the pull cursor cannot be read
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED', // too many tries (logins): Retry-After says when to try again
  'QUOTA_EXCEEDED', // too many uploaded photos that no record shows yet: send the records first
  'CAMPAIGN_NO_TARGETS', // a campaign's targeting selects no household: nothing to launch or add
  'DEADLINE_PASSED', // a campaign launched (or set) with its deadline already past
  'CAMPAIGN_CLOSED', // an answer (or households) for a campaign that has closed: its results are frozen
  'CAMPAIGN_NOT_TARGET', // a campaign answer for a household the campaign does not target
  'RESPONDENT_REQUIRED', // a vote's answer without who gave it (业主本人 / 家属 / 租户)
  'VOTE_INCOMPLETE', // a vote launched without its rule, its scope, or a 表态 item in its checklist
  'UNKNOWN_CATEGORY', // a need, offer or point rule with a category not on the list (an app or server out of date)
  'PROJECT_NO_NEEDS', // a project that names no need: it is made to serve needs of the 需求清单
  'NO_CAPACITY', // a service-menu order for an offer whose capacity for this week or month is used up: nothing was written
  'POINTS_UNCONFIRMED', // points asked for hours the office has not confirmed: points come only with confirmation, by the rule table
  'DECISION_REQUIRED', // a matter moved to 决 without a decision record: a 表决 closed and passed over its places, or a resolution of a meeting of the matter held by now
  'FUNDS_SHORT', // a matter moved to 筹 without a budget, or with less received than the budget (the message says how much is missing)
  'STAGE_NOT_READY', // a matter's next stage asks for what it has not got: a meeting or consultation (议), the work done (办), residents' judgement (评), the 公示 over (筹)
  'BALANCE_NEGATIVE', // a ledger entry (an expense, a correction) that would leave the matter's balance below zero: nothing was written
  'INTERNAL', // anything unexpected; details stay in the server log
] as const
