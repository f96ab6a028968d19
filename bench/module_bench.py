#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of mistio.cloud.mist_backend against ansible.builtin.uri (not a test; `make bench`).

One playbook runs TASKS unchanged mist_backend tasks (an existing EC2 backend, api_version
pinned: one GET of the backends list per task); the other runs TASKS ansible.builtin.uri
tasks doing the same GET. Both run against the simulator (no latency) REPEAT times,
alternating; the ratio of the medians of the wall times (what a user waits; each task is
a module process either way) is printed, with the CPU ratio beside it.

Then the requests with api_version auto, per dialect: on a clouds server every
unchanged task sends one (the list is the probe); on a backends server the first task
also probes GET /api/v1/clouds, and later ones remember the dialect.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import Simulator, Workspace, machine_note, median, verdict  # noqa: E402  pylint: disable=wrong-import-position

PLAY = '''---
- name: %(title)s
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
%(tasks)s
'''

BACKEND_TASK = '''    - name: Unchanged backend %(index)d
      mistio.cloud.mist_backend:
        url: "{{ lookup('ansible.builtin.env', 'MIST_URL') }}"
        api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
        api_version: %(api_version)s
        name: bench-ec2
        provider: ec2
        region: us-east-1
        credentials: {apikey: AKIABENCH, apisecret: bench-secret}
'''

URI_TASK = '''    - name: The same read with uri %(index)d
      ansible.builtin.uri:
        url: "{{ lookup('ansible.builtin.env', 'MIST_URL') }}/api/v1/clouds"
        headers:
          Authorization: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
        return_content: true
'''


def playbook(ws, name, title, task, count, api_version='clouds'):
    tasks = ''.join(task % {'index': index, 'api_version': api_version} for index in range(1, count + 1))
    return ws.write(name, PLAY % {'title': title, 'tasks': tasks})


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--tasks', type=int, default=20)
    parser.add_argument('--repeat', type=int, default=3)
    args = parser.parse_args(argv)
    results = {}
    print('machine: %s' % machine_note())
    with Workspace('mist-module-bench-') as ws:
        sim = ws.start()
        sim.seed({'clouds': [{'name': 'bench-ec2', 'provider': 'ec2', 'apikey': 'AKIABENCH', 'apisecret': 'bench-secret',
                              'region': 'us-east-1', 'machine_count': 0}]})
        backend = playbook(ws, 'backend.yml', 'Unchanged mist_backend tasks', BACKEND_TASK, args.tasks)
        uri = playbook(ws, 'uri.yml', 'The same reads with uri', URI_TASK, args.tasks)
        print('\n== %d unchanged mist_backend tasks vs %d uri tasks doing the same GET (medians of %d, alternating)'
              % (args.tasks, args.tasks, args.repeat))
        sim.clear_requests()
        first = ws.playbook(backend)
        requests = sim.requests()
        if 'changed=0' not in first.stdout or len(requests) != args.tasks or sim.writes():
            raise SystemExit('the mist_backend tasks were not unchanged with one request each: %d requests\n%s'
                             % (len(requests), first.stdout[-2000:]))
        runs = {'backend': [], 'uri': []}
        for dummy in range(args.repeat):
            runs['backend'].append(ws.playbook(backend))
            runs['uri'].append(ws.playbook(uri))
        wall = dict((key, median([r.wall for r in value])) for key, value in runs.items())
        cpu = dict((key, median([r.cpu for r in value])) for key, value in runs.items())
        print('mist_backend %.2fs (%.2fs CPU), uri %.2fs (%.2fs CPU): x%.2f wall, x%.2f CPU; %d request(s) per mist_backend task'
              % (wall['backend'], cpu['backend'], wall['uri'], cpu['uri'], wall['backend'] / wall['uri'],
                 cpu['backend'] / cpu['uri'], len(requests) // args.tasks))
        results['module_vs_uri'] = wall['backend'] / wall['uri']
        results['module_vs_uri_cpu'] = cpu['backend'] / cpu['uri']
        results['tasks'] = args.tasks
        results['auto'] = auto_requests(ws, sim, args.tasks)
    print('')
    for name, value, target, ok in report(results):
        print('RATIO %-78s x%6.2f  (%s) %s' % (name, value, target, verdict(ok)))
    return results


def auto_requests(ws, sim, tasks):
    """{dialect: requests per unchanged task with api_version auto, the one-time probe aside}."""
    auto = playbook(ws, 'auto.yml', 'Unchanged mist_backend tasks, api_version auto', BACKEND_TASK, tasks, 'auto')
    print('\n== %d unchanged mist_backend tasks with api_version auto: requests' % tasks)
    # A backends server is mist.io, which serves no /api/v1/clouds: a simulator of that dialect only.
    mistio = Simulator(db=ws.path('mistio.db'), dialects='backends')
    mistio.start()
    try:
        mistio.seed({'backends': [{'title': 'bench-ec2', 'provider': 'ec2_us_east', 'apikey': 'AKIABENCH',
                                   'apisecret': 'bench-secret', 'machine_count': 0}]})
        per_task = {}
        for dialect, server in (('clouds', sim), ('backends', mistio)):
            server.clear_requests()
            run = ws.playbook(auto, env={'MIST_URL': server.url})
            log = ['%s %s %s' % (r['method'], r['path'], r['status']) for r in server.requests()]
            if 'changed=0' not in run.stdout or server.writes():
                raise SystemExit('the auto tasks were not unchanged:\n%s' % run.stdout[-2000:])
            # The one probe a backends server costs, once: its GET /api/v1/clouds is a 404.
            per_task[dialect] = (len(log) - log.count('GET /api/v1/clouds 404')) / float(tasks)
            print('%-8s server: %d requests for %d tasks: %s' % (
                dialect, len(log), tasks, ', '.join('%s x%d' % (line, log.count(line)) for line in sorted(set(log)))))
    finally:
        mistio.stop()
    return per_task


def report(results):
    if 'module_vs_uri' not in results:
        return []
    ratios = [('%d unchanged mist_backend tasks vs %d uri tasks (wall)' % (results['tasks'], results['tasks']),
               results['module_vs_uri'], '<= 1.1', results['module_vs_uri'] <= 1.1)]
    for dialect, per_task in sorted(results.get('auto', {}).items()):
        ratios.append(('api_version auto on a %s server: requests per unchanged task, the one-time probe aside' % dialect,
                       per_task, '<= 1.0', per_task <= 1.0))
    return ratios


if __name__ == '__main__':
    main()
