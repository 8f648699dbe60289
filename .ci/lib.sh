# Functions for .ci/run (sourced; test/ci/run.test.ts sources it too and drives them with fakes).
# Every stage adds to three counters; `summary` prints them as the last line, "N passed, M failed, K skipped",
# and returns non-zero when anything failed. A stage that cannot say how it went counts as failed.
passed=0
failed=0
skipped=0
failures=()
timings=()
OUT="${OUT:-$(mktemp -d)}"
CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

step() { echo; echo "=== $* ==="; }

fail_stage() { failed=$((failed + 1)); failures+=("$1"); }

# gate NAME CMD...: a check that is not a test runner counts as one test.
gate() {
  local name="$1"; shift
  step "$name"
  local start=$SECONDS
  if "$@"; then passed=$((passed + 1)); else fail_stage "$name (exit $?)"; fi
  timings+=("$name: $((SECONDS - start))s")
}

# vitest_run NAME CMD...: run vitest with a JSON report next to the default reporter and add its counts
# (.ci/vitest-counts.mjs: failed tests + suites that failed outside a test; an unreadable, truncated or
# inconsistent report fails the stage). A non-zero exit with no failure in the report fails it too.
vitest_run() {
  local name="$1"; shift
  local report="$OUT/$name.json"
  step "$name"
  local start=$SECONDS
  rm -f "$report"
  "$@" --reporter=default --reporter=json --outputFile.json="$report"
  local rc=$? counts p f s
  if counts=$(node "$CI_DIR/vitest-counts.mjs" "$report") && read -r p f s <<<"$counts"; then
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
    echo "$name: $p passed, $f failed, $s skipped (exit $rc)"
    if [ "$f" -gt 0 ]; then failures+=("$name ($f failed)")
    elif [ "$rc" -ne 0 ]; then fail_stage "$name (exit $rc, no failure in its report)"
    fi
  else
    fail_stage "$name (no usable report, exit $rc)"
  fi
  timings+=("$name: $((SECONDS - start))s")
}

# apt_ensure PKG...: install the Debian packages that are not installed yet (each checked on its own);
# a failed apt-get, or a package still missing afterwards, fails the run.
apt_ensure() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && { echo "installed already: $*"; return 0; }
  echo "installing: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || { echo "apt-get update failed"; return 1; }
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" || { echo "apt-get install failed"; return 1; }
  for pkg in "${missing[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || { echo "$pkg is still not installed"; return 1; }
  done
}

# summary: the failures and timings, then the last line. Returns 1 when anything failed.
summary() {
  echo
  [ "${#timings[@]}" -gt 0 ] && printf 'time %s\n' "${timings[@]}"
  [ "${#failures[@]}" -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
  echo "$passed passed, $failed failed, $skipped skipped"
  [ "$failed" -eq 0 ]
}
