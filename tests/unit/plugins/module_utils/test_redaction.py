# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret in any echo: a server error that repeats the request never carries a secret out.

Every secret field of every provider, in awkward shapes (multi-line, quotes and
backslashes, control and non-ASCII characters, long enough to be cut by the trim,
runs of spaces), echoed by the server the ways servers do (the JSON body as sent,
whitespace-collapsed, the raw value), on each failure path (4xx and 5xx of the add,
the clouds PATCH), plus the login password and a token with a trailing CR/LF.
The output checked is the whole module result, invocation included: what -vvv shows.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils import providers as catalogue
from ansible_collections.mistio.cloud.plugins.module_utils.client import Transport
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import DIALECT_CLASSES
from ansible_collections.mistio.cloud.plugins.modules import mist_backend, mist_provider_info

TAIL = 'Zq8Xw2Lk5Rt7Vn3Hy6Jm'
SHAPES = {
    'multiline': '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC%s\nBKcwggSjAgEAAoIBAQC7%s\n-----END PRIVATE KEY-----\n' % (TAIL, TAIL),
    'quotes': 'a"quoted\\secret/%s' % TAIL,
    'control': 'ctl\x01\x07\x1bsecret-%s' % TAIL,
    'non_ascii': 's\u00e9cr\u00e9t-\u2603-\u65e5\u672c-%s' % TAIL,
    'long': ('L0ng%s' % TAIL) * 20,
    'spaces': 'sp  a\tc e  %s ' % TAIL,
}
ECHOES = {
    'json_body': lambda body: 'Invalid request: %s' % body,
    'collapsed': lambda body: 'Invalid request: %s' % ' '.join(body.split()),
    'decoded_values': lambda body: 'Invalid value(s): %s' % ' | '.join(
        str(v) for v in json.loads(body).values()) if body.strip().startswith('{') else body,
}


def leak_forms(value):
    forms = set([value, json.dumps(value)[1:-1], json.dumps(value, ensure_ascii=False)[1:-1], ' '.join(value.split())])
    forms.update(line.strip() for line in value.splitlines())
    collapsed = ' '.join(value.split())
    forms.update(collapsed[i:i + 20] for i in range(0, max(1, len(collapsed) - 19), 5))
    forms.update(json.dumps(value)[1:-1][i:i + 20] for i in range(0, max(1, len(json.dumps(value)) - 21), 5))
    return set(form for form in forms if len(form) >= 12)


def assert_no_leak(output, value):
    found = sorted(form for form in leak_forms(value) if form in output)
    assert not found, 'secret forms %r in %s' % (found, output[:2000])


# Each dialect as connection.py builds it, asked which providers and fields it takes.
DIALECTS = dict((name, cls(Transport('https://mist.example'), providers=catalogue.provider_table()))
                for name, cls in DIALECT_CLASSES.items())


def secret_field_cases():
    """(provider, field, dialect) for every secret field a dialect takes."""
    cases = []
    for canonical, spec in sorted(catalogue.PROVIDERS.items()):
        for field in spec['fields']:
            if not field['secret']:
                continue
            for dialect in ('backends', 'clouds'):
                if DIALECTS[dialect].stores(canonical) and DIALECTS[dialect].takes_field(canonical, field['name']):
                    cases.append((canonical, field['name'], dialect))
    return cases


def credentials_for(canonical, dialect, secret_name, value):
    creds = {}
    for field in catalogue.PROVIDERS[canonical]['fields']:
        if not DIALECTS[dialect].takes_field(canonical, field['name']):
            continue
        if field['name'] == secret_name:
            creds[field['name']] = value
        elif field['name'] in catalogue.INT_FIELDS:
            creds[field['name']] = 2376
        elif field['name'] in ('url', 'host'):
            creds[field['name']] = 'https://10.0.0.1:5000/v2.0' if field['name'] == 'url' else '10.0.0.1'
        else:
            creds[field['name']] = 'v-%s' % field['name']
    return creds


def region_for(canonical, dialect):
    spec = catalogue.PROVIDERS[canonical]
    if spec['region'] == 'aws':
        return 'us-east-1'
    if spec['region'] == 'seed':
        return 'lon' if canonical.startswith('rackspace') else 'region-a.geo-1'
    return None


def echo_server(scripted, dialect, echo, status, write_method='POST'):
    collection = '/backends' if dialect == 'backends' else '/api/v1/clouds'

    def answer(request):
        if request.method == 'GET' and request.path == collection:
            return 200, {}, '[]'
        if request.method == write_method:
            return status, {'Content-Type': 'text/plain'}, echo(request.body.decode('utf-8'))
        return 404, {}, 'Not Found'

    return scripted(answer)


@pytest.mark.parametrize('echo, status', [(echo, 400) for echo in sorted(ECHOES)] + [('json_body', 500)])
@pytest.mark.parametrize('shape', sorted(SHAPES))
def test_add_error_echo_never_carries_a_secret(scripted, run_module, shape, echo, status):
    value = SHAPES[shape]
    cases = secret_field_cases()
    assert len(cases) >= 15
    sent = 0
    for canonical, field, dialect in cases:
        server = echo_server(scripted, dialect, ECHOES[echo], status)
        args = {'url': server.url, 'api_token': 'c' * 64, 'api_version': dialect, 'retries': 0, 'name': 'prod',
                'provider': canonical, 'credentials': credentials_for(canonical, dialect, field, value)}
        region = region_for(canonical, dialect)
        if region:
            args['region'] = region
        outcome = run_module(mist_backend.main, args)
        posts = [r for r in server.requests if r.method == 'POST']
        if not posts:
            continue  # refused before any request (a field this provider and dialect cannot take)
        sent += 1
        assert outcome.failed, outcome.result
        assert_no_leak(outcome.output, value)
    assert sent >= len(cases) - 2, 'only %d of %d cases reached the server' % (sent, len(cases))


@pytest.mark.parametrize('echo', sorted(ECHOES))
@pytest.mark.parametrize('shape', sorted(SHAPES))
def test_clouds_patch_error_echo_never_carries_a_secret(scripted, run_module, shape, echo):
    value = SHAPES[shape]

    def answer(request):
        if request.method == 'GET' and request.path == '/api/v1/clouds':
            return 200, {}, json.dumps([{'id': 'c1', 'name': 'prod', 'provider': 'ec2', 'enabled': True,
                                         'region': 'us-east-1', 'apikey': 'AKIA'}])
        if request.method == 'PATCH':
            return 400, {'Content-Type': 'text/plain'}, ECHOES[echo](request.body.decode('utf-8'))
        return 404, {}, 'Not Found'

    server = scripted(answer)
    outcome = run_module(mist_backend.main, {
        'url': server.url, 'api_token': 'c' * 64, 'api_version': 'clouds', 'retries': 0, 'name': 'prod',
        'provider': 'ec2', 'region': 'us-east-1', 'update_credentials': 'always',
        'credentials': {'apikey': 'AKIA', 'apisecret': value}})
    assert [r.method for r in server.requests].count('PATCH') == 1
    assert outcome.failed
    assert_no_leak(outcome.output, value)


@pytest.mark.parametrize('dialect, login_path', [('clouds', '/api/v1/tokens'), ('backends', '/auth')])
@pytest.mark.parametrize('echo', sorted(ECHOES))
@pytest.mark.parametrize('shape', sorted(SHAPES))
def test_login_error_echo_never_carries_the_password(scripted, run_module, dialect, login_path, shape, echo):
    value = SHAPES[shape]
    server = scripted(lambda request: (401, {'Content-Type': 'text/plain'}, ECHOES[echo](request.body.decode('utf-8'))))
    outcome = run_module(mist_provider_info.main, {
        'url': server.url, 'email': 'ops@example.com', 'password': value, 'api_version': dialect, 'retries': 0})
    assert [r.path for r in server.requests] == [login_path]
    assert outcome.failed and '401' in outcome.result['msg']
    assert_no_leak(outcome.output, value)


@pytest.mark.parametrize('ending', ['\r\n', '\n', '\r', ' \t'])
def test_token_with_trailing_whitespace_never_reaches_a_message(scripted, run_module, ending):
    """A token pasted with its line ending: sent trimmed (or refused) but never repeated in the error."""
    token = 'tok-%s-%s' % (TAIL, 'x' * 20)
    server = scripted(lambda request: (401, {'Content-Type': 'text/plain'}, 'Bad token %r' % request.headers.get('Authorization')))
    outcome = run_module(mist_provider_info.main, {
        'url': server.url, 'api_token': token + ending, 'api_version': 'clouds', 'retries': 0})
    assert outcome.failed
    assert_no_leak(outcome.output, token + ending)
    assert_no_leak(outcome.output, token)


class FakeSyslog(object):
    """Stands in for the syslog module ansible-core logs each invocation to; refuse=True raises as Python 3.12+
    does for a NUL in any option (ValueError: embedded null character)."""

    def __init__(self, refuse):
        self.refuse = refuse
        self.lines = []

    def syslog(self, priority, msg):
        if self.refuse:
            raise ValueError('embedded null character')
        self.lines.append(msg)


@pytest.fixture
def fake_syslog(monkeypatch):
    import syslog
    from ansible.module_utils import basic

    def install(refuse):
        fake = FakeSyslog(refuse)
        monkeypatch.setattr(basic, 'has_journal', False)
        monkeypatch.setattr(basic, 'HAS_SYSLOG', True)
        monkeypatch.setattr(syslog, 'openlog', lambda *args: None)
        monkeypatch.setattr(syslog, 'syslog', fake.syslog)
        return fake

    return install


@pytest.mark.parametrize('refuse', [False, True], ids=['logged', 'syslog_refuses'])
@pytest.mark.parametrize('shape', sorted(SHAPES))
def test_invocation_log_never_carries_a_secret(scripted, run_module, fake_syslog, shape, refuse):
    """ansible-core logs the credentials dict as str(dict) (secrets escaped); a refused line comes back in msg_to_log."""
    value = SHAPES[shape]
    fake = fake_syslog(refuse)
    server = echo_server(scripted, 'clouds', ECHOES['json_body'], 400)
    outcome = run_module(mist_backend.main, {
        'url': server.url, 'api_token': 'c' * 64, 'api_version': 'clouds', 'retries': 0, 'name': 'prod\x00',
        'provider': 'ec2', 'region': 'us-east-1', 'credentials': {'apikey': 'AKIA', 'apisecret': value}})
    assert outcome.failed
    if refuse:
        assert 'syslog' in outcome.result['msg'] and 'msg_to_log' in outcome.result
    else:
        assert len(fake.lines) == 1 and 'Invoked with' in fake.lines[0] and 'region=us-east-1' in fake.lines[0]
    assert_no_leak(outcome.output + '\n'.join(fake.lines), value)
