# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed documents: initial state for the demo, the inventory and tests.

A seed is a JSON object; every key is optional (see seed_example.json)::

    {
      "users":    [{"email": "ops@example.com", "password": "pw", "tokens": ["<token>", ...]}],
      "keys":     ["mykey", ...],                      # SSH key ids bare_metal backends may name
      "backends": [{"title": "prod", "provider": "ec2_us_east", "apikey": "AKIA...",
                    "apisecret": "...", "region": "", ...,  # anything POST /backends takes
                    "enabled": true,                       # default true
                    "machines": [{"name": "web-1", "state": "running", ...}]   # explicit, or
                    "machine_count": 2}],                  # generated (default --machines-per-backend)
      "clouds":   [{"name": "prod", "provider": "ec2", "apikey": "...", "apisecret": "...",
                    "region": "us-east-1", "enabled": true, "id": "<optional fixed 32 hex id>",
                    "owner": "<optional user email>", "machines": [...] or "machine_count": N}]
    }

Backends and clouds go through the same validation as the API of the era the
simulator speaks (order of checks, duplicates, the credential rule), except that
cloud hosts are not checked (a seed is state the server already holds); a cloud is
named by `name` in every era, and a bare-metal backend's `title` is applied as a
rename after its add (which names it after its host). The first failure aborts
the whole seed, which is applied in one transaction. Explicit machines are partial: each given field
overrides the generated machine at that position (tags: a list of strings for
backends, an object for clouds). The CLI applies --seed only to a fresh database,
so a restart with the same --db does not seed twice.
"""

from mistsim.web import HttpError

SEED_KEYS = ('users', 'keys', 'backends', 'clouds')
EXTRA_KEYS = ('enabled', 'machines', 'machine_count', 'id', 'owner')


class SeedError(Exception):
    pass


def _items(doc, key, kind):
    items = doc.get(key) or []
    if not isinstance(items, list) or not all(isinstance(item, kind) for item in items):
        raise SeedError('seed: "%s" must be a list of %s' % (key, 'strings' if kind is str else 'objects'))
    return items


def _machines(where, item):
    given, count = item.get('machines'), item.get('machine_count')
    if given is not None and (not isinstance(given, list) or not all(isinstance(m, dict) for m in given)):
        raise SeedError('%s: "machines" must be a list of objects' % where)
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise SeedError('%s: "machine_count" must be a non-negative integer' % where)
    return given, count


def apply(app, doc):
    """Apply a seed on top of the current state; returns the ids created."""
    if not isinstance(doc, dict):
        raise SeedError('seed: must be a JSON object')
    unknown = sorted(set(doc) - set(SEED_KEYS))
    if unknown:
        raise SeedError('seed: unknown keys %s' % unknown)
    created = {'backends': [], 'clouds': []}
    store = app.store
    with store.transaction():
        for user in _items(doc, 'users', dict):
            email, password = user.get('email'), user.get('password')
            if not isinstance(email, str) or not email or not isinstance(password, str) or not password:
                raise SeedError('seed: a user needs "email" and "password" strings')
            store.add_user(email, password)
            for token in user.get('tokens') or []:
                if not isinstance(token, str) or not token.strip():
                    raise SeedError('seed: tokens must be non-empty strings')
                store.add_token(token.strip(), email, name='seed')
        for key in _items(doc, 'keys', str):
            store.add_key(key)
        for index, item in enumerate(_items(doc, 'backends', dict)):
            where = 'backends[%d]' % index
            given, count = _machines(where, item)
            params = dict((k, v) for k, v in item.items() if k not in EXTRA_KEYS)
            try:
                made = app.backends.create(params, enabled=item.get('enabled', True) is not False,
                                           machine_list=given, machine_count=count)
            except HttpError as exc:
                raise SeedError('%s: %d %s' % (where, exc.status, exc.message)) from None
            if params.get('title') and made['title'] != params['title']:
                # a bare-metal add names the backend after its host; the seed's title is a later rename
                app.backends.retitle(made['id'], params['title'])
            created['backends'].append(made['id'])
        for index, item in enumerate(_items(doc, 'clouds', dict)):
            where = 'clouds[%d]' % index
            given, count = _machines(where, item)
            cloud_id, owner = item.get('id'), item.get('owner') or app.default_email
            if cloud_id is not None and (not isinstance(cloud_id, str) or not cloud_id):
                raise SeedError('%s: "id" must be a non-empty string' % where)
            params = dict((k, v) for k, v in item.items() if k not in EXTRA_KEYS)
            if 'name' in params:   # a seed names a cloud `name` in every era
                params[app.clouds.facts['name_field']] = params.pop('name')
            try:
                made = app.clouds.create(params, owner, enabled=item.get('enabled', True) is not False,
                                         machine_list=given, machine_count=count, cloud_id=cloud_id,
                                         check_hosts=False)
            except HttpError as exc:
                raise SeedError('%s: %d %s' % (where, exc.status, exc.message)) from None
            created['clouds'].append(made['id'])
    return created
