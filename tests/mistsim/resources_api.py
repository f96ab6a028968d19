# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a backend / cloud holds: its images, sizes and locations, per dialect and era.

MIST_API.md says nothing of these endpoints; the facts below come from the servers'
sources, cited line by line in README.md ("Images, sizes and locations"):

* backends (B1, B2): `GET /backends/{id}/images|sizes|locations`, one shape in both
  eras; an unknown id is 404 `'Backend not found: <id>'` on all three.
* clouds (C1, C3): `GET /api/v1/clouds/{id}/images|sizes|locations`, Mist's own
  documents (`id` 32 hex, `external_id` the provider's); C3 adds `created`,
  `last_seen`, and for locations `parent`, `location_type`, `images_location`.
  An unknown id: images 404 `Not Found: Cloud does not exist`, sizes 500
  `Internal Server Error` (an uncaught DoesNotExist), locations 404 `'Cloud not found'`.
  The images view looks the cloud up without `deleted=None`, so a deleted cloud's
  images are still listed; its sizes and locations are not.

The data is generated, deterministic from the backend's id and provider: an EC2
backend has hundreds of images (18 series x 12 monthly builds, plus the three
images the generated machines run), ten sizes and its region's zones; a bare metal
backend has none of the three (the servers' BareMetalDriver / OtherComputeController
return []); every other provider has 18 x 3 images, six sizes and five locations.
"""

import functools
import hashlib
import json

from mistsim import ids, machines
from mistsim.web import JSON, HttpError, Response

# Both servers label their plain-text errors text/html (pyramid's Response(str(exc), code)).

KINDS = ('images', 'sizes', 'locations')
_ID = '(?P<id>[^/]+)'

# (name prefix, version, os_distro): the image series every provider but bare metal offers.
SERIES = (
    ('ubuntu', '20.04', 'ubuntu'), ('ubuntu', '22.04', 'ubuntu'), ('ubuntu', '24.04', 'ubuntu'),
    ('debian', '11', 'debian'), ('debian', '12', 'debian'), ('rocky', '8', 'rocky'), ('rocky', '9', 'rocky'),
    ('almalinux', '8', 'almalinux'), ('almalinux', '9', 'almalinux'), ('fedora', '39', 'fedora'),
    ('fedora', '40', 'fedora'), ('centos-stream', '9', 'centos'), ('amzn2', '2', 'amazon'),
    ('al2023', '2023', 'amazon'), ('rhel', '8', 'rhel'), ('rhel', '9', 'rhel'),
    ('opensuse-leap', '15.5', 'opensuse'), ('alpine', '3.19', 'alpine'),
)
EC2_BUILDS = 12      # monthly builds per series: 2024-01 .. 2024-12
OTHER_BUILDS = 3     # 2024-10 .. 2024-12
# The images and sizes generated machines refer to (machines.IMAGES / machines.SIZES), named.
MACHINE_IMAGES = (('ubuntu-14.04-x86_64-20140901', 'ubuntu'), ('centos-7-x86_64-20140901', 'centos'),
                  ('debian-7-x86_64-20140901', 'debian'))
# (id, name, ram MiB, disk GB, cpus, price per hour)
EC2_SIZES = (
    ('t2.nano', 'Nano Instance', 512, 8, 1, 0.0058), ('t2.micro', 'Micro Instance', 1024, 8, 1, 0.0116),
    ('t2.small', 'Small Instance', 2048, 8, 1, 0.023), ('t2.medium', 'Medium Instance', 4096, 8, 2, 0.0464),
    ('t3.large', 'Large Instance (t3)', 8192, 8, 2, 0.0832), ('m5.large', 'Large Instance', 8192, 8, 2, 0.096),
    ('m5.xlarge', 'Extra Large Instance', 16384, 8, 4, 0.192), ('c5.large', 'Compute Large', 4096, 8, 2, 0.085),
    ('c5.xlarge', 'Compute Extra Large', 8192, 8, 4, 0.17), ('r5.large', 'Memory Large', 16384, 8, 2, 0.126),
)
OTHER_SIZES = (
    ('s-1vcpu-512mb', '512MB', 512, 10, 1, 0.006), ('s-1vcpu-1gb', '1GB', 1024, 25, 1, 0.009),
    ('s-1vcpu-2gb', '2GB', 2048, 50, 1, 0.018), ('s-2vcpu-2gb', '2GB 2 CPUs', 2048, 60, 2, 0.027),
    ('s-2vcpu-4gb', '4GB', 4096, 80, 2, 0.036), ('s-4vcpu-8gb', '8GB', 8192, 160, 4, 0.071),
)
OTHER_LOCATIONS = (('ams3', 'Amsterdam 3', 'NL'), ('fra1', 'Frankfurt 1', 'DE'), ('lon1', 'London 1', 'GB'),
                   ('nyc3', 'New York 3', 'US'), ('sgp1', 'Singapore 1', 'SG'))
# mist.io's EC2 provider ids name a region (MIST_API.md section 1, providers).
EC2_REGIONS = {
    'ec2_ap_northeast': 'ap-northeast-1', 'ec2_ap_southeast': 'ap-southeast-1', 'ec2_ap_southeast_2': 'ap-southeast-2',
    'ec2_eu_west': 'eu-west-1', 'ec2_sa_east': 'sa-east-1', 'ec2_us_east': 'us-east-1', 'ec2_us_west': 'us-west-1',
    'ec2_us_west_oregon': 'us-west-2',
}
COUNTRIES = {'ap-northeast': 'Japan', 'ap-southeast': 'Singapore', 'eu-west': 'Ireland', 'sa-east': 'Brazil',
             'us-east': 'USA', 'us-west': 'USA', 'eu-central': 'Germany'}
DRIVERS = {'ec2': 'Amazon EC2', 'rackspace': 'Rackspace', 'openstack': 'OpenStack', 'digitalocean': 'Digital Ocean',
           'linode': 'Linode', 'gce': 'Google Compute Engine', 'docker': 'Docker', 'softlayer': 'SoftLayer'}
SEEN = '2024-12-31 00:00:00'  # created / last_seen of every generated document (C3): deterministic


def _digest(*parts):
    return hashlib.sha1('/'.join(str(p) for p in parts).encode('utf-8')).digest()


def family(provider):
    """'ec2', 'none' (bare metal: nothing to list) or 'other', from a stored provider id."""
    provider = provider or ''
    if provider.startswith('ec2'):
        return 'ec2'
    if provider in ('bare_metal', 'other'):
        return 'none'
    return 'other'


# --------------------------------------------------------------------------
# Facts, one list per kind: what a provider offers (the servers add their own fields)
# --------------------------------------------------------------------------

def image_facts(owner_id, provider):
    kind = family(provider)
    if kind == 'none':
        return []
    builds = EC2_BUILDS if kind == 'ec2' else OTHER_BUILDS
    first_month = 13 - builds
    facts = []
    if kind == 'ec2':
        for image_id, (name, distro) in zip(machines.IMAGES, MACHINE_IMAGES):
            facts.append({'external_id': image_id, 'name': name, 'distro': distro, 'date': name[-8:], 'default': True})
    for prefix, version, distro in SERIES:
        for month in range(first_month, 13):
            day = _digest(owner_id, prefix, version, month)[0] % 28 + 1
            date = '2024%02d%02d' % (month, day)
            name = '%s-%s-x86_64-%s' % (prefix, version, date)
            digest = _digest(owner_id, name).hex()
            external_id = 'ami-' + digest[:17] if kind == 'ec2' else digest[:12]
            facts.append({'external_id': external_id, 'name': name, 'distro': distro, 'date': date, 'default': False})
    return facts


def size_facts(provider):
    kind = family(provider)
    table = {'ec2': EC2_SIZES, 'other': OTHER_SIZES}.get(kind, ())
    return [{'external_id': sid, 'name': name, 'ram': ram, 'disk': disk, 'cpus': cpus, 'price': price}
            for sid, name, ram, disk, cpus, price in table]


def ec2_region(provider, region):
    return EC2_REGIONS.get(provider) or region or 'us-east-1'


def location_facts(provider, region):
    """[{external_id, name, country, zone_of}]: EC2 lists its region's zones (by index, as libcloud did)."""
    kind = family(provider)
    if kind == 'none':
        return []
    if kind == 'ec2':
        region = ec2_region(provider, region)
        country = COUNTRIES.get(region.rsplit('-', 1)[0], '')
        return [{'external_id': str(index), 'name': region + letter, 'country': country, 'region': region}
                for index, letter in enumerate('abc')]
    return [{'external_id': lid, 'name': name, 'country': country, 'region': None} for lid, name, country in OTHER_LOCATIONS]


# --------------------------------------------------------------------------
# backends (B1, B2): mist.io methods.list_images / list_sizes / list_locations
# --------------------------------------------------------------------------

def _cached(what, era, owner_id, provider, region):
    """The JSON answer, built once per backend: the data depends only on these values, and the
    simulator's own CPU must not weigh on benchmarks of the client (one GIL for every request)."""
    return Response(200, _body(what, era, owner_id, provider, region), JSON)


@functools.lru_cache(maxsize=4096)
def _body(what, era, owner_id, provider, region):
    record = {'id': owner_id, 'provider': provider, 'region': region, 'fields': {'region': region}}
    if era is None:
        make = {'images': backend_images, 'sizes': backend_sizes, 'locations': backend_locations}[what]
        return json.dumps(make(record)).encode('utf-8')
    make = {'images': cloud_images, 'sizes': cloud_sizes, 'locations': cloud_locations}[what]
    return json.dumps(make(record, era)).encode('utf-8')


def backend_images(record):
    facts = image_facts(record['id'], record['provider'])
    ec2 = family(record['provider']) == 'ec2'
    # EC2: only the configured default images are starred; other providers star all (_image_starred).
    docs = [{'id': f['external_id'], 'extra': _image_extra(f), 'name': f['name'], 'star': f['default'] or not ec2}
            for f in facts]
    # starred_images + ec2_images + rest_images: the defaults come first.
    return sorted(docs, key=lambda doc: not doc['star']) if ec2 else docs


def backend_sizes(record):
    provider = record['provider']
    driver = DRIVERS.get('ec2' if family(provider) == 'ec2' else provider, provider)
    return [{'id': f['external_id'], 'bandwidth': None, 'disk': f['disk'], 'driver': driver, 'name': f['name'],
             'price': f['price'], 'ram': f['ram']} for f in size_facts(record['provider'])]


def backend_locations(record):
    return [{'id': f['external_id'], 'name': f['name'], 'country': f['country']}
            for f in location_facts(record['provider'], record.get('region'))]


def _image_extra(fact):
    return {'architecture': 'x86_64', 'creation_date': '%s-%s-%sT00:00:00.000Z' % (fact['date'][:4], fact['date'][4:6], fact['date'][6:])}


class BackendResourcesApi:
    """GET /backends/{id}/images|sizes|locations."""

    DIALECT = 'backends'
    ROUTES = (('/backends/%s/(?P<what>images|sizes|locations)' % _ID, {'GET': 'listing'}, True),)

    def __init__(self, store, era='B1', machines_per_backend=3):
        self.store = store
        self.era = era

    def listing(self, req):
        bid = req.params['id']
        record = self.store.get('backends', 'backend', bid)
        if record is None:
            raise HttpError(404, "'Backend not found: %s'" % bid, html=True)
        return _cached(req.params['what'], None, record['id'], record['provider'], record.get('region') or '')


# --------------------------------------------------------------------------
# clouds (C1, C3): CloudImage / CloudSize / CloudLocation.as_dict
# --------------------------------------------------------------------------

def _mist_id(cloud_id, kind, external_id):
    return ids.stable_hex(cloud_id, kind, external_id)


def cloud_images(record, era):
    docs = []
    for fact in image_facts(record['id'], record['provider']):
        doc = {'id': _mist_id(record['id'], 'image', fact['external_id']), 'cloud': record['id'],
               'external_id': fact['external_id'], 'name': fact['name'], 'starred': fact['default'],
               'extra': _image_extra(fact), 'os_type': 'linux', 'os_distro': fact['distro'], 'architecture': ['x86'],
               'min_disk_size': 8.0, 'min_memory_size': 512, 'tags': {}, 'origin': 'system'}
        if era == 'C3':
            doc.update(created=SEEN, last_seen=SEEN)
        doc['missing_since'] = ''
        docs.append(doc)
    # Starred first, then alphabetically (ComputeController._list_images).
    return sorted(docs, key=lambda doc: (not doc['starred'], doc['name']))


def cloud_sizes(record, era):
    docs = []
    for fact in size_facts(record['provider']):
        doc = {'id': _mist_id(record['id'], 'size', fact['external_id']), 'cloud': record['id'],
               'external_id': fact['external_id'], 'name': fact['name'], 'cpus': fact['cpus'], 'ram': fact['ram'],
               'bandwidth': None, 'extra': {'price': fact['price']}, 'disk': fact['disk'], 'architecture': 'x86'}
        if era == 'C3':
            doc.update(created=SEEN, last_seen=SEEN)
        doc['missing_since'] = ''
        docs.append(doc)
    return docs


def cloud_locations(record, era):
    fields = record.get('fields') or {}
    facts = location_facts(record['provider'], fields.get('region'))
    docs = []
    region_ids = {}
    if era == 'C3':
        # C3 lists an EC2 region as a location of its own, the parent of its zones.
        for region in sorted(set(f['region'] for f in facts if f['region'])):
            region_ids[region] = _mist_id(record['id'], 'location', region)
            docs.append(_location_doc(record, era, region_ids[region], region, region, facts[0]['country'], None, 'region'))
    for fact in facts:
        parent = region_ids.get(fact['region'])
        docs.append(_location_doc(record, era, _mist_id(record['id'], 'location', fact['external_id']), fact['external_id'],
                                  fact['name'], fact['country'], parent, 'zone' if parent else None))
    return docs


def _location_doc(record, era, mist_id, external_id, name, country, parent, location_type):
    doc = {'id': mist_id, 'extra': {}, 'cloud': record['id'], 'external_id': external_id, 'name': name,
           'country': country}
    if era == 'C3':
        doc.update(created=SEEN, last_seen=SEEN, parent=parent, location_type=location_type, images_location=None)
    doc['missing_since'] = ''
    return doc


class CloudResourcesApi:
    """GET /api/v1/clouds/{id}/images|sizes|locations."""

    DIALECT = 'clouds'
    ROUTES = (('/api/v1/clouds/%s/(?P<what>images|sizes|locations)' % _ID, {'GET': 'listing'}, True),)

    def __init__(self, store, era='C3', machines_per_backend=3):
        self.store = store
        self.era = era

    def listing(self, req):
        what = req.params['what']
        record = self.store.get('clouds', 'cloud', req.params['id'])
        # images: Cloud.objects.get(owner, id), deleted clouds included; sizes, locations: deleted=None.
        if record is None or (record['deleted'] and what != 'images'):
            raise {'images': HttpError(404, 'Not Found: Cloud does not exist', html=True),
                   'sizes': HttpError(500, 'Internal Server Error', html=True),
                   'locations': HttpError(404, "'Cloud not found'", html=True)}[what]
        region = (record.get('fields') or {}).get('region') or ''
        return _cached(what, self.era, record['id'], record['provider'], region)
