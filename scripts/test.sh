#!/bin/bash
# The whole test suite: installs what it needs, then swift test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export OMP_THREAD_LIMIT=1
swift test
