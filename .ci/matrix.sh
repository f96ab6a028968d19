#!/usr/bin/env bash
# `make test-matrix`: every ansible-core of .ci/matrix.txt (the floor to the
# newest), each in its own venv outside the repository, on the Python it needs:
# ansible-test sanity, the unit tests, the integration tests (playbooks and
# inventory) and the demo. Prints a table (and writes it to $MATRIX_HOME/table.md).
#
# Interpreters are resolved by full path at run time (pyenv's shims on PATH fail
# unless pyenv selects them): $MATRIX_PYTHON_3_12 (say) if set, then pyenv's
# builds, then /usr/local/bin and /usr/bin. A cell whose Python is missing is
# SKIPPED with a banner; MATRIX_STRICT=1 makes a skip fail the run.
#
# Settings: MATRIX_HOME (venvs, logs, table; default ~/.cache/mistio.cloud-matrix),
# MATRIX_VERSIONS ("2.17 2.21": only the cells whose version starts so),
# MATRIX_JOBS (pytest-xdist workers, default 2), MATRIX_FILE (default .ci/matrix.txt),
# MATRIX_PINNED_TESTED=1 (CI, right after `make test`: the cell of the pinned
# ansible-core of requirements-dev.txt is not run twice; the table says so).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
home=${MATRIX_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/mistio.cloud-matrix}
jobs=${MATRIX_JOBS:-2}
only=${MATRIX_VERSIONS:-}
cells=${MATRIX_FILE:-$root/.ci/matrix.txt}
home=$(realpath -m "$home")
case "$home/" in
  "$root"/*) echo "MATRIX_HOME ($home) must be outside the repository: ansible-test and ansible-lint would see the venvs." >&2; exit 2 ;;
esac
mkdir -p "$home/logs" "$home/venvs"
trap 'rm -f "$home/.times.$$"' EXIT
export LC_ALL=C.UTF-8 NO_COLOR=1 ANSIBLE_NOCOLOR=1 PYTHONDONTWRITEBYTECODE=1

# The test tools every cell installs, at the versions the pinned venv uses.
pin() { grep -E "^$1==" "$root/requirements-dev.txt" | head -n 1; }
# pytest-ansible is left out: it needs a newer ansible-core than the floor (its tests skip).
tools="$(pin requests) $(pin pytest) $(pin pytest-xdist)"

find_python() {  # X.Y -> the path of a working interpreter of that version, or nothing
  local want=$1 var="MATRIX_PYTHON_${1//./_}" pyenv_root=${PYENV_ROOT:-$HOME/.pyenv} c
  local candidates=()
  [ -n "${!var:-}" ] && candidates+=("${!var}")
  while IFS= read -r c; do candidates+=("$c"); done < <(printf '%s\n' "$pyenv_root"/versions/"$want".*/bin/python"$want" | sort -rV)
  candidates+=("/usr/local/bin/python$want" "/usr/bin/python$want")
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    if [ "$("$c" -c 'import sys, venv; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" = "$want" ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}

# shellcheck disable=SC2317  # called through step(), which shellcheck cannot follow
make_venv() {  # version python venv: (re)create the cell's venv unless it already holds exactly this
  local version=$1 python=$2 venv=$3
  local stamp="$python ansible-core==$version $tools"
  [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.matrix-stamp" 2>/dev/null)" = "$stamp" ] && return 0
  rm -rf "$venv"
  local -a specs
  read -r -a specs <<<"$tools"  # a list of requirement specifiers
  # --without-pip + the offline bootstrap: works on a Python whose ensurepip has no wheels (Debian's).
  "$python" -m venv --without-pip "$venv" &&
    "$venv/bin/python" "$root/.ci/get_pip_offline.py" --quiet pip &&
    "$venv/bin/python" -m pip install --quiet "ansible-core==$version" "${specs[@]}" &&
    echo "$stamp" >"$venv/.matrix-stamp"
}

children_cpu() {  # sets $cpu: CPU seconds (user + system) used so far by this shell's finished children
  times >"$home/.times.$$"  # not in $(...): a subshell has children of its own
  cpu=$(tail -n 1 "$home/.times.$$" | awk '{ split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%d", u[1] * 60 + u[2] + s[1] * 60 + s[2] }')
}

step() {  # cell name command...: runs one step, logs it, sets $result (ok/FAIL) and $took (wall seconds)
  local cell=$1 name=$2 log="$home/logs/$1-$2.log" start=$SECONDS cpu_start
  children_cpu
  cpu_start=$cpu
  shift 2
  echo "--- $cell: $name (log: $log)"
  if (cd "$root" && "$@") >"$log" 2>&1; then
    result=ok
    passes=$((passes + 1))
  else
    result=FAIL
    failed=1
    failures=$((failures + 1))
    echo "!!! $cell: $name FAILED; the end of its log:"
    tail -n 60 "$log"
  fi
  took=$((SECONDS - start))
  children_cpu
  echo "    $cell: $name $result in ${took}s wall, $((cpu - cpu_start))s CPU"
  [ "$result" = ok ] && grep -E '^(=+ )?[0-9]+ (passed|failed)' "$log" | tail -n 1
  return 0
}

rows=()
failed=0
passes=0
failures=0
skipped=()
skips=0
start_all=$SECONDS
while read -r version pyver _; do
  case "$version" in ''|'#'*) continue ;; esac
  if [ -n "$only" ]; then
    match=0
    for want in $only; do case "$version" in "$want"|"$want".*) match=1 ;; esac; done
    [ "$match" = 1 ] || continue
  fi
  cell="ansible-core-$version"
  echo "=== $cell on Python $pyver"
  if ! python=$(find_python "$pyver"); then
    echo "##################################################################"
    echo "### SKIPPED $cell: no Python $pyver interpreter on this machine"
    echo "### (looked at \$MATRIX_PYTHON_${pyver//./_}, ${PYENV_ROOT:-$HOME/.pyenv}/versions/$pyver.*, /usr/local/bin, /usr/bin)"
    echo "##################################################################"
    skipped+=("$version")
    skips=$((skips + 5))
    rows+=("| $version | $pyver (missing) | SKIPPED | SKIPPED | SKIPPED | SKIPPED | |")
    continue
  fi
  if [ "${MATRIX_PINNED_TESTED:-0}" = 1 ] && [ "$(pin ansible-core)" = "ansible-core==$version" ]; then
    echo "--- $cell: the pinned version; make test ran sanity, integration and the demo on it just before"
    rows+=("| $version | $pyver | ok (make test) | ok (make test) | ok (make test) | ok (make test) | |")
    continue
  fi
  cell_start=$SECONDS
  venv="$home/venvs/$cell"
  step "$cell" venv make_venv "$version" "$python" "$venv"
  if [ "$result" != ok ]; then
    rows+=("| $version | $pyver | not run | not run | not run | not run | venv failed |")
    continue
  fi
  actual=$("$venv/bin/python" -c 'import ansible, sys; print(ansible.__version__, "%d.%d.%d" % sys.version_info[:3])')
  step "$cell" sanity env VENV="$venv" .ci/sanity.sh
  sanity="$result (${took}s)"
  step "$cell" unit "$venv/bin/pytest" -n "$jobs" tests/unit
  unit="$result (${took}s)"
  step "$cell" integration "$venv/bin/pytest" -n "$jobs" tests/integration --ignore=tests/integration/test_demo.py
  integration="$result (${took}s)"
  step "$cell" demo "$venv/bin/pytest" tests/integration/test_demo.py
  demo="$result (${took}s)"
  rows+=("| ${actual% *} | ${actual#* } | $sanity | $unit | $integration | $demo | $((SECONDS - cell_start))s |")
done <"$cells"

{
  echo "| ansible-core | Python | sanity | unit | integration | demo | cell |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
} >"$home/table.md"
echo
echo "ansible-core matrix ($((SECONDS - start_all))s in all; logs in $home/logs):"
cat "$home/table.md"
if [ "${#skipped[@]}" -gt 0 ]; then
  echo
  echo "WARNING: SKIPPED ${skipped[*]}: their Python is missing on this machine (see above)."
  [ "${MATRIX_STRICT:-0}" = 1 ] && failed=1
fi
# One line a CI reader understands: the steps (venv, sanity, unit, integration, demo) of every cell.
echo "matrix: $passes passed, $failures failed, $skips skipped"
exit "$failed"
