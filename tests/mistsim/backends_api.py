# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dialect `backends` (mist.io 0.9.x, root paths): MIST_API.md section 1.

bare_metal backends need no apikey/apisecret: they take `machine_ip` (hashed into
the id, and shown as `apikey`), `machine_key` (an SSH key id that must exist),
`machine_user` (default root) and `machine_port` (default 22); the provider login
(step 5, the credential rule) is skipped for them and they have one machine, the host.
"""

from mistsim import ids, machines, providers
from mistsim.web import HttpError, json_response, ok

SCOPE = 'backends'
POLL_INTERVAL = 10000

SIZES = [{'id': 't2.micro', 'name': 'Micro', 'ram': 1024, 'disk': 8, 'bandwidth': None, 'price': 0.0116},
         {'id': 't2.small', 'name': 'Small', 'ram': 2048, 'disk': 20, 'bandwidth': None, 'price': 0.023}]
IMAGES = [{'id': 'ami-0a1b2c3d', 'name': 'Ubuntu 14.04 LTS', 'star': True, 'extra': {}},
          {'id': 'ami-1b2c3d4e', 'name': 'CentOS 7', 'star': False, 'extra': {}}]
LOCATIONS = [{'id': '0', 'name': 'zone-a', 'country': 'US'}, {'id': '1', 'name': 'zone-b', 'country': 'US'}]


def required(field):
    return HttpError(400, 'Required parameter not provided: %s' % field)


def _text(params, field):
    value = params.get(field)
    if value is None:
        return ''
    if not isinstance(value, str):
        raise HttpError(400, 'Bad Request: Invalid %s' % field)
    return value


def _port(params):
    value = params.get('machine_port')
    if value in (None, ''):
        return 22
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536:
        return value
    if isinstance(value, str) and value.isdigit() and 0 < int(value) < 65536:
        return int(value)
    raise HttpError(400, 'Bad Request: Invalid machine_port')


class BackendsApi:
    DIALECT = 'backends'
    _ID = '(?P<id>[^/]+)'
    ROUTES = (
        ('/auth', {'POST': 'login'}, False),
        ('/providers', {'GET': 'providers'}, True),
        ('/backends', {'GET': 'list', 'POST': 'add'}, True),
        ('/backends/' + _ID, {'PUT': 'rename', 'POST': 'toggle', 'DELETE': 'delete'}, True),
        ('/backends/%s/machines' % _ID, {'GET': 'machines'}, True),
        ('/backends/%s/(?P<what>sizes|images|locations)' % _ID, {'GET': 'catalogue'}, True),
    )

    def __init__(self, store, era='B1', machines_per_backend=3):
        self.store = store
        self.era = era
        self.machines_per_backend = machines_per_backend

    # auth (hosted mist.io only: enabled by --backends-auth)
    def authenticate(self, req):
        header = req.header('Authorization') or ''
        if header.startswith('mist_1 '):
            email, _sep, token = header[len('mist_1 '):].partition(':')
            if email and self.store.token_email(token) == email:
                req.email = email
                return
        raise HttpError(401, 'Not authorized')

    def login(self, req):
        params = req.backends_params()
        email, password = _text(params, 'email'), _text(params, 'password')
        if not email:
            raise required('email')
        if not password:
            raise required('password')
        if not self.store.check_password(email, password):
            raise HttpError(401, 'Not authorized')
        token = ids.api_token()
        self.store.add_token(token, email, name='mist_api_token')
        return json_response({'mist_api_token': token})

    # reading
    def providers(self, req):
        return json_response({'supported_providers': [
            {'provider': pid, 'title': title} for pid, title in providers.BACKEND_PROVIDERS]})

    def list(self, req):
        return json_response([entry(record) for record in self.store.all(SCOPE, 'backend')])

    def _find(self, backend_id, message):
        record = self.store.get(SCOPE, 'backend', backend_id)
        if record is None:
            raise HttpError(404, message)
        return record

    def machines(self, req):
        bid = req.params['id']
        self._find(bid, "'Backend not found: %s'" % bid)
        stored = self.store.get(SCOPE, 'machines', bid)
        return json_response(stored['machines'] if stored else [])

    def catalogue(self, req):
        bid = req.params['id']
        self._find(bid, "'Backend not found: %s'" % bid)
        return json_response({'sizes': SIZES, 'images': IMAGES, 'locations': LOCATIONS}[req.params['what']])

    # writing
    def add(self, req):
        return json_response(self.create(req.backends_params()))

    def create(self, params, enabled=True, machine_list=None, machine_count=None):
        """Validate in the order of MIST_API.md and store; returns the add response."""
        provider = _text(params, 'provider')
        if not provider:
            raise required('provider')
        region = _text(params, 'region')
        if ':' in provider:
            provider, region = provider.split(':', 1)
        record = {'title': _text(params, 'title'), 'provider': provider, 'region': region,
                  'apiurl': _text(params, 'apiurl'), 'tenant_name': _text(params, 'tenant_name'),
                  'compute_endpoint': _text(params, 'compute_endpoint'),
                  'enabled': bool(enabled), 'poll_interval': POLL_INTERVAL}
        if provider == 'bare_metal':
            record.update(region='', machine_ip=_text(params, 'machine_ip'), machine_key=_text(params, 'machine_key'),
                          machine_user=_text(params, 'machine_user') or 'root', machine_port=_port(params))
            if not record['machine_ip']:
                raise required('machine_ip')
            if not record['machine_key']:
                raise required('machine_key')
            if not self.store.has_key(record['machine_key']):
                raise HttpError(400, 'Bad Request: Key not found')
            record.update(apikey=record['machine_ip'], apisecret='')
        else:
            record.update(apikey=_text(params, 'apikey'), apisecret=_text(params, 'apisecret'))
            if not record['apikey']:
                raise required('apikey')
            if not record['apisecret']:
                raise required('apisecret')
        record['title'] = record['title'] or provider
        record['id'] = ids.backend_id(provider, record['region'], record['apikey'])
        with self.store.transaction():
            if self.store.get(SCOPE, 'backend', record['id']) is not None:
                raise HttpError(409, 'Backend exists: %s' % record['id'])
            if provider != 'bare_metal':
                if not providers.backend_provider_known(provider, region):
                    raise HttpError(401, 'Invalid backend credentials')
                failure = providers.credential_failure([record['apisecret']])
                if failure:
                    raise HttpError(failure, 'Invalid backend credentials' if failure == 401 else 'Backend unavailable')
            self.store.put(SCOPE, 'backend', record['id'], record)
            if provider == 'bare_metal' and machine_list is None and machine_count is None:
                built = machines.single_host(record['id'], record['title'], record['machine_ip'])
            else:
                count = self.machines_per_backend if machine_count is None else machine_count
                built = machines.build(record['id'], record['title'], count, machine_list)
            self.store.put(SCOPE, 'machines', record['id'], {'owner': record['id'], 'machines': built})
            index = len(self.store.all(SCOPE, 'backend')) - 1
        return add_entry(record, index)

    def rename(self, req):
        new_name = _text(req.backends_params(), 'new_name')
        if not new_name:
            raise required('new_name')
        bid = req.params['id']
        with self.store.transaction():
            record = self._find(bid, "'Backend not found: %s'" % bid)
            if record['title'] != new_name:
                record['title'] = new_name
                self.store.put(SCOPE, 'backend', bid, record)
        return ok()

    def toggle(self, req):
        new_state = req.backends_params().get('new_state', '')
        if not new_state:
            raise required('new_state')
        if new_state not in ('1', '0'):
            raise HttpError(400, 'Bad Request: Invalid backend state')
        with self.store.transaction():
            record = self._find(req.params['id'], "'Backend not found'")
            record['enabled'] = new_state == '1'
            self.store.put(SCOPE, 'backend', record['id'], record)
        return ok()

    def delete(self, req):
        bid = req.params['id']
        with self.store.transaction():
            self._find(bid, "'Backend not found: %s'" % bid)
            self.store.delete(SCOPE, 'backend', bid)
            self.store.delete(SCOPE, 'machines', bid)
        return ok()


def entry(record):
    """A backend as GET /backends lists it: `apikey` shown, secrets never."""
    return {'id': record['id'], 'title': record['title'] or record['provider'], 'provider': record['provider'],
            'region': record['region'], 'apikey': record['apikey'], 'enabled': record['enabled'],
            'state': 'wait' if record['enabled'] else 'offline', 'poll_interval': record['poll_interval']}


def add_entry(record, index):
    """The add response: the list fields plus index, apiurl, tenant_name and `status: off` (no `state`)."""
    doc = entry(record)
    del doc['state']
    doc.update(index=index, apiurl=record['apiurl'], tenant_name=record['tenant_name'], status='off')
    return doc
