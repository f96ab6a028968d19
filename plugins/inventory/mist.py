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
  - Every backend that is enabled in Mist becomes a group, even when it has no machines (disabled backends
    are left out unless O(include_disabled)); all backend groups are children of O(parent_group).
    With O(provider_groups), every provider also becomes a group (V(mist_provider_ec2)), a child of
    O(parent_group) too, whose children are the groups of that provider's backends.
  - Every machine becomes a host with the host variables listed below and, depending on
    O(connect_with), C(ansible_host).
  - "Host variables (the same names and types in both dialects; C(mist_) is O(host_var_prefix)): C(mist_id) (Mist's id of the machine: the
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
    each gets C(_<backend id>) appended, and a warning names them. Backends are never merged.
    A backend group whose name is also a host's name (a bare-metal backend and its one machine often
    share it) gets C(_<backend id>) appended too, logged with C(-v): a name is never both a group
    and a host."
  - "Host names: for each machine, the first entry of O(hostnames) that gives a non-empty string;
    if none does, or the name is O(parent_group), a provider group, C(all) or C(ungrouped), the machine id.
    When two or more machines get the same name, none of them keeps
    it: each is named by its machine id instead (a warning gives the count and names). If that id is
    still not unique (the same provider id in two backends), the name is C(<backend id>_<machine id>)."
  - The machines of all backends are fetched in parallel (O(max_workers)), one request per backend.
  - "Filters: the backend filters (O(backend_names), O(backend_ids), O(providers), O(exclude_backend_names),
    O(include_disabled)) decide which backends are read; the machine filters (O(machine_states),
    O(machine_names), O(machine_tags) and their C(exclude_) forms) which machines become hosts. A backend
    or machine is kept when it matches every include filter that is given and no exclude filter."
  - "O(url), O(api_token), O(email) and O(password) may be templates. With O(use_extra_vars=true) they see the
    extra vars of the run, so C(url: '{{ mist_url }}') and C(ansible-inventory -e mist_url=https://...)
    work; without it they see no variables (lookups still work)."
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
    inventory file; groups and variables are rebuilt from it, so changing O(compose), O(hostnames),
    O(host_var_prefix), O(connect_with) or the machine filters needs no refresh. A cache hit sends no request at all. A run in which a backend
    failed is not cached. Changing O(url), O(api_version), the backend filters or O(include_disabled)
    makes the cached entry invalid. Each caller has an entry of its own, whose key includes a hash of the url
    and the credentials (never the credentials themselves), so a run with another token or login reads
    Mist itself and is never served someone else's data.
  - "On ansible-core 2.19 and later, C(ansible-inventory --list) shows every string that came from Mist as
    C({\"__ansible_unsafe\": \"...\"}): that is core's JSON for data it will never template, not a
    wrapped value. C(--list --yaml) (or C(--toml)) prints plain values; see the README for a C(jq) filter
    that unwraps the JSON."
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
    description: Also read the backends that are disabled in Mist (they are left out by default, with no group).
    type: bool
    default: false
  exclude_backend_names:
    description:
      - Leave out the backends whose name matches one of these shell-style patterns (V(test-*)); case-sensitive.
    type: list
    elements: str
    default: []
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
      - Only the machines in one of these states (for example V(running)), case-insensitive. Empty means every machine.
      - The backend's groups exist even when no machine is left.
    type: list
    elements: str
    default: []
  exclude_machine_states:
    description: Leave out the machines in one of these states (for example V(terminated)), case-insensitive.
    type: list
    elements: str
    default: []
  machine_names:
    description: Only the machines whose name in Mist matches one of these shell-style patterns (V(web-*)); case-sensitive.
    type: list
    elements: str
    default: []
  exclude_machine_names:
    description: Leave out the machines whose name in Mist matches one of these shell-style patterns; case-sensitive.
    type: list
    elements: str
    default: []
  machine_tags:
    description:
      - "Only the machines that have every one of these tags. A tag with an empty or null value only needs the key
        (V({role: web, monitored: ''}))."
    type: dict
    default: {}
  exclude_machine_tags:
    description:
      - "Leave out the machines that have any one of these tags. A tag with an empty or null value matches any value
        of that key (V({ansible: skip, scratch: ''}))."
    type: dict
    default: {}
  host_var_prefix:
    description:
      - Put in front of the name of every host variable the plugin sets (C(mist_id), C(mist_tags), ...).
        Empty gives C(id), C(tags), ...
      - O(hostnames), O(compose), O(groups) and O(keyed_groups) see the variables by these names.
    type: str
    default: mist_
  hostnames:
    description:
      - How the inventory host name of a machine is chosen; the first entry that gives a non-empty
        string wins (see the description for collisions).
      - An entry is either a field (V(name), V(id), V(external_id), V(hostname), V(public_ip),
        V(private_ip), any other host variable's name with or without O(host_var_prefix)), a template
        (V({{ mist_tags.Name }}.example.com)), or a Jinja2 expression (V(mist_tags.fqdn)).
        Templates and expressions see the host variables (and the extra vars with O(use_extra_vars)).
      - A name that is O(parent_group), a provider group, C(all) or C(ungrouped) is not used.
    type: list
    elements: str
    default: [name]
  connect_with:
    description:
      - What C(ansible_host) is set to, in order of preference; the first one the machine has wins.
        V(public_ip) and V(private_ip) take the first address of the list, V(hostname) the machine's DNS name.
        One value (V(private_ip)) is a list of one.
      - When the machine has none of them, C(ansible_host) is not set (logged with C(-v)).
        V(none), alone, never sets it.
    type: list
    elements: str
    choices: [public_ip, private_ip, hostname, none]
    default: [public_ip, private_ip, hostname]
  max_workers:
    description:
      - How many backends are read at the same time (at least 1; V(1) reads them one after the other).
      - "The default, 32, comes from measurements (bench/README.md): with 100 ms between the controller and Mist,
        200 backends are read in about 7 round trips instead of 200, within a few tenths of a second of the
        floor; 64 workers gained less than that while the server's own response times grew by half
        (requests queueing), so more would mostly load a small server. Lower it for a small Mist server
        on a fast network, where parallel reads gain little."
    type: int
    default: 32
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
# ci.mist.yml: the url from the run's extra vars (ansible-inventory -e mist_url=https://...),
# test backends and machines tagged ansible=skip left out, private addresses first
plugin: mistio.cloud.mist
url: "{{ mist_url }}"
use_extra_vars: true
exclude_backend_names: ['test-*']
exclude_machine_states: [terminated]
exclude_machine_tags: {ansible: skip}
connect_with: [private_ip, public_ip, hostname]
---
# local.mist.yml: the url and the token come from MIST_URL and MIST_API_TOKEN; cached for an hour
plugin: mistio.cloud.mist
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/mist-inventory
cache_timeout: 3600
'''

import fnmatch
import gc
import hashlib
import json
import re
import time
from contextlib import contextmanager
from collections import Counter

import ansible.template
from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native, to_text
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.vars import combine_vars

try:
    from ansible_collections.mistio.cloud.plugins.module_utils import client as mist_client
    from ansible_collections.mistio.cloud.plugins.module_utils import connection as mist_connection
    HAS_CLIENT = mist_client.HAS_REQUESTS
    CLIENT_IMPORT_ERROR = None if HAS_CLIENT else 'the Python library requests is not installed'
except ImportError as exc:  # pragma: no cover - requests or the util missing
    mist_client = mist_connection = None
    HAS_CLIENT = False
    CLIENT_IMPORT_ERROR = to_native(exc)

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.providers import ProviderError, provider_matcher

# ansible-core 2.19+ never templates a value that is not explicitly trusted; before it,
# data from the API must be wrapped as unsafe so that a machine name is never a template.
if hasattr(ansible.template, 'trust_as_template'):
    _MAKE_UNSAFE = None
else:  # pragma: no cover - ansible-core < 2.19
    from ansible.utils.unsafe_proxy import wrap_var as _MAKE_UNSAFE

CACHE_FORMAT = 1
# The host variables of a machine, without O(host_var_prefix), in the order they are documented.
VAR_FIELDS = ('id', 'external_id', 'name', 'hostname', 'state', 'public_ips', 'private_ips', 'tags', 'image',
              'size', 'location', 'extra', 'backend_id', 'backend_name', 'provider', 'region')
# What O(connect_with) and O(hostnames) may name besides the fields: the first address of a list.
ADDRESS_FIELDS = {'public_ip': 'public_ips', 'private_ip': 'private_ips'}
CONNECT_CHOICES = ('public_ip', 'private_ip', 'hostname')
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


def backend_group_names(backends, prefix='', reserved=(), host_names=()):
    """{backend id: group name} for normalised backends, the renamed collisions, and the groups
    renamed because a host has their name.

    A name shared by two or more backends, equal to a reserved group name, or equal to a host's
    name (a bare-metal backend and its one machine), is given to none of them: each gets
    '_<sanitised id>' appended. Returns (names, collided, renamed for hosts), the last two as
    lists of (backend, wanted name, given name).
    """
    wanted = {}
    for backend in backends:
        name = _join_group_name(prefix, backend.get('name'))
        if not name:
            name = _join_group_name(prefix, 'backend_' + to_text(backend['id']))
        wanted[backend['id']] = name
    counts = Counter(wanted.values())
    reserved = set(reserved)
    host_names = set(host_names)
    result, collided, for_hosts = {}, [], []
    for backend in backends:
        name = wanted[backend['id']]
        if counts[name] > 1 or name in reserved or name in host_names:
            new = '%s_%s' % (name, _INVALID_GROUP_CHARS.sub('_', to_text(backend['id'])))
            (collided if counts[name] > 1 or name in reserved else for_hosts).append((backend, name, new))
            name = new
        result[backend['id']] = name
    # Appending the id cannot collide again unless an id equals another backend's name+id.
    taken = Counter(result.values())
    for index, backend in enumerate(backends):
        if taken[result[backend['id']]] > 1:
            result[backend['id']] = '%s_%d' % (result[backend['id']], index)
    return result, collided, for_hosts


def first_address(values):
    for value in values or ():
        if value:
            return to_text(value)
    return None


def connect_address(machine, connect_with):
    """The value for ansible_host: the first of connect_with (a list, or one name) the machine has, or None."""
    if isinstance(connect_with, str):
        connect_with = [connect_with]
    for choice in connect_with or ():
        if choice in ADDRESS_FIELDS:
            address = first_address(machine.get(ADDRESS_FIELDS[choice]))
        elif choice == 'hostname':
            address = to_text(machine.get('hostname')) if machine.get('hostname') else None
        else:
            address = None
        if address:
            return address
    return None


def machine_fields(machine, backend):
    """The host variables of one machine without their prefix (one schema for both dialects),
    in the order of VAR_FIELDS."""
    get = machine.get
    return (
        get('id'),
        get('external_id'),
        get('name'),
        get('hostname'),
        get('state'),
        list(get('public_ips') or []),
        list(get('private_ips') or []),
        resources.tags_dict(get('tags')),
        get('image'),
        get('size'),
        get('location'),
        dict(get('extra') or {}),
        backend.get('id'),
        backend.get('name'),
        backend.get('provider'),
        backend.get('region') or None,
    )


def host_vars(machine, backend, prefix='mist_'):
    """The host variables of one machine, named with prefix (C(mist_id), ...)."""
    return dict(zip(var_names(prefix), machine_fields(machine, backend)))


def var_names(prefix='mist_'):
    return tuple(prefix + field for field in VAR_FIELDS)


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


def select_backends(backends, names=None, ids=None, providers=None, include_disabled=False, exclude_names=None):
    """The backends that pass every filter and match no exclude_names pattern, in their original order.

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
        name = to_text(backend.get('name') or '')
        if names and not any(fnmatch.fnmatchcase(name, pattern) for pattern in names):
            continue
        if exclude_names and any(fnmatch.fnmatchcase(name, pattern) for pattern in exclude_names):
            continue
        if matchers and not any(match(backend) for match in matchers):
            continue
        selected.append(backend)
    return selected


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
        # With use_extra_vars, -e mist_url=... is there for {{ mist_url }}; otherwise nothing is.
        self.templar.available_variables = dict(self._vars or {}) if self.get_option('use_extra_vars') else {}
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
            'exclude_backend_names': list(self.get_option('exclude_backend_names') or []),
            'backend_ids': list(self.get_option('backend_ids') or []),
            'providers': list(self.get_option('providers') or []),
            'include_disabled': bool(self.get_option('include_disabled')),
        }

    def _check_options(self):
        """Options that depend on each other; each problem is one clear sentence."""
        prefix = to_text(self.get_option('host_var_prefix') or '')
        if prefix and not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', prefix):
            raise AnsibleParserError('mistio.cloud.mist: host_var_prefix must be empty or start a valid variable name '
                                     '(letters, digits and _, not starting with a digit); got %r' % prefix)
        connect_with = [to_text(c) for c in self.get_option('connect_with') or []]
        if 'none' in connect_with and len(connect_with) > 1:
            raise AnsibleParserError('mistio.cloud.mist: connect_with: none cannot be combined with %s'
                                     % ', '.join(c for c in connect_with if c != 'none'))
        self._prefix = prefix
        self._var_names = var_names(prefix)
        self._connect_with = [c for c in connect_with if c != 'none']

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
                                       self.get_option('providers'), self.get_option('include_disabled'),
                                       self.get_option('exclude_backend_names'))
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
        results = resources.for_each_backend(dialect.transport, backends, lambda backend: dialect.list_machines(backend['id']),
                                             self.get_option('max_workers'))
        for backend, listed, error in results:
            if error is None:
                machines[backend['id']] = listed or []
            else:
                errors[backend['id']] = error
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
        """Groups and hosts from the fetched (or cached) data; returns the number of hosts."""
        inventory = self.inventory
        parent = sanitise_group_name(self.get_option('parent_group')) or 'mist'
        backends = data['backends']
        use_providers = self.get_option('provider_groups')
        provider_prefix = self.get_option('provider_group_prefix')
        provider_groups = {}
        if use_providers:
            for backend in backends:
                provider_groups[backend['id']] = provider_group_name(provider_prefix, backend.get('provider'))
        reserved = set(RESERVED_GROUPS) | set([parent]) | set(provider_groups.values())

        # Host names first: a backend group may not take a host's name (bare metal: the backend and
        # its one machine share it), and a host may not take a group name the plugin cannot change.
        entries, names = self._name_hosts(data, backends, reserved)
        group_names, collided, for_hosts = backend_group_names(backends, self.get_option('backend_group_prefix'),
                                                               reserved, names)
        if collided:
            self.display.warning('mistio.cloud.mist: %d backend(s) would share a group name, so each group name has the backend id appended: %s'
                                 % (len(collided), ', '.join('%r -> %s' % (b.get('name'), new) for b, _old, new in collided)))
        if for_hosts:
            # Expected for every bare-metal backend, so not a warning.
            self.display.v('mistio.cloud.mist: %d backend group name(s) are also host names, so the group has the backend id appended: %s'
                           % (len(for_hosts), ', '.join('%s -> %s' % (old, new) for _b, old, new in for_hosts)))

        inventory.add_group(parent)
        for provider_group in sorted(set(provider_groups.values())):
            inventory.add_group(provider_group)
            inventory.add_child(parent, provider_group)
        for backend in backends:
            group = inventory.add_group(group_names[backend['id']])
            inventory.add_child(parent, group)
            # A provider group holds its backends' groups, not each host: one membership per host.
            if use_providers:
                inventory.add_child(provider_groups[backend['id']], group)
        self._add_hosts(entries, names, group_names)
        return len(entries)

    def _name_hosts(self, data, backends, reserved):
        """([(backend, machine, fields)], [host name]) for the machines the filters keep."""
        option = self.get_option
        entries = []
        all_machines = data.get('machines') or {}
        for backend in backends:
            kept = resources.select_machines(all_machines.get(backend['id']) or (), option('machine_states'), option('machine_names'),
                                             option('machine_tags'), option('exclude_machine_states'),
                                             option('exclude_machine_names'), option('exclude_machine_tags'))
            for machine in kept:
                entries.append((backend, machine, machine_fields(machine, backend)))
        namer = self._hostname_function()
        keys = self._var_names
        candidates = []
        for backend, machine, fields in entries:
            wanted = namer(fields, keys)
            if wanted in reserved:
                wanted = None  # named by its id, as when no entry of hostnames gives a name
            candidates.append((wanted, fields[0], backend['id']))
        names, collided = resolve_hostnames(candidates)
        if collided:
            shown = ', '.join(collided[:10]) + (', ...' if len(collided) > 10 else '')
            self.display.warning('mistio.cloud.mist: %d host name(s) are shared by several machines, which are named by their machine id instead: %s'
                                 % (len(collided), shown))
        return entries, names

    def _add_hosts(self, entries, names, group_names):
        inventory = self.inventory
        connect_with = self._connect_with
        compose = self.get_option('compose')
        groups = self.get_option('groups')
        keyed_groups = self.get_option('keyed_groups')
        strict = self.get_option('strict')
        constructed = bool(compose or groups or keyed_groups)
        keys = self._var_names
        without_address = []
        add_host = inventory.add_host
        get_host = inventory.get_host
        for (backend, machine, fields), name in zip(entries, names):
            add_host(name, group=group_names[backend['id']])
            hvars = dict(zip(keys, fields))
            if connect_with:
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
            what = ' or '.join(connect_with)
            self.display.v('mistio.cloud.mist: %d host(s) have no %s, ansible_host not set: %s'
                           % (len(without_address), what, ', '.join(without_address[:20]) + (', ...' if len(without_address) > 20 else '')))
            for name in without_address:
                self.display.vvv('mistio.cloud.mist: %s has no %s; ansible_host not set' % (name, what))

    def _hostname_function(self):
        """A function (fields, variable names) -> wanted inventory hostname or None."""
        entries = [to_text(e) for e in (self.get_option('hostnames') or []) if e is not None and to_text(e).strip()]
        prefix = self._prefix
        index = dict((field, position) for position, field in enumerate(VAR_FIELDS))
        strict = self.get_option('strict')

        steps = []
        for entry in entries:
            field = entry[len(prefix):] if prefix and entry.startswith(prefix) and entry[len(prefix):] in index else entry
            if field in ADDRESS_FIELDS:
                steps.append(lambda f, k, at=index[ADDRESS_FIELDS[field]]: first_address(f[at]))
            elif field in index:
                steps.append(lambda f, k, at=index[field]: f[at])
            elif '{{' in entry or '{%' in entry:
                steps.append(lambda f, k, entry=entry: self._render(entry, dict(zip(k, f)), strict, template=True))
            else:
                steps.append(lambda f, k, entry=entry: self._render(entry, dict(zip(k, f)), strict, template=False))

        def name_of(fields, keys):
            for step in steps:
                value = _clean_name(step(fields, keys))
                if value:
                    return value
            return None
        return name_of

    def _render(self, entry, hvars, strict, template):
        try:
            if template:
                self.templar.available_variables = combine_vars(hvars, self._vars) if self.get_option('use_extra_vars') else hvars
                return self.templar.template(entry)
            return self._compose(entry, hvars)
        except Exception as exc:
            if strict:
                raise AnsibleParserError('mistio.cloud.mist: hostnames entry %r failed for machine %s: %s'
                                         % (entry, hvars.get(self._prefix + 'id'), to_native(exc)))
            return None

    # -- entry point -----------------------------------------------------

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        self._check_options()
        with _collector_paused():
            self._load_and_build(path, cache)

    def _load_and_build(self, path, cache):
        use_cache = self.get_option('cache')
        read_cache = use_cache and cache
        write_cache = use_cache and not cache
        url = self._templated('url')
        fingerprint = self._fingerprint(url)
        conn = self._connection_options(url)
        cache_key = '%s_%s' % (self.get_cache_key(path), caller_key(conn))

        started = time.monotonic()
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
        else:
            cached = None
        if data is None:
            data = self._fetch(conn)
            if data['errors']:
                if write_cache:
                    self.display.vvv('mistio.cloud.mist: not caching a run in which a backend failed')
                write_cache = False
        self._report_errors(data)
        loaded, cpu = time.monotonic(), time.process_time()
        hosts = self._populate(data)
        if write_cache:
            self._cache[cache_key] = data
        # Where the time went (the benchmarks in bench/ read this line).
        self.display.vvv('mistio.cloud.mist: %s in %.3fs, built %d hosts in %.3fs (CPU %.3fs)'
                         % ('read the cache' if data is cached else 'read %d backends' % len(data['backends']),
                            loaded - started, hosts, time.monotonic() - loaded, time.process_time() - cpu))


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector off while the inventory is built, and the result frozen.

    The build makes a few objects per host and frees none; each full collection walks the whole
    heap, so with the collector on the cost per host grows with the number of hosts. Frozen (moved
    to the permanent generation), the built inventory is no longer walked by later collections
    either, which keeps Ansible's own per-host work after the build linear too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def caller_key(conn):
    """Who asks, as a hash of url and credentials (never the credentials): another token gets its own entry."""
    who = [conn.get(key) or '' for key in ('url', 'api_token', 'email', 'password')]
    return hashlib.sha256(json.dumps(who).encode('utf-8')).hexdigest()[:32]


def _clean_name(value):
    if value is None:
        return None
    text = to_text(value).strip()
    return text or None
