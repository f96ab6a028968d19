#!/usr/bin/env bash
# Validates meta/execution-environment.yml the way ansible-builder uses it,
# without a container engine: `ansible-builder create` generates the build
# context, and its introspection script reads the collection's requirements.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
venv=${VENV:-$root/.venv}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/collections/ansible_collections/mistio"
ln -s "$root" "$work/collections/ansible_collections/mistio/cloud"
cat > "$work/execution-environment.yml" <<YAML
---
version: 3
images:
  base_image:
    name: quay.io/ansible/ansible-runner:latest
dependencies:
  ansible_core:
    package_pip: ansible-core
  ansible_runner:
    package_pip: ansible-runner
  galaxy:
    collections:
      - name: mistio.cloud
        type: dir
        source: $root
YAML
"$venv/bin/ansible-builder" create -f "$work/execution-environment.yml" -c "$work/context" >/dev/null
found=$("$venv/bin/python" "$work/context/_build/scripts/introspect.py" introspect "$work/collections")
echo "$found"
grep -q "requests.*from collection mistio.cloud" <<<"$found" || { echo "EE introspection did not find the collection's requirements" >&2; exit 1; }
echo "execution environment: build context generated, requirements found"
