#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of mistio.cloud.mist_image_info over many backends (not a test; `make bench`).

Starts the Mist API simulator (tests/mistsim) seeded with BACKENDS EC2 clouds of 219
images each, adds LATENCY seconds to every request, and runs one ansible-playbook task
of mist_image_info over every backend (no backend_id/backend_name), twice: with the
default max_workers, then with max_workers: 1. Prints both times, the requests the
server received (one list of the backends plus one per backend), the floor
ceil(B / W) x latency of each, and the speed-up ratio, measured in one run; then the same
task on one backend, the fixed cost of a task (Ansible, the module, the backends list),
and the ratio without it.

The task filters the images by name (ubuntu-22.04-*: 12 of the 219 per backend), as a
playbook picking an image does; the server still sends all 219 per backend.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, 'tests'))
sys.path.insert(0, REPO)

from mistsim.harness import DEFAULT_TOKEN, Simulator  # noqa: E402  pylint: disable=wrong-import-position

IMAGES_PER_EC2_BACKEND = 219
PATTERN = 'ubuntu-22.04-*'
PER_BACKEND = 12


def seed(backends):
    return {'clouds': [{'name': 'bench-%04d' % index, 'provider': 'ec2', 'region': 'us-east-1',
                        'apikey': 'AKIABENCH%04d' % index, 'apisecret': 'bench-secret-%d' % index,
                        'id': '%032x' % (0xbe130000 + index), 'machine_count': 0}
                       for index in range(backends)]}


def default_workers():
    """The modules' default max_workers, as the collection declares it."""
    source = open(os.path.join(REPO, 'plugins', 'module_utils', 'resources.py'), encoding='utf-8').read()
    for line in source.splitlines():
        if line.startswith('DEFAULT_WORKERS = '):
            return int(line.split('=', 1)[1].split('#')[0])
    raise SystemExit('DEFAULT_WORKERS not found in plugins/module_utils/resources.py')


def playbook(path, url, workers, backend_name=None):
    task = {'mistio.cloud.mist_image_info': {'url': url, 'api_token': DEFAULT_TOKEN, 'api_version': 'clouds',
                                             'name': PATTERN}, 'register': 'listed'}
    if workers is not None:
        task['mistio.cloud.mist_image_info']['max_workers'] = workers
    if backend_name is not None:
        task['mistio.cloud.mist_image_info']['backend_name'] = backend_name
    check = {'ansible.builtin.assert': {'that': ['listed.images | length == expected | int'], 'quiet': True}}
    play = [{'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
             'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'}, 'tasks': [task, check]}]
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(play, handle)


def ansible_playbook():
    here = os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
    return here if os.path.exists(here) else (shutil.which('ansible-playbook') or 'ansible-playbook')


def run(env, path, expected):
    start = time.monotonic()
    proc = subprocess.run([ansible_playbook(), '-i', 'localhost,', path, '-e', 'expected=%d' % expected], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.stderr.write((proc.stdout + proc.stderr)[-4000:])
        raise SystemExit('ansible-playbook failed (exit %d)' % proc.returncode)
    return elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--backends', type=int, default=200)
    parser.add_argument('--latency', type=float, default=0.1, help='seconds added to every request')
    args = parser.parse_args()
    workers = default_workers()

    work = tempfile.mkdtemp(prefix='mist-image-info-bench-')
    collections = os.path.join(work, 'collections', 'ansible_collections', 'mistio')
    os.makedirs(collections)
    os.symlink(REPO, os.path.join(collections, 'cloud'))
    env = dict(os.environ)
    env.update({
        'ANSIBLE_COLLECTIONS_PATH': os.path.join(work, 'collections'),
        'ANSIBLE_HOME': os.path.join(work, 'home'),
        'ANSIBLE_LOCAL_TEMP': os.path.join(work, 'tmp'),
        'LC_ALL': 'C.UTF-8', 'NO_COLOR': '1', 'ANSIBLE_NOCOLOR': '1',
    })
    for name in ('MIST_URL', 'MIST_API_TOKEN', 'MIST_EMAIL', 'MIST_PASSWORD'):
        env.pop(name, None)
    parallel, serial, one = os.path.join(work, 'parallel.yml'), os.path.join(work, 'serial.yml'), os.path.join(work, 'one.yml')
    sim = Simulator(db=os.path.join(work, 'sim.db'))
    try:
        sim.start()
        playbook(parallel, sim.url, None)
        playbook(serial, sim.url, 1)
        playbook(one, sim.url, None, 'bench-0000')
        sim.seed(seed(args.backends))
        expected = args.backends * PER_BACKEND
        print('simulator %s: %d EC2 backends x %d images, latency %.2fs per request'
              % (sim.url, args.backends, IMAGES_PER_EC2_BACKEND, args.latency))
        sim.latency(args.latency)
        times = {}
        for label, path, count in (('default max_workers (%d)' % workers, parallel, workers), ('max_workers 1', serial, 1)):
            sim.clear_requests()
            times[count] = run(env, path, expected)
            requests = len(sim.requests())
            floor = (1 + math.ceil(args.backends / float(count))) * args.latency
            print('mist_image_info, %-24s %6.2fs  (%d requests; network floor %.1fs)' % (label, times[count], requests, floor))
            if requests != args.backends + 1:
                raise SystemExit('expected %d requests (one list, one per backend), got %d' % (args.backends + 1, requests))
        sim.clear_requests()
        base = run(env, one, PER_BACKEND)
        print('mist_image_info, one backend (the fixed cost of a task)  %6.2fs  (%d requests)' % (base, len(sim.requests())))
        print('mist_image_info over %d backends at %.0f ms: default max_workers is x%.1f faster than one worker '
              '(x%.1f without the fixed cost of a task)'
              % (args.backends, args.latency * 1000, times[1] / times[workers], (times[1] - base) / max(times[workers] - base, 1e-9)))
    finally:
        sim.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
