# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
name: mist
short_description: Mist backends as groups, their machines as hosts
version_added: 0.1.0
description:
  - Reads the backends (cloud accounts) of a Mist server and the machines of each backend.
    Mist 3 and later call backends I(clouds); both API dialects are supported and give the same inventory.
  - Every backend becomes a group, even when it has no machines; all backend groups are children of
    O(parent_group). With O(provider_groups), every provider also becomes a group
    (V(mist_provider_ec2)), a child of O(parent_group) too.
  - Every machine becomes a host with the C(mist_*) host variables listed below and, depending on
    O(connect_with), C(ansible_host).
  - "Host variables (the same names and types in both dialects): C(mist_id) (Mist's id of the machine: the
    C(id) in the clouds dialect, the C(uuid) in the backends dialect), C(mist_external_id) (the provider's id),
    C(mist_name), C(mist_hostname) (or null), C(mist_state) (running, stopped, pending, ...),
    C(mist_public_ips) and C(mist_private_ips) (lists), C(mist_tags) (a dict; in the backends dialect a tag
    C(k=v) becomes C(k: v) and a bare tag C(k: '')), C(mist_image), C(mist_size), C(mist_location),
    C(mist_extra) (a dict, whatever else the server reports), C(mist_backend_id), C(mist_backend_name),
    C(mist_provider) (canonical, for example V(ec2)) and C(mist_region) (the backend's region, or null)."
  - "Group names: the backend's name with every run of characters other than ASCII letters, digits
    and C(_) replaced by C(_) (leading and trailing C(_) dropped; a leading digit gets a C(_) in front),
    after O(backend_group_prefix). When two or more backends give the same group name, or a backend's
    group name equals O(parent_group), a provider group, C(all) or C(ungrouped), none of them keeps it:
    each gets C(_<backend id>) appended, and a warning names them. Backends are never merged."
  - "Host names: for each machine, the first entry of O(hostnames) that gives a non-empty string;
    if none does, the machine id. When two or more machines get the same name, none of them keeps
    it: each is named by its machine id instead (a warning gives the count and names). If that id is
    still not unique (the same provider id in two backends), the name is C(<backend id>_<machine id>)."
  - The machines of all backends are fetched in parallel (O(max_workers)), one request per backend.
  - A backend whose machines cannot be read (an error from Mist or the provider, a timeout) is reported
    in a warning that names it; its groups stay in the inventory but have no hosts, and the rest of the
    inventory is built. With O(fail_on_errors=true) the source fails instead. Failing to list the
    backends (a bad token, a server that cannot be reached) always fails the source.
  - "What a failed source does to the run is Ansible's choice, not the plugin's: with Ansible's default
    settings it is only a warning (the plugin's message comes first, followed by Ansible's own lines such as
    C(Unable to parse ... as an inventory source)) and the run goes on without this source's hosts, often with
    an empty inventory. To make it fatal, set C(unparsed_is_failed = true) in the C([inventory]) section of
    C(ansible.cfg), or C(ANSIBLE_INVENTORY_UNPARSED_FAILED=true) in the environment; the collection's examples
    ship that setting."
  - With O(cache=true), the data read from Mist (backends, machines, the dialect) is cached per
    inventory file; groups and variables are rebuilt from it, so changing O(compose), O(hostnames)
    or O(machine_states) needs no refresh. A cache hit sends no request at all. A run in which a backend
    failed is not cached. Changing O(url), O(api_version), the backend filters or O(include_disabled)
    makes the cached entry invalid. Each caller has an entry of its own, whose key includes a hash of the url
    and the credentials (never the credentials themselves), so a run with another token or login reads
    Mist itself and is never served someone else's data.
  - The configuration file must end in C(mist.yml) or C(mist.yaml) (for example C(prod.mist.yml));
    other files are not read by this plugin.
extends_documentation_fragment:
  - mistio.cloud.connection.plugins
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin; this makes the file a source for it.
    type: str
    required: true
    choices: [mistio.cloud.mist]
  parent_group:
    description: The group that holds every backend group (and every provider group).
    type: str
    default: mist
  backend_group_prefix:
    description: Put in front of the backend's name before it is made a group name.
    type: str
    default: ''
  provider_groups:
    description: Make one group per provider, named O(provider_group_prefix) and the canonical provider id.
    type: bool
    default: true
  provider_group_prefix:
    description: Prefix of the provider groups.
    type: str
    default: mist_provider_
  include_disabled:
    description: Also read the backends that are disabled in Mist (they are skipped by default).
    type: bool
    default: false
  backend_names:
    description:
      - Only the backends whose name matches one of these shell-style patterns (V(prod-*)); case-sensitive.
      - Empty means every backend. All backend filters must match.
    type: list
    elements: str
    default: []
  backend_ids:
    description: Only the backends with one of these ids. Empty means every backend.
    type: list
    elements: str
    default: []
  providers:
    description:
      - Only the backends of these providers. A canonical id (V(ec2)), an alias (V(aws)) or a
        backends-era id that names a region (V(ec2_us_east), V(rackspace:lon)), which matches that region only.
      - An unknown provider, or a region its provider lacks (V(rackspace:london)), fails with the valid ones listed.
      - Empty means every provider.
    type: list
    elements: str
    default: []
  machine_states:
    description:
      - Only the machines in one of these states (for example V(running)). Empty means every machine.
      - The backend's groups exist even when no machine is left.
    type: list
    elements: str
    default: []
  hostnames:
    description:
      - How the inventory host name of a machine is chosen; the first entry that gives a non-empty
        string wins (see the description for collisions).
      - An entry is either a field (V(name), V(id), V(external_id), V(hostname), V(public_ip),
        V(private_ip), or the name of any C(mist_*) host variable), a template
        (V({{ mist_tags.Name }}.example.com)), or a Jinja2 expression (V(mist_tags.fqdn)).
        Templates and expressions see the C(mist_*) variables.
    type: list
    elements: str
    default: [name]
  connect_with:
    description:
      - What C(ansible_host) is set to. V(public_ip) and V(private_ip) take the first address of the list.
      - When the machine has no such value, C(ansible_host) is not set (logged with C(-v)).
        V(none) never sets it.
    type: str
    choices: [public_ip, private_ip, hostname, none]
    default: public_ip
  max_workers:
    description: How many backends are read at the same time (at least 1; V(1) reads them one after the other).
    type: int
    default: 8
  fail_on_errors:
    description:
      - Fail the source when the machines of one backend cannot be read, instead of a warning.
      - A failed source stops the run only when Ansible is told to (C(unparsed_is_failed), see the notes above).
    type: bool
    default: false
notes:
  - Requests are only GETs; the plugin never changes anything in Mist.
seealso:
  - name: Mist API
    description: The Mist API documentation.
    link: https://docs.mist.io/category/api
author:
  - mistio.cloud contributors (@mistio)
'''

EXAMPLES = r'''
---
# prod.mist.yml: every backend, running machines only, reached by their public IP
plugin: mistio.cloud.mist
url: https://mist.example.com
api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
machine_states: [running]
---
# ops.mist.yml: EC2 backends whose name starts with prod-, private addresses, extra groups
plugin: mistio.cloud.mist
url: https://mist.example.com
api_token: !vault |
  $ANSIBLE_VAULT;1.1;AES256
  ...
providers: [ec2]
backend_names: ['prod-*']
connect_with: private_ip
hostnames:
  - '{{ mist_tags.Name }}'
  - name
keyed_groups:
  - key: mist_tags.role
    prefix: role
  - key: mist_state
    prefix: state
groups:
  web: "'web' in mist_name"
compose:
  ansible_user: "'ubuntu'"
---
# local.mist.yml: the url and the token come from MIST_URL and MIST_API_TOKEN; cached for an hour
plugin: mistio.cloud.mist
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/mist-inventory
cache_timeout: 3600
'''

import fnmatch
import hashlib
import json
import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import ansible.template
from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

try:
    from ansible_collections.mistio.cloud.plugins.module_utils import client as mist_client
    from ansible_collections.mistio.cloud.plugins.module_utils import connection as mist_connection
    HAS_CLIENT = mist_client.HAS_REQUESTS
    CLIENT_IMPORT_ERROR = None if HAS_CLIENT else 'the Python library requests is not installed'
except ImportError as exc:  # pragma: no cover - requests or the util missing
    mist_client = mist_connection = None
    HAS_CLIENT = False
    CLIENT_IMPORT_ERROR = to_native(exc)

from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError, provider_matcher

# ansible-core 2.19+ never templates a value that is not explicitly trusted; before it,
# data from the API must be wrapped as unsafe so that a machine name is never a template.
if hasattr(ansible.template, 'trust_as_template'):
    _MAKE_UNSAFE = None
else:  # pragma: no cover - ansible-core < 2.19
    from ansible.utils.unsafe_proxy import wrap_var as _MAKE_UNSAFE

CACHE_FORMAT = 1
# Fields O(hostnames) may name directly, as host variable names.
HOSTNAME_FIELDS = {
    'name': 'mist_name',
    'id': 'mist_id',
    'external_id': 'mist_external_id',
    'hostname': 'mist_hostname',
    'public_ip': 'public_ip',
    'private_ip': 'private_ip',
}
RESERVED_GROUPS = ('all', 'ungrouped')
BACKEND_KEYS = ('id', 'name', 'provider', 'region', 'enabled', 'state')
_INVALID_GROUP_CHARS = re.compile(r'[^A-Za-z0-9_]+')


# --------------------------------------------------------------------------
# Pure helpers (unit-tested without a server)
# --------------------------------------------------------------------------

def sanitise_group_name(text):
    """A valid Ansible group name from any text ('' when nothing is left)."""
    name = _INVALID_GROUP_CHARS.sub('_', to_text(text or '')).strip('_')
    if name and name[0].isdigit():
        name = '_' + name
    return name


def _join_group_name(prefix, name):
    prefix = to_text(prefix or '')
    clean = sanitise_group_name(name)
    if not clean:
        return ''
    full = _INVALID_GROUP_CHARS.sub('_', prefix) + clean
    if full[0].isdigit():
        full = '_' + full
    return full


def provider_group_name(prefix, provider):
    return _join_group_name(prefix, provider or 'unknown')


def backend_group_names(backends, prefix='', reserved=()):
    """{backend id: group name} for normalised backends, and the list of renamed collisions.

    A name shared by two or more backends, or equal to a reserved group name, is given to
    none of them: each gets '_<sanitised id>' appended.
    """
    wanted = {}
    for backend in backends:
        name = _join_group_name(prefix, backend.get('name'))
        if not name:
            name = _join_group_name(prefix, 'backend_' + to_text(backend['id']))
        wanted[backend['id']] = name
    counts = Counter(wanted.values())
    reserved = set(reserved)
    result, collided = {}, []
    for backend in backends:
        name = wanted[backend['id']]
        if counts[name] > 1 or name in reserved:
            new = '%s_%s' % (name, _INVALID_GROUP_CHARS.sub('_', to_text(backend['id'])))
            collided.append((backend, name, new))
            name = new
        result[backend['id']] = name
    # Appending the id cannot collide again unless an id equals another backend's name+id.
    taken = Counter(result.values())
    for index, backend in enumerate(backends):
        if taken[result[backend['id']]] > 1:
            result[backend['id']] = '%s_%d' % (result[backend['id']], index)
    return result, collided


def first_address(values):
    for value in values or ():
        if value:
            return to_text(value)
    return None


def connect_address(machine, connect_with):
    """The value for ansible_host, or None."""
    if connect_with == 'public_ip':
        return first_address(machine.get('public_ips'))
    if connect_with == 'private_ip':
        return first_address(machine.get('private_ips'))
    if connect_with == 'hostname':
        return to_text(machine.get('hostname')) if machine.get('hostname') else None
    return None


def normalise_tags(tags):
    """Tags as a dict in both dialects (a list of strings becomes {tag: ''})."""
    if isinstance(tags, dict):
        return dict(tags)
    if isinstance(tags, (list, tuple)):
        result = {}
        for tag in tags:
            if isinstance(tag, dict) and 'key' in tag:
                result[to_text(tag['key'])] = tag.get('value', '')
            elif tag is not None:
                result[to_text(tag)] = ''
        return result
    return {}


def host_vars(machine, backend):
    """The mist_* host variables of one machine (one schema for both dialects)."""
    get = machine.get
    return {
        'mist_id': get('id'),
        'mist_external_id': get('external_id'),
        'mist_name': get('name'),
        'mist_hostname': get('hostname'),
        'mist_state': get('state'),
        'mist_public_ips': list(get('public_ips') or []),
        'mist_private_ips': list(get('private_ips') or []),
        'mist_tags': normalise_tags(get('tags')),
        'mist_image': get('image'),
        'mist_size': get('size'),
        'mist_location': get('location'),
        'mist_extra': dict(get('extra') or {}),
        'mist_backend_id': backend.get('id'),
        'mist_backend_name': backend.get('name'),
        'mist_provider': backend.get('provider'),
        'mist_region': backend.get('region') or None,
    }


def resolve_hostnames(candidates):
    """Final unique host names.

    candidates: list of (wanted name or None, machine id, backend id), in inventory order.
    A wanted name shared by several machines goes to none of them: each uses its machine id;
    an id that is still not unique becomes '<backend id>_<machine id>'.
    Returns (names, collided wanted names).
    """
    firsts = [wanted or to_text(mid) for wanted, mid, _bid in candidates]
    counts = Counter(firsts)
    collided = sorted(set(name for name, count in counts.items() if count > 1))
    seconds = [name if counts[name] == 1 else to_text(mid) for name, (_w, mid, _b) in zip(firsts, candidates)]
    counts = Counter(seconds)
    names = []
    for name, (_w, mid, bid) in zip(seconds, candidates):
        if counts[name] > 1:
            name = '%s_%s' % (bid, mid)
        names.append(name)
    # Last resort, never expected: make the name unique with a counter.
    counts = Counter(names)
    if len(counts) != len(names):
        seen = Counter()
        for index, name in enumerate(names):
            if counts[name] > 1:
                seen[name] += 1
                names[index] = '%s_%d' % (name, seen[name])
    return names, collided


def select_backends(backends, names=None, ids=None, providers=None, include_disabled=False):
    """The backends that pass every filter, in their original order.

    Raises ProviderError for a provider name neither the server nor the catalogue knows.
    """
    ids = set(to_text(i) for i in ids or ())
    listed = set(b.get('provider') for b in backends)
    matchers = [provider_matcher(to_text(p).strip(), listed) for p in providers or () if to_text(p).strip()]
    selected = []
    for backend in backends:
        if not include_disabled and backend.get('enabled') is False:
            continue
        if ids and to_text(backend.get('id')) not in ids:
            continue
        if names and not any(fnmatch.fnmatchcase(to_text(backend.get('name') or ''), pattern) for pattern in names):
            continue
        if matchers and not any(match(backend) for match in matchers):
            continue
        selected.append(backend)
    return selected


def select_machines(machines, states=None):
    if not states:
        return list(machines)
    wanted = set(to_text(s).lower() for s in states)
    return [m for m in machines if to_text(m.get('state') or '').lower() in wanted]


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):

    NAME = 'mistio.cloud.mist'

    def verify_file(self, path):
        if super(InventoryModule, self).verify_file(path):
            if path.endswith(('mist.yml', 'mist.yaml')):
                return True
            self.display.vvv('Skipping %s: a mistio.cloud.mist source must end in mist.yml or mist.yaml' % path)
        return False

    # -- options ---------------------------------------------------------

    def _templated(self, name):
        """An option's value, rendered as a template when it is one (vault, lookups)."""
        value = self.get_option(name)
        if value is None:
            return None
        try:
            value = self.templar.template(value)
        except Exception as exc:
            raise AnsibleParserError('mistio.cloud.mist: cannot render option %s: %s' % (name, to_native(exc)))
        if value is None:
            return None
        value = to_text(value).strip()
        return value or None

    def _connection_options(self, url):
        """The connection options (module_utils/connection.py names them once); secrets and the url may be templates."""
        conn = dict((name, self.get_option(name)) for name in mist_connection.CONNECTION_OPTIONS)
        conn.update((name, self._templated(name)) for name in mist_connection.AUTH_OPTIONS)
        conn['url'] = url
        return conn

    def _fingerprint(self, url):
        """What the cached data depends on: a different value makes the entry invalid."""
        return {
            'url': url,
            'api_version': self.get_option('api_version'),
            'backend_names': list(self.get_option('backend_names') or []),
            'backend_ids': list(self.get_option('backend_ids') or []),
            'providers': list(self.get_option('providers') or []),
            'include_disabled': bool(self.get_option('include_disabled')),
        }

    # -- fetching --------------------------------------------------------

    def _connect(self, conn):
        """The server's dialect (module_utils/connection.py); api_version auto asks the server here."""
        if not HAS_CLIENT:
            raise AnsibleParserError('mistio.cloud.mist needs the Python library requests on the controller (%s).' % CLIENT_IMPORT_ERROR)
        if not conn['url']:
            raise AnsibleParserError('mistio.cloud.mist: no url given; set url in the inventory file or MIST_URL.')
        return mist_connection.connect(conn)

    def _fetch(self, conn):
        """Read backends and machines from Mist: the data the cache holds."""
        try:
            dialect = self._connect(conn)
            backends = dialect.list_backends()
        except mist_client.MistError as exc:
            if exc.method is None and exc.status is None:  # a bad option, before any request
                raise AnsibleParserError('mistio.cloud.mist: %s' % to_native(exc))
            raise AnsibleParserError('mistio.cloud.mist: cannot list the backends of %s: %s' % (conn['url'], to_native(exc)))
        except Exception as exc:  # an answer the dialect could not read: still one clear sentence
            raise AnsibleParserError('mistio.cloud.mist: cannot list the backends of %s: %s: %s'
                                     % (conn['url'], type(exc).__name__, to_native(exc)))
        try:
            selected = select_backends(backends, self.get_option('backend_names'), self.get_option('backend_ids'),
                                       self.get_option('providers'), self.get_option('include_disabled'))
        except ProviderError as exc:
            raise AnsibleParserError('mistio.cloud.mist: providers: %s' % to_native(exc))
        machines, errors = self._fetch_machines(dialect, selected)
        return {
            'format': CACHE_FORMAT,
            'dialect': dialect.name,
            'source': self._fingerprint(conn['url']),
            # Only what the inventory shows: the credentials the server lists stay out of the cache.
            'backends': [dict((key, backend.get(key)) for key in BACKEND_KEYS) for backend in selected],
            'machines': machines,
            'errors': errors,
        }

    def _fetch_machines(self, dialect, backends):
        """{backend id: [machines]}, {backend id: error sentence}; parallel, bounded."""
        machines, errors = {}, {}
        if not backends:
            return machines, errors
        workers = max(1, min(int(self.get_option('max_workers') or 1), len(backends)))
        dialect.transport.allow_parallel(workers)

        def read(backend):
            try:
                return backend['id'], dialect.list_machines(backend['id']), None
            except mist_client.MistError as exc:
                return backend['id'], None, to_text(exc)
            except Exception as exc:  # a bug or an odd answer: report it per backend, too
                return backend['id'], None, '%s: %s' % (type(exc).__name__, to_text(exc))

        if workers == 1:
            results = [read(backend) for backend in backends]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(read, backends))
        for backend_id, listed, error in results:
            if error is None:
                machines[backend_id] = listed or []
            else:
                errors[backend_id] = error
        return machines, errors

    # -- building --------------------------------------------------------

    def _report_errors(self, data):
        errors = data.get('errors') or {}
        if not errors:
            return
        names = dict((b['id'], b.get('name')) for b in data['backends'])
        lines = ['backend %r (id %s): %s' % (names.get(bid), bid, msg) for bid, msg in sorted(errors.items(), key=lambda i: (to_text(names.get(i[0])), i[0]))]
        if self.get_option('fail_on_errors'):
            raise AnsibleParserError('mistio.cloud.mist: cannot read the machines of %d backend(s): %s'
                                     % (len(errors), '; '.join(lines)))
        for line in lines:
            self.display.warning('mistio.cloud.mist: skipped the machines of %s. Its group is empty.' % line)

    def _populate(self, data):
        inventory = self.inventory
        parent = sanitise_group_name(self.get_option('parent_group')) or 'mist'
        inventory.add_group(parent)

        backends = data['backends']
        use_providers = self.get_option('provider_groups')
        provider_prefix = self.get_option('provider_group_prefix')
        provider_groups = {}
        if use_providers:
            for backend in backends:
                provider_groups[backend['id']] = provider_group_name(provider_prefix, backend.get('provider'))
        reserved = set(RESERVED_GROUPS) | set([parent]) | set(provider_groups.values())
        group_names, collided = backend_group_names(backends, self.get_option('backend_group_prefix'), reserved)
        if collided:
            self.display.warning('mistio.cloud.mist: %d backend(s) would share a group name, so each group name has the backend id appended: %s'
                                 % (len(collided), ', '.join('%r -> %s' % (b.get('name'), new) for b, _old, new in collided)))

        for backend in backends:
            group = inventory.add_group(group_names[backend['id']])
            inventory.add_child(parent, group)
        for provider_group in sorted(set(provider_groups.values())):
            inventory.add_group(provider_group)
            inventory.add_child(parent, provider_group)

        # Hosts: name them all first (collisions need the whole list).
        states = self.get_option('machine_states')
        entries = []
        all_machines = data.get('machines') or {}
        for backend in backends:
            for machine in select_machines(all_machines.get(backend['id']) or (), states):
                entries.append((backend, machine, host_vars(machine, backend)))
        namer = self._hostname_function()
        candidates = [(namer(entry[1], entry[2]), entry[2]['mist_id'], entry[0]['id']) for entry in entries]
        names, collided = resolve_hostnames(candidates)
        if collided:
            shown = ', '.join(collided[:10]) + (', ...' if len(collided) > 10 else '')
            self.display.warning('mistio.cloud.mist: %d host name(s) are shared by several machines, which are named by their machine id instead: %s'
                                 % (len(collided), shown))

        connect_with = self.get_option('connect_with')
        compose = self.get_option('compose')
        groups = self.get_option('groups')
        keyed_groups = self.get_option('keyed_groups')
        strict = self.get_option('strict')
        constructed = bool(compose or groups or keyed_groups)
        without_address = []
        add_host = inventory.add_host
        get_host = inventory.get_host
        for (backend, machine, hvars), name in zip(entries, names):
            add_host(name, group=group_names[backend['id']])
            if use_providers:
                add_host(name, group=provider_groups[backend['id']])
            if connect_with != 'none':
                address = connect_address(machine, connect_with)
                if address:
                    hvars['ansible_host'] = address
                else:
                    without_address.append(name)
            if _MAKE_UNSAFE is not None:
                hvars = _MAKE_UNSAFE(hvars)
            # The variables go straight onto the host: InventoryData.set_variable on 2.19+ deep-copies
            # and tags every value (about three quarters of the cost per host). Plain values from the
            # API are untrusted there (never templated); older versions get them wrapped as unsafe.
            get_host(name).vars.update(hvars)
            if constructed:
                # Composed variables first, so groups and keyed_groups can use them.
                self._set_composite_vars(compose, hvars, name, strict=strict)
                self._add_host_to_composed_groups(groups, hvars, name, strict=strict)
                self._add_host_to_keyed_groups(keyed_groups, hvars, name, strict=strict)
        if without_address:
            self.display.v('mistio.cloud.mist: %d host(s) have no %s, ansible_host not set: %s'
                           % (len(without_address), connect_with, ', '.join(without_address[:20]) + (', ...' if len(without_address) > 20 else '')))
            for name in without_address:
                self.display.vvv('mistio.cloud.mist: %s has no %s; ansible_host not set' % (name, connect_with))

    def _hostname_function(self):
        """A function (machine, host vars) -> wanted inventory hostname or None."""
        entries = [to_text(e) for e in (self.get_option('hostnames') or []) if e is not None and to_text(e).strip()]
        if entries == ['name']:
            return lambda machine, hvars: _clean_name(hvars.get('mist_name'))
        strict = self.get_option('strict')

        steps = []
        for entry in entries:
            key = HOSTNAME_FIELDS.get(entry, entry)
            if key == 'public_ip':
                steps.append(lambda m, h: first_address(h.get('mist_public_ips')))
            elif key == 'private_ip':
                steps.append(lambda m, h: first_address(h.get('mist_private_ips')))
            elif key.startswith('mist_') and re.match(r'^\w+$', key):
                steps.append(lambda m, h, key=key: h.get(key))
            elif '{{' in entry or '{%' in entry:
                steps.append(lambda m, h, entry=entry: self._render(entry, h, strict, template=True))
            else:
                steps.append(lambda m, h, entry=entry: self._render(entry, h, strict, template=False))

        def name_of(machine, hvars):
            for step in steps:
                value = _clean_name(step(machine, hvars))
                if value:
                    return value
            return None
        return name_of

    def _render(self, entry, hvars, strict, template):
        try:
            if template:
                self.templar.available_variables = hvars
                return self.templar.template(entry)
            return self._compose(entry, hvars)
        except Exception as exc:
            if strict:
                raise AnsibleParserError('mistio.cloud.mist: hostnames entry %r failed for machine %s: %s'
                                         % (entry, hvars.get('mist_id'), to_native(exc)))
            return None

    # -- entry point -----------------------------------------------------

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)

        use_cache = self.get_option('cache')
        read_cache = use_cache and cache
        write_cache = use_cache and not cache
        url = self._templated('url')
        fingerprint = self._fingerprint(url)
        conn = self._connection_options(url)
        cache_key = '%s_%s' % (self.get_cache_key(path), caller_key(conn))

        data = None
        if read_cache:
            try:
                cached = self._cache[cache_key]
            except KeyError:
                cached = None
            if isinstance(cached, dict) and cached.get('format') == CACHE_FORMAT and cached.get('source') == fingerprint:
                data = cached
                self.display.vvv('mistio.cloud.mist: using the cached %s data of %s' % (cached.get('dialect'), url))
            else:
                write_cache = True
        if data is None:
            data = self._fetch(conn)
            if data['errors']:
                if write_cache:
                    self.display.vvv('mistio.cloud.mist: not caching a run in which a backend failed')
                write_cache = False
        self._report_errors(data)
        self._populate(data)
        if write_cache:
            self._cache[cache_key] = data


def caller_key(conn):
    """Who asks, as a hash of url and credentials (never the credentials): another token gets its own entry."""
    who = [conn.get(key) or '' for key in ('url', 'api_token', 'email', 'password')]
    return hashlib.sha256(json.dumps(who).encode('utf-8')).hexdigest()[:32]


def _clean_name(value):
    if value is None:
        return None
    text = to_text(value).strip()
    return text or None
