# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info modules of what a backend holds: backend choice, one request per backend, failures naming it."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from helpers import patch_module_args

from ansible_collections.mistio.cloud.plugins.module_utils import module as mist_module
from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError, NotSupported
from ansible_collections.mistio.cloud.plugins.module_utils.resource_info import choose_backends
from ansible_collections.mistio.cloud.plugins.modules import (
    mist_image_info, mist_location_info, mist_machine_info, mist_size_info,
)

BACKENDS = [
    {'id': 'b1', 'name': 'prod', 'enabled': True},
    {'id': 'b2', 'name': 'twin', 'enabled': True},
    {'id': 'b3', 'name': 'twin', 'enabled': True},
    {'id': 'b4', 'name': 'old', 'enabled': False},
]
MODULES = {'images': mist_image_info, 'sizes': mist_size_info, 'locations': mist_location_info,
           'machines': mist_machine_info}


def ids(items):
    return [item['id'] for item in items]


# --- choosing backends -------------------------------------------------------------

def test_all_enabled_backends_by_default_and_disabled_on_request():
    assert ids(choose_backends(BACKENDS)[0]) == ['b1', 'b2', 'b3']
    assert ids(choose_backends(BACKENDS, include_disabled=True)[0]) == ['b1', 'b2', 'b3', 'b4']


def test_backend_by_id_or_exact_name_even_disabled():
    assert ids(choose_backends(BACKENDS, backend_id='b4')[0]) == ['b4']
    assert ids(choose_backends(BACKENDS, backend_name='old')[0]) == ['b4']
    assert ids(choose_backends(BACKENDS, backend_name='prod')[0]) == ['b1']


def test_unknown_backend_lists_the_backends():
    chosen, problem = choose_backends(BACKENDS, backend_id='nope')
    assert chosen is None
    assert problem == "No backend has the id 'nope'. The backends are: prod (b1), twin (b2), twin (b3), old (b4)."
    chosen, problem = choose_backends(BACKENDS, backend_name='Prod')
    assert chosen is None and "No backend is named 'Prod'" in problem and 'case-sensitive' in problem


def test_shared_name_is_refused_with_the_ids():
    chosen, problem = choose_backends(BACKENDS, backend_name='twin')
    assert chosen is None
    assert problem == "2 backends are named 'twin': b2, b3. Give backend_id instead."


def test_long_backend_lists_are_cut():
    many = [{'id': 'id%d' % n, 'name': 'n%d' % n} for n in range(14)]
    problem = choose_backends(many, backend_id='x')[1]
    assert 'n9 (id9) and 4 more.' in problem and 'n10' not in problem


# --- the modules ---------------------------------------------------------------------

class FakeDialect(object):
    name = 'clouds'

    def __init__(self, listings, failures=None):
        self.listings = listings
        self.failures = failures or {}
        self.calls = []

    def list_backends(self):
        return [dict(b) for b in BACKENDS]

    def list_resources(self, kind, backend_id):
        self.calls.append((kind, backend_id))
        if backend_id in self.failures:
            raise self.failures[backend_id]
        return resources.normalise(kind, self.listings.get(backend_id, []), backend_id)


class FakeTransport(object):
    def __init__(self):
        self.workers = None

    def allow_parallel(self, workers):
        self.workers = workers

    def add_secret(self, value):
        pass

    def tls_warning(self):
        return None


def run(monkeypatch, capsys, kind, dialect, **params):
    dialect.transport = client = FakeTransport()
    monkeypatch.setattr(mist_module, 'connect', lambda options: dialect)
    args = {'url': 'http://127.0.0.1:1', 'api_token': 'y' * 64}
    args.update(params)
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exc:
            MODULES[kind].main()
    return exc.value.code, json.loads(capsys.readouterr().out), client


@pytest.mark.parametrize('kind', sorted(MODULES))
def test_every_backend_one_request_each_never_changed(monkeypatch, capsys, kind):
    dialect = FakeDialect({'b1': [{'id': 'x', 'name': 'one'}], 'b3': [{'id': 'y', 'name': 'two'}]})
    code, result, client = run(monkeypatch, capsys, kind, dialect, max_workers=2)
    assert code == 0 and result['changed'] is False and result['dialect'] == 'clouds'
    assert sorted(dialect.calls) == [(kind, 'b1'), (kind, 'b2'), (kind, 'b3')]
    assert [(i['id'], i['backend_id'], i['backend_name']) for i in result[kind]] == [('x', 'b1', 'prod'), ('y', 'b3', 'twin')]
    assert client.workers == 2


@pytest.mark.parametrize('kind', sorted(MODULES))
def test_one_backend_by_name(monkeypatch, capsys, kind):
    dialect = FakeDialect({'b1': [{'id': 'x', 'name': 'one'}]})
    code, result, dummy = run(monkeypatch, capsys, kind, dialect, backend_name='prod')
    assert code == 0 and ids(result[kind]) == ['x'] and dialect.calls == [(kind, 'b1')]


@pytest.mark.parametrize('kind', sorted(MODULES))
def test_unknown_backend_fails_before_any_listing(monkeypatch, capsys, kind):
    dialect = FakeDialect({})
    code, result, dummy = run(monkeypatch, capsys, kind, dialect, backend_id='zz')
    assert code == 1 and result['failed'] is True
    assert result['msg'].startswith("No backend has the id 'zz'.")
    assert dialect.calls == []


def test_backend_id_and_name_are_exclusive(monkeypatch, capsys):
    code, result, dummy = run(monkeypatch, capsys, 'images', FakeDialect({}), backend_id='b1', backend_name='prod')
    assert code == 1 and 'mutually exclusive' in result['msg']


def test_a_failing_backend_is_named_and_the_others_are_kept(monkeypatch, capsys):
    failure = MistError('Mist failed the request GET /api/v1/clouds/b2/sizes (503 Cloud unavailable).',
                        status=503)
    dialect = FakeDialect({'b1': [{'id': 's1', 'name': 'small'}]}, {'b2': failure})
    code, result, dummy = run(monkeypatch, capsys, 'sizes', dialect)
    assert code == 1
    assert result['msg'] == ("Cannot read the sizes of backend 'twin' (id b2): Mist failed the request "
                             "GET /api/v1/clouds/b2/sizes (503 Cloud unavailable).")
    assert result['errors'] == [{'backend_id': 'b2', 'backend_name': 'twin', 'msg': str(failure)}]
    assert ids(result['sizes']) == ['s1']


def test_an_endpoint_the_server_lacks_is_said_plainly(monkeypatch, capsys):
    missing = NotSupported('http://x has no endpoint for the locations of a backend (GET /backends/b1/locations '
                           'answered 404 with a web page); this Mist server does not offer them.')
    code, result, dummy = run(monkeypatch, capsys, 'locations', FakeDialect({}, {'b1': missing}), backend_id='b1')
    assert code == 1 and 'has no endpoint for the locations of a backend' in result['msg'] and "'prod' (id b1)" in result['msg']


def test_image_filters(monkeypatch, capsys):
    listing = [{'id': 'a', 'name': 'ubuntu-22.04-1', 'star': True}, {'id': 'b', 'name': 'ubuntu-24.04-1'},
               {'id': 'c', 'name': 'Debian-12'}]
    dialect = FakeDialect({'b1': listing})
    assert ids(run(monkeypatch, capsys, 'images', dialect, backend_id='b1', name='ubuntu-*')[1]['images']) == ['a', 'b']
    assert ids(run(monkeypatch, capsys, 'images', dialect, backend_id='b1', search='debian')[1]['images']) == ['c']
    assert ids(run(monkeypatch, capsys, 'images', dialect, backend_id='b1', starred=True)[1]['images']) == ['a']


def test_size_filters(monkeypatch, capsys):
    listing = [{'id': 'a', 'name': 'small', 'ram': 1024, 'cpus': 1}, {'id': 'b', 'name': 'big', 'ram': 4096, 'cpus': 2}]
    dialect = FakeDialect({'b1': listing})
    assert ids(run(monkeypatch, capsys, 'sizes', dialect, backend_id='b1', min_ram=2048)[1]['sizes']) == ['b']
    assert ids(run(monkeypatch, capsys, 'sizes', dialect, backend_id='b1', min_cpus=1, name='s*')[1]['sizes']) == ['a']


def test_location_filter(monkeypatch, capsys):
    dialect = FakeDialect({'b1': [{'id': '0', 'name': 'us-east-1a'}, {'id': '1', 'name': 'eu-west-1a'}]})
    assert ids(run(monkeypatch, capsys, 'locations', dialect, backend_id='b1', name='eu-*')[1]['locations']) == ['1']


def test_machine_filters(monkeypatch, capsys):
    listing = [{'id': 'm1', 'name': 'web-1', 'state': 'running', 'tags': {'role': 'web'}},
               {'id': 'm2', 'name': 'web-2', 'state': 'stopped', 'tags': {'role': 'web'}},
               {'id': 'm3', 'name': 'db-1', 'state': 'running', 'tags': {'role': 'db'}}]
    dialect = FakeDialect({'b1': listing})
    assert ids(run(monkeypatch, capsys, 'machines', dialect, state=['running'])[1]['machines']) == ['m1', 'm3']
    assert ids(run(monkeypatch, capsys, 'machines', dialect, name='web-*', tags={'role': 'web'},
                   state=['stopped'])[1]['machines']) == ['m2']
    assert ids(run(monkeypatch, capsys, 'machines', dialect, tags={'role': None})[1]['machines']) == ['m1', 'm2', 'm3']
