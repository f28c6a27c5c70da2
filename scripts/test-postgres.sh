#!/usr/bin/env bash
# The server and sync suites on PostgreSQL, on a throwaway cluster (scripts/with-postgres.sh).
# Usage: npm run test:postgres [-- extra vitest arguments]; ZOUFANG_PG_TESTS="tests/server/x.test.ts"
# runs those files instead of both suites (while working on one).
set -euo pipefail
cd "$(dirname "$0")/.."
export ZOUFANG_TEST_DB=postgres
# shellcheck disable=SC2086 # a list of paths, split on purpose
exec bash scripts/with-postgres.sh npx vitest run --project node ${ZOUFANG_PG_TESTS:-tests/server tests/sync} "$@"
