# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reconcile: pure functions from (desired, current) to a plan.

Nothing here talks to a server. ``mist_backend`` lists the backends once,
picks the current one with :func:`select_backend`, asks :func:`plan_changes`
what to do, and either executes the plan or (check mode) reports it together
with :func:`predict`'s view of the result.

A *desired* backend is a dict::

    {"name": str or None,          # None: keep the current name
     "provider": canonical or None, # from providers.resolve_provider(); None: keep
     "region": str or None,         # None: not managed
     "enabled": bool or None,       # None: unchanged (enabled on create)
     "credentials": {field: value}} # user-facing catalogue names, None values dropped

A *current* backend is a normalised dialect entry (``id``, ``name``,
``provider``, ``region``, ``enabled``, ``state``, ``credentials`` with the
non-secret fields the server shows).

An action is a dict with at least ``action`` (one of :data:`ACTIONS`) and the
arguments its execution needs; :func:`action_names` gives the report form.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

from ansible_collections.mistio.cloud.plugins.module_utils.providers import BACKENDS, CLOUDS

ACTIONS = ('create', 'replace', 'rename', 'update_credentials', 'enable', 'disable', 'delete')
UPDATE_ON_CREATE = 'on_create'
UPDATE_ALWAYS = 'always'

# The fields a diff (and a predicted backend) shows: never a secret.
VIEW_KEYS = ('id', 'name', 'provider', 'region', 'enabled', 'credentials')


class PlanError(ValueError):
    """The desired state cannot be reached safely; the message says why and what to do."""


def clean_credentials(creds):
    """The credentials a user gave: fields left out (None) or empty are not declared."""
    return dict((k, v) for k, v in (creds or {}).items() if v is not None and v != '')


def _same(left, right):
    """Compare credential values the way the server stores them (strings, stripped)."""
    if left is None or right is None:
        return left is right
    if isinstance(left, bool) or isinstance(right, bool):
        return left == right
    return str(left).strip() == str(right).strip()


def select_backend(backends, backend_id=None, name=None):
    """The one backend matching ``backend_id`` exactly, else ``name`` exactly; None if none.

    Never a substring match. Several backends sharing the name raise
    PlanError listing their ids, so the caller can ask for ``id``.
    """
    backends = list(backends or [])
    if backend_id:
        for backend in backends:
            if backend.get('id') == backend_id:
                return backend
        return None
    if name is None:
        return None
    matches = [b for b in backends if b.get('name') == name]
    if len(matches) > 1:
        raise PlanError('%d backends are named %r (ids: %s); refusing to guess. Set id: to the one you mean.'
                        % (len(matches), name, ', '.join(sorted(str(b.get('id')) for b in matches))))
    return matches[0] if matches else None


def identity_changes(desired, current, dialect, secret_fields=()):
    """Names of non-secret identity items (provider, region, credential fields) that differ.

    Secret fields are never compared (the server does not show them). In the
    backends dialect only the fields the list shows are compared (the others
    are not readable); in the clouds dialect a non-secret field the server
    does not show is unset there, so declaring it is a change.
    """
    secret = set(secret_fields or ())
    changes = []
    if desired.get('provider') and desired['provider'] != current.get('provider'):
        changes.append('provider')
    if desired.get('region') is not None and not _same(desired['region'], current.get('region')):
        changes.append('region')
    shown = current.get('credentials') or {}
    for field, value in sorted(clean_credentials(desired.get('credentials')).items()):
        if field in secret:
            continue
        if field not in shown and dialect == BACKENDS:
            continue
        if not _same(value, shown.get(field)):
            changes.append(field)
    return changes


def _secrets_given(desired, secret_fields):
    secret = set(secret_fields or ())
    return sorted(k for k in clean_credentials(desired.get('credentials')) if k in secret)


def plan_changes(desired, current, dialect, secret_fields=(), state='present',
                 update_credentials=UPDATE_ON_CREATE, allow_replace=False, new_id=None):
    """The actions that turn ``current`` into ``desired``; [] when nothing differs.

    dialect: 'backends' or 'clouds'. secret_fields: credential names that are
    secret for the desired provider. new_id: backends dialect, the id the
    declared credentials compute to (used in messages only).
    Only what differs is planned. Raises PlanError when the change is not
    possible without losing the backend's id and the caller did not opt in.
    """
    if dialect not in (BACKENDS, CLOUDS):
        raise PlanError('Unknown dialect %r.' % (dialect,))
    if state == 'absent':
        return [{'action': 'delete', 'id': current['id']}] if current else []
    if state != 'present':
        raise PlanError('Unknown state %r.' % (state,))

    creds = clean_credentials(desired.get('credentials'))
    if current is None:
        actions = [{'action': 'create', 'name': desired.get('name'), 'provider': desired.get('provider'),
                    'region': desired.get('region'), 'credentials': creds}]
        if desired.get('enabled') is False:
            actions.append({'action': 'disable', 'id': new_id})
        return actions

    changed = identity_changes(desired, current, dialect, secret_fields)
    secrets = _secrets_given(desired, secret_fields) if update_credentials == UPDATE_ALWAYS else []
    name = desired.get('name')
    if name is None:
        name = current.get('name')
    enabled = desired.get('enabled')

    if dialect == BACKENDS and (changed or secrets):
        if not changed:
            raise PlanError(
                'The backends dialect has no endpoint to update credentials, and the new %s would keep the same '
                'id (%s), so the backend cannot be replaced by adding a new one first. Remove it with state: absent '
                'and add it again, or use update_credentials: on_create.'
                % (', '.join(secrets), current.get('id')))
        if not allow_replace:
            raise PlanError(
                'Backend %r (id %s): changing %s needs a new backend. The backends dialect has no update endpoint and '
                'a backend id is derived from its provider, region and key (apikey, or a bare-metal host), so the '
                'change gives it a new id%s. '
                'Set allow_replace_with_new_id: true to add the new backend first and then delete the old one '
                '(anything tied to the old id is lost).'
                % (current.get('name'), current.get('id'), ', '.join(changed), ' (%s)' % new_id if new_id else ''))
        actions = [{'action': 'replace', 'id': current['id'], 'name': name,
                    'provider': desired.get('provider') or current.get('provider'),
                    'region': desired.get('region') if desired.get('region') is not None else current.get('region'),
                    'credentials': creds, 'changed': changed, 'new_id': new_id}]
        keep_enabled = current.get('enabled', True) if enabled is None else enabled
        if keep_enabled is False:
            actions.append({'action': 'disable', 'id': new_id})
        return actions

    if 'provider' in changed:
        raise PlanError(
            'Backend %r (id %s) has provider %s; the clouds dialect cannot change a backend\'s provider to %s. '
            'Remove it with state: absent and add it again.'
            % (current.get('name'), current.get('id'), current.get('provider'), desired.get('provider')))

    actions = []
    if name != current.get('name'):
        actions.append({'action': 'rename', 'id': current['id'], 'name': name})
    if changed or secrets:
        fields = dict((k, v) for k, v in creds.items() if k in changed or k in secrets)
        if 'region' in changed:
            fields['region'] = desired['region']
        actions.append({'action': 'update_credentials', 'id': current['id'], 'fields': fields,
                        'changed': sorted(set(changed) | set(secrets))})
    if enabled is not None and bool(enabled) != bool(current.get('enabled')):
        actions.append({'action': 'enable' if enabled else 'disable', 'id': current['id']})
    return actions


def action_names(actions):
    """The report form of a plan: ['rename', 'disable']."""
    return [a['action'] for a in actions]


def public_view(backend, secret_fields=()):
    """A backend as a diff shows it: identity, no secrets, no volatile state."""
    if not backend:
        return {}
    secret = set(secret_fields or ())
    creds = dict((k, v) for k, v in (backend.get('credentials') or {}).items() if k not in secret)
    view = dict((k, backend.get(k)) for k in VIEW_KEYS if k != 'credentials')
    if view.get('id') is None:
        view.pop('id')
    view['credentials'] = creds
    return view


def predict(desired, current, actions, secret_fields=(), new_id=None):
    """The backend as it will be after ``actions`` (check mode's answer); None after a delete.

    Secrets never enter the prediction; ``id`` is ``new_id`` for a create or a
    replace (None when the server assigns it).
    """
    secret = set(secret_fields or ())
    shown = dict((k, v) for k, v in clean_credentials(desired.get('credentials')).items() if k not in secret)
    after = dict(current) if current else None
    for action in actions:
        kind = action['action']
        if kind == 'delete':
            return None
        if kind in ('create', 'replace'):
            after = {
                'id': new_id, 'name': action.get('name'), 'provider': action.get('provider'),
                'region': action.get('region'), 'enabled': True, 'state': None, 'credentials': dict(shown),
            }
        elif kind == 'rename':
            after['name'] = action['name']
        elif kind == 'update_credentials':
            creds = dict(after.get('credentials') or {})
            creds.update((k, v) for k, v in action['fields'].items() if k not in secret and k != 'region')
            after['credentials'] = creds
            if 'region' in action['fields']:
                after['region'] = action['fields']['region']
        elif kind in ('enable', 'disable'):
            after['enabled'] = kind == 'enable'
    if after is not None:
        after['credentials'] = dict((k, v) for k, v in (after.get('credentials') or {}).items() if k not in secret)
    return after


def diff(before, after, secret_fields=()):
    """Ansible's diff dict: before/after of the public view ({} for none)."""
    return {'before': public_view(before, secret_fields), 'after': public_view(after, secret_fields)}
