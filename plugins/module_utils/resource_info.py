# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The info modules of what a backend holds: mist_image_info, mist_size_info,
mist_location_info and mist_machine_info share everything but their filters.

One backend (backend_id or exact backend_name) or every enabled backend, one GET per
backend, read in parallel (resources.for_each_backend); a backend that cannot be
read fails the task with a sentence naming it.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.module import MistModule, connection_argument_spec

# Backends named in a "not found" message at the most.
SHOWN = 10


def backend_argument_spec():
    """The options that say which backends to read (documented in each module)."""
    return dict(
        backend_id=dict(type='str'),
        backend_name=dict(type='str'),
        include_disabled=dict(type='bool', default=False),
        max_workers=dict(type='int', default=resources.DEFAULT_WORKERS),
    )


def argument_spec(filters):
    """The whole spec of one of these modules: connection, backend choice, its own filters."""
    spec = connection_argument_spec()
    spec.update(backend_argument_spec())
    spec.update(filters)
    return spec


def run_module(info_class, filters):
    """The main() of each of these modules: its options (connection, backend choice, its filters), then run."""
    module = AnsibleModule(argument_spec=argument_spec(filters), mutually_exclusive=[('backend_id', 'backend_name')],
                           supports_check_mode=True)
    info_class(module).run()


def _listed(backends):
    shown = ', '.join('%s (%s)' % (b.get('name'), b.get('id')) for b in backends[:SHOWN])
    more = len(backends) - SHOWN
    if more > 0:
        shown += ' and %d more' % more
    return shown or 'none'


def choose_backends(backends, backend_id=None, backend_name=None, include_disabled=False):
    """(the backends to read, None) or (None, a sentence saying why none can be chosen).

    backend_id and backend_name are exact; a name that several backends share is refused
    with their ids, never guessed. Without either: every backend, disabled ones only
    with include_disabled. A backend asked for by id or name is read even if disabled.
    """
    if backend_id is not None:
        found = [b for b in backends if b.get('id') == backend_id]
        if not found:
            return None, 'No backend has the id %r. The backends are: %s.' % (backend_id, _listed(backends))
        return found, None
    if backend_name is not None:
        found = [b for b in backends if b.get('name') == backend_name]
        if not found:
            return None, 'No backend is named %r (names are exact and case-sensitive). The backends are: %s.' % (
                backend_name, _listed(backends))
        if len(found) > 1:
            return None, '%d backends are named %r: %s. Give backend_id instead.' % (
                len(found), backend_name, ', '.join(b.get('id') for b in found))
        return found, None
    return [b for b in backends if include_disabled or b.get('enabled') is not False], None


class MistResourceInfo(MistModule):
    """Subclasses set kind ('images', ...) and select(items) with their own filters."""

    kind = None

    def select(self, items):
        """The items that pass the module's filters (subclasses)."""
        raise NotImplementedError('subclasses implement select()')

    def execute(self):
        dialect = self.dialect
        params = self.module.params
        listed = dialect.list_backends()
        chosen, problem = choose_backends(listed, params['backend_id'], params['backend_name'], params['include_disabled'])
        if problem:
            self.fail(problem)
        kind = self.kind
        results = resources.for_each_backend(dialect.transport, chosen, lambda b: dialect.list_resources(kind, b['id']),
                                             params['max_workers'])
        items, errors = [], []
        for backend, listed_items, error in results:
            if error is not None:
                errors.append({'backend_id': backend['id'], 'backend_name': backend.get('name'), 'msg': error})
                continue
            for item in self.select(listed_items):
                item['backend_id'] = backend['id']
                item['backend_name'] = backend.get('name')
                items.append(item)
        if errors:
            reasons = '; '.join('backend %r (id %s): %s' % (e['backend_name'], e['backend_id'], e['msg'].rstrip('.'))
                                for e in errors)
            self.fail('Cannot read the %s of %s.' % (kind, reasons), errors=errors, **{kind: items})
        return {'dialect': dialect.name, kind: items}
