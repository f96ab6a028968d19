# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Dialect `clouds` (mist.api v1, under /api/v1): MIST_API.md section 2, per era.

C1 is mist.api v4.5.4 (`dd989442f`, the last Mist CE tag; every CE tag reads
`title`), C3 is mist.api HEAD (`dcf483f47`). What differs between them is in
ERA_FACTS and in providers.CLOUD_MODELS; the add and update paths follow
`clouds/views.py`, `clouds/methods.py`, `Cloud.add` and
`controllers/main/base.py` check by check.

The provider "login" (check_connection) is the simulator's credential rule
(providers.py). Host names are not resolved: an IPv4 literal is checked against
mist.api's forbidden subnets (`helpers.py:509-566`); a name ending in `.invalid`
or without a dot (other than `localhost`) does not resolve; any other name
resolves to a public address. Deletes are soft.
"""

import datetime
import ipaddress
import re

from mistsim import ids, machines, providers
from mistsim.web import HttpError, json_response, plain

SCOPE = 'clouds'
NAME_RE = re.compile(r'^[0-9a-zA-Z]+[0-9a-zA-Z-_ .]{0,}[0-9a-zA-Z]+$')
NOT_FOUND = 'Not Found: Cloud does not exist'
NOT_AUTHENTICATED = 'User not authenticated. Please log in'
POLLING_INTERVAL = 30 * 60
WRITE_METHODS = ('POST', 'PUT', 'PATCH', 'DELETE')
CSRF_EXEMPT = ('/api/v1/tokens', '/auth', '/tokens')      # auth/middleware.py CsrfMiddleware.exempt
# clouds/views.py toggle_cloud: a backslash-newline inside the literal keeps the next line's indent.
TOGGLE_REQUIRED = ('new_state or dns_enabled or           observation_logs_enabled or '
                   'object_storage_enabled')
UI_PAGE = ('<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Mist</title></head>\n'
           '<body><mist-app></mist-app></body>\n</html>\n')
FORBIDDEN_SUBNETS = (   # mist.api helpers.check_host (allow_localhost is a deployment setting: allowed here)
    ('100.64.0.0/10', 'used for communications between a service provider and its subscribers when using a '
                      'Carrier-grade NAT'),
    ('169.254.0.0/16', 'used for link-local addresses between two hosts on a single link when no IP address is '
                       'otherwise specified'),
    ('192.0.0.0/24', 'used for the IANA IPv4 Special Purpose Address Registry'),
    ('192.0.2.0/24', "assigned as 'TEST-NET' for use solely in documentation and example source code"),
    ('192.88.99.0/24', 'used by 6to4 anycast relays'),
    ('198.18.0.0/15', 'used for testing of inter-network communications between two separate subnets'),
    ('198.51.100.0/24', "assigned as 'TEST-NET-2' for use solely in documentation and example source code"),
    ('203.0.113.0/24', "assigned as 'TEST-NET-3' for use solely in documentation and example source code"),
    ('224.0.0.0/4', 'reserved for multicast assignments'),
    ('240.0.0.0/4', 'reserved for future use'),
    ('255.255.255.255/32', "reserved for the 'limited broadcast' destination address"),
    ('0.0.0.0/8', 'used for broadcast messages to the current network'),
)

ERA_FACTS = {
    'C1': {
        'name_field': 'title',             # dd989442f clouds/views.py:220: params.get('title', '')
        'name_word': 'title',              # "Cloud title may only contain ..."
        'reject_unknown_on_add': False,    # fail_on_invalid_params=False reaches the controller
        'add_honours_fail_on_error': True,
        'list_every_field': True,          # models.py:237-261: every non-secret field, even null
        'container_enabled': False,
        'update_skips_empty': False,
        'renames': (('api_key', 'apikey'), ('api_secret', 'apisecret')),
        'cloud_wide': ('dns_enabled', 'object_storage_enabled'),
        'machine_id_field': 'machine_id',
        'version': {'sha': 'dd989442f50a61b0944e50f8a7915ac0c114120c', 'name': 'v4.5.4', 'repo': 'mistio/mist-ce',
                    'modified': False},
    },
    'C3': {
        'name_field': 'name',              # clouds/views.py:223: params.get('name', params.get('title', ''))
        'name_word': 'name',
        'reject_unknown_on_add': True,     # Cloud.add pops the flags: the controller's defaults apply
        'add_honours_fail_on_error': False,
        'list_every_field': False,         # models.py:263-289: only truthy fields
        'container_enabled': True,
        'update_skips_empty': True,        # base.py update: `if value:  # ignore empty values`
        'renames': (('api_key', 'apikey'), ('api_secret', 'apisecret'), ('privateKey', 'private_key'),
                    ('projectId', 'project_id'), ('tlsKey', 'key_file'), ('tlsCert', 'cert_file'),
                    ('tlsCaCert', 'ca_cert_file')),
        'cloud_wide': ('dns', 'dns_enabled', 'objectstorage', 'objects_storage', 'object_storage_enabled',
                       'container', 'container_enabled'),
        'machine_id_field': 'external_id',
        'version': {'sha': 'dcf483f47e7433d7f8bb44eb784a677ce057641f', 'name': 'master', 'repo': 'mistio/mist.api', 'modified': False},
    },
}


def error(status, message):
    """mist.api answers a MistError as Response(str(exc), code): text/html (views.py exception_handler_mist)."""
    return HttpError(status, message, html=True)


def required(field):
    return error(400, 'Required parameter not provided: %s' % field)


def bad_request(detail):
    """BadRequestError(detail): a dict detail prints as its Python repr."""
    return error(400, 'Bad Request: %s' % (detail,))


def invalid_params(errors):
    return bad_request({'msg': 'Invalid parameters %s.' % list(errors), 'errors': errors})


def user_id(email):
    return ids.stable_hex('user', email)


def _now():
    return datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S')


def rename_kwargs(kwargs, old, new):
    """helpers.rename_kwargs: only when the target is not given too (then both stay)."""
    if old in kwargs and new not in kwargs:
        kwargs[new] = kwargs.pop(old)


def sanitize_host(host):
    """helpers.sanitize_host: the host out of a URL."""
    for prefix in ('https://', 'http://'):
        host = host.replace(prefix, '')
    return host.split('/')[0].split(':')[0]


def check_host(host):
    """helpers.check_host, without DNS (see the module docstring); raises the 500 MistError."""
    if host.endswith('.invalid') or '.' not in host and host != 'localhost':
        raise error(500, "Mist Error: Not a valid IP address or resolvable DNS name: '%s'." % host)
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        return
    for cidr, why in FORBIDDEN_SUBNETS:
        if address in ipaddress.IPv4Network(cidr):
            raise error(500, "Mist Error: Host '%s' is not allowed. It belongs to '%s' which is %s." % (host, cidr, why))


def _check_host(host, check=True):
    """Seeds are state the server already holds: their hosts are not checked."""
    if check:
        check_host(host)


def is_private(host):
    """libcloud.utils.networking.is_private_subnet: RFC 1918 only (TEST-NET counts as public)."""
    try:
        address = ipaddress.IPv4Address(host)
    except ValueError:
        return False
    return any(address in ipaddress.IPv4Network(net) for net in ('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'))


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
        ('/version', {'GET': 'version'}, False),
    )
    # mist.api's not_found view renders the UI/landing page (views.py:251); never a 405.
    NOT_FOUND = HttpError(404, UI_PAGE, html=True)

    def __init__(self, store, era='C3', machines_per_backend=3):
        self.store = store
        self.era = era
        self.facts = ERA_FACTS[era]
        self.models = providers.CLOUD_MODELS[era]
        self.machines_per_backend = machines_per_backend

    # auth (auth/middleware.py, auth/methods.py)
    def before_routing(self, req):
        """No Authorization header: an anonymous cookie session, so the CSRF
        middleware refuses every write before any view (text/plain, not text/html)."""
        if (req.method in WRITE_METHODS and req.path not in CSRF_EXEMPT
                and not (req.header('Authorization') or '').strip()):
            raise HttpError(403, 'Invalid csrf token\n')

    def authenticate(self, req):
        email = self._token_email((req.header('Authorization') or '').strip().lower())
        if not email:
            raise error(401, NOT_AUTHENTICATED)
        req.email = email

    def _token_email(self, value):
        """An API token, or `mist_1 <email>:<token>` (migrate_old_api_token pads it to 64 with zeros)."""
        label, _sep, rest = value.partition(' ')
        if label == 'mist_1' and rest.count(':') == 1:
            email, token = rest.split(':')
            if token and len(token) <= 64:
                owner = self.store.token_email(token.rjust(64, '0'))
                if owner and owner.lower() == email:
                    return owner
        return self.store.token_email(value) if value else None

    def mint_token(self, req):
        """auth/views.py create_token: in v4.5.4 and HEAD the password is never checked."""
        params = req.clouds_params()
        email = params.get('email', '')
        email = email.lower() if isinstance(email, str) else ''
        ttl = params.get('ttl', 3600)
        if isinstance(ttl, str) and not ttl.isdigit():
            raise bad_request('Ttl must be a number greater than 0')
        try:
            ttl = int(ttl)
        except (TypeError, ValueError):
            raise error(500, 'Internal Server Error') from None
        if ttl < 0:
            raise bad_request('Ttl must be greater or equal to zero')
        if not email:
            raise required('No email provided')
        user = self.store.user_email(email)
        if not user:
            raise error(401, NOT_AUTHENTICATED)
        token = ids.api_token()
        name = params.get('name') or 'api_token_%s' % token[:8]
        self.store.add_token(token, user, name=name, ttl=ttl)
        return json_response({'id': ids.stable_hex('token', token), 'token': token, 'name': name,
                              'ttl': ttl, 'created': _now()})

    def ping(self, req):
        return json_response({'hello': req.email})

    def version(self, req):
        return json_response({'version': self.facts['version']})

    # reading
    def providers(self, req):
        return json_response({'supported_providers': list(providers.cloud_providers_doc(self.era).values())})

    def _live(self):
        return [record for record in self.store.all(SCOPE, 'cloud') if not record['deleted']]

    def _find(self, cloud_id):
        record = self.store.get(SCOPE, 'cloud', cloud_id)
        if record is None or record['deleted']:
            raise error(404, NOT_FOUND)
        return record

    def _name_taken(self, name, other_than=None):
        return any(r['name'] == name and r['id'] != other_than for r in self._live())

    def list(self, req):
        return json_response([self.entry(record) for record in self._live()])

    def machines(self, req):
        cid = req.params['id']
        self._find(cid)
        stored = self.store.get(SCOPE, 'machines', cid)
        return json_response([self._machine_view(m) for m in (stored['machines'] if stored else [])])

    def _machine_view(self, machine):
        view = dict(machine)
        if self.facts['machine_id_field'] != 'external_id':
            view[self.facts['machine_id_field']] = view.pop('external_id', None)
        return view

    # adding
    def add(self, req):
        return json_response(self.create(req.clouds_params(), req.email))

    def create(self, params, email, enabled=True, machine_list=None, machine_count=None, cloud_id=None,
               check_hosts=True):
        """add_cloud: the view, add_cloud_v_2/add_cloud and Cloud.add, in their order."""
        facts = self.facts
        params = dict((key, value.strip() if isinstance(value, str) else value) for key, value in params.items())
        if facts['name_field'] == 'title':
            name = params.get('title', '')
        else:
            name = params.get('name', params.get('title', ''))
        provider = params.get('provider', '')
        if not provider:
            raise required('provider')
        fail_on_error = params.pop('fail_on_error', params.pop('remove_on_error', True))
        if not facts['add_honours_fail_on_error']:
            fail_on_error = True   # C3's Cloud.add pops the flag and never passes it on
        params.pop(facts['name_field'], None)
        params.pop('provider', None)
        self._check_name(name)
        model = providers.cloud_model(self.era, provider) if isinstance(provider, str) else None
        if model is None:
            raise bad_request("Invalid provider '%s'." % provider)
        with self.store.transaction():
            if self._name_taken(name):
                raise error(409, 'Cloud with this name already exists')
            record = {'id': cloud_id or ids.hex_id(), 'name': name, 'provider': model.provider, 'fields': {},
                      'enabled': bool(enabled), 'deleted': False, 'deleted_at': None, 'dns_enabled': False,
                      'object_storage_enabled': False, 'observation_logs_enabled': True,
                      'container_enabled': False, 'polling_interval': POLLING_INTERVAL,
                      'owned_by': user_id(email), 'created_by': user_id(email), 'created': _now()}
            if self.store.get(SCOPE, 'cloud', record['id']) is not None:
                raise error(409, 'Conflict: Cloud id exists: %s' % record['id'])
            if model.special == 'other':
                built, errors = self._add_other(record, params, machine_list, machine_count, check_hosts)
            elif model.special == 'libvirt':
                built, errors = self._add_libvirt(record, params, fail_on_error, check_hosts)
            else:
                self._add_fields(record, model, params, fail_on_error, check_hosts)
                built, errors = self._generated(record, machine_list, machine_count), None
            self.store.put(SCOPE, 'cloud', record['id'], record)
            self.store.put(SCOPE, 'machines', record['id'], {'owner': record['id'], 'machines': built})
            index = len(self._live()) - 1
        doc = self.entry(record)
        doc['index'] = index
        if errors:
            doc['errors'] = errors
        return doc

    def _check_name(self, name):
        if not isinstance(name, str) or not NAME_RE.search(name):
            word = self.facts['name_word']
            raise bad_request('Cloud %s may only contain ASCII letters, numbers, dashes and dots' % word)

    def _add_fields(self, record, model, kwargs, fail_on_error, check_hosts):
        """BaseMainController.add: cloud-wide flags, then update()."""
        for old, new in self.facts['renames']:
            rename_kwargs(kwargs, old, new)
        flags = [kwargs.pop(key, False) for key in self.facts['cloud_wide']]
        if self.era == 'C3':
            dns, dns_enabled, objectstorage, objects_storage, object_storage_enabled, container, container_enabled = flags
            record['dns_enabled'] = bool(dns or dns_enabled is True)
            record['object_storage_enabled'] = bool(objectstorage or objects_storage or object_storage_enabled is True)
            record['container_enabled'] = bool(container or container_enabled is True)
        else:
            record['dns_enabled'], record['object_storage_enabled'] = (flags[0] is True, flags[1] is True)
        record['polling_interval'] = kwargs.pop('polling_interval', POLLING_INTERVAL)
        self._update_fields(record, model, kwargs, fail_on_error, not self.facts['reject_unknown_on_add'], check_hosts)

    def _update_fields(self, record, model, kwargs, fail_on_error, drop_unknown, check_hosts=True):
        """BaseMainController.update: aliases, host checks, unknown keys, validation, login."""
        for old, new in self.facts['renames'][:2] + model.renames:
            rename_kwargs(kwargs, old, new)
        current = record['fields']
        if model.special == 'openstack':
            url = kwargs.get('url', current.get('url'))
            if url and isinstance(url, str):
                for suffix in ('/v2.0/', '/v2.0'):
                    if url.endswith(suffix):
                        url = url.split(suffix)[0]
                        break
                kwargs['url'] = url.rstrip('/')
                _check_host(sanitize_host(kwargs['url']), check_hosts)
        elif model.special == 'host':
            host = kwargs.get('host', current.get('host'))
            if host and isinstance(host, str):
                if model.provider == 'vsphere':
                    kwargs['host'] = host = sanitize_host(host)
                _check_host(sanitize_host(host), check_hosts)
        names = [field.name for field in model.fields]
        errors = {}
        for key in list(kwargs):
            if key not in names:
                if drop_unknown:
                    kwargs.pop(key)
                else:
                    errors[key] = 'Invalid parameter %s=%r.' % (key, kwargs[key])
        if errors:
            raise invalid_params(errors)
        fields = dict(current)
        for key, value in kwargs.items():
            if value or not self.facts['update_skips_empty']:
                fields[key] = value
        try:
            self._validate(record, model, fields)
            if fail_on_error:
                self._login(model, fields)
        except HttpError as exc:
            # C3 has already written the given values to Vault (base.py:299-394)
            exc.vault_written = any(kwargs.values())
            raise
        record['fields'] = self._stored(model, fields)

    def _validate(self, record, model, fields):
        """mongoengine's validate(): 400 with the ValidationError's text and to_dict()."""
        errors = {}
        for field in model.fields:
            value = fields.get(field.name, field.default)
            if value is None:
                if field.required:
                    errors[field.name] = 'Field is required'
            elif field.kind is int:
                try:
                    int(value)
                except (TypeError, ValueError):
                    errors[field.name] = '%s could not be converted to int' % (value,)
            elif field.kind is bool and not isinstance(value, bool):
                errors[field.name] = 'BooleanField only accepts boolean values'
            elif field.kind is list and not isinstance(value, list):
                errors[field.name] = 'Only lists and tuples may be used in a list field'
            elif field.kind in (str, None) and not isinstance(value, str):
                errors[field.name] = 'StringField only accepts string values'
        if errors:
            grouped = {}
            for name, message in errors.items():
                grouped.setdefault(message, []).append(name)
            text = ' '.join('%s: %s' % (message, names) for message, names in grouped.items())
            msg = 'ValidationError (Cloud.%s:%s) (%s)' % (model.class_name, record['id'], text)
            raise bad_request({'msg': msg, 'errors': errors})

    @staticmethod
    def _stored(model, fields):
        stored = {}
        for field in model.fields:
            value = fields.get(field.name, field.default)
            stored[field.name] = int(value) if field.kind is int and value is not None else value
        return stored

    @staticmethod
    def _login(model, fields):
        """check_connection. An empty required credential is refused like a wrong one."""
        values = [fields.get(field.name) for field in model.fields if field.name in model.secret]
        failure = providers.credential_failure(values)
        if failure is None and any(fields.get(f.name) == '' for f in model.fields if f.required):
            failure = 401
        if failure == 401:
            raise error(401, 'Unauthorized cloud credentials: the provider refused the credentials')
        if failure:
            raise error(503, 'Cloud unavailable: the provider did not answer')

    def _generated(self, record, machine_list, machine_count):
        count = self.machines_per_backend if machine_count is None else machine_count
        return machines.build(record['id'], record['name'], count, machine_list, cloud=True)

    def _add_other(self, record, kwargs, machine_list, machine_count, check_hosts):
        """OtherMainController.add: the cloud has no fields; one machine (or `machines`) from the
        rest of the body. A failure removes the cloud (the request's transaction rolls back)."""
        if machine_list is not None or machine_count is not None:
            return self._generated(record, machine_list, machine_count), None
        if not kwargs:
            return [], None
        if 'machines' in kwargs:
            built, errors = [], []
            for index, item in enumerate(kwargs['machines'] or []):
                item = dict(item)
                try:
                    built.append(self._other_machine(record, item.pop('machine_name', ''), item, index, check_hosts))
                except HttpError as exc:
                    errors.append(exc.message)
            return built, errors
        return [self._other_machine(record, record['name'], kwargs, 0, check_hosts)], []

    def _other_machine(self, record, name, kwargs, index, check_hosts):
        """add_machine_wrapper + add_machine (controllers.py:659-807)."""
        for old, new in (('machine_hostname', 'host'), ('machine_user', 'ssh_user'), ('machine_key', 'ssh_key'),
                         ('machine_port', 'ssh_port'), ('remote_desktop_port', 'rdp_port')):
            rename_kwargs(kwargs, old, new)
        kwargs['os_type'] = 'windows' if kwargs.pop('operating_system', None) == 'windows' else 'unix'
        errors = {}
        for key in list(kwargs):
            if key not in ('host', 'ssh_user', 'ssh_port', 'ssh_key', 'os_type', 'rdp_port'):
                if self.facts['reject_unknown_on_add']:
                    errors[key] = 'Invalid parameter %s=%r.' % (key, kwargs[key])
                else:
                    kwargs.pop(key)
        if 'host' not in kwargs:
            errors['host'] = 'Required parameter host missing'
        if errors:
            raise invalid_params(errors)
        host, key = kwargs['host'], kwargs.get('ssh_key')
        try:
            port = int(kwargs.get('ssh_port', 22))
        except (TypeError, ValueError):
            port = 22
        if key and not self.store.has_key(key):
            raise error(500, 'Internal Server Error')   # Key.DoesNotExist is not a MistError
        if host:
            host = sanitize_host(host)
            _check_host(host, check_hosts)
        if kwargs['os_type'] == 'unix' and key:
            self._ssh_uptime(key, host)
        given = {'name': name or host, 'hostname': host, 'ssh_port': port, 'state': 'running', 'tags': {},
                 'public_ips': [] if is_private(host) else [host], 'private_ips': [host] if is_private(host) else [],
                 'os_type': kwargs['os_type'], 'machine_type': 'machine',
                 'external_id': ids.stable_hex('other-machine', record['id'], index)}
        return machines.cloud_machine(record['id'], record['name'], index, given)

    @staticmethod
    def _ssh_uptime(key, host):
        """associate_key / ssh_command: the simulator's rule for an SSH login."""
        if key.startswith('invalid'):
            raise error(401, "Unauthorized cloud credentials: Couldn't authenticate to machine")
        if host.startswith('unreachable'):
            raise error(500, "Mist Error: Couldn't connect to host '%s'." % host)

    def _add_libvirt(self, record, kwargs, fail_on_error, check_hosts):
        """LibvirtMainController.add (controllers.py:327-480): one hypervisor machine per host."""
        hosts = kwargs.get('hosts')
        if not hosts:
            raise required('hosts')
        built, errors = [], {}
        for index, given in enumerate(hosts if isinstance(hosts, list) else []):
            item = dict(given) if isinstance(given, dict) else {}
            for old, new in (('machine_hostname', 'host'), ('machine_name', 'alias'), ('machine_user', 'username'),
                             ('machine_key', 'key'), ('ssh_port', 'port')):
                rename_kwargs(item, old, new)
            if item.get('host'):
                item['host'] = sanitize_host(item['host'])
                _check_host(item['host'], check_hosts)
            if item.get('key') and not self.store.has_key(item['key']):
                raise error(404, 'Not Found: Key does not exist.')
            for key in list(item):
                if key not in ('host', 'alias', 'username', 'port', 'key', 'images_location'):
                    item.pop(key)
            missing = [key for key in ('host', 'key') if not item.get(key)]
            if missing:
                if fail_on_error:
                    raise required(missing[0])
                errors.update((key, 'Required parameter missing: %s' % key) for key in missing)
                continue
            try:
                port = int(item.get('port', 22))
            except (TypeError, ValueError):
                port = 22
            host = item['host']
            try:
                self._ssh_uptime(item['key'], host)
            except HttpError:
                if fail_on_error:
                    raise
                continue
            built.append(machines.cloud_machine(record['id'], record['name'], index, {
                'name': item.get('alias') or host, 'hostname': host, 'ssh_port': port, 'state': 'running',
                'machine_type': 'hypervisor', 'external_id': host.replace('.', '-'), 'tags': {'type': 'hypervisor'},
                'public_ips': [] if is_private(host) else [host], 'private_ips': [host] if is_private(host) else [],
                'extra': {'images_location': item.get('images_location', '/var/lib/libvirt/images'),
                          'tags': {'type': 'hypervisor'}, 'username': item.get('username')}}))
        if not built:
            raise bad_request(errors)
        if self.era == 'C3':
            record['fields']['hosts'] = [machine['id'] for machine in built]
        return built, errors

    # changing
    def rename(self, req):
        with self.store.transaction():
            record = self._find(req.params['id'])
            new_name = req.clouds_params().get('new_name', '')
            if not new_name:
                raise required('new_name')
            self._check_name(new_name)
            if new_name != record['name']:
                if self._name_taken(new_name, other_than=record['id']):
                    raise error(409, 'Cloud with this name already exists')
                record['name'] = new_name
                self.store.put(SCOPE, 'cloud', record['id'], record)
        return ok()

    def update(self, req):
        """PATCH (clouds/views.py update_cloud): bare metal and libvirt refuse it; a refused
        update saves nothing, but C3 has already deleted the cloud's Vault secret."""
        try:
            with self.store.transaction():
                record = self._find(req.params['id'])
                params = req.clouds_params()
                if not params:
                    raise bad_request('You should provide your new cloud settings')
                fail_on_error = params.pop('fail_on_error', True)
                fail_on_invalid = params.pop('fail_on_invalid_params', True)
                polling_interval = params.pop('polling_interval', None)
                model = self.models[record['provider']]
                if model.special == 'other':
                    raise bad_request("OtherServer clouds don't support `update`. Only %s can be changed, using "
                                      "`rename`. To change machine details, one must edit the machines themselves, "
                                      "not the cloud." % self.facts['name_word'])
                if model.special == 'libvirt':
                    raise bad_request('Update action is not currently supported for Libvirt/KVM clouds.')
                self._update_fields(record, model, params, fail_on_error, not fail_on_invalid)
                self.store.put(SCOPE, 'cloud', record['id'], record)
        except HttpError as exc:
            if getattr(exc, 'vault_written', False) and self.era == 'C3':
                self._drop_vault_secret(req.params['id'])
            raise
        return self._set_polling_interval(record, polling_interval)

    def _drop_vault_secret(self, cloud_id):
        """The cloud's secret fields now point to a deleted Vault secret: gone until a new PATCH."""
        with self.store.transaction():
            record = self._find(cloud_id)
            for name in self.models[record['provider']].secret:
                record['fields'][name] = None
            self.store.put(SCOPE, 'cloud', record['id'], record)

    def _set_polling_interval(self, record, value):
        try:
            value = int(value)
        except (TypeError, ValueError):
            return ok()
        if value != 0 and not 600 <= value <= 3600 * 12:
            raise bad_request('Interval must be at least 10 mins and at most 12 hours.')
        record['polling_interval'] = value
        self.store.put(SCOPE, 'cloud', record['id'], record)
        return ok()

    def toggle(self, req):
        """toggle_cloud: "1"/"0" act, another truthy value is a 400, a falsy one (0, "", false)
        is a silent no-op; with no flag at all, a 400."""
        with self.store.transaction():
            record = self._find(req.params['id'])
            params = req.clouds_params()
            flags = ('new_state', 'dns_enabled', 'observation_logs_enabled', 'object_storage_enabled')
            if all(params.get(flag) is None for flag in flags):
                raise required(TOGGLE_REQUIRED)
            new_state = params.get('new_state')
            if new_state in ('1', '0'):
                record['enabled'] = new_state == '1'
            elif new_state:
                raise bad_request('Invalid cloud state')
            for flag, word in (('dns_enabled', 'DNS'), ('object_storage_enabled', 'Object Storage'),
                               ('observation_logs_enabled', 'observation_logs_enabled')):
                value = params.get(flag)
                if value in (0, 1):   # `== 1` / `== 0` in the view: True and False count too
                    record[flag] = value == 1
                elif value:
                    raise bad_request('Invalid %s state' % word)
            self.store.put(SCOPE, 'cloud', record['id'], record)
        return ok()

    def delete(self, req):
        with self.store.transaction():
            record = self._find(req.params['id'])
            record.update(deleted=True, deleted_at=_now())
            self.store.put(SCOPE, 'cloud', record['id'], record)
        return ok()

    def entry(self, record):
        """Cloud.as_dict: C1 lists `title` and every non-secret field (even null/false);
        C3 lists `name`, `container_enabled` and only the truthy non-secret fields."""
        model = self.models[record['provider']]
        doc = {'id': record['id'], self.facts['name_field']: record['name'], 'provider': record['provider'],
               'enabled': record['enabled'], 'dns_enabled': record['dns_enabled'],
               'object_storage_enabled': record['object_storage_enabled'],
               'observation_logs_enabled': record['observation_logs_enabled'],
               'state': 'online' if record['enabled'] else 'offline',
               'polling_interval': record['polling_interval'], 'tags': {},
               'owned_by': record['owned_by'], 'created_by': record['created_by']}
        if self.facts['container_enabled']:
            doc['container_enabled'] = record['container_enabled']
        for field in model.fields:
            value = record['fields'].get(field.name, field.default)
            if field.name not in model.secret and (value or self.facts['list_every_field']):
                doc[field.name] = value
        return doc


def ok():
    """mist.api's OK = Response("OK", 200): text/html like every pyramid Response(str)."""
    return plain(200, 'OK', html=True)
