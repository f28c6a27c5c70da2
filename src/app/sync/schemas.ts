// The zod schemas, loaded when something is validated rather than with the first screen: zod
// alone is ~27 KB gzipped. Everything on the first screen imports zod-free modules of src/domain
// (constants, errorCodes, settingsDefaults, caseFlow, duePolicy, ids, mask, labels) and comes here
// to validate — except the answers on the way from the login screen to the home page, which
// answerChecks.ts checks by hand so that a new phone's first download carries no zod at all.
export const loadSchemas = () => import('../../domain')
