// The zod schemas, loaded when something is validated rather than with the first screen: zod
// alone is ~27 KB gzipped. Everything on the first screen imports zod-free modules of src/domain
// (constants, settingsDefaults, caseFlow, duePolicy, ids, mask, labels) and comes here to validate.
export const loadSchemas = () => import('../../domain')
