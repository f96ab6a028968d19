#!/usr/bin/env bash
# The demo behind `make demo`: start the local Mist API simulator seeded from
# examples/seed.json, declare backends with the example playbook (twice: the
# second run changes nothing), show a planned change with --check --diff, pick an
# image and a size, show the inventory, then stop the simulator.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$root/.venv}
bin=$venv/bin
work=$(mktemp -d)
sim_pid=""
cleanup() {
  if [ -n "$sim_pid" ] && kill -0 "$sim_pid" 2>/dev/null; then
    kill "$sim_pid"
    wait "$sim_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export LC_ALL=C.UTF-8 NO_COLOR=1 ANSIBLE_NOCOLOR=1 ANSIBLE_DEPRECATION_WARNINGS=false
mkdir -p "$work/collections/ansible_collections/mistio"
ln -s "$root" "$work/collections/ansible_collections/mistio/cloud"
export ANSIBLE_COLLECTIONS_PATH=$work/collections
export ANSIBLE_PYTHON_INTERPRETER=$bin/python
export ANSIBLE_LOCAL_TEMP=$work/tmp ANSIBLE_HOME=$work/home
# The examples' settings: a failing inventory source stops the run.
export ANSIBLE_CONFIG=$root/examples/ansible.cfg

# The eras the demo shows (tests/mistsim/README.md): the seed's own mist.io for
# the backends dialect, mist.api master/v5 for the clouds dialect.
era=backends=B1,clouds=C3
PYTHONPATH=$root/tests "$bin/python" -m mistsim --host 127.0.0.1 --port 0 --era "$era" \
  --db "$work/demo.db" --seed "$root/examples/seed.json" >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do
  [ -s "$work/sim.out" ] && break
  kill -0 "$sim_pid" 2>/dev/null || { cat "$work/sim.err" >&2; exit 1; }
  sleep 0.1
done
MIST_URL=$(head -n 1 "$work/sim.out")
export MIST_URL
MIST_API_TOKEN=$("$bin/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["users"][0]["tokens"][0])' "$root/examples/seed.json")
export MIST_API_TOKEN

step() { printf '\n=== %s\n' "$*"; }
step "Mist API simulator running at $MIST_URL (eras: backends B1 = mist.io of 2014, clouds C3 = mist.api v5)"
"$bin/python" "$root/examples/show_backends.py"

step "ansible-playbook examples/backends.yml (first run: creates)"
"$bin/ansible-playbook" -i localhost, "$root/examples/backends.yml"
step "ansible-playbook examples/backends.yml (second run: nothing changes)"
"$bin/ansible-playbook" -i localhost, "$root/examples/backends.yml"
step "ansible-playbook examples/plan.yml --check --diff (a planned rename and delete; nothing is sent)"
"$bin/ansible-playbook" -i localhost, "$root/examples/plan.yml" --check --diff

step "ansible-playbook examples/pick_image.yml (the newest ubuntu-22.04 image and the smallest size with >= 2 GB on prod-ec2)"
"$bin/ansible-playbook" -i localhost, "$root/examples/pick_image.yml"

step "ansible-inventory -i examples/demo.mist.yml -i examples/legacy.mist.yml --graph (clouds and backends dialects)"
"$bin/ansible-inventory" -i "$root/examples/demo.mist.yml" -i "$root/examples/legacy.mist.yml" --graph

step "done; stopping the simulator"
