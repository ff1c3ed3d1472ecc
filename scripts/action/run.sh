#!/usr/bin/env bash
# The GitHub Action's check step: findings as annotations (and a step summary); with
# KB_SARIF=true, the same findings as kb.sarif for code scanning.
#   KB_ARGS   paths and flags for `kb check` (split at spaces)
#   KB_SARIF  `true` to write kb.sarif
# Exit status: kb's own (1 when errors were found, 2 when kb could not run).
set -uo pipefail

read -r -a args <<< "${KB_ARGS:-.}"

status=0
kb check --format github "${args[@]}" || status=$?

if [ "${KB_SARIF:-false}" = true ]; then
  sarif_status=0
  kb check --format sarif --exit-zero "${args[@]}" > kb.sarif || sarif_status=$?
  if [ "$sarif_status" -ne 0 ]; then
    echo "::error::kb could not write kb.sarif (exit $sarif_status)"
    [ "$status" -ne 0 ] || status=$sarif_status
  fi
fi
exit "$status"
