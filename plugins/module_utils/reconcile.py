# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reconcile (the plan layer): pure functions from (desired, current, capabilities) to a plan.

Nothing here talks to a server. ``mist_backend`` lists the backends once,
picks the current one with :func:`select_backend`, resolves and validates the
desired backend once with :func:`resolve_desired`, asks :func:`plan_changes`
what to do, and either executes the plan or (check mode) reports it. Both
compute the backend after each action with :func:`after_action`.

``caps`` is the server's dialect, read only for its declared capabilities
(computed_ids, unique_names, can_update(), readable_fields(), stores(),
candidate_ids()); never its name. The catalogue's functions get it the same way.

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

from ansible_collections.mistio.cloud.plugins.module_utils import providers as catalogue

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


def clean_name(name, caps):
    """A name as the server will store it: a server that strips names is compared stripped."""
    if isinstance(name, str) and caps.strips_names:
        return name.strip()
    return name


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


def identity_changes(desired, current, caps, secret_fields=()):
    """Names of non-secret identity items (provider, region, credential fields) that differ.

    Only the fields the dialect reads back for the provider are compared (a
    field that is never listed is never diffed); a readable field the list
    does not show is unset there, so declaring it is a change. Secret fields
    are never compared.
    """
    secret = set(secret_fields or ())
    changes = []
    if desired.get('provider') and desired['provider'] != current.get('provider'):
        changes.append('provider')
    if desired.get('region') is not None and not _same(desired['region'], current.get('region')):
        changes.append('region')
    shown = current.get('credentials') or {}
    readable = caps.readable_fields(current.get('provider'))
    for field, value in sorted(clean_credentials(desired.get('credentials')).items()):
        if field in secret or field not in readable:
            continue
        if not _same(value, shown.get(field)):
            changes.append(field)
    return changes


def _secrets_given(desired, secret_fields):
    secret = set(secret_fields or ())
    return sorted(k for k in clean_credentials(desired.get('credentials')) if k in secret)


def plan_changes(desired, current, caps, secret_fields=(), state='present',
                 update_credentials=UPDATE_ON_CREATE, allow_replace=False, new_id=None):
    """The actions that turn ``current`` into ``desired``; [] when nothing differs.

    caps: the dialect's capabilities. secret_fields: credential names that are
    secret for the desired provider. new_id: where ids are computed, the id the
    declared credentials give (the new backend's id in the plan and messages).
    Only what differs is planned. Raises PlanError when the change is not
    possible (or not without losing the backend's id and the caller did not opt in).
    """
    if state == 'absent':
        return [{'action': 'delete', 'id': current['id']}] if current else []
    if state != 'present':
        raise PlanError('Unknown state %r.' % (state,))

    creds = clean_credentials(desired.get('credentials'))
    if current is None:
        actions = [{'action': 'create', 'name': desired.get('name'), 'provider': desired.get('provider'),
                    'region': desired.get('region'), 'credentials': creds, 'new_id': new_id}]
        if caps.added_name(desired) != desired.get('name'):
            # The server names it itself (a bare-metal backend by its host): give it the declared name.
            actions[0]['name'] = caps.added_name(desired)
            actions.append({'action': 'rename', 'id': new_id, 'name': desired.get('name')})
        if desired.get('enabled') is False:
            actions.append({'action': 'disable', 'id': new_id})
        return actions

    changed = identity_changes(desired, current, caps, secret_fields)
    if desired.get('new_ids') and current.get('id') not in desired['new_ids']:
        # A field never listed back but hashed into the id (a bare-metal host): the id tells it changed.
        changed += [f for f in caps.id_fields(current.get('provider')) if f in creds and f not in changed]
    secrets = _secrets_given(desired, secret_fields) if update_credentials == UPDATE_ALWAYS else []
    name = desired.get('name')
    if name is None:
        name = current.get('name')
    enabled = desired.get('enabled')

    if (changed or secrets) and caps.computed_ids:
        return _replace(desired, current, name, enabled, creds, changed, secrets, allow_replace, new_id, caps)

    if 'provider' in changed:
        raise PlanError(
            'Backend %r (id %s) has provider %s; the server cannot change a backend\'s provider to %s. '
            'Remove it with state: absent and add it again.'
            % (current.get('name'), current.get('id'), current.get('provider'), desired.get('provider')))

    actions = []
    if name != current.get('name'):
        actions.append({'action': 'rename', 'id': current['id'], 'name': name})
    if not caps.can_update(current.get('provider')):
        # Its host details are never listed, so only update_credentials: always can ask to change them.
        asked = sorted(set(changed) | set(secrets) | (set(creds) if update_credentials == UPDATE_ALWAYS else set()))
        if asked:
            raise PlanError(
                'Backend %r (id %s): the server cannot update the %s of a %s backend in place (it refuses any '
                'update of it). Remove it with state: absent and add it again.'
                % (current.get('name'), current.get('id'), ', '.join(asked), current.get('provider')))
    if changed or secrets:
        fields = dict((k, v) for k, v in creds.items() if k in changed or k in secrets)
        if 'region' in changed:
            fields['region'] = desired['region']
        actions.append({'action': 'update_credentials', 'id': current['id'], 'fields': fields,
                        'provider': current.get('provider'), 'changed': sorted(set(changed) | set(secrets))})
    if enabled is not None and bool(enabled) != bool(current.get('enabled')):
        actions.append({'action': 'enable' if enabled else 'disable', 'id': current['id']})
    return actions


def _replace(desired, current, name, enabled, creds, changed, secrets, allow_replace, new_id, caps):
    """Where ids are computed and nothing is updatable in place: a new backend, then the old one deleted."""
    if changed and new_id is not None and new_id == current.get('id'):
        # A field outside the id changed (a Docker port): the new backend would be refused as the old one.
        raise PlanError(
            'Backend %r (id %s): the server has no endpoint to update its %s, and a backend with the new %s would '
            'keep the same id (its id follows only its provider, name and key or URL), so it cannot be replaced by '
            'adding a new one first. Remove it with state: absent and add it again.'
            % (current.get('name'), current.get('id'), ', '.join(changed), ', '.join(changed)))
    if not changed:
        raise PlanError(
            'The server has no endpoint to update credentials, and the new %s would keep the same '
            'id (%s), so the backend cannot be replaced by adding a new one first. Remove it with state: absent '
            'and add it again, or use update_credentials: on_create.'
            % (', '.join(secrets), current.get('id')))
    if not allow_replace:
        raise PlanError(
            'Backend %r (id %s): changing %s needs a new backend. The server has no update endpoint and '
            'a backend id is derived from its provider, region and key (apikey, or a bare-metal host), so the '
            'change gives it a new id%s. '
            'Set allow_replace_with_new_id: true to add the new backend first and then delete the old one '
            '(anything tied to the old id is lost).'
            % (current.get('name'), current.get('id'), ', '.join(changed), ' (%s)' % new_id if new_id else ''))
    provider = desired.get('provider') or current.get('provider')
    added_name = caps.added_name({'name': name, 'provider': provider, 'credentials': creds})
    actions = [{'action': 'replace', 'id': current['id'], 'name': added_name, 'provider': provider,
                'region': desired.get('region') if desired.get('region') is not None else current.get('region'),
                'credentials': creds, 'changed': changed, 'new_id': new_id}]
    if added_name != name:
        # The server names the new backend itself (a bare-metal backend by its host), as on a create.
        actions.append({'action': 'rename', 'id': new_id, 'name': name})
    keep_enabled = current.get('enabled', True) if enabled is None else enabled
    if keep_enabled is False:
        actions.append({'action': 'disable', 'id': new_id})
    return actions


def resolve_desired(params, caps, current):
    """The desired backend of a task, resolved and validated once; handed down as is.

    params: the task's name, id, provider, region, credentials and enabled.
    Returns {name, provider (canonical or None: keep), region, enabled,
    credentials, secret_fields, new_ids (where ids are computed: the ids the
    server may give it, one per era that computes it differently), new_id}.
    Raises PlanError or ProviderError with a sentence saying what to fix.
    """
    creds = clean_credentials(params.get('credentials'))
    provider, region = _resolve_provider(params.get('provider'), params.get('region'), caps, current)
    if current is None:
        if params.get('id'):
            raise PlanError('No backend has id %r. Ids are assigned by the server: to add a backend, leave id out '
                            'and give name, provider and credentials.' % params['id'])
        if not params.get('name'):
            raise PlanError('name is required to add a backend.')
        if not provider:
            raise PlanError('provider is required to add backend %r.' % params['name'])
    checked = provider
    if provider is None:
        checked = current.get('provider')
        if params.get('region') is not None and checked in catalogue.PROVIDERS:
            dummy, region = catalogue.resolve_provider(checked, params['region'], caps)
    known = checked in catalogue.PROVIDERS
    if not known and creds:
        raise PlanError('Provider %r is not in the catalogue, so its credentials cannot be checked or updated.' % checked)
    if known and (creds or current is None):
        _raise_problems(catalogue.validate_credentials(checked, creds, caps, creating=current is None))
    desired = {
        'name': params.get('name'), 'provider': provider, 'region': region, 'enabled': params.get('enabled'),
        'credentials': creds, 'secret_fields': catalogue.secret_fields(checked) if known else [],
    }
    desired['new_ids'] = _computed_ids(desired, current, caps)
    # The id a new backend will have, when only one is possible (else the server's answer tells).
    desired['new_id'] = desired['new_ids'][0] if len(desired['new_ids']) == 1 else None
    return desired


def _raise_problems(problems):
    if problems:
        raise catalogue.ProviderError(' '.join(problems))


def _resolve_provider(provider, region, caps, current):
    """(canonical, region) of the declared provider; an existing backend lends its region when none is declared."""
    if not provider:
        return None, region
    try:
        return catalogue.resolve_provider(provider, region, caps)
    except catalogue.ProviderError:
        if region is None and current and current.get('region'):
            try:
                return catalogue.resolve_provider(provider, current['region'], caps)
            except catalogue.ProviderError:
                pass
        raise


def _computed_ids(desired, current, caps):
    """Where ids are computed: the ids the declared (else current) provider, region and key may give."""
    if not caps.computed_ids or not (desired['provider'] or current):
        return []
    current = current or {}
    creds = dict(current.get('credentials') or {})
    creds.update(desired['credentials'])
    whole = {
        'name': desired['name'] if desired['name'] is not None else current.get('name'),
        'provider': desired['provider'] or current.get('provider'),
        'region': desired['region'] if desired['region'] is not None else current.get('region'), 'credentials': creds,
    }
    return caps.candidate_ids(whole)


def find_current(backends, params, caps):
    """(the backend the task is about or None, how it was found: 'id', 'name' or 'computed id').

    By O(id), else by exact name; else, where the server names a backend itself on
    add (a bare-metal backend is titled by its host), by the id it computes.
    Several backends sharing the name raise PlanError (see select_backend).
    """
    if params.get('id'):
        return select_backend(backends, backend_id=params['id']), 'id'
    current = select_backend(backends, name=params.get('name'))
    if current is not None or not caps.computed_ids or not params.get('provider'):
        return current, 'name'
    try:
        provider, region = catalogue.resolve_provider(params['provider'], params.get('region'), caps)
    except catalogue.ProviderError:
        return None, 'name'
    wanted = {'name': params.get('name'), 'provider': provider, 'region': region,
              'credentials': clean_credentials(params.get('credentials'))}
    if caps.added_name(wanted) == wanted['name']:
        return None, 'name'
    ids = caps.candidate_ids(wanted)
    matches = [b for b in backends if b.get('id') in ids]
    return (matches[0], 'computed id') if len(matches) == 1 else (None, 'name')


def unconfirmed_fields(desired, current, caps):
    """Declared fields the server never lists whose value only the id could confirm, and does not.

    A Docker backend's id on a backends server follows its name and host: computed
    with the backend's current name, the same id confirms the declared host; another
    id means the host differs or the backend was renamed since it was added, which
    nothing the server lists tells apart.
    """
    creds = clean_credentials(desired.get('credentials'))
    fields = [f for f in caps.named_id_fields(current.get('provider')) if f in creds]
    if not fields:
        return []
    whole = {'name': current.get('name'), 'provider': current.get('provider'), 'region': current.get('region'),
             'credentials': dict(current.get('credentials') or {}, **creds)}
    return [] if current.get('id') in caps.candidate_ids(whole) else fields


def check_held_host(desired, current, hosts):
    """A declared host that none of the backend's machines has: the server cannot change it (PlanError)."""
    host = clean_credentials(desired.get('credentials')).get('host')
    if host is None or not hosts or str(host).strip() in hosts:
        return
    raise PlanError(
        'Backend %r (id %s) is a %s backend whose host is %s; the server cannot update the host of such a backend '
        '(it refuses any update of it). Remove it with state: absent and add it again with host %s.'
        % (current.get('name'), current.get('id'), current.get('provider'), ', '.join(hosts), host))


def check_plan(actions, backends, current, desired, caps):
    """What the server would refuse that the plan can know before any write; raises PlanError."""
    for action in actions:
        if action['action'] in ('create', 'replace'):
            if action['action'] == 'replace':
                _raise_problems(catalogue.validate_credentials(action['provider'], desired['credentials'], caps))
            _check_id_free(backends, desired['new_ids'], action['name'], current if action['action'] == 'replace' else None)
        if action['action'] in ('create', 'replace', 'rename'):
            _check_name_rule(action['name'], caps)
        if action['action'] == 'rename' and caps.unique_names:
            _check_name_free(backends, action['name'], current)


def _check_name_rule(name, caps):
    """The server's name rule, checked before any write (check mode reports what the real run would get)."""
    if caps.name_rule is not None and name is not None and not caps.name_rule.match(name):
        raise PlanError('Backend name %r is refused by this server: a name may only contain ASCII letters, numbers, '
                        'dashes, underscores, spaces and dots, and must start and end with a letter or a number '
                        '(two characters at least).' % name)


def _check_id_free(backends, new_ids, name, replacing):
    """Computed ids: the declared credentials give an id another backend has (the server's 409)."""
    for backend in backends:
        new_id = backend['id']
        if new_id in new_ids and (replacing is None or new_id != replacing['id']):
            raise PlanError('Backend %r cannot be added: its provider, region and key compute to id %s, which backend %r '
                            'already has (the server would answer 409 Backend exists). To manage that backend, set id: %s '
                            '(and name: %s to rename it).' % (name, new_id, backend['name'], new_id, name))


def _check_name_free(backends, name, current):
    current_id = current['id'] if current else None
    for backend in backends:
        if backend['name'] == name and backend['id'] != current_id:
            raise PlanError('Cannot rename backend %s to %r: backend %s already has that name, and names are unique '
                            'on this server.' % (current_id, name, backend['id']))


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


def after_action(before, action, secret_fields=(), added=None):
    """The backend after one action (None after a delete); check mode and the real run both use it.

    added: for a create or replace in a real run, the backend the server
    answered; in check mode the new backend is built from the action (its id
    is the computed id, or None when the server assigns it). Secrets never
    enter the result.
    """
    secret = set(secret_fields or ())
    kind = action['action']
    if kind == 'delete':
        return None
    if kind in ('create', 'replace'):
        if added is not None:
            after = dict(added)
        else:
            after = {
                'id': action.get('new_id'), 'name': action.get('name'), 'provider': action.get('provider'),
                'region': action.get('region'), 'enabled': True, 'state': None,
                'credentials': clean_credentials(action.get('credentials')),
            }
    else:
        after = dict(before)
    if kind == 'rename':
        after['name'] = action['name']
    elif kind == 'update_credentials':
        creds = dict(after.get('credentials') or {})
        creds.update((k, v) for k, v in action['fields'].items() if k != 'region')
        after['credentials'] = creds
        if 'region' in action['fields']:
            after['region'] = action['fields']['region']
    elif kind in ('enable', 'disable'):
        after['enabled'] = kind == 'enable'
    after['credentials'] = dict((k, v) for k, v in (after.get('credentials') or {}).items() if k not in secret)
    return after


def predict(current, actions, secret_fields=()):
    """The backend as it will be after ``actions`` (check mode's answer); None after a delete."""
    after = dict(current) if current else None
    for action in actions:
        after = after_action(after, action, secret_fields)
        if after is None:
            return None
    return after


def diff(before, after, secret_fields=()):
    """Ansible's diff dict: before/after of the public view ({} for none)."""
    return {'before': public_view(before, secret_fields), 'after': public_view(after, secret_fields)}
