# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One shape per image, size, location and machine from every era's entry; the filters; the pool.

The entries follow the real servers' shapes (tests/mistsim/README.md, "Images, sizes,
locations, machines", cites the source lines); the values are made up here.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError, NotSupported

IMAGE_KEYS = {'id', 'external_id', 'name', 'starred', 'os_type', 'os_distro', 'architecture', 'min_disk_size',
              'min_memory_size', 'origin', 'tags', 'extra', 'backend_id'}
SIZE_KEYS = {'id', 'external_id', 'name', 'cpus', 'ram', 'disk', 'bandwidth', 'price', 'architecture', 'extra', 'backend_id'}
LOCATION_KEYS = {'id', 'external_id', 'name', 'country', 'location_type', 'parent', 'extra', 'backend_id'}
MACHINE_KEYS = {'id', 'external_id', 'name', 'hostname', 'state', 'public_ips', 'private_ips', 'tags', 'image', 'size',
                'location', 'backend_id', 'extra'}


# --- images --------------------------------------------------------------------

def test_image_from_backends_entry():
    entry = {'id': 'ami-77aa', 'name': 'debian-12-20240301', 'star': True, 'extra': {'architecture': 'x86_64'}}
    image = resources.image(entry, 'B1d')
    assert set(image) == IMAGE_KEYS
    assert image['id'] == image['external_id'] == 'ami-77aa'
    assert image['name'] == 'debian-12-20240301'
    assert image['starred'] is True
    assert image['os_type'] is None and image['architecture'] == [] and image['tags'] == {}
    assert image['extra'] == {'architecture': 'x86_64'}
    assert image['backend_id'] == 'B1d'


def test_image_from_clouds_entry():
    entry = {'id': 'f' * 32, 'cloud': 'c' * 32, 'external_id': 'ami-88bb', 'name': 'rocky-9', 'starred': False,
             'extra': {}, 'os_type': 'linux', 'os_distro': 'rocky', 'architecture': ['x86', 'arm'],
             'min_disk_size': 8.0, 'min_memory_size': 512, 'tags': {'team': 'ops'}, 'origin': 'system',
             'missing_since': ''}
    image = resources.image(entry, 'c' * 32)
    assert set(image) == IMAGE_KEYS
    assert (image['id'], image['external_id']) == ('f' * 32, 'ami-88bb')
    assert image['starred'] is False
    assert image['architecture'] == ['x86', 'arm']
    assert (image['min_disk_size'], image['min_memory_size']) == (8.0, 512)
    assert image['tags'] == {'team': 'ops'} and image['os_distro'] == 'rocky' and image['origin'] == 'system'


def test_image_from_early_clouds_entry_reads_star():
    # mist.api before 2020-01 listed images as the backends dialect did: {id, name, extra, star}
    image = resources.image({'id': 'img-3', 'name': 'alpine', 'extra': {}, 'star': True}, 'c1')
    assert image['starred'] is True and image['external_id'] == 'img-3'


def test_image_without_name_is_named_by_its_provider_id():
    assert resources.image({'id': 'x-1', 'name': ''}, 'b')['name'] == 'x-1'


# --- sizes ---------------------------------------------------------------------

def test_size_from_backends_entry():
    entry = {'id': 'm3.medium', 'bandwidth': None, 'disk': 4, 'driver': 'Amazon EC2', 'name': 'Medium Instance',
             'price': 0.07, 'ram': 3840}
    size = resources.size(entry, 'b')
    assert set(size) == SIZE_KEYS
    assert size['id'] == size['external_id'] == 'm3.medium'
    assert (size['ram'], size['disk'], size['price'], size['cpus']) == (3840, 4, 0.07, None)


def test_size_from_clouds_entry_takes_price_from_extra():
    entry = {'id': 'a' * 32, 'cloud': 'c', 'external_id': 's-2vcpu-4gb', 'name': 's-2vcpu-4gb', 'cpus': 2, 'ram': 4096,
             'bandwidth': 4000, 'extra': {'price': 0.03, 'price_monthly': 24}, 'disk': 80, 'architecture': 'x86',
             'missing_since': ''}
    size = resources.size(entry, 'c')
    assert (size['id'], size['external_id'], size['cpus'], size['ram']) == ('a' * 32, 's-2vcpu-4gb', 2, 4096)
    assert size['price'] == 0.03 and size['architecture'] == 'x86'


def test_size_numbers_from_strings_and_garbage():
    size = resources.size({'id': 's', 'ram': '2048', 'disk': 'lots', 'cpus': True}, 'b')
    assert (size['ram'], size['disk'], size['cpus']) == (2048, None, None)


# --- locations -----------------------------------------------------------------

def test_location_from_backends_entry_and_the_default_one():
    assert resources.location({'id': '2', 'name': 'eu-west-1b', 'country': 'Ireland'}, 'b') == {
        'id': '2', 'external_id': '2', 'name': 'eu-west-1b', 'country': 'Ireland', 'location_type': None,
        'parent': None, 'extra': {}, 'backend_id': 'b'}
    # a provider that cannot list its locations gives this one entry
    default = resources.location({'id': '', 'name': 'default', 'country': ''}, 'b')
    assert (default['id'], default['name'], default['country']) == (None, 'default', None)


def test_location_from_clouds_entries():
    c1 = {'id': 'l' * 32, 'extra': {'zone': 1}, 'cloud': 'c', 'external_id': 'ams3', 'name': 'Amsterdam 3',
          'country': 'NL', 'missing_since': ''}
    c3 = dict(c1, parent='p' * 32, location_type='zone', images_location=None, created='2024-01-01 00:00:00')
    assert set(resources.location(c1, 'c')) == LOCATION_KEYS
    assert resources.location(c1, 'c')['external_id'] == 'ams3'
    assert resources.location(c3, 'c')['location_type'] == 'zone'
    assert resources.location(c3, 'c')['parent'] == 'p' * 32


# --- machines ------------------------------------------------------------------

def test_machine_from_backends_entry():
    entry = {'id': 'i-0f1', 'uuid': 'u' * 40, 'name': 'web-1', 'imageId': 'ami-1', 'size': 't2.micro', 'state': 'running',
             'private_ips': ['10.1.2.3'], 'public_ips': ['203.0.113.9', None], 'tags': ['web', 'env=prod'],
             'extra': {'availability': 'us-east-1a'}, 'can_stop': True}
    machine = resources.machine(entry, 'B')
    assert set(machine) == MACHINE_KEYS
    assert (machine['id'], machine['external_id']) == ('u' * 40, 'i-0f1')
    assert machine['tags'] == {'web': '', 'env': 'prod'}
    assert (machine['image'], machine['size'], machine['location']) == ('ami-1', 't2.micro', 'us-east-1a')
    assert machine['public_ips'] == ['203.0.113.9'] and machine['backend_id'] == 'B'


def test_machine_from_c1_and_c3_entries():
    c1 = {'id': 'm' * 32, 'machine_id': 'vm-7', 'name': 'db', 'hostname': 'db.example', 'state': 'stopped',
          'tags': {'role': 'db'}, 'cloud': 'c' * 32, 'image': 'i' * 32, 'size': 'Large', 'location': 'l' * 32}
    c3 = dict(c1, external_id='vm-8')
    del c3['machine_id']
    assert resources.machine(c1, 'other')['external_id'] == 'vm-7'
    machine = resources.machine(c3, 'other')
    assert (machine['id'], machine['external_id'], machine['backend_id']) == ('m' * 32, 'vm-8', 'c' * 32)
    assert (machine['image'], machine['size'], machine['location']) == ('i' * 32, 'Large', 'l' * 32)
    assert machine['hostname'] == 'db.example' and machine['tags'] == {'role': 'db'}


def test_machine_missing_fields():
    machine = resources.machine({'id': 'x'}, 'b')
    assert machine['state'] == 'unknown' and machine['name'] == '' and machine['tags'] == {}
    assert machine['hostname'] is None and machine['external_id'] is None


def test_tags_dict_every_spelling():
    assert resources.tags_dict(['a', 'b=c']) == {'a': '', 'b': 'c'}
    assert resources.tags_dict([{'key': 'k', 'value': None}, {'key': None}]) == {'k': ''}
    assert resources.tags_dict({'n': 1}) == {'n': '1'}
    assert resources.tags_dict(None) == {}


def test_normalise_skips_what_is_not_an_entry():
    assert [s['id'] for s in resources.normalise('sizes', [{'id': 'a'}, 'junk', None], 'b')] == ['a']
    assert resources.normalise('images', None, 'b') == []


# --- filters -------------------------------------------------------------------

MACHINES = [
    {'id': '1', 'name': 'web-1', 'state': 'running', 'tags': {'role': 'web', 'env': 'prod'}},
    {'id': '2', 'name': 'web-2', 'state': 'STOPPED', 'tags': {'role': 'web'}},
    {'id': '3', 'name': 'db-1', 'state': 'running', 'tags': {'role': 'db', 'env': ''}},
]


def ids(items):
    return [item['id'] for item in items]


def test_select_machines_states_keeps_the_inventory_call():
    assert ids(resources.select_machines(MACHINES, [])) == ['1', '2', '3']
    assert ids(resources.select_machines(MACHINES, ['running'])) == ['1', '3']
    assert ids(resources.select_machines(MACHINES, ['stopped', 'pending'])) == ['2']


def test_select_machines_names_are_shell_patterns():
    assert ids(resources.select_machines(MACHINES, names=['web-*'])) == ['1', '2']
    assert ids(resources.select_machines(MACHINES, names='db-1')) == ['3']
    assert ids(resources.select_machines(MACHINES, names=['WEB-*'])) == []


def test_select_machines_tags_value_or_key_only():
    assert ids(resources.select_machines(MACHINES, tags={'role': 'web'})) == ['1', '2']
    assert ids(resources.select_machines(MACHINES, tags={'env': None})) == ['1', '3']
    assert ids(resources.select_machines(MACHINES, tags={'env': ''})) == ['1', '3']
    assert ids(resources.select_machines(MACHINES, tags={'role': 'web', 'env': 'prod'})) == ['1']


def test_select_machines_all_filters_together():
    assert ids(resources.select_machines(MACHINES, ['running'], ['web-*', 'db-*'], {'role': 'db'})) == ['3']


def test_select_images():
    images = [{'id': 'u1', 'external_id': 'ami-1', 'name': 'ubuntu-22.04-20240101', 'starred': True},
              {'id': 'u2', 'external_id': 'ami-2', 'name': 'Ubuntu-24.04-20240601', 'starred': False},
              {'id': 'u3', 'external_id': 'ami-3', 'name': 'debian-12', 'starred': False}]
    assert ids(resources.select_images(images, names='ubuntu-*')) == ['u1']
    assert ids(resources.select_images(images, search='UBUNTU')) == ['u1', 'u2']
    assert ids(resources.select_images(images, search='ami-3')) == ['u3']
    assert ids(resources.select_images(images, starred=False)) == ['u2', 'u3']
    assert ids(resources.select_images(images, names=['*-12', 'ubuntu*'], starred=True)) == ['u1']


def test_select_sizes_by_memory_and_cpus():
    sizes = [{'id': 'a', 'name': 'small', 'ram': 1024, 'cpus': 1}, {'id': 'b', 'name': 'medium', 'ram': 2048, 'cpus': None},
             {'id': 'c', 'name': 'large', 'ram': None, 'cpus': 4}]
    assert ids(resources.select_sizes(sizes, min_ram=2048)) == ['b']
    assert ids(resources.select_sizes(sizes, min_cpus=2)) == ['c']
    assert ids(resources.select_sizes(sizes, names='med*')) == ['b']
    assert ids(resources.select_sizes(sizes)) == ['a', 'b', 'c']


def test_select_locations():
    locations = [{'id': '1', 'name': 'us-east-1a'}, {'id': '2', 'name': 'eu-west-1a'}, {'id': '3', 'name': None}]
    assert ids(resources.select_locations(locations, names='us-*')) == ['1']
    assert ids(resources.select_locations(locations, names=None)) == ['1', '2', '3']


# --- the pool ------------------------------------------------------------------

class FakeClient(object):
    def __init__(self):
        self.workers = None

    def allow_parallel(self, workers):
        self.workers = workers


def test_for_each_backend_keeps_order_and_reports_each_failure():
    backends = [{'id': str(n)} for n in range(5)]

    def read(backend):
        if backend['id'] == '1':
            raise MistError('Mist rejected the request GET /backends/1/images (503 Backend unavailable: 1)')
        if backend['id'] == '3':
            raise KeyError('odd')
        return [backend['id']]

    client = FakeClient()
    results = resources.for_each_backend(client, backends, read, workers=3)
    assert [b['id'] for b, dummy, dummy2 in results] == ['0', '1', '2', '3', '4']
    assert [value for dummy, value, dummy2 in results] == [['0'], None, ['2'], None, ['4']]
    assert 'Backend unavailable: 1' in results[1][2]
    assert results[3][2] == "KeyError: 'odd'"
    assert client.workers == 3


def test_for_each_backend_reads_in_parallel_up_to_workers():
    # Four reads that each wait for all four: only a pool of four lets them finish.
    barrier = threading.Barrier(4, timeout=30)
    results = resources.for_each_backend(FakeClient(), [{'id': n} for n in range(4)], lambda b: barrier.wait() >= 0, workers=4)
    assert [value for dummy, value, error in results] == [True] * 4


def test_for_each_backend_one_worker_and_no_backends():
    seen = []
    client = FakeClient()
    resources.for_each_backend(client, [{'id': 'a'}, {'id': 'b'}], lambda b: seen.append(threading.current_thread()), workers=0)
    assert seen == [threading.main_thread()] * 2 and client.workers == 1
    assert resources.for_each_backend(FakeClient(), [], lambda b: 1) == []


# --- the dialects' one GET per resource ------------------------------------------

@pytest.mark.parametrize('kind', resources.KINDS)
def test_dialects_list_each_resource_with_one_get(make_client, response, kind):
    backends_client, session, dummy = make_client({('GET', '/backends/b%201/' + kind): response(body=[{'id': 'x'}])},
                                                  api_version='backends')
    assert [r['id'] for r in backends_client.dialect.list_resources(kind, 'b 1')] == ['x']
    assert session.paths() == ['GET /backends/b%201/' + kind]
    clouds_client, session, dummy = make_client({('GET', '/api/v1/clouds/c1/' + kind): response(body=[{'id': 'y'}])},
                                                api_token='t' * 64)
    assert [r['backend_id'] for r in clouds_client.dialect.list_resources(kind, 'c1')] == ['c1']
    assert session.paths() == ['GET /api/v1/clouds/c1/' + kind]


def test_list_resources_member_without_access_gets_the_wrapped_empty_list(make_client, response):
    client, dummy, dummy2 = make_client({('GET', '/api/v1/clouds/c1/images'): response(body={'cloud_id': 'c1', 'images': []})},
                                        api_token='t' * 64)
    assert client.dialect.list_resources('images', 'c1') == []


def test_list_resources_missing_endpoint_is_a_clear_sentence(make_client, response):
    page = '<html><body><h1>404 Not Found</h1></body></html>'
    client, dummy, dummy2 = make_client({('GET', '/backends/b/locations'): response(404, text=page)}, api_version='backends')
    with pytest.raises(NotSupported) as caught:
        client.dialect.list_resources('locations', 'b')
    assert 'no endpoint for the locations of a backend' in str(caught.value)
    assert 'GET /backends/b/locations' in str(caught.value)


def test_list_resources_server_errors_pass_through(make_client, response):
    client, dummy, dummy2 = make_client({('GET', '/backends/b/sizes'): response(503, text='Backend unavailable: b')},
                                        api_version='backends', retries=0)
    with pytest.raises(MistError) as caught:
        client.dialect.list_resources('sizes', 'b')
    assert caught.value.status == 503 and 'Backend unavailable: b' in str(caught.value)


def test_list_resources_not_a_list(make_client, response):
    client, dummy, dummy2 = make_client({('GET', '/backends/b/images'): response(body={'x': 1})}, api_version='backends')
    with pytest.raises(MistError) as caught:
        client.dialect.list_resources('images', 'b')
    assert caught.value.kind == 'not_mist'


def _machine(mid, name, state='running', tags=None):
    return {'id': mid, 'name': name, 'state': state, 'tags': tags or {}}


def test_select_machines_includes_and_excludes():
    machines = [_machine('1', 'web-1', tags={'role': 'web', 'env': 'prod'}),
                _machine('2', 'web-2', state='stopped', tags={'role': 'web', 'scratch': ''}),
                _machine('3', 'db-1', tags={'role': 'db', 'ansible': 'skip'}),
                _machine('4', 'db-2', state='Terminated', tags={})]
    select = resources.select_machines
    assert ids(select(machines, names=['web-*'])) == ['1', '2']
    assert ids(select(machines, exclude_names=['web-*', 'db-2'])) == ['3']
    assert ids(select(machines, exclude_states=['terminated', 'STOPPED'])) == ['1', '3']
    assert ids(select(machines, tags={'role': 'web'})) == ['1', '2']
    assert ids(select(machines, tags={'role': 'web', 'env': None})) == ['1']       # every tag
    assert ids(select(machines, tags={'env': ''})) == ['1']                        # the key only
    assert ids(select(machines, exclude_tags={'ansible': 'skip', 'scratch': ''})) == ['1', '4']  # any tag
    assert ids(select(machines, exclude_tags={'role': 'other'})) == ['1', '2', '3', '4']
    assert ids(select(machines, states=['running'], names=['*-1'], exclude_tags={'role': 'db'})) == ['1']
