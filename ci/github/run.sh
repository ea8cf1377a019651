#!/usr/bin/env bash
# The zdd GitHub Action's work (action.yml runs it; a test runs it with the environment GitHub sets):
#   zdd check --format sarif        → a SARIF file for github/codeql-action/upload-sarif (output `sarif`)
#   zdd diff --format markdown      → the step summary, and a PR comment body file (output `comment`):
#                                     each checked path against its version at INPUT_DIFF_BASE
#   zdd compare (INPUT_COMPARE)     → a results folder for actions/upload-artifact (output `results`)
# Findings, unreadable input and a failed compare never stop it half-way: every file and output is written
# first, and the outcome is the output `failed`, which action.yml's last step turns into the job's failure.
#
# Environment: GITHUB_WORKSPACE (the checkout; every path is relative to it), GITHUB_OUTPUT,
# GITHUB_STEP_SUMMARY, RUNNER_TEMP; INPUT_CHECK (paths, space- or newline-separated), INPUT_PLATFORM,
# INPUT_FAIL_ON, INPUT_DIFF_BASE (a commit; empty: no diff), INPUT_COMPARE (true/false), INPUT_COMPARE_ARGS;
# ZDD, the command that runs zdd (default: the CLI built in the action's own checkout).
set -euo pipefail

: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set: run this from a GitHub Actions step}"
: "${GITHUB_STEP_SUMMARY:?GITHUB_STEP_SUMMARY is not set: run this from a GitHub Actions step}"
cd "${GITHUB_WORKSPACE:-.}"
out="${RUNNER_TEMP:-$(mktemp -d)}/zdd"
rm -rf "$out"
mkdir -p "$out"
read -r -a zdd <<<"${ZDD:-node ${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}/bin/zdd.js}"
read -r -d '' -a paths <<<"${INPUT_CHECK:-}" || true
if [ "${#paths[@]}" -eq 0 ]; then
  echo "::error title=zdd::the input 'check' names no file or folder" >&2
  exit 2
fi
platform=()
if [ -n "${INPUT_PLATFORM:-}" ]; then platform=(--platform "$INPUT_PLATFORM"); fi
failed=false

# --- check: SARIF for code scanning, and its human verdict for the summary --------------------------------
sarif="$out/zdd.sarif"
check_code=0
"${zdd[@]}" check --format sarif --fail-on "${INPUT_FAIL_ON:-error}" "${platform[@]}" "${paths[@]}" >"$sarif" ||
  check_code=$?
"${zdd[@]}" check --fail-on "${INPUT_FAIL_ON:-error}" "${platform[@]}" "${paths[@]}" >"$out/check.txt" 2>&1 || true
if [ "$check_code" -ne 0 ]; then failed=true; fi
if [ "$check_code" -ge 2 ] && ! [ -s "$sarif" ]; then
  # Bad flags (exit 2 before any report): nothing for code scanning; the reason is in check.txt.
  rm -f "$sarif"
fi
verdict="$(tail -n 2 "$out/check.txt")"

# --- diff: each checked path against its version at the base commit --------------------------------------
diff_md="$out/diff.md"
: >"$diff_md"
base="${INPUT_DIFF_BASE:-}"
if [ -n "$base" ]; then
  # actions/checkout fetches one commit by default: fetch the base when it is not there.
  if ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    git fetch --no-tags --depth=1 origin "$base" >/dev/null 2>&1 || true
  fi
  if git cat-file -e "$base^{commit}" 2>/dev/null; then
    short="$(git rev-parse --short "$base")"
    before="$out/base"
    mkdir -p "$before"
    for path in "${paths[@]}"; do
      clean="${path%/}"
      if git archive "$base" -- "$clean" 2>/dev/null | tar -x -C "$before" 2>/dev/null && [ -e "$before/$clean" ]; then
        if "${zdd[@]}" diff --format markdown "${platform[@]}" "$before/$path" "$path" >"$out/one-diff.md" 2>"$out/diff-error.txt"; then
          # The base side is a temp folder: name it by commit instead.
          sed "s|$before/|$short:|g" "$out/one-diff.md" >>"$diff_md"
        else
          printf '### zdd diff: `%s`\n\nzdd diff could not compare it: %s\n' "$path" "$(cat "$out/diff-error.txt")" >>"$diff_md"
        fi
      else
        printf '### zdd diff: `%s`\n\nNew in this change: not in %s.\n' "$path" "$short" >>"$diff_md"
      fi
      printf '\n' >>"$diff_md"
    done
  else
    printf 'zdd diff: the base commit %s could not be fetched; no diff.\n\n' "$base" >>"$diff_md"
  fi
fi

# --- compare (optional): the proof under load, on the local cluster ---------------------------------------
results=""
compare_md="$out/compare.md"
: >"$compare_md"
compare_code=""
if [ "${INPUT_COMPARE:-false}" = "true" ]; then
  results="$out/results"
  read -r -a compare_args <<<"${INPUT_COMPARE_ARGS:-}"
  compare_code=0
  "${zdd[@]}" compare --format markdown --results "$results" "${platform[@]}" "${compare_args[@]}" \
    >"$compare_md" 2>"$out/compare-log.txt" || compare_code=$?
  if [ "$compare_code" -ne 0 ]; then failed=true; fi
  if ! [ -s "$compare_md" ]; then
    printf 'zdd compare ended with exit code %s before its report:\n\n```\n%s\n```\n' \
      "$compare_code" "$(tail -n 20 "$out/compare-log.txt")" >"$compare_md"
  fi
fi

# --- the PR comment body and the step summary --------------------------------------------------------------
comment="$out/comment.md"
{
  # A marker a workflow can find to update its earlier comment instead of adding one per push.
  echo '<!-- zdd -->'
  echo '## zdd'
  echo
  printf '```\n%s\n```\n\n' "$verdict"
  cat "$diff_md"
  cat "$compare_md"
} >"$comment"
{
  cat "$comment"
  printf '<details><summary>zdd check</summary>\n\n```\n%s\n```\n\n</details>\n' "$(cat "$out/check.txt")"
} >>"$GITHUB_STEP_SUMMARY"

{
  echo "sarif=$([ -f "$sarif" ] && echo "$sarif")"
  echo "comment=$comment"
  echo "results=$results"
  echo "check-exit-code=$check_code"
  echo "compare-exit-code=$compare_code"
  echo "failed=$failed"
} >>"$GITHUB_OUTPUT"
cat "$out/check.txt"
