# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Machines of a backend / cloud, in each dialect's shape (MIST_API.md).

Generated deterministically from the owner's id: the same id always gives the same
machines. Names are `<sanitised backend name>-<role>-<n>`, every third machine is
stopped (without a public IP), public IPs come from the documentation ranges
203.0.113.0/24 and 198.51.100.0/24, private IPs from 10.0.0.0/8. A seed may give
explicit machines: each given field overrides the generated one at that position.
"""

import datetime
import hashlib
import re

ROLES = ('web', 'db', 'worker')
SIZES = ('t2.micro', 't2.small', 'm5.large')
IMAGES = ('ami-0a1b2c3d', 'ami-1b2c3d4e', 'ami-2c3d4e5f')


def sanitise(name):
    return re.sub(r'[^a-z0-9]+', '-', (name or '').lower()).strip('-') or 'machine'


def _facts(owner_id, base, index):
    digest = hashlib.sha1(('%s/%d' % (owner_id, index)).encode('utf-8')).digest()
    role = ROLES[index % len(ROLES)]
    running = index % 3 != 2
    public_net = '203.0.113' if index % 2 == 0 else '198.51.100'
    return {
        'external_id': 'i-' + digest.hex()[:17],
        'uuid': digest.hex(),
        'name': '%s-%s-%d' % (sanitise(base), role, index // len(ROLES) + 1),
        'role': role,
        'state': 'running' if running else 'stopped',
        'public_ips': ['%s.%d' % (public_net, digest[0] % 254 + 1)] if running else [],
        'private_ips': ['10.%d.%d.%d' % (digest[1], digest[2], digest[3] % 254 + 1)],
        'size': SIZES[digest[4] % len(SIZES)],
        'image': IMAGES[digest[5] % len(IMAGES)],
    }


def backend_machine(owner_id, base, index, given=None):
    facts = _facts(owner_id, base, index)
    machine = {
        'id': facts['external_id'], 'uuid': facts['uuid'], 'name': facts['name'],
        'imageId': facts['image'], 'size': facts['size'], 'state': facts['state'],
        'private_ips': facts['private_ips'], 'public_ips': facts['public_ips'],
        'tags': [facts['role']], 'extra': {'instance_type': facts['size']},
    }
    machine.update(given or {})
    running = machine['state'] == 'running'
    for flag, value in (('can_stop', running), ('can_start', machine['state'] == 'stopped'),
                        ('can_destroy', True), ('can_reboot', running), ('can_tag', True)):
        machine.setdefault(flag, value)
    return machine


def cloud_machine(owner_id, base, index, given=None, seen=None):
    facts = _facts(owner_id, base, index)
    seen = seen or datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')
    machine = {
        'id': hashlib.sha1(('mist/%s/%d' % (owner_id, index)).encode('utf-8')).hexdigest()[:32],
        'external_id': facts['external_id'], 'name': facts['name'], 'hostname': facts['name'],
        'public_ips': facts['public_ips'], 'private_ips': facts['private_ips'],
        'state': facts['state'], 'tags': {'role': facts['role']}, 'extra': {'instance_type': facts['size']},
        'cloud': owner_id, 'location': 'zone-%s' % 'abc'[index % 3], 'size': facts['size'],
        'image': facts['image'], 'os_type': 'linux', 'ssh_port': 22, 'last_seen': seen,
        'missing_since': None, 'machine_type': 'machine',
    }
    machine.update(given or {})
    return machine


def single_host(owner_id, name, host, cloud=False, port=22):
    """A bare metal backend/cloud has one machine: the host itself. mist.io's
    BareMetalDriver lists it with id = the host without dots and spaces, name = the
    host, no private ips and only `can_reboot` (methods.py:66-100, 601-606)."""
    given = {'name': name, 'state': 'running', 'public_ips': [host], 'private_ips': []}
    if cloud:
        given.update(hostname=host, ssh_port=port, tags={})
        return [cloud_machine(owner_id, name, 0, given)]
    given.update(id=host.replace('.', '').replace(' ', ''), tags=[], extra={}, imageId=None, size=None,
                 can_stop=False, can_start=False, can_destroy=False, can_reboot=True, can_tag=False)
    return [backend_machine(owner_id, name, 0, given)]


def build(owner_id, base, count, given, cloud=False):
    """`given` (a list of partial machines) wins over `count`."""
    make = cloud_machine if cloud else backend_machine
    if given is not None:
        return [make(owner_id, base, index, dict(item)) for index, item in enumerate(given)]
    return [make(owner_id, base, index) for index in range(count)]
