# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dialect `clouds` (mist.api v1, under /api/v1): MIST_API.md section 2.

Providers are stored by canonical name: `ec2` for ec2|amazon|aws, `bare_metal` for
bare_metal|other|ssh, and so on (see providers.CLOUD_PROVIDERS). Deletes are soft:
a deleted cloud is kept in the store (see /_mistsim/state) but is not listed, not
found, and its name is free again. Like mist.api, a body that is not a JSON object
counts as no parameters (params_from_request falls back to the query string), so
garbage gives the 400 of whatever is missing.
"""

import datetime
import re

from mistsim import ids, machines, providers
from mistsim.web import HttpError, json_response, ok

SCOPE = 'clouds'
NAME_RE = re.compile(r'^[0-9a-zA-Z]+[0-9a-zA-Z\-_ .]{0,}[0-9a-zA-Z]+$')
NOT_FOUND = 'Not Found: Cloud does not exist'
NOT_AUTHENTICATED = 'User not authenticated. Please log in'
GENERAL = ('name', 'title', 'provider', 'fail_on_error')


def required(field):
    return HttpError(400, 'Required parameter not provided: %s' % field)


def user_id(email):
    return ids.stable_hex('user', email)


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')


def _flag(value, default=True):
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() not in ('false', '0', 'no', '')
    return bool(value)


def _normalise(spec, fields):
    """Strip strings, turn ports into ints; None or '' means `not set`."""
    out = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        if value in (None, ''):
            out[key] = None
        elif key in spec.integers:
            if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
                raise HttpError(400, 'Bad Request: Invalid %s' % key)
            out[key] = int(value)
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
            out[key] = value if isinstance(value, str) else str(value)
        else:
            raise HttpError(400, 'Bad Request: Invalid %s' % key)
    return out


def _reject_unknown(spec, keys):
    rejected = sorted(key for key in keys if key not in spec.required + spec.optional)
    if rejected:
        raise HttpError(400, 'Invalid parameters %s' % rejected)


def _check(spec, fields):
    for field in spec.required:
        if fields.get(field) in (None, ''):
            raise required(field)


def _login(spec, fields):
    failure = providers.credential_failure([fields.get(field) for field in spec.secret])
    if failure:
        raise HttpError(failure, 'Unauthorized cloud credentials' if failure == 401 else 'Cloud unavailable')


def _check_name(name):
    if not NAME_RE.match(name):
        raise HttpError(400, 'Cloud name may only contain ASCII letters, numbers, dashes and dots')


class CloudsApi:
    DIALECT = 'clouds'
    _ID = '(?P<id>[^/]+)'
    ROUTES = (
        ('/api/v1/tokens', {'POST': 'mint_token'}, False),
        ('/api/v1/ping', {'GET': 'ping', 'POST': 'ping'}, True),
        ('/api/v1/providers', {'GET': 'providers'}, True),
        ('/api/v1/clouds', {'GET': 'list', 'POST': 'add'}, True),
        ('/api/v1/clouds/' + _ID, {'PUT': 'rename', 'PATCH': 'update', 'POST': 'toggle', 'DELETE': 'delete'}, True),
        ('/api/v1/clouds/%s/machines' % _ID, {'GET': 'machines'}, True),
    )

    def __init__(self, store, era='C3', machines_per_backend=3):
        self.store = store
        self.era = era
        self.machines_per_backend = machines_per_backend

    # auth
    def authenticate(self, req):
        email = self.store.token_email((req.header('Authorization') or '').strip())
        if not email:
            raise HttpError(401, NOT_AUTHENTICATED)
        req.email = email

    def mint_token(self, req):
        params = req.clouds_params()
        email, password = params.get('email'), params.get('password')
        if not email:
            raise required('email')
        if not password:
            raise required('password')
        if not self.store.check_password(email, password):
            raise HttpError(401, NOT_AUTHENTICATED)
        ttl = params.get('ttl', 3600)
        try:
            ttl = int(ttl)
        except (TypeError, ValueError):
            ttl = -1
        if ttl < 0:
            raise HttpError(400, 'Bad Request: Ttl must be greater or equal to zero')
        token = ids.api_token()
        name = params.get('name') or 'api_token_%s' % token[:8]
        self.store.add_token(token, email, name=name, ttl=ttl)
        return json_response({'id': ids.stable_hex('token', token), 'token': token, 'name': name,
                              'ttl': ttl, 'created': _now()})

    def ping(self, req):
        return json_response({'hello': req.email})

    # reading
    def providers(self, req):
        return json_response(providers.cloud_providers_doc())

    def _live(self):
        return [record for record in self.store.all(SCOPE, 'cloud') if not record['deleted']]

    def _find(self, cloud_id):
        record = self.store.get(SCOPE, 'cloud', cloud_id)
        if record is None or record['deleted']:
            raise HttpError(404, NOT_FOUND)
        return record

    def _name_taken(self, name, other_than=None):
        return any(r['name'] == name and r['id'] != other_than for r in self._live())

    def list(self, req):
        return json_response([entry(record) for record in self._live()])

    def machines(self, req):
        cid = req.params['id']
        self._find(cid)
        stored = self.store.get(SCOPE, 'machines', cid)
        return json_response(stored['machines'] if stored else [])

    # writing
    def add(self, req):
        return json_response(self.create(req.clouds_params(), req.email))

    def create(self, params, email, enabled=True, machine_list=None, machine_count=None, cloud_id=None):
        """Validate in the order of MIST_API.md and store; returns the entry plus `index`."""
        raw = params.get('provider')
        if not raw or not isinstance(raw, str) or not raw.strip():
            raise required('provider')
        spec = providers.cloud_provider(raw)
        if spec is None:
            raise HttpError(400, "Invalid provider '%s'." % raw.strip())
        name = params.get('name') or params.get('title')
        name = name.strip() if isinstance(name, str) else ''
        if not name:
            raise required('name')
        _check_name(name)
        given = dict((key, value) for key, value in params.items() if key not in GENERAL)
        _reject_unknown(spec, given)
        fields = dict(spec.defaults)
        fields.update(_normalise(spec, given))
        fields = dict((key, value) for key, value in fields.items() if value is not None)
        _check(spec, fields)
        with self.store.transaction():
            if self._name_taken(name):
                raise HttpError(409, 'Cloud with this name already exists')
            if _flag(params.get('fail_on_error')):
                _login(spec, fields)
            cloud_id = cloud_id or ids.hex_id()
            if self.store.get(SCOPE, 'cloud', cloud_id) is not None:
                raise HttpError(409, 'Conflict: Cloud id exists: %s' % cloud_id)
            record = {'id': cloud_id, 'name': name, 'provider': spec.name, 'fields': fields,
                      'enabled': bool(enabled), 'deleted': False, 'deleted_at': None,
                      'owned_by': user_id(email), 'created_by': user_id(email), 'created': _now()}
            index = len(self._live())
            self.store.put(SCOPE, 'cloud', cloud_id, record)
            if spec.name == 'bare_metal' and machine_list is None and machine_count is None:
                host = fields.get('host')
                built = machines.single_host(cloud_id, name, host, cloud=True, port=fields.get('ssh_port', 22)) if host else []
            else:
                count = self.machines_per_backend if machine_count is None else machine_count
                built = machines.build(cloud_id, name, count, machine_list, cloud=True)
            self.store.put(SCOPE, 'machines', cloud_id, {'owner': cloud_id, 'machines': built})
        doc = entry(record)
        doc['index'] = index
        return doc

    def rename(self, req):
        with self.store.transaction():
            record = self._find(req.params['id'])
            new_name = req.clouds_params().get('new_name')
            new_name = new_name.strip() if isinstance(new_name, str) else ''
            if not new_name:
                raise required('new_name')
            if new_name != record['name']:
                _check_name(new_name)
                if self._name_taken(new_name, other_than=record['id']):
                    raise HttpError(409, 'Cloud with this name already exists')
                record['name'] = new_name
                self.store.put(SCOPE, 'cloud', record['id'], record)
        return ok()

    def update(self, req):
        """PATCH: merge the changed provider fields; rejected credentials save nothing."""
        with self.store.transaction():
            record = self._find(req.params['id'])
            params = req.clouds_params()
            if not params:
                raise HttpError(400, 'You should provide your new cloud settings')
            check = _flag(params.pop('fail_on_error', None))
            spec = providers.CLOUD_PROVIDERS[record['provider']]
            _reject_unknown(spec, params)
            fields = dict(record['fields'])
            fields.update(_normalise(spec, params))
            fields = dict((key, value) for key, value in fields.items() if value is not None)
            _check(spec, fields)
            if check:
                _login(spec, fields)
            record['fields'] = fields
            self.store.put(SCOPE, 'cloud', record['id'], record)
        return ok()

    def toggle(self, req):
        """Like mist.api: "1"/"0" act; missing or empty is a 400; another truthy value
        is a 400; another falsy value (the integer 0, false) is silently ignored."""
        with self.store.transaction():
            record = self._find(req.params['id'])
            params = req.clouds_params()
            if params.get('new_state') in (None, ''):
                raise required('new_state')
            new_state = params['new_state']
            if new_state in ('1', '0'):
                record['enabled'] = new_state == '1'
                self.store.put(SCOPE, 'cloud', record['id'], record)
            elif new_state:
                raise HttpError(400, 'Bad Request: Invalid cloud state')
        return ok()

    def delete(self, req):
        with self.store.transaction():
            record = self._find(req.params['id'])
            record.update(deleted=True, deleted_at=_now())
            self.store.put(SCOPE, 'cloud', record['id'], record)
        return ok()


def entry(record):
    """A cloud as listed: the common fields plus every non-secret provider field that is set."""
    spec = providers.CLOUD_PROVIDERS[record['provider']]
    doc = {'id': record['id'], 'name': record['name'], 'provider': record['provider'],
           'enabled': record['enabled'], 'state': 'online' if record['enabled'] else 'offline',
           'polling_interval': 1800, 'tags': {}, 'dns_enabled': False, 'container_enabled': False,
           'object_storage_enabled': False, 'owned_by': record['owned_by'], 'created_by': record['created_by']}
    for field, value in record['fields'].items():
        if field not in spec.secret and value not in (None, ''):
            doc[field] = value
    return doc
