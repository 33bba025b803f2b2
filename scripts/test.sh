#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The whole test suite (the README's test command, `npm test`, and what .ci/run calls):
# setup, type check, ESLint, Verilog lint, then every vitest suite with its summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --quiet
echo "== type check"; npx tsc --noEmit -p .
echo "== eslint"; npx eslint .
if [ -x hdl/lint/lint.sh ]; then echo "== verilog lint"; hdl/lint/lint.sh; fi
echo "== vitest"; npx vitest run "$@"
