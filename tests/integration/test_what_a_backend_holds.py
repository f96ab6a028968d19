# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mist_image_info, mist_size_info, mist_location_info, mist_machine_info through ansible-playbook,
in every era the simulator speaks.

playbooks/resources_info.yml asserts the modules' results (one backend, all, each filter, an
unknown backend, a failing endpoint); the tests here check what reached the simulator: only
GETs, one list of the backends and one request per backend and resource.
"""

import json
from collections import Counter
from pathlib import Path

import pytest

from test_info_modules import _examples  # the EXAMPLES of a module, as shipped

pytestmark = pytest.mark.slow

ERAS = ['B1', 'B2', 'C1', 'C3']
SECRETS = ['example-secret-1301', 'rack-api-key-1302', 'os-password-1303']

SEEDS = {
    'backends': {'backends': [
        {'title': 'production', 'provider': 'ec2_us_east', 'apikey': 'AKIARESOURCES', 'apisecret': SECRETS[0],
         'machine_count': 4},
        {'title': 'staging', 'provider': 'rackspace:lon', 'apikey': 'rackres', 'apisecret': SECRETS[1], 'machine_count': 2},
        {'title': 'lab', 'provider': 'bare_metal', 'machine_ip': '198.51.100.17', 'machine_key': 'mykey'},
        {'title': 'old', 'provider': 'openstack', 'apikey': 'osres', 'apisecret': SECRETS[2],
         'apiurl': 'https://keystone.example.com:5000', 'tenant_name': 'demo', 'enabled': False, 'machine_count': 1},
    ]},
    'clouds': {'clouds': [
        {'name': 'production', 'provider': 'ec2', 'apikey': 'AKIARESOURCES', 'apisecret': SECRETS[0],
         'region': 'us-east-1', 'machine_count': 4},
        {'name': 'staging', 'provider': 'rackspace', 'username': 'rackres', 'apikey': SECRETS[1], 'region': 'lon',
         'machine_count': 2},
        {'name': 'lab', 'provider': 'other', 'host': '198.51.100.17'},
        {'name': 'old', 'provider': 'openstack', 'username': 'osres', 'password': SECRETS[2],
         'url': 'https://keystone.example.com:5000', 'tenant': 'demo', 'enabled': False, 'machine_count': 1},
    ]},
}
MODULES = {'images': 'mist_image_info', 'sizes': 'mist_size_info', 'locations': 'mist_location_info',
           'machines': 'mist_machine_info'}


def dialect_of(era):
    return 'backends' if era.startswith('B') else 'clouds'


def api_requests(sim):
    return [(r['method'], r['path'], r['status']) for r in sim.requests()]


@pytest.mark.parametrize('mist_era', ERAS)
def test_each_module_in_each_era(ansible, sim, mistsim_token, mist_era):
    dialect = dialect_of(mist_era)
    sim.seed(SEEDS[dialect])
    sim.clear_requests()
    extra = {'mist_url': sim.url, 'mist_token': mistsim_token, 'dialect': dialect, 'era': mist_era}
    proc = ansible.assert_ok(ansible.playbook('resources_info.yml', args=['-i', 'localhost,', '-e', json.dumps(extra)]))
    assert not [secret for secret in SECRETS if secret in proc.output]
    log = api_requests(sim)
    assert log and {method for method, dummy, dummy2 in log} == {'GET'}
    assert not sim.writes()


@pytest.mark.parametrize('mist_era', ['B1', 'C3'])
def test_one_request_per_backend_and_resource(ansible, sim, mistsim_token, tmp_path, mist_era):
    """Every enabled backend, one task per module: the backends list, then exactly one GET per backend."""
    dialect = dialect_of(mist_era)
    created = sim.seed(SEEDS[dialect])[dialect]
    sim.clear_requests()
    options = {'url': sim.url, 'api_token': mistsim_token, 'api_version': dialect, 'max_workers': 3}
    play = [{'hosts': 'localhost', 'connection': 'local', 'gather_facts': False,
             'vars': {'ansible_python_interpreter': '{{ ansible_playbook_python }}'},
             'tasks': [{'mistio.cloud.%s' % MODULES[kind]: options} for kind in sorted(MODULES)]}]
    (tmp_path / 'one.yml').write_text(json.dumps(play), encoding='utf-8')
    ansible.assert_ok(ansible.playbook(str(tmp_path / 'one.yml'), args=['-i', 'localhost,']))
    prefix = '/backends' if dialect == 'backends' else '/api/v1/clouds'
    enabled = created[:3]  # the seed's fourth backend is disabled
    expected = Counter({('GET', prefix, 200): len(MODULES)})
    expected.update(('GET', '%s/%s/%s' % (prefix, bid, kind), 200) for bid in enabled for kind in MODULES)
    assert Counter(api_requests(sim)) == expected


@pytest.mark.parametrize('module', sorted(MODULES.values()))
def test_examples_run_as_written(ansible, sim, mistsim_token, tmp_path, module):
    """EXAMPLES, pasted into a play, run against the simulator with only the URL changed."""
    sim.seed(SEEDS['clouds'])
    tasks = _examples(module).replace('https://mist.example.com', sim.url)
    play = ('- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n'
            + ''.join('    %s\n' % line if line else '\n' for line in tasks.splitlines()))
    (tmp_path / 'examples.yml').write_text(play, encoding='utf-8')
    ansible.assert_ok(ansible.playbook(str(tmp_path / 'examples.yml'), args=['-i', 'localhost,'],
                                       env={'MIST_API_TOKEN': mistsim_token}))
    assert not sim.writes()


def test_readme_shows_the_demo_playbook():
    """The README's playbook is examples/pick_image.yml, which `make demo` runs (test_demo.py)."""
    root = Path(__file__).resolve().parents[2]
    play = (root / 'examples' / 'pick_image.yml').read_text(encoding='utf-8')
    assert '```yaml\n' + play + '```' in (root / 'README.md').read_text(encoding='utf-8')
