#!/usr/bin/env bash
# Runs `ansible-test sanity` on a staged copy of the collection.
# ansible-test needs the working directory to be .../ansible_collections/NS/NAME,
# and it must not see the venv, so the tracked and untracked-not-ignored files
# are copied into a temporary tree first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$root/.venv}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

pip_version=$("$venv/bin/python" - <<'PY'
import re, ansible_test, os
src = open(os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')).read()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)
cache=~/.ansible/test/cache
mkdir -p "$cache"
cp "$root/.ci/get_pip_offline.py" "$cache/get_pip_${pip_version//./_}.py"

dest="$stage/ansible_collections/mistio/cloud"
mkdir -p "$dest"
cd "$root"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && cp --parents -t "$dest" "$f"
done
cd "$dest"
# --python names the venv's own version (the matrix runs 3.11 to 3.13). ansible-test
# looks that python up on PATH, where pyenv's shims may be broken: put the venv's
# real base interpreter first.
read -r pyver base < <("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2], getattr(sys, "_base_executable", sys.executable))')
mkdir -p "$stage/bin"
ln -s "$(readlink -f "$base")" "$stage/bin/python$pyver"
PATH="$stage/bin:$PATH" "$venv/bin/ansible-test" sanity --venv --python "$pyver" --color no "$@"
