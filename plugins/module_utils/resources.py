# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a backend holds, in one shape whatever the server: images, sizes, locations, machines.

Pure functions, no I/O. The dialects turn each entry the server lists into one of
these shapes (``normalise(kind, entry, backend_id)``); the info modules and the
inventory plugin filter them with the ``select_*`` functions. The servers' shapes
per era are in tests/mistsim/README.md ("Images, sizes, locations, machines").

Each shape reads every era's spelling of a field (``star`` / ``starred``, ``uuid`` /
``id``, ``machine_id`` / ``external_id``): an entry's own keys say which it is, so
no caller needs to know the dialect.

``for_each_backend`` is the bounded pool that reads one resource of many backends
in parallel, one request per backend, shared by the modules and the inventory.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import fnmatch
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError

KINDS = ('images', 'sizes', 'locations', 'machines')
# One worker per backend up to this many at the same time (the inventory's max_workers default,
# chosen from measurements: see bench/README.md).
DEFAULT_WORKERS = 32


# --------------------------------------------------------------------------
# Small readers
# --------------------------------------------------------------------------

def _text(value):
    """A non-empty string, or None."""
    if value is None or value == '':
        return None
    return value if isinstance(value, str) else str(value)


def _dict(value):
    return dict(value) if isinstance(value, dict) else {}


def _number(value, kind=float):
    """A number from an int, float or numeric string ('2048', '1.5 GB' is not one); else None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = kind(float(value)) if kind is int else kind(value)
    except (TypeError, ValueError):
        return None
    return number


def _ref(value):
    """An image / size / location a machine refers to, as a string: servers send an id or an object."""
    if isinstance(value, dict):
        value = value.get('name') or value.get('id')
    return _text(value)


def _ips(value):
    return [str(ip) for ip in (value or []) if ip]


def tags_dict(value):
    """Tags as a dict in every era.

    clouds: already {key: value}. backends: a list of strings; 'k=v' becomes
    {k: v} and a bare 'tag' becomes {tag: ''}. A list of {key, value} dicts
    (some clouds payloads) is read too.
    """
    if isinstance(value, dict):
        return dict((str(k), '' if v is None else str(v)) for k, v in value.items())
    tags = {}
    for item in value or []:
        if isinstance(item, dict):
            if item.get('key') is not None:
                tags[str(item.get('key'))] = '' if item.get('value') is None else str(item.get('value'))
        elif item is not None:
            key, dummy, val = str(item).partition('=')
            tags[key] = val
    return tags


def _architecture(value):
    """A list of architectures: clouds images list them, sizes give one string."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


# --------------------------------------------------------------------------
# One shape per resource
# --------------------------------------------------------------------------

def _ids(entry):
    """(Mist's id, the provider's id). clouds entries carry both; backends only the provider's."""
    external = _text(entry.get('external_id'))
    if external is None:
        return _text(entry.get('id')), _text(entry.get('id'))
    return _text(entry.get('id')) or external, external


def image(entry, backend_id):
    """An image: backends {id, name, star, extra}; clouds (C1 from 2020, C3) adds
    external_id, starred, os_type, os_distro, architecture, min sizes, tags, origin."""
    mist_id, external_id = _ids(entry)
    starred = entry.get('starred', entry.get('star'))
    return {
        'id': mist_id,
        'external_id': external_id,
        'name': _text(entry.get('name')) or external_id,
        'starred': bool(starred),
        'os_type': _text(entry.get('os_type')),
        'os_distro': _text(entry.get('os_distro')),
        'architecture': _architecture(entry.get('architecture')),
        'min_disk_size': _number(entry.get('min_disk_size')),
        'min_memory_size': _number(entry.get('min_memory_size'), int),
        'origin': _text(entry.get('origin')),
        'tags': tags_dict(entry.get('tags')),
        'extra': _dict(entry.get('extra')),
        'backend_id': backend_id,
    }


def size(entry, backend_id):
    """A size: backends {id, name, ram, disk, bandwidth, price, driver}; clouds adds
    external_id, cpus, architecture, and keeps the price in extra."""
    mist_id, external_id = _ids(entry)
    extra = _dict(entry.get('extra'))
    price = entry.get('price', extra.get('price'))
    return {
        'id': mist_id,
        'external_id': external_id,
        'name': _text(entry.get('name')) or external_id,
        'cpus': _number(entry.get('cpus'), int),
        'ram': _number(entry.get('ram'), int),
        'disk': _number(entry.get('disk'), int),
        'bandwidth': _number(entry.get('bandwidth'), int),
        'price': price if isinstance(price, (dict, str)) else _number(price),
        'architecture': _text(entry.get('architecture')),
        'extra': extra,
        'backend_id': backend_id,
    }


def location(entry, backend_id):
    """A location: backends {id, name, country}; clouds adds external_id, extra and
    (C3) location_type and parent."""
    mist_id, external_id = _ids(entry)
    return {
        'id': mist_id,
        'external_id': external_id,
        'name': _text(entry.get('name')) or external_id,
        'country': _text(entry.get('country')),
        'location_type': _text(entry.get('location_type')),
        'parent': _text(entry.get('parent')),
        'extra': _dict(entry.get('extra')),
        'backend_id': backend_id,
    }


def machine(entry, backend_id):
    """A machine (the inventory's host and mist_machine_info's item).

    backends: {id (the provider's), uuid (Mist's), imageId, size, ...};
    clouds: {id (Mist's), machine_id (C1) or external_id (C3), image, size, location, cloud, ...}.
    """
    extra = _dict(entry.get('extra'))
    if entry.get('uuid') is not None:
        mist_id, external_id = _text(entry.get('uuid')), _text(entry.get('id'))
    else:
        external_id = _text(entry.get('external_id')) or _text(entry.get('machine_id'))
        mist_id = _text(entry.get('id')) or external_id
    return {
        'id': mist_id,
        'external_id': external_id,
        'name': entry.get('name') or '',
        'hostname': _text(entry.get('hostname')) or _text(extra.get('dns_name')),
        'state': entry.get('state') or 'unknown',
        'public_ips': _ips(entry.get('public_ips')),
        'private_ips': _ips(entry.get('private_ips')),
        'tags': tags_dict(entry.get('tags')),
        'image': _ref(entry.get('image') or entry.get('imageId') or extra.get('image_id')),
        'size': _ref(entry.get('size') or extra.get('instancetype')),
        'location': _ref(entry.get('location') or extra.get('location') or extra.get('availability')),
        'backend_id': _ref(entry.get('cloud')) or backend_id,
        'extra': extra,
    }


NORMALISERS = {'images': image, 'sizes': size, 'locations': location, 'machines': machine}


def normalise(kind, entries, backend_id):
    """The entries a server listed for one backend (a list), in the one shape of kind."""
    make = NORMALISERS[kind]
    return [make(entry, backend_id) for entry in entries or () if isinstance(entry, dict)]


# --------------------------------------------------------------------------
# Filters (every given filter must match; None or empty means "not given")
# --------------------------------------------------------------------------

def _patterns(value):
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value if v is not None and str(v) != '']


def name_matches(name, patterns):
    """True when name matches one of the shell-style patterns (case-sensitive); no pattern: True."""
    patterns = _patterns(patterns)
    return not patterns or any(fnmatch.fnmatchcase(name or '', pattern) for pattern in patterns)


def _has_tag(tags, key, value):
    """tags has key, with value unless value is null or empty."""
    if str(key) not in tags:
        return False
    return value is None or str(value) == '' or tags[str(key)] == str(value)


def _tags_match(tags, wanted):
    return all(_has_tag(tags, key, value) for key, value in (wanted or {}).items())


def _states(states):
    return set(str(s).lower() for s in states or () if s is not None and str(s) != '')


def select_machines(machines, states=None, names=None, tags=None, exclude_states=None, exclude_names=None,
                    exclude_tags=None):
    """The machines in one of states (case-insensitive), whose name matches one of names
    (shell patterns), and that have every tag of tags ({key: value}; a null or empty value
    only asks for the key), in their order. Shared by mist_machine_info and the inventory.

    The exclude_ filters leave out a machine in one of exclude_states, whose name matches one
    of exclude_names, or that has any one tag of exclude_tags.
    """
    wanted_states, unwanted_states = _states(states), _states(exclude_states)
    unwanted_names = _patterns(exclude_names)
    if not (wanted_states or unwanted_states or _patterns(names) or unwanted_names or tags or exclude_tags):
        return list(machines)  # no filter: the inventory's common case, for every backend
    selected = []
    for item in machines:
        state = str(item.get('state') or '').lower()
        if (wanted_states and state not in wanted_states) or state in unwanted_states:
            continue
        if not name_matches(item.get('name'), names):
            continue
        if unwanted_names and name_matches(item.get('name'), unwanted_names):
            continue
        if tags or exclude_tags:
            have = tags_dict(item.get('tags'))
            if not _tags_match(have, tags):
                continue
            if any(_has_tag(have, key, value) for key, value in (exclude_tags or {}).items()):
                continue
        selected.append(item)
    return selected


def select_images(images, names=None, search=None, starred=None):
    """Images whose name matches names (shell patterns), whose id, provider id or name contains
    search (case-insensitive, as the servers' own search_term), and starred or not."""
    term = (search or '').lower()
    selected = []
    for item in images:
        if not name_matches(item.get('name'), names):
            continue
        if term and not any(term in (item.get(key) or '').lower() for key in ('id', 'external_id', 'name')):
            continue
        if starred is not None and bool(item.get('starred')) != bool(starred):
            continue
        selected.append(item)
    return selected


def select_sizes(sizes, names=None, min_ram=None, min_cpus=None):
    """Sizes whose name matches names, with at least min_ram MiB and min_cpus CPUs
    (a size that does not say is left out by that filter)."""
    selected = []
    for item in sizes:
        if not name_matches(item.get('name'), names):
            continue
        if min_ram is not None and (item.get('ram') is None or item['ram'] < min_ram):
            continue
        if min_cpus is not None and (item.get('cpus') is None or item['cpus'] < min_cpus):
            continue
        selected.append(item)
    return selected


def select_locations(locations, names=None):
    """Locations whose name matches names (shell patterns)."""
    return [item for item in locations if name_matches(item.get('name'), names)]


# --------------------------------------------------------------------------
# Many backends, one request each
# --------------------------------------------------------------------------

def for_each_backend(client, backends, read, workers=DEFAULT_WORKERS):
    """[(backend, value, error)] for read(backend) over backends, in their order.

    At most `workers` requests at the same time (1: one after the other). A MistError
    (or any other failure reading one backend) becomes that backend's error sentence,
    so one backend failing never hides the others' results.
    """
    backends = list(backends)
    if not backends:
        return []
    workers = max(1, min(int(workers or 1), len(backends)))
    client.allow_parallel(workers)

    def attempt(backend):
        try:
            return backend, read(backend), None
        except MistError as exc:
            return backend, None, str(exc)
        except Exception as exc:  # an answer the dialect could not read: still one sentence for that backend
            return backend, None, '%s: %s' % (type(exc).__name__, exc)

    if workers == 1:
        return [attempt(backend) for backend in backends]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(attempt, backends))
