# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mist_backend_info: exact filters, alias resolution, search, and the module's result."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from helpers import patch_module_args

from ansible_collections.mistio.cloud.plugins.module_utils import module as mist_module
from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError
from ansible_collections.mistio.cloud.plugins.modules import mist_backend_info


def backend(id, name, provider, region=None, enabled=True, state='online', **credentials):  # pylint: disable=redefined-builtin
    return {'id': id, 'name': name, 'provider': provider, 'region': region, 'enabled': enabled, 'state': state,
            'credentials': credentials}


BACKENDS = [
    backend('282anRybLn34tNGugwCNK7oCisfY', 'production', 'ec2', 'us-east-1', apikey='AKIAEXAMPLE'),
    backend('fWyNKxbJMC5jxMZ2C9smGMzGUmM', 'prod', 'rackspace', 'dfw', username='rackuser'),
    backend('3kLon', 'prod', 'rackspace', 'lon', username='rackuser2'),
    backend('4eu', 'staging', 'ec2', 'eu-west-1', enabled=False, state='offline', apikey='AKIAOTHER'),
    backend('5gce', 'analytics', 'gce', project_id='p-1', email='sa@example.com'),
    backend('6new', 'edge', 'equinix_metal'),
]


def ids(selected):
    return [b['id'] for b in selected]


def select(**filters):
    full = dict((key, None) for key in mist_backend_info.FILTERS)
    full.update(filters)
    return ids(mist_backend_info.select(BACKENDS, full))


class FakeTransport(object):
    """What MistModule asks of a transport: the secrets to redact and the TLS warning."""

    def add_secret(self, value):
        pass

    def tls_warning(self):
        return None


class FakeDialect(object):
    transport = FakeTransport()

    def __init__(self, name, backends=None, error=None):
        self.name = name
        self.backends = backends
        self.error = error
        self.calls = 0

    def list_backends(self):
        self.calls += 1
        if self.error:
            raise self.error
        return self.backends


def run_module(monkeypatch, capsys, dialect, **params):
    monkeypatch.setattr(mist_module, 'connect', lambda options: dialect)
    args = {'url': 'http://127.0.0.1:1', 'api_token': 'y' * 64}
    args.update(params)
    with patch_module_args(args):
        with pytest.raises(SystemExit) as exc:
            mist_backend_info.main()
    return exc.value.code, json.loads(capsys.readouterr().out)


def test_no_filter_keeps_everything_in_order():
    assert select() == ids(BACKENDS)


def test_id_is_exact():
    assert select(id='3kLon') == ['3kLon']
    assert select(id='3kL') == []
    assert select(id='3klon') == []


def test_name_is_exact_and_may_match_several():
    assert select(name='prod') == ['fWyNKxbJMC5jxMZ2C9smGMzGUmM', '3kLon']
    assert select(name='production') == ['282anRybLn34tNGugwCNK7oCisfY']
    assert select(name='Prod') == []


@pytest.mark.parametrize('provider, expected', [
    ('ec2', ['282anRybLn34tNGugwCNK7oCisfY', '4eu']),
    ('aws', ['282anRybLn34tNGugwCNK7oCisfY', '4eu']),
    ('Amazon', ['282anRybLn34tNGugwCNK7oCisfY', '4eu']),
    ('ec2_us_east', ['282anRybLn34tNGugwCNK7oCisfY']),
    ('ec2_eu_west', ['4eu']),
    ('rackspace', ['fWyNKxbJMC5jxMZ2C9smGMzGUmM', '3kLon']),
    ('rackspace:lon', ['3kLon']),
    ('google', ['5gce']),
    ('equinix_metal', ['6new']),
    ('docker', []),
])
def test_provider_resolves_aliases_and_regions(provider, expected):
    assert select(provider=provider) == expected


def test_unknown_provider_lists_valid_ones():
    with pytest.raises(ProviderError) as exc:
        select(provider='nosuchcloud')
    assert "'nosuchcloud'" in str(exc.value)
    assert 'ec2' in str(exc.value) and 'rackspace:lon' in str(exc.value) and 'aws' in str(exc.value)


def test_unknown_region_lists_the_provider_regions():
    with pytest.raises(ProviderError, match="'rackspace:london'.*valid regions: dfw, ord, iad, lon, syd, hkg"):
        select(provider='rackspace:london')


@pytest.mark.parametrize('text, expected', [
    ('prod', ['282anRybLn34tNGugwCNK7oCisfY', 'fWyNKxbJMC5jxMZ2C9smGMzGUmM', '3kLon']),
    ('rack', ['fWyNKxbJMC5jxMZ2C9smGMzGUmM', '3kLon']),
    ('ec2_us', ['282anRybLn34tNGugwCNK7oCisfY']),
    ('ec2', ['282anRybLn34tNGugwCNK7oCisfY', '4eu']),
    ('Lon', ['3kLon']),
    ('PROD', []),
    ('AKIA', []),
])
def test_search_is_a_case_sensitive_substring_of_id_name_provider(text, expected):
    assert select(search=text) == expected


def test_filters_combine():
    assert select(name='prod', provider='rackspace:dfw') == ['fWyNKxbJMC5jxMZ2C9smGMzGUmM']
    assert select(search='prod', provider='aws') == ['282anRybLn34tNGugwCNK7oCisfY']
    assert select(id='5gce', name='prod') == []


def test_module_returns_normalised_backends(monkeypatch, capsys):
    dialect = FakeDialect('backends', BACKENDS)
    code, result = run_module(monkeypatch, capsys, dialect, provider='aws')
    assert code == 0
    assert result['changed'] is False
    assert result['dialect'] == 'backends'
    assert result['backends'] == [BACKENDS[0], BACKENDS[3]]
    assert dialect.calls == 1


def test_module_check_mode(monkeypatch, capsys):
    code, result = run_module(monkeypatch, capsys, FakeDialect('clouds', BACKENDS), _ansible_check_mode=True, name='edge')
    assert code == 0 and result['changed'] is False and ids(result['backends']) == ['6new']


def test_module_unknown_provider_fails_before_nothing_is_returned(monkeypatch, capsys):
    code, result = run_module(monkeypatch, capsys, FakeDialect('clouds', BACKENDS), provider='nosuchcloud')
    assert code == 1
    assert 'Unknown provider' in result['msg']
    assert 'backends' not in result


def test_module_error_has_status_and_no_token(monkeypatch, capsys):
    error = MistError('Cannot reach Mist at http://127.0.0.1:1: connection refused - check url.', method='GET',
                      path='/api/v1/clouds', kind='connection')
    code, result = run_module(monkeypatch, capsys, FakeDialect('clouds', error=error))
    assert code == 1
    assert result['error_kind'] == 'connection'
    assert 'connection refused' in result['msg']
    assert 'y' * 64 not in json.dumps(result)
