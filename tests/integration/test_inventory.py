# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The mistio.cloud.mist inventory plugin through real ansible-inventory runs against the simulator.

Golden files: tests/integration/golden/<config>.<dialect>.{list.yml,graph.txt} hold the
stdout of `ansible-inventory --list -y` and `--graph` for every config in
inventory_configs/ (seeded with inventory_configs/seed.json, which fixes every id).
Regenerate them with:  UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration -k inventory
and review the diff before committing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from helpers import leaked, says, says_re

HERE = Path(__file__).resolve().parent
CONFIGS = HERE / 'inventory_configs'
GOLDEN = HERE / 'golden'
SEED = json.loads((CONFIGS / 'seed.json').read_text())
REPO = HERE.parents[1]
DIALECTS = ('backends', 'clouds')
GOLDEN_CONFIGS = sorted(p.name[:-len('.mist.yml')] for p in CONFIGS.glob('*.mist.yml'))
UPDATE = os.environ.get('UPDATE_GOLDEN') == '1'

pytestmark = pytest.mark.slow


@pytest.fixture
def seeded(sim):
    sim.seed(SEED)
    sim.clear_requests()
    return sim


@pytest.fixture
def env(seeded, mistsim_token):
    return {'MIST_URL': seeded.url, 'MIST_API_TOKEN': mistsim_token}


def write_config(tmp_path, text, name='test', dialect=None):
    """A config file named *.mist.yml; with dialect, api_version is pinned to it."""
    if dialect:
        text = text.rstrip('\n') + '\napi_version: %s\n' % dialect
    path = tmp_path / ('%s.mist.yml' % name)
    path.write_text(text)
    return path


def machines_path(dialect, backend_id):
    return ('/backends/%s/machines' if dialect == 'backends' else '/api/v1/clouds/%s/machines') % backend_id


def backend_id_of(sim, dialect, name):
    state = sim.state()
    entries = state[dialect]
    if isinstance(entries, dict):
        entries = list(entries.values())
    for entry in entries:
        if (entry.get('title') or entry.get('name')) == name:
            return entry['id']
    raise AssertionError('no %s named %s in %s' % (dialect, name, entries))


def check_golden(name, actual):
    path = GOLDEN / name
    if UPDATE or not path.exists():
        if not UPDATE:
            pytest.fail('golden file %s is missing; run with UPDATE_GOLDEN=1 to create it' % path.relative_to(REPO), pytrace=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
        return
    expected = path.read_text()
    if actual != expected:
        import difflib
        diff = ''.join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), 'golden/' + name, 'actual'))
        pytest.fail('%s differs from the golden file (UPDATE_GOLDEN=1 to accept):\n%s' % (name, diff), pytrace=False)


@pytest.mark.parametrize('dialect', DIALECTS)
@pytest.mark.parametrize('config', GOLDEN_CONFIGS)
def test_golden(ansible, env, tmp_path, config, dialect):
    path = write_config(tmp_path, (CONFIGS / ('%s.mist.yml' % config)).read_text(), config, dialect)
    listing = ansible.assert_ok(ansible.inventory(path, env=env))
    graph = ansible.assert_ok(ansible.inventory(path, args=('--graph',), env=env))
    assert 'Traceback' not in listing.output + graph.output
    check_golden('%s.%s.list.yml' % (config, dialect), listing.stdout)
    check_golden('%s.%s.graph.txt' % (config, dialect), graph.stdout)


@pytest.mark.parametrize('dialect', DIALECTS)
def test_defaults_warn_about_collisions_and_read_each_backend_once(ansible, env, seeded, tmp_path, dialect):
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\n', dialect=dialect)
    proc = ansible.assert_ok(ansible.inventory(path, env=env))
    # 'prod web' and 'prod-web' share prod_web; 'mist' is the parent group's name.
    assert says_re(proc.stderr, r"3 backend\(s\) would share a group name"), proc.stderr
    assert says_re(proc.stderr, r"1 host name\(s\) are shared by several machines.*db-shared"), proc.stderr
    # The bare-metal backend 'lab' and its machine 'lab': the plugin's rule, not core's warning.
    assert not says_re(proc.stderr, 'Found both group and host'), proc.stderr
    assert not says_re(proc.stderr, 'also host names'), proc.stderr  # logged with -v only
    gets = [(r['method'], r['path']) for r in seeded.requests()]
    machine_gets = [p for m, p in gets if p.endswith('/machines')]
    assert len(machine_gets) == len(set(machine_gets)) == 5  # enabled backends only, once each
    assert all(m == 'GET' for m, p in gets)
    assert not seeded.writes()


@pytest.mark.parametrize('dialect', DIALECTS)
def test_missing_address_is_logged_with_verbose(ansible, env, tmp_path, dialect):
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\nconnect_with: private_ip\n', dialect=dialect)
    quiet = ansible.assert_ok(ansible.inventory(path, env=env))
    assert 'ansible_host not set' not in quiet.output
    loud = ansible.assert_ok(ansible.inventory(path, args=('--list', '-y', '-vvv'), env=env))
    # a mist.io bare-metal machine is named after its host (MIST_API.md 1; the backend is `lab`)
    lab = '198\\.51\\.100\\.7' if dialect == 'backends' else 'lab'
    assert says_re(loud.output, r'2 host\(s\) have no private_ip, ansible_host not set: cache-1, ' + lab), loud.output
    assert says(loud.output, 'cache-1 has no private_ip; ansible_host not set'), loud.output


@pytest.mark.parametrize('dialect', DIALECTS)
def test_cache_hit_sends_no_request_and_keeps_the_entry(ansible, env, seeded, tmp_path, dialect):
    cache_dir = tmp_path / 'cache'
    text = '\n'.join([
        'plugin: mistio.cloud.mist',
        'cache: true',
        'cache_plugin: ansible.builtin.jsonfile',
        'cache_connection: %s' % cache_dir,
        'cache_timeout: 3600',
    ]) + '\n'
    # api_version auto: a cache hit must skip the dialect probe too.
    path = write_config(tmp_path, text if dialect == 'clouds' else text + 'api_version: backends\n')
    first = ansible.assert_ok(ansible.inventory(path, env=env))
    assert seeded.requests(), 'the first run must read Mist'
    entries = list(cache_dir.iterdir())
    assert len(entries) == 1
    cached = entries[0].read_text()
    assert 'web-1' in cached
    assert 'AKIAPRODWEB' not in cached and env['MIST_API_TOKEN'] not in cached  # no credentials, no token
    stamp = entries[0].stat().st_mtime_ns
    seeded.clear_requests()

    second = ansible.assert_ok(ansible.inventory(path, env=env))
    assert seeded.requests() == []
    assert second.stdout == first.stdout
    assert entries[0].stat().st_mtime_ns == stamp, 'a valid cache entry must not be rewritten'

    # Host names, groups and variables are rebuilt from the cached data with the new options...
    rebuilt = write_config(tmp_path, text.replace('cache: true', 'cache: true\nmachine_states: [running]\nconnect_with: none')
                           + ('' if dialect == 'clouds' else 'api_version: backends\n'))
    third = ansible.assert_ok(ansible.inventory(rebuilt, env=env))
    assert seeded.requests() == []
    assert 'batch-1' in first.stdout and 'batch-1' not in third.stdout
    assert 'ansible_host' not in third.stdout

    # ... and a backend filter makes the entry invalid: Mist is read again (--flush-cache, 2.19+ only, is core's).
    refiltered = write_config(tmp_path, text + "exclude_backend_names: ['mist']\n"
                              + ('' if dialect == 'clouds' else 'api_version: backends\n'))
    fourth = ansible.assert_ok(ansible.inventory(refiltered, env=env))
    assert seeded.requests()
    assert 'mist-web-1' in first.stdout and 'mist-web-1' not in fourth.stdout


def test_cache_is_per_caller_and_never_holds_credentials(ansible, env, seeded, tmp_path):
    """The cache entry is keyed by a hash of url and credentials: another (even invalid) token
    is never served the cached data, and the key itself holds no credential."""
    cache_dir = tmp_path / 'cache'
    path = write_config(tmp_path, '\n'.join([
        'plugin: mistio.cloud.mist', 'cache: true', 'cache_plugin: ansible.builtin.jsonfile',
        'cache_connection: %s' % cache_dir, 'cache_timeout: 3600']) + '\n', dialect='clouds')
    ansible.assert_ok(ansible.inventory(path, env=env))
    seeded.clear_requests()
    intruder = dict(env, MIST_API_TOKEN='f' * 64)
    refused = ansible.inventory(path, env=intruder)
    assert refused.returncode != 0, refused.output
    assert '401' in refused.output and 'web-1' not in refused.stdout
    assert seeded.requests(), 'a different token must ask Mist, not read the cache'
    names = [entry.name for entry in cache_dir.iterdir()]
    assert len(names) == 1
    assert not [n for n in names if env['MIST_API_TOKEN'] in n or 'f' * 16 in n]
    # The owner of the entry still gets it without a request.
    seeded.clear_requests()
    ansible.assert_ok(ansible.inventory(path, env=env))
    assert seeded.requests() == []


@pytest.mark.parametrize('settings', ['stock', 'examples'])
def test_failed_source_is_fatal_only_when_ansible_is_told(ansible, closed_url, tmp_path, settings):
    """Contract of the plugin's notes: with stock settings a failed source is a warning and an empty
    inventory; the examples' ansible.cfg (unparsed_is_failed) makes it fatal. Either way the
    plugin's own sentence is the first thing printed."""
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\nurl: %s\nretries: 0\n' % closed_url)
    stock = tmp_path / 'stock.cfg'
    stock.write_text('[defaults]\n')
    env = {'ANSIBLE_CONFIG': str(REPO / 'examples' / 'ansible.cfg' if settings == 'examples' else stock)}
    argv = [str(Path(ansible.env['PATH'].split(os.pathsep)[0]) / 'ansible-inventory'), '-i', str(path), '--graph']
    full_env = dict(ansible.env, **env)
    full_env.pop('ANSIBLE_INVENTORY_UNPARSED_FAILED', None)
    proc = ansible._run(argv, env=full_env)
    assert (proc.returncode != 0) == (settings == 'examples'), proc.output
    # The first message, whatever its wrapping (before 2.19 the first line only names the source).
    first = re.split(r'\n(?=\[WARNING\]|\[ERROR\]|ERROR!)', proc.stderr.strip())[0]
    assert says(first, 'mistio.cloud.mist: cannot list the backends of %s' % closed_url), proc.stderr
    assert says(first, 'connection refused'), proc.stderr


@pytest.mark.parametrize('dialect', DIALECTS)
def test_failing_backend_warns_and_keeps_the_rest(ansible, env, seeded, tmp_path, dialect):
    staging = backend_id_of(seeded, dialect, 'staging')
    seeded.fault(method='GET', path=machines_path(dialect, staging), status=503, body='Backend unavailable')
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\nretries: 1\n', dialect=dialect)
    proc = ansible.assert_ok(ansible.inventory(path, args=('--graph',), env=env))
    assert says_re(proc.stderr, r"\[WARNING\]: mistio.cloud.mist: skipped the machines of backend 'staging' \(id %s\): .*503" % staging), \
        proc.stderr
    assert '@staging:' in proc.stdout          # the group stays, empty
    assert '|--app-1' not in proc.stdout
    assert '|--web-1' in proc.stdout           # the other backends are there
    assert '|  |--db-shared' in proc.stdout    # no collision any more: staging's db-shared is gone
    failed = [r for r in seeded.requests() if r['path'] == machines_path(dialect, staging)]
    assert [r['status'] for r in failed] == [503, 503]  # retried once

    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\nretries: 0\nfail_on_errors: true\n', dialect=dialect)
    proc = ansible.inventory(path, args=('--graph',), env=env)
    assert proc.returncode != 0
    assert says_re(proc.output, r"cannot read the machines of 1 backend\(s\): backend 'staging' \(id %s\)" % staging), proc.output
    assert 'Traceback' not in proc.output


def test_bad_token_fails_cleanly(ansible, env, tmp_path):
    secret = 'f' * 64
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\napi_token: "{{ \'%s\' }}"\n' % secret, dialect='clouds')
    proc = ansible.inventory(path, env=env)
    assert proc.returncode != 0
    assert says_re(proc.output, 'cannot list the backends') and '401' in proc.output, proc.output
    assert not leaked(proc.output, secret)
    assert 'Traceback' not in proc.output


def test_unreachable_server_fails_cleanly(ansible, env, tmp_path):
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\nurl: http://127.0.0.1:9\nretries: 0\ntimeout: 5\n')
    proc = ansible.inventory(path, env=env)
    assert proc.returncode != 0
    assert says_re(proc.output, 'Cannot reach Mist at http://127.0.0.1:9'), proc.output
    assert not leaked(proc.output, env['MIST_API_TOKEN'])
    assert 'Traceback' not in proc.output


def test_templated_token_from_a_lookup(ansible, env, tmp_path):
    path = write_config(tmp_path, "plugin: mistio.cloud.mist\napi_token: \"{{ lookup('ansible.builtin.env', 'MY_TOKEN') }}\"\n")
    run_env = dict(env, MY_TOKEN=env['MIST_API_TOKEN'], MIST_API_TOKEN='')
    proc = ansible.assert_ok(ansible.inventory(path, args=('--graph',), env=run_env))
    assert '@prod_web_c0000000000000000000000000000001:' in proc.stdout


def test_email_and_password_from_the_environment(ansible, env, seeded, tmp_path):
    from mistsim.harness import DEFAULT_EMAIL, DEFAULT_PASSWORD
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\n', dialect='clouds')
    run_env = dict(env, MIST_API_TOKEN='', MIST_EMAIL=DEFAULT_EMAIL, MIST_PASSWORD=DEFAULT_PASSWORD)
    proc = ansible.assert_ok(ansible.inventory(path, args=('--graph',), env=run_env))
    assert '|--web-1' in proc.stdout
    logins = [r for r in seeded.requests() if r['login']]
    assert len(logins) == 1
    assert not leaked(proc.output, DEFAULT_PASSWORD)


def test_backends_are_read_in_parallel(ansible, env, seeded, tmp_path):
    """With latency on every machines request, the five reads overlap (default max_workers):
    the last one starts before the first one has ended (one after the other, none would)."""
    seeded.latency(1.0, method='GET', path=r'/api/v1/clouds/[^/]+/machines')
    path = write_config(tmp_path, 'plugin: mistio.cloud.mist\n', dialect='clouds')
    ansible.assert_ok(ansible.inventory(path, args=('--graph',), env=env))
    reads = [r for r in seeded.requests() if r['path'].endswith('/machines')]
    assert len(reads) == 5
    first_end = min(r['time'] + r['duration_ms'] / 1000.0 for r in reads)
    assert max(r['time'] for r in reads) < first_end, reads


def test_file_name_must_end_in_mist_yml(ansible, env, tmp_path):
    path = tmp_path / 'inventory.yml'
    path.write_text('plugin: mistio.cloud.mist\n')
    proc = ansible.inventory(path, env=env)
    assert proc.returncode != 0
    assert says_re(proc.output, "could not be verified by inventory plugin 'mistio.cloud.mist'"), proc.output


def test_demo_inventory_file(ansible, env):
    proc = ansible.assert_ok(ansible.inventory(REPO / 'examples' / 'demo.mist.yml', args=('--graph',), env=env))
    assert '@mist:' in proc.stdout and '|--web-1' in proc.stdout


@pytest.mark.parametrize('dialect', DIALECTS)
def test_url_from_extra_vars_with_use_extra_vars(ansible, env, tmp_path, dialect):
    """-e mist_url=... reaches a templated url only with use_extra_vars (as constructed's compose)."""
    text = 'plugin: mistio.cloud.mist\nurl: "{{ mist_url }}"\nuse_extra_vars: true\n'
    run_env = dict(env, MIST_URL='')
    path = write_config(tmp_path, text, dialect=dialect)
    proc = ansible.assert_ok(ansible.inventory(path, args=('--graph', '-e', 'mist_url=%s' % env['MIST_URL']), env=run_env))
    assert '|--web-1' in proc.stdout

    path = write_config(tmp_path, text.replace('use_extra_vars: true', 'use_extra_vars: false'), dialect=dialect)
    proc = ansible.inventory(path, args=('--graph', '-e', 'mist_url=%s' % env['MIST_URL']), env=run_env)
    assert proc.returncode != 0
    assert says_re(proc.output, 'cannot render option url: .*mist_url'), proc.output
    assert 'Traceback' not in proc.output
