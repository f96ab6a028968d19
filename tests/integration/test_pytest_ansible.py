# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The info modules through real Ansible, in-process, with pytest-ansible's fixtures.

`localhost` (and `ansible_module` with --ansible-host-pattern localhost) runs a module
the way a play does (AnsiballZ, the collection loader, module_defaults aside) and
returns the per-host results. Interpreter discovery would pick a broken pyenv shim,
so the interpreter is pinned to this venv's Python.
"""

import os
import sys

import pytest

from ansible.plugins.loader import init_plugin_loader
from ansible.utils.collection_loader import AnsibleCollectionConfig

from mistsim.harness import DEFAULT_EMAIL, DEFAULT_PASSWORD

# pytest-ansible needs a newer ansible-core than the collection's floor: the matrix cells go without it.
pytest.importorskip('pytest_ansible', reason='pytest-ansible is not installed (the ansible-core matrix cells)')

pytestmark = [
    pytest.mark.slow,
    # pytest-ansible 26.x marks its host manager (behind `localhost`) deprecated; it is still the documented way.
    pytest.mark.filterwarnings('ignore:Host management is deprecated:DeprecationWarning'),
    pytest.mark.filterwarnings('ignore:AnsibleCollectionFinder has already been configured:UserWarning'),
]

PROVIDER_INFO = 'mistio.cloud.mist_provider_info'
BACKEND_INFO = 'mistio.cloud.mist_backend_info'


@pytest.fixture(scope='module', autouse=True)
def collection_loader(collections_path):
    """pytest-ansible installs Ansible's collection finder only when pytest starts next to galaxy.yml."""
    if AnsibleCollectionConfig.collection_finder is None:
        init_plugin_loader([str(collections_path)])


@pytest.fixture(autouse=True)
def pinned_interpreter(monkeypatch, collections_path, tmp_path):
    monkeypatch.setenv('ANSIBLE_PYTHON_INTERPRETER', sys.executable)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg-cache'))  # no dialect remembered from another test
    # pytest-ansible points this at its collections/ tree when pytest starts next to galaxy.yml;
    # from anywhere else the collection is found through the integration tests' tree.
    if not (os.environ.get('ANSIBLE_COLLECTIONS_PATH') or '').strip():
        monkeypatch.setenv('ANSIBLE_COLLECTIONS_PATH', str(collections_path))
    monkeypatch.setenv('LC_ALL', 'C.UTF-8')
    for name in ('MIST_URL', 'MIST_API_TOKEN', 'MIST_EMAIL', 'MIST_PASSWORD'):
        monkeypatch.delenv(name, raising=False)


def one(results):
    """The localhost result of a pytest-ansible call."""
    assert list(results.keys()) == ['localhost']
    return results['localhost']


def provider_info(localhost, **args):
    return one(getattr(localhost, PROVIDER_INFO)(**args))


def backend_info(localhost, **args):
    return one(getattr(localhost, BACKEND_INFO)(**args))


@pytest.mark.parametrize('api_version, count, first', [
    ('backends', 26, 'bare_metal'),
    # The C3 list (mist.api config.PROVIDERS values): the id is the driver (MIST_API.md 2.6).
    ('clouds', 22, 'ec2'),
])
def test_provider_info(localhost, sim, mistsim_token, api_version, count, first):
    result = provider_info(localhost, url=sim.url, api_token=mistsim_token, api_version=api_version)
    assert result.get('failed') is not True, result
    assert result['changed'] is False
    assert result['dialect'] == api_version
    assert len(result['providers']) == count
    assert result['providers'][0]['id'] == first
    assert [r['method'] for r in sim.requests()] == ['GET']


def test_provider_info_filter_and_unknown(localhost, sim, mistsim_token):
    result = provider_info(localhost, url=sim.url, api_token=mistsim_token, api_version='backends', provider='rackspace')
    assert [p['id'] for p in result['providers']] == [
        'rackspace:dfw', 'rackspace:ord', 'rackspace:iad', 'rackspace:lon', 'rackspace:syd', 'rackspace:hkg']
    assert {p['provider'] for p in result['providers']} == {'rackspace'}
    bad = provider_info(localhost, url=sim.url, api_token=mistsim_token, api_version='backends', provider='nosuch')
    assert bad['failed'] is True
    assert "Unknown provider 'nosuch'" in bad['msg'] and 'docker' in bad['msg']


def test_backend_info_filters(localhost, sim, mistsim_token):
    sim.seed({'clouds': [
        {'name': 'production', 'provider': 'ec2', 'apikey': 'AKIAEXAMPLE', 'apisecret': 'sekrit-1', 'region': 'us-east-1'},
        {'name': 'prod', 'provider': 'gce', 'email': 'sa@example.com', 'private_key': 'sekrit-2', 'project_id': 'p1'},
    ]})
    conn = dict(url=sim.url, api_token=mistsim_token)
    everything = backend_info(localhost, **conn)
    assert [b['name'] for b in everything['backends']] == ['production', 'prod']
    assert 'sekrit' not in repr(everything)
    assert [b['name'] for b in backend_info(localhost, name='prod', **conn)['backends']] == ['prod']
    assert [b['name'] for b in backend_info(localhost, provider='google', **conn)['backends']] == ['prod']
    assert [b['name'] for b in backend_info(localhost, search='prod', **conn)['backends']] == ['production', 'prod']
    by_id = backend_info(localhost, id=everything['backends'][0]['id'], **conn)['backends']
    assert by_id == [everything['backends'][0]]
    assert not sim.writes()


def test_backend_info_with_login(localhost, sim):
    result = backend_info(localhost, url=sim.url, email=DEFAULT_EMAIL, password=DEFAULT_PASSWORD)
    assert result.get('failed') is not True, result
    assert result['dialect'] == 'clouds' and result['backends'] == []
    assert DEFAULT_PASSWORD not in repr(result)


def test_bad_token_through_ansible_module(localhost, sim):
    result = backend_info(localhost, url=sim.url, api_token='0' * 64, api_version='clouds')
    assert result['failed'] is True
    assert result['status'] == 401
    assert 'check api_token' in result['msg']
    assert '0' * 64 not in repr(result)
