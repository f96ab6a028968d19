#!/usr/bin/env python
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of the mistio.cloud.mist inventory plugin (not a test; `make bench`).

Against the Mist API simulator (tests/mistsim), each part printing ratios measured in one run:

1. latency: BACKENDS x MACHINES hosts, LATENCY seconds added to every request.
   `--graph` and `--list` with the default max_workers against max_workers 1 (wall time);
   `--list` against its floor: a cache hit of the same hosts (the build and the output,
   no request) + ceil(B / W) x latency (the machine reads, W at a time) + one list call.
2. cache: a cache hit against a static JSON inventory file of the same hosts, hosts and
   variables (ansible's yaml plugin reads it), `--list`, CPU time.
3. scaling: 100 backends with 25, 100 and 400 machines (2,500 / 10,000 / 40,000 hosts)
   and without machines, no latency. Cost per host = (CPU(N hosts) - CPU(0 hosts)) / N,
   the least of REPEAT runs; for `--graph` (fetch, build, little output) and `--list`
   (ansible-core's host variable collection and JSON output on top). The plugin's own
   -vvv timing line gives the part that is the plugin's build.
"""

import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from benchlib import Workspace, machine_note, median, verdict  # noqa: E402  pylint: disable=wrong-import-position


def default_workers():
    """The plugin's default max_workers, read from its documentation (what a user gets)."""
    import yaml
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'plugins', 'inventory', 'mist.py')) as handle:
        source = handle.read()
    doc = yaml.safe_load(source.split("DOCUMENTATION = r'''", 1)[1].split("'''", 1)[0])
    return int(doc['options']['max_workers']['default'])


def unwrap(value):
    """ansible-core 2.19+ --list JSON: {"__ansible_unsafe": "x"} -> "x"."""
    if isinstance(value, dict):
        if set(value) == {'__ansible_unsafe'}:
            return value['__ansible_unsafe']
        return dict((key, unwrap(item)) for key, item in value.items())
    if isinstance(value, list):
        return [unwrap(item) for item in value]
    return value


def static_inventory(listing):
    """A YAML-plugin inventory (as JSON) with the groups, hosts and variables of a --list output."""
    data = unwrap(json.loads(listing))
    hostvars = data.get('_meta', {}).get('hostvars', {})
    placed = set()

    def group(name):
        entry = data.get(name, {})
        node = {}
        hosts = {}
        for host in entry.get('hosts', []):
            hosts[host] = None if host in placed else hostvars.get(host, {})
            placed.add(host)
        if hosts:
            node['hosts'] = hosts
        children = dict((child, group(child)) for child in entry.get('children', []) if child != 'ungrouped')
        if children:
            node['children'] = children
        return node

    return json.dumps({'all': group('all')})


def part_latency(ws, args, results):
    ws.seed_clouds(args.backends, args.machines)
    hosts = args.backends * args.machines
    workers = default_workers()
    default = ws.write('default.mist.yml', 'plugin: mistio.cloud.mist\n')
    serial = ws.write('serial.mist.yml', 'plugin: mistio.cloud.mist\nmax_workers: 1\n')
    cached = ws.write('cached.mist.yml', 'plugin: mistio.cloud.mist\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n'
                      'cache_connection: %s\ncache_timeout: 86400\n' % ws.path('cache'))
    print('\n== 1. latency: %d backends x %d machines = %d hosts, %.0f ms per request, default max_workers %d'
          % (args.backends, args.machines, hosts, args.latency * 1000, workers))
    ws.sim.latency(args.latency)
    ws.sim.clear_requests()
    first = ws.inventory(default, '--list')
    requests = len(ws.sim.requests())
    if first.stdout.count('"mist_id"') != hosts:
        raise SystemExit('expected %d hosts, got %d' % (hosts, first.stdout.count('"mist_id"')))
    ws.inventory(cached, '--list')  # fills the cache
    ws.sim.clear_requests()
    times = {}
    for mode in ('--graph', '--list'):
        times[mode, 'default'] = median([ws.inventory(default, mode).wall for dummy in range(args.repeat)])
        times[mode, 'serial'] = median([ws.inventory(serial, mode).wall for dummy in range(args.serial_repeat)])
        print('%-7s default %6.2fs   max_workers 1 %6.2fs   x%.1f'
              % (mode, times[mode, 'default'], times[mode, 'serial'], times[mode, 'serial'] / times[mode, 'default']))
    ws.sim.clear_requests()
    hit = median([ws.inventory(cached, '--list').wall for dummy in range(args.repeat)])
    if ws.sim.requests():
        raise SystemExit('a cache hit sent requests: %s' % ws.sim.requests()[:3])
    rounds = int(math.ceil(args.backends / float(workers)))
    floor = hit + rounds * args.latency + args.latency
    print('--list  default %6.2fs; floor %.2fs = cache hit %.2fs + ceil(%d/%d) x %.2fs + one list call %.2fs; '
          '%d requests sent (%d backends)' % (times['--list', 'default'], floor, hit, args.backends, workers,
                                              args.latency, args.latency, requests, args.backends))
    results['graph_speedup'] = times['--graph', 'serial'] / times['--graph', 'default']
    results['list_speedup'] = times['--list', 'serial'] / times['--list', 'default']
    results['list_vs_floor'] = times['--list', 'default'] / floor
    results['requests'] = requests
    ws.sim.latency(0)


def part_cache(ws, args, results):
    hosts = args.backends * args.machines
    print('\n== 2. cache hit against a static JSON inventory of the same %d hosts (--list, CPU seconds, least of %d)'
          % (hosts, args.repeat))
    cached = ws.path('cached.mist.yml')
    listing = ws.inventory(cached, '--list').stdout
    static = ws.write('static.json', static_inventory(listing))
    hit = [ws.inventory(cached, '--list') for dummy in range(args.repeat)]
    plain = [ws.inventory(static, '--list') for dummy in range(args.repeat)]
    if plain[0].stdout.count('"mist_id"') != hosts:
        raise SystemExit('the static inventory has %d hosts, not %d' % (plain[0].stdout.count('"mist_id"'), hosts))
    t_hit, t_static = min(r.cpu for r in hit), min(r.cpu for r in plain)
    print('cache hit %.2fs CPU (%.2fs wall), static JSON %.2fs CPU (%.2fs wall): x%.2f'
          % (t_hit, median([r.wall for r in hit]), t_static, median([r.wall for r in plain]), t_hit / t_static))
    results['cache_vs_static'] = t_hit / t_static


def part_scaling(ws, args, results):
    sizes = [int(size) for size in args.sizes.split(',')]
    backends = 100
    config = ws.write('scaling.mist.yml', 'plugin: mistio.cloud.mist\napi_version: clouds\n')
    print('\n== 3. cost per host, %d backends, no latency (CPU seconds, least of %d runs, %d above 10,000 hosts)'
          % (backends, args.small_repeat, args.big_repeat))
    base, cost, build = {}, {}, {}
    for machines in [0] + [size // backends for size in sizes]:
        ws.seed_clouds(backends, machines)
        hosts = backends * machines
        for mode in args.modes.split(','):
            runs = [ws.inventory(config, mode) for dummy in range(args.small_repeat if hosts <= 10000 else args.big_repeat)]
            cpu = min(r.cpu for r in runs)
            if not hosts:
                base[mode] = cpu
                print('%-7s %6d hosts: %6.2fs CPU (start-up, the backends, the output frame)' % (mode, hosts, cpu))
                continue
            cost[mode, hosts] = (cpu - base[mode]) / hosts
            print('%-7s %6d hosts: %6.2fs CPU -> %4.0f us per host' % (mode, hosts, cpu, cost[mode, hosts] * 1e6))
        if hosts:
            timing = ws.inventory(config, '--graph', '-vvv').timing()
            build[hosts] = timing['build_cpu'] / hosts
            print('        the plugin builds %d hosts in %.2fs CPU -> %4.0f us per host (ansible-core add_host included)'
                  % (hosts, timing['build_cpu'], build[hosts] * 1e6))
    small, large = min(sizes), max(sizes)
    for mode in args.modes.split(','):
        ratio = cost[mode, large] / cost[mode, small]
        results['per_host_%s' % mode.strip('-')] = ratio
        results['sizes'] = (small, large)
        print('%-7s per host at %d / at %d hosts: x%.2f' % (mode, large, small, ratio))
    results['per_host_build'] = build[large] / build[small]
    results['per_host_us'] = dict(('%s %d' % (mode, hosts), round(value * 1e6)) for (mode, hosts), value in cost.items())
    print('build   per host at %d / at %d hosts: x%.2f' % (large, small, results['per_host_build']))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    parser.add_argument('--backends', type=int, default=200)
    parser.add_argument('--machines', type=int, default=50, help='machines per backend (part 1 and 2)')
    parser.add_argument('--latency', type=float, default=0.1, help='seconds added to every request (part 1)')
    parser.add_argument('--repeat', type=int, default=3, help='runs per measurement')
    parser.add_argument('--small-repeat', type=int, default=5, help='runs per CPU measurement up to 10,000 hosts (part 3)')
    parser.add_argument('--serial-repeat', type=int, default=1, help='runs with max_workers 1 (slow)')
    parser.add_argument('--big-repeat', type=int, default=2, help='runs per measurement above 10,000 hosts')
    parser.add_argument('--sizes', default='2500,10000,40000', help='host counts for part 3')
    parser.add_argument('--modes', default='--graph,--list', help='ansible-inventory modes for part 3')
    parser.add_argument('--parts', default='latency,cache,scaling')
    return parser.parse_args(argv)


def report(results):
    lines = []
    if 'graph_speedup' in results:
        lines.append(('inventory --graph, default max_workers vs 1 worker (wall)', results['graph_speedup'], '>= 10', results['graph_speedup'] >= 10))
        lines.append(('inventory --list, default vs cache hit + ceil(B/W) x latency + one list', results['list_vs_floor'], '<= 1.3',
                      results['list_vs_floor'] <= 1.3))
    sizes = '%d vs %d hosts' % tuple(reversed(results.get('sizes', (0, 0))))
    if 'per_host_graph' in results:
        lines.append(('inventory --graph, CPU per host at %s' % sizes, results['per_host_graph'], '<= 1.1',
                      0 < results['per_host_graph'] <= 1.1))
    if 'per_host_build' in results:
        lines.append(("inventory, the plugin's build CPU per host at %s" % sizes, results['per_host_build'], '<= 1.1',
                      0 < results['per_host_build'] <= 1.1))
    if 'per_host_list' in results:
        lines.append(('inventory --list, CPU per host at %s (ansible-core output included)' % sizes, results['per_host_list'],
                      '<= 1.1', 0 < results['per_host_list'] <= 1.1))
    if 'cache_vs_static' in results:
        lines.append(('inventory cache hit vs static JSON of the same hosts (CPU)', results['cache_vs_static'], '<= 0.5',
                      results['cache_vs_static'] <= 0.5))
    return lines


def main(argv=None):
    args = parse_args(argv)
    results = {}
    print('machine: %s' % machine_note())
    with Workspace('mist-inventory-bench-') as ws:
        ws.start()
        parts = args.parts.split(',')
        if 'latency' in parts or 'cache' in parts:
            part_latency(ws, args, results)
        if 'cache' in parts:
            part_cache(ws, args, results)
        if 'scaling' in parts:
            part_scaling(ws, args, results)
    print('')
    for name, value, target, ok in report(results):
        print('RATIO %-78s x%6.2f  (%s) %s' % (name, value, target, verdict(ok)))
    return results


if __name__ == '__main__':
    main()
