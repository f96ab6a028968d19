# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest
import yaml

from ansible_collections.mistio.cloud.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.mistio.cloud.plugins.module_utils import module as mist_module
from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError

PARAMS = {'url': 'https://mist.example', 'api_token': 't' * 64, 'email': None, 'password': None, 'api_version': 'clouds',
          'validate_certs': True, 'ca_path': None, 'timeout': 30, 'retries': 3}


class Exit(Exception):
    pass


class FakeAnsibleModule(object):
    def __init__(self, params=None):
        self.params = dict(PARAMS, **(params or {}))
        self.check_mode = False
        self.exited = None
        self.failed = None

    def fail_json(self, **kwargs):
        self.failed = kwargs
        raise Exit()

    def exit_json(self, **kwargs):
        self.exited = kwargs
        raise Exit()


def test_doc_fragment_matches_the_argument_spec():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    spec = mist_module.connection_argument_spec()
    assert sorted(options) == sorted(spec)
    for name, option in spec.items():
        doc = options[name]
        assert doc['type'] == option['type'], name
        assert doc.get('default') == option.get('default'), name
        assert doc.get('choices') == option.get('choices'), name
        assert doc.get('required', False) == option.get('required', False), name
        assert doc.get('aliases') == option.get('aliases'), name
        for env in (option.get('fallback') or (None, []))[1]:
            assert env in ' '.join(doc['description']), name
    assert spec['api_token']['no_log'] and spec['password']['no_log']
    assert 'clouds' in ' '.join(options['api_version']['description'])


def test_plugin_variant_is_the_module_doc_with_env_entries():
    modules = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
    plugins = yaml.safe_load(ModuleDocFragment.PLUGINS)['options']
    assert list(plugins) == list(modules)
    module_only = ('If not set, the value of the E(', 'marked C(no_log)', 'Minting is a C(POST)')
    for name, doc in modules.items():
        plugin = plugins[name]
        for key in ('type', 'default', 'choices'):
            assert plugin.get(key) == doc.get(key), (name, key)
        wanted = [line for line in doc['description'] if not any(text in line for text in module_only)]
        got = [line for line in plugin['description'] if not line.startswith('May be a template')]
        assert got == wanted, name
        envs = [e['name'] for e in plugin.get('env', [])]
        assert envs == [line.split('E(')[1].split(')')[0] for line in doc['description'] if 'E(' in line], name


def test_run_exits_with_the_result():
    class Module(mist_module.MistModule):
        def execute(self):
            return {'changed': True, 'backend': {'id': 'b1'}}

    fake = FakeAnsibleModule()
    with pytest.raises(Exit):
        Module(fake).run()
    assert fake.exited == {'changed': True, 'backend': {'id': 'b1'}}


def test_mist_error_becomes_fail_json_with_status():
    class Module(mist_module.MistModule):
        def execute(self):
            raise MistError('Mist rejected the request POST /backends (401 Invalid backend credentials)', status=401,
                            message='Invalid backend credentials', method='POST', path='/backends')

    fake = FakeAnsibleModule()
    with pytest.raises(Exit):
        Module(fake).run()
    assert fake.failed == {'msg': 'Mist rejected the request POST /backends (401 Invalid backend credentials)',
                           'status': 401, 'error_kind': 'http', 'changed': False}


def test_provider_error_becomes_fail_json():
    class Module(mist_module.MistModule):
        def execute(self):
            raise ProviderError('Unknown provider')

    fake = FakeAnsibleModule()
    with pytest.raises(Exit):
        Module(fake).run()
    assert fake.failed == {'msg': 'Unknown provider', 'changed': False}


def test_a_failure_after_a_write_reports_changed():
    class Module(mist_module.MistModule):
        def execute(self):
            self.result['changed'] = True  # an earlier write of the task succeeded
            raise MistError('Mist failed the request DELETE /backends/b1 (503 Backend unavailable)', status=503)

    fake = FakeAnsibleModule()
    with pytest.raises(Exit):
        Module(fake).run()
    assert fake.failed['changed'] is True and fake.failed['status'] == 503


def test_plan_and_task_failures_go_through_the_same_place():
    class Module(mist_module.MistModule):
        def execute(self):
            self.fail('no such backend', backend={})

    fake = FakeAnsibleModule()
    with pytest.raises(Exit):
        Module(fake).run()
    assert fake.failed == {'msg': 'no such backend', 'backend': {}, 'changed': False}


def test_bad_connection_options_fail_cleanly():
    class Module(mist_module.MistModule):
        def execute(self):
            return {'dialect': self.dialect.name}

    fake = FakeAnsibleModule({'url': 'mist.example'})
    with pytest.raises(Exit):
        Module(fake).run()
    assert 'https://' in fake.failed['msg']


def test_missing_requests_names_the_library(monkeypatch):
    monkeypatch.setattr(mist_module, 'HAS_REQUESTS', False)
    fake = FakeAnsibleModule()
    with pytest.raises(Exit):
        mist_module.MistModule(fake)
    assert 'requests' in fake.failed['msg']


def test_dialect_is_pinned_without_a_request():
    fake = FakeAnsibleModule()
    module = mist_module.MistModule(fake)
    assert module.dialect.name == 'clouds' and module.check_mode is False
