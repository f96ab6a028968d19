#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of the mistio.cloud.mist inventory plugin (not a test; `make bench`).

Starts the Mist API simulator (tests/mistsim) seeded with BACKENDS clouds of
MACHINES machines each and runs `ansible-inventory --list` against it:

1. with LATENCY seconds of latency on every request, default max_workers, then
   max_workers: 1 -> both times and the speed-up ratio (parallel fetching);
2. with no latency, the full inventory and the same backends without machines
   (median of REPEAT runs each) -> the cost per host: (t_full - t_empty) / hosts,
   for `--list` (fetch, build, and Ansible's own per-host variable merging and
   JSON dump) and for `--graph` (fetch and build, hardly any output).

Needs only the standard library and the venv (ansible-inventory on PATH, or
next to this Python). Prints one line per measurement and a summary.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))

from mistsim.harness import DEFAULT_TOKEN, Simulator  # noqa: E402  pylint: disable=wrong-import-position


def seed(backends, machines):
    return {'clouds': [{'name': 'bench-%04d' % index, 'provider': 'linode', 'apikey': 'bench-key-%d' % index,
                        'id': '%032x' % (0xbe000000 + index), 'machine_count': machines}
                       for index in range(backends)]}


def ansible_inventory():
    here = os.path.join(os.path.dirname(sys.executable), 'ansible-inventory')
    return here if os.path.exists(here) else (shutil.which('ansible-inventory') or 'ansible-inventory')


def run_inventory(env, path, mode='--list'):
    start = time.monotonic()
    proc = subprocess.run([ansible_inventory(), '-i', path, mode], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit('ansible-inventory failed (exit %d)' % proc.returncode)
    return elapsed, proc.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--backends', type=int, default=200)
    parser.add_argument('--machines', type=int, default=50, help='machines per backend')
    parser.add_argument('--latency', type=float, default=0.1, help='seconds added to every request')
    parser.add_argument('--repeat', type=int, default=3, help='runs per no-latency measurement (median)')
    args = parser.parse_args()
    hosts = args.backends * args.machines

    work = tempfile.mkdtemp(prefix='mist-inventory-bench-')
    collections = os.path.join(work, 'collections', 'ansible_collections', 'mistio')
    os.makedirs(collections)
    os.symlink(REPO, os.path.join(collections, 'cloud'))
    env = dict(os.environ)
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(work, 'collections'),
        'ANSIBLE_INVENTORY_UNPARSED_FAILED': 'true',
        'ANSIBLE_HOME': os.path.join(work, 'home'),
        'ANSIBLE_LOCAL_TEMP': os.path.join(work, 'tmp'),
        'LC_ALL': 'C.UTF-8', 'NO_COLOR': '1', 'ANSIBLE_NOCOLOR': '1',
    })
    for name in ('MIST_EMAIL', 'MIST_PASSWORD'):
        env.pop(name, None)
    parallel = os.path.join(work, 'parallel.mist.yml')
    serial = os.path.join(work, 'serial.mist.yml')
    with open(parallel, 'w') as handle:
        handle.write('plugin: mistio.cloud.mist\n')
    with open(serial, 'w') as handle:
        handle.write('plugin: mistio.cloud.mist\nmax_workers: 1\n')

    sim = Simulator(db=os.path.join(work, 'sim.db'))
    try:
        sim.start()
        env.update({'MIST_URL': sim.url, 'MIST_API_TOKEN': DEFAULT_TOKEN})
        started = time.monotonic()
        sim.seed(seed(args.backends, args.machines))
        print('simulator %s: %d backends x %d machines = %d hosts (seeded in %.1fs)'
              % (sim.url, args.backends, args.machines, hosts, time.monotonic() - started))

        # 1. Parallel fetching under latency.
        sim.latency(args.latency)
        sim.clear_requests()
        t_parallel, out = run_inventory(env, parallel)
        requests = len(sim.requests())
        if out.count('"mist_id"') != hosts:
            raise SystemExit('expected %d hosts, got %d' % (hosts, out.count('"mist_id"')))
        print('latency %.2fs, default max_workers: %6.2fs  (%d requests)' % (args.latency, t_parallel, requests))
        t_serial, dummy = run_inventory(env, serial)
        print('latency %.2fs, max_workers: 1:       %6.2fs' % (args.latency, t_serial))

        # 2. Cost per host without latency: --list (the whole run, Ansible's own per-host
        #    variable merging and JSON dump included) and --graph (fetch and build, no dump).
        sim.latency(0)
        full = {}
        for mode in ('--list', '--graph'):
            full[mode] = [run_inventory(env, parallel, mode)[0] for dummy in range(args.repeat)]
        sim.reset()
        sim.seed(seed(args.backends, 0))
        empty = {}
        for mode in ('--list', '--graph'):
            empty[mode] = [run_inventory(env, parallel, mode)[0] for dummy in range(args.repeat)]
        per_host = {}
        for mode in ('--list', '--graph'):
            t_full, t_empty = statistics.median(full[mode]), statistics.median(empty[mode])
            per_host[mode] = (t_full - t_empty) / hosts if hosts else 0.0
            print('no latency, %-7s %5d hosts: %6.2fs, 0 hosts: %6.2fs (medians of %d) -> %.0f us per host'
                  % (mode, hosts, t_full, t_empty, args.repeat, per_host[mode] * 1e6))

        # The latency runs minus the same run without latency: the time spent on the network.
        base = statistics.median(full['--list'])
        wait_parallel, wait_serial = t_parallel - base, t_serial - base
        print('time added by latency: default max_workers %.2fs, max_workers 1 %.2fs (x%.1f)'
              % (wait_parallel, wait_serial, wait_serial / wait_parallel if wait_parallel > 0 else float('inf')))

        print('')
        print('RESULT parallel %.2fs, serial %.2fs, speed-up x%.1f; per host %.0f us (--list), %.0f us (--graph); '
              '%d hosts, %d backends, latency %.2fs'
              % (t_parallel, t_serial, t_serial / t_parallel, per_host['--list'] * 1e6, per_host['--graph'] * 1e6,
                 hosts, args.backends, args.latency))
    finally:
        sim.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
