# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Images, sizes and locations, fact by fact from README.md "Images, sizes and locations", per era."""

import pytest

from mistsim.tests.util import assert_text, ec2

BACKENDS_ERAS = ['B1', 'B2']
CLOUDS_ERAS = ['C1', 'C3']
KINDS = ['images', 'sizes', 'locations']


def add_backend(backends, body):
    response = backends.post('/backends', json=body)
    assert response.status_code == 200, response.text
    return response.json()['id']


def add_cloud(clouds, body):
    response = clouds.post('/clouds', json=body)
    assert response.status_code == 200, response.text
    return response.json()['id']


def cloud_ec2(name='prod', **extra):
    body = {'name': name, 'title': name, 'provider': 'ec2', 'apikey': 'AKIACLOUD', 'apisecret': 'cloud-secret',
            'region': 'us-east-1'}
    body.update(extra)
    return body


def listed(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers['Content-Type'].startswith('application/json')
    return response.json()


@pytest.fixture
def clouds_add(clouds, sim):
    """Add a cloud with the name field of the era (C1 reads title only, C3 rejects a leftover title)."""
    field = 'title' if sim.eras['clouds'] == 'C1' else 'name'

    def add(body):
        body = dict(body)
        name = body.pop('name')
        body.pop('title', None)
        body[field] = name
        return add_cloud(clouds, body)
    return add


# --- backends (B1, B2) -------------------------------------------------------------------

@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
def test_backends_shapes(backends, mist_era):
    bid = add_backend(backends, ec2())
    images = listed(backends, '/backends/%s/images' % bid)
    sizes = listed(backends, '/backends/%s/sizes' % bid)
    locations = listed(backends, '/backends/%s/locations' % bid)
    assert {tuple(sorted(image)) for image in images} == {('extra', 'id', 'name', 'star')}
    assert {tuple(sorted(size)) for size in sizes} == {('bandwidth', 'disk', 'driver', 'id', 'name', 'price', 'ram')}
    assert {tuple(sorted(location)) for location in locations} == {('country', 'id', 'name')}


@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
def test_backends_ec2_has_hundreds_of_images_defaults_first(backends, mist_era):
    images = listed(backends, '/backends/%s/images' % add_backend(backends, ec2()))
    assert len(images) == 219
    # EC2: only the configured defaults are starred, and starred_images + ec2_images come first.
    assert [image['star'] for image in images[:4]] == [True, True, True, False]
    assert [image['id'] for image in images if image['star']] == ['ami-0a1b2c3d', 'ami-1b2c3d4e', 'ami-2c3d4e5f']
    # The names the real server drops never appear.
    assert not [i for i in images if not i['name'] or 'hvm' in i['name'].lower() or 'windows' in i['name'].lower()]


@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
def test_backends_other_providers_star_every_image(backends, mist_era):
    bid = add_backend(backends, {'title': 'r', 'provider': 'rackspace:lon', 'apikey': 'rack', 'apisecret': 'rack-key'})
    images = listed(backends, '/backends/%s/images' % bid)
    assert len(images) == 54 and all(image['star'] for image in images)
    assert [loc['name'] for loc in listed(backends, '/backends/%s/locations' % bid)][:2] == ['Amsterdam 3', 'Frankfurt 1']


@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
def test_backends_ec2_locations_are_the_zones_of_the_region(backends, mist_era):
    bid = add_backend(backends, dict(ec2(), provider='ec2_eu_west'))
    assert listed(backends, '/backends/%s/locations' % bid) == [
        {'id': '0', 'name': 'eu-west-1a', 'country': 'Ireland'}, {'id': '1', 'name': 'eu-west-1b', 'country': 'Ireland'},
        {'id': '2', 'name': 'eu-west-1c', 'country': 'Ireland'}]


@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
def test_backends_sizes_have_no_cpus(backends, mist_era):
    sizes = listed(backends, '/backends/%s/sizes' % add_backend(backends, ec2()))
    small = [size for size in sizes if size['id'] == 't2.small'][0]
    assert small == {'id': 't2.small', 'bandwidth': None, 'disk': 8, 'driver': 'Amazon EC2', 'name': 'Small Instance',
                     'price': 0.023, 'ram': 2048}


@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
@pytest.mark.parametrize('kind', KINDS)
def test_backends_unknown_backend(backends, mist_era, kind):
    assert_text(backends.get('/backends/nope/%s' % kind), 404, "'Backend not found: nope'", html=True)


@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
def test_backends_bare_metal_holds_nothing(sim, backends, mist_era):
    bid = sim.seed({'backends': [{'title': 'lab', 'provider': 'bare_metal', 'machine_ip': '198.51.100.20',
                                  'machine_key': 'mykey'}]})['backends'][0]
    for kind in KINDS:
        assert listed(backends, '/backends/%s/%s' % (bid, kind)) == []


@pytest.mark.parametrize('mist_era', BACKENDS_ERAS)
def test_backends_listings_are_deterministic(backends, mist_era):
    bid = add_backend(backends, ec2())
    first = [listed(backends, '/backends/%s/%s' % (bid, kind)) for kind in KINDS]
    assert backends.delete('/backends/%s' % bid).status_code == 200
    assert add_backend(backends, ec2()) == bid
    assert [listed(backends, '/backends/%s/%s' % (bid, kind)) for kind in KINDS] == first


# --- clouds (C1, C3) ------------------------------------------------------------------------

IMAGE_C1 = {'id', 'cloud', 'external_id', 'name', 'starred', 'extra', 'os_type', 'os_distro', 'architecture',
            'min_disk_size', 'min_memory_size', 'tags', 'origin', 'missing_since'}
SIZE_C1 = {'id', 'cloud', 'external_id', 'name', 'cpus', 'ram', 'bandwidth', 'extra', 'disk', 'architecture',
           'missing_since'}
LOCATION_C1 = {'id', 'extra', 'cloud', 'external_id', 'name', 'country', 'missing_since'}
C3_ADDS = {'created', 'last_seen'}


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_shapes(clouds, clouds_add, sim, mist_era):
    cid = clouds_add(cloud_ec2())
    adds = C3_ADDS if mist_era == 'C3' else set()
    images = listed(clouds, '/clouds/%s/images' % cid)
    sizes = listed(clouds, '/clouds/%s/sizes' % cid)
    locations = listed(clouds, '/clouds/%s/locations' % cid)
    assert {frozenset(image) for image in images} == {frozenset(IMAGE_C1 | adds)}
    assert {frozenset(size) for size in sizes} == {frozenset(SIZE_C1 | adds)}
    location_adds = adds | {'parent', 'location_type', 'images_location'} if mist_era == 'C3' else set()
    assert {frozenset(location) for location in locations} == {frozenset(LOCATION_C1 | location_adds)}
    assert {doc['cloud'] for doc in images + sizes + locations} == {cid}
    # Mist's own ids: 32 hex digits, the provider's in external_id.
    assert all(len(doc['id']) == 32 and int(doc['id'], 16) >= 0 for doc in images + sizes + locations)


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_images_starred_first_then_by_name(clouds, clouds_add, mist_era):
    images = listed(clouds, '/clouds/%s/images' % clouds_add(cloud_ec2()))
    assert len(images) == 219
    starred = [image for image in images if image['starred']]
    assert images[:3] == starred
    assert [i['external_id'] for i in starred] == ['ami-1b2c3d4e', 'ami-2c3d4e5f', 'ami-0a1b2c3d']  # centos, debian, ubuntu
    for group in (starred, images[3:]):
        assert [image['name'] for image in group] == sorted(image['name'] for image in group)


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_sizes_carry_cpus_and_the_price_in_extra(clouds, clouds_add, mist_era):
    sizes = listed(clouds, '/clouds/%s/sizes' % clouds_add(cloud_ec2()))
    small = [size for size in sizes if size['external_id'] == 't2.small'][0]
    assert (small['cpus'], small['ram'], small['extra'], small['architecture']) == (1, 2048, {'price': 0.023}, 'x86')


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_ec2_locations_c3_adds_the_region_as_parent(clouds, clouds_add, mist_era):
    locations = listed(clouds, '/clouds/%s/locations' % clouds_add(cloud_ec2()))
    zones = [loc for loc in locations if loc['name'] != 'us-east-1']
    assert [loc['name'] for loc in zones] == ['us-east-1a', 'us-east-1b', 'us-east-1c']
    if mist_era == 'C1':
        assert len(locations) == 3
    else:
        region = locations[0]
        assert (region['name'], region['location_type'], region['parent']) == ('us-east-1', 'region', None)
        assert {(loc['location_type'], loc['parent']) for loc in zones} == {('zone', region['id'])}


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_unknown_cloud_each_endpoint_its_own_answer(clouds, mist_era):
    assert_text(clouds.get('/clouds/%s/images' % ('0' * 32)), 404, 'Not Found: Cloud does not exist', html=True)
    assert_text(clouds.get('/clouds/%s/sizes' % ('0' * 32)), 500, 'Internal Server Error', html=True)
    assert_text(clouds.get('/clouds/%s/locations' % ('0' * 32)), 404, "'Cloud not found'", html=True)


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_deleted_cloud_still_lists_its_images(clouds, clouds_add, mist_era):
    cid = clouds_add(cloud_ec2())
    assert clouds.delete('/clouds/%s' % cid).status_code == 200
    assert len(listed(clouds, '/clouds/%s/images' % cid)) == 219
    assert_text(clouds.get('/clouds/%s/sizes' % cid), 500, 'Internal Server Error', html=True)
    assert_text(clouds.get('/clouds/%s/locations' % cid), 404, "'Cloud not found'", html=True)


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_need_a_token(sim, clouds, clouds_add, mist_era):
    cid = clouds_add(cloud_ec2())
    response = clouds.session.get(sim.url + '/api/v1/clouds/%s/images' % cid, headers={'Authorization': 'f' * 64})
    assert response.status_code == 401


@pytest.mark.parametrize('mist_era', CLOUDS_ERAS)
def test_clouds_bare_metal_holds_nothing(sim, clouds, mist_era):
    cid = sim.seed({'clouds': [{'name': 'lab', 'provider': 'other', 'host': '198.51.100.21'}]})['clouds'][0]
    for kind in KINDS:
        assert listed(clouds, '/clouds/%s/%s' % (cid, kind)) == []
