#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark of mistio.cloud.mist_backend against ansible.builtin.uri (not a test; `make bench`).

One playbook runs TASKS unchanged mist_backend tasks (an existing EC2 backend, api_version
pinned: one GET of the backends list per task); the other runs TASKS ansible.builtin.uri
tasks doing the same GET. Both run against the simulator (no latency) REPEAT times,
alternating; the ratio of the medians of the wall times (what a user waits; each task is
a module process either way) is printed, with the CPU ratio beside it.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import Workspace, machine_note, median, verdict  # noqa: E402  pylint: disable=wrong-import-position

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
        api_version: clouds
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


def playbook(ws, name, title, task, count):
    tasks = ''.join(task % {'index': index} for index in range(1, count + 1))
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
    print('')
    for name, value, target, ok in report(results):
        print('RATIO %-78s x%6.2f  (%s) %s' % (name, value, target, verdict(ok)))
    return results


def report(results):
    if 'module_vs_uri' not in results:
        return []
    return [('%d unchanged mist_backend tasks vs %d uri tasks (wall)' % (results['tasks'], results['tasks']),
             results['module_vs_uri'], '<= 1.1', results['module_vs_uri'] <= 1.1)]


if __name__ == '__main__':
    main()
