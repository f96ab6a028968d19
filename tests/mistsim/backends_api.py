# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dialect `backends` (mist.io 0.9.x, root paths): MIST_API.md section 1, per era.

B1 is mist.io at the seed's commit `964225639` (2014-09-12); B2 is mist.io at
`9af63a984` (2014-11-19) with the two list fields B2 gained later (`tenant_name`,
`cf2a04a2f`; docker `docker_port`, `cee7266ca`). What differs between them is in
ERA_FACTS; everything else is the same code path as the real `add_backend`
(`methods.py:56-189`, `views.py:176-221`), check by check, in its order.

The provider "login" is the simulator's credential rule (providers.py): it stands
for `connect_provider` + `list_nodes`. Bare metal has no provider login; its
`ssh uptime` is simulated the same way on the key id (`invalid...` -> 401) and the
host (`unreachable...` -> 503).
"""

from mistsim import ids, machines, providers
from mistsim.web import HttpError, json_response, plain

SCOPE = 'backends'
POLL_INTERVAL = 10000
DOCKER_PORT = 4243
HPCLOUD_AUTH_URL = 'https://region-a.geo-1.identity.hpcloudsvc.com:35357/v2.0/tokens'   # methods.py:51

# What each era does differently (MIST_API.md section 1; the commits are cited there).
ERA_FACTS = {
    'B1': {
        'providers': providers.BACKEND_PROVIDERS,
        'remove_on_error': False,               # b1b68a197 (2014-09-22) is after the seed
        'apikey_optional': ('docker',),         # bec5e8aa8 (2014-09-16) is after the seed
        'openstack_url': 'strip',               # the seed's apiurl.strip('v2.0/')
        'openstack_id_url_tenant': False,       # 5a77e2929 / cf34c1697 (2014-10-31, 11-02)
        'list_tenant_docker_port': False,       # cf2a04a2f (2014-12), cee7266ca (2015-02)
    },
    'B2': {
        'providers': providers.BACKEND_PROVIDERS_B2,
        'remove_on_error': True,
        'apikey_optional': ('docker', 'digitalocean', 'linode'),
        'openstack_url': 'split',               # ecfc8b9fb: apiurl.split('/v2.0/')[0]
        'openstack_id_url_tenant': True,
        'list_tenant_docker_port': True,
    },
}


def error(status, message):
    """mist.io answered every error as Response(str(exc), code): text/html (views.py:47-68)."""
    return HttpError(status, message, html=True)


def required(field):
    return error(400, 'Required parameter not provided: %s' % field)


def not_found(backend_id=None):
    # BackendNotFoundError subclasses KeyError: str() quotes it (exceptions.py:43).
    return error(404, "'Backend not found%s'" % (': %s' % backend_id if backend_id is not None else ''))


def _text(params, field, default=''):
    value = params.get(field, default)
    if value is None:
        return ''
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise error(400, 'Bad Request: Invalid %s' % field)   # the simulator's, not mist.io's (a 500 there)
    return value if isinstance(value, str) else str(value)


def _int(value, default):
    """views.py: int(params.get(..., default)), any failure -> the default."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def normalise_apiurl(provider, apiurl, how):
    """OpenStack's URL trimming (methods.py:153-160 in B1, 9af63a984 methods.py:166-174 in B2)
    and HP's fixed auth URL for any provider (methods.py:163)."""
    url = apiurl
    if provider == 'openstack':
        for suffix in ('/v2.0/', '/v2.0') if how == 'split' else ('v2.0/', 'v2.0'):
            if url.endswith(suffix):
                # B1's str.strip removes characters, not a suffix: 'https://h:5000/v2.0/' -> 'https://h:5'
                url = url.split(suffix)[0] if how == 'split' else url.strip(suffix)
                break
        url = url.rstrip('/')
    if 'hpcloudsvc' in apiurl:
        url = HPCLOUD_AUTH_URL
    return url


def id_fields(record, facts):
    """What get_id hashes (964225639 model.py:113-122, 9af63a984 model.py:113-124)."""
    provider = record['provider']
    if provider == 'docker':
        return (provider, record['title'], record['apiurl'])
    if provider == 'bare_metal':
        return (provider, '', record['machine_hostname'])
    if facts['openstack_id_url_tenant'] and (provider == 'openstack' or 'hpcloud' in provider):
        return (provider, record['region'], record['apikey'], record['apiurl'], record['tenant_name'])
    return (provider, record['region'], record['apikey'])


class BackendsApi:
    DIALECT = 'backends'
    _ID = '(?P<id>[^/]+)'
    ROUTES = (
        ('/auth', {'POST': 'login'}, False),
        ('/providers', {'GET': 'providers'}, True),
        ('/backends', {'GET': 'list', 'POST': 'add'}, True),
        ('/backends/' + _ID, {'PUT': 'rename', 'POST': 'toggle', 'DELETE': 'delete'}, True),
        ('/backends/%s/machines' % _ID, {'GET': 'machines'}, True),
    )

    # pyramid's HTTPNotFound for a client that does not ask for HTML (MIST_API.md section 4:
    # the exact 2014 body is not verified); a method a route lacks gets it too, never a 405.
    NOT_FOUND = HttpError(404, '404 Not Found\n\nThe resource could not be found.\n\n\n')

    def __init__(self, store, era='B1', machines_per_backend=3):
        self.store = store
        self.era = era
        self.facts = ERA_FACTS[era]
        self.machines_per_backend = machines_per_backend

    # auth (hosted mist.io only: enabled by --backends-auth)
    def authenticate(self, req):
        header = req.header('Authorization') or ''
        if header.startswith('mist_1 '):
            email, _sep, token = header[len('mist_1 '):].partition(':')
            if email and self.store.token_email(token) == email:
                req.email = email
                return
        raise error(401, 'Not authorized')

    def login(self, req):
        params = req.backends_params()
        email, password = _text(params, 'email'), _text(params, 'password')
        if not email:
            raise required('email')
        if not password:
            raise required('password')
        if not self.store.check_password(email, password):
            raise error(401, 'Not authorized')
        token = ids.api_token()
        self.store.add_token(token, email, name='mist_api_token')
        return json_response({'mist_api_token': token})

    # reading
    def providers(self, req):
        return json_response({'supported_providers': [
            {'title': title, 'provider': pid} for pid, title in self.facts['providers']]})

    def list(self, req):
        return json_response([self.entry(record) for record in self.store.all(SCOPE, 'backend')])

    def _find(self, backend_id, missing):
        record = self.store.get(SCOPE, 'backend', backend_id)
        if record is None:
            raise missing
        return record

    def machines(self, req):
        bid = req.params['id']
        self._find(bid, not_found(bid))
        stored = self.store.get(SCOPE, 'machines', bid)
        return json_response(stored['machines'] if stored else [])

    # writing
    def add(self, req):
        return json_response(self.create(req.backends_params()))

    def create(self, params, enabled=True, machine_list=None, machine_count=None):
        """The checks of add_backend in its order; returns the add response (views.py:209-221)."""
        facts = self.facts
        record = {'title': _text(params, 'title'), 'provider': _text(params, 'provider'),
                  'apikey': _text(params, 'apikey'), 'apisecret': _text(params, 'apisecret'),
                  'apiurl': _text(params, 'apiurl') or '', 'tenant_name': _text(params, 'tenant_name'),
                  'region': _text(params, 'region'), 'compute_endpoint': _text(params, 'compute_endpoint'),
                  'machine_hostname': '', 'enabled': bool(enabled), 'poll_interval': POLL_INTERVAL,
                  'docker_port': DOCKER_PORT}
        remove_on_error = params.get('remove_on_error', True) if facts['remove_on_error'] else True
        if not record['provider']:
            raise required('provider')
        if record['provider'] == 'bare_metal':
            check = self._bare_metal(record, params, remove_on_error)
        else:
            check = self._cloud(record, params, remove_on_error)
        record['id'] = ids.b58_sha1(*id_fields(record, facts))
        with self.store.transaction():
            if self.store.get(SCOPE, 'backend', record['id']) is not None:
                raise error(409, 'Backend exists: %s' % record['id'])
            if check is not None:
                check(record)
            self.store.put(SCOPE, 'backend', record['id'], record)
            self._machines(record, machine_list, machine_count)
            index = len(self.store.all(SCOPE, 'backend')) - 1
        return add_entry(record, index)

    def _bare_metal(self, record, params, remove_on_error):
        """methods.py:66-110: the host becomes the title; the key must exist; then `ssh uptime`."""
        host = _text(params, 'machine_ip')
        if not host:
            raise required('machine_hostname')
        key = _text(params, 'machine_key')
        if remove_on_error:
            if not key:
                raise required('machine_key')
            if not self.store.has_key(key):
                raise error(404, "'Keypair not found: %s'" % key)
        record.update(title=host, machine_hostname=host, machine_key=key, apikey='', apisecret='',
                      apiurl='', tenant_name='', region='', compute_endpoint='',
                      machine_user=_text(params, 'machine_user') or 'root',
                      machine_port=_int(params.get('machine_port', 22), 22))
        return self._ssh_uptime if remove_on_error else None

    @staticmethod
    def _ssh_uptime(record):
        if record['machine_key'].startswith('invalid'):
            raise error(401, "Invalid backend credentials: Couldn't authenticate to machine")
        if record['machine_hostname'].startswith('unreachable'):
            raise error(503, 'Service unavailable: SSH timed-out repeatedly.')

    def _cloud(self, record, params, remove_on_error):
        """methods.py:112-189: split `name:region`, required keys, normalise, then log in."""
        provider = record['provider']
        if ':' in provider:
            parts = provider.split(':')
            record.update(provider=parts[0], region=parts[1])
            provider = parts[0]
        if remove_on_error and provider != 'docker':
            if not record['apikey'] and provider not in self.facts['apikey_optional']:
                raise required('apikey')
            if not record['apisecret']:
                raise required('apisecret')
        if provider == 'docker':
            record['docker_port'] = _int(params.get('docker_port', DOCKER_PORT), DOCKER_PORT)
        if provider == 'digitalocean':
            record['apikey'] = record['apisecret']   # DigitalOcean API v2 logs in with the token
        record['apiurl'] = normalise_apiurl(provider, record['apiurl'], self.facts['openstack_url'])
        return self._provider_login if remove_on_error else None

    def _provider_login(self, record):
        listed = [pid for pid, _title in self.facts['providers']]
        known = record['provider'] in listed or '%s:%s' % (record['provider'], record['region']) in listed
        if not known:
            raise error(401, 'Invalid backend credentials')   # connect_provider fails on an unknown driver
        failure = providers.credential_failure([record['apisecret']])
        if failure:
            raise error(failure, 'Invalid backend credentials' if failure == 401 else 'Backend unavailable')

    def _machines(self, record, machine_list, machine_count):
        if record['provider'] == 'bare_metal' and machine_list is None and machine_count is None:
            built = machines.single_host(record['id'], record['machine_hostname'], record['machine_hostname'])
        else:
            count = self.machines_per_backend if machine_count is None else machine_count
            built = machines.build(record['id'], record['title'] or record['provider'], count, machine_list)
        self.store.put(SCOPE, 'machines', record['id'], {'owner': record['id'], 'machines': built})

    def rename(self, req):
        """views.py:236-246: new_name is checked before the lookup; titles are never unique-checked."""
        new_name = _text(req.backends_params(), 'new_name')
        if not new_name:
            raise required('new_name')
        self.retitle(req.params['id'], new_name)
        return plain(200, 'OK', html=True)

    def retitle(self, backend_id, title):
        """Rename (also for seeds: a bare-metal backend renamed after its add)."""
        with self.store.transaction():
            record = self._find(backend_id, not_found(backend_id))
            record['title'] = title
            self.store.put(SCOPE, 'backend', backend_id, record)

    def toggle(self, req):
        """views.py:249-266: missing/falsy -> 400 required; not "1"/"0" -> 400; then the lookup."""
        new_state = req.backends_params().get('new_state', '')
        if not new_state:
            raise required('new_state')
        if new_state not in ('1', '0'):
            raise error(400, 'Bad Request: Invalid backend state')
        with self.store.transaction():
            record = self._find(req.params['id'], not_found())
            record['enabled'] = new_state == '1'
            self.store.put(SCOPE, 'backend', record['id'], record)
        return plain(200, 'OK', html=True)

    def delete(self, req):
        bid = req.params['id']
        with self.store.transaction():
            self._find(bid, not_found(bid))
            self.store.delete(SCOPE, 'backend', bid)
            self.store.delete(SCOPE, 'machines', bid)
        return plain(200, 'OK', html=True)

    def entry(self, record):
        """list_backends (methods.py:1522-1537): `apikey` shown, secrets and URLs never."""
        doc = {'id': record['id'], 'apikey': record['apikey'], 'title': record['title'] or record['provider'],
               'provider': record['provider'], 'poll_interval': record['poll_interval'],
               'state': 'online' if record['enabled'] else 'offline', 'region': record['region'],
               'enabled': record['enabled']}
        if self.facts['list_tenant_docker_port']:
            doc['tenant_name'] = record['tenant_name']
            if record['provider'] == 'docker':
                doc['docker_port'] = record['docker_port']
        return doc


def add_entry(record, index):
    """The add response (views.py:209-221): the raw title, `status: off`, no `state`."""
    return {'index': index, 'id': record['id'], 'apikey': record['apikey'], 'apiurl': record['apiurl'],
            'tenant_name': record['tenant_name'], 'title': record['title'], 'provider': record['provider'],
            'poll_interval': record['poll_interval'], 'region': record['region'], 'status': 'off',
            'enabled': record['enabled']}
