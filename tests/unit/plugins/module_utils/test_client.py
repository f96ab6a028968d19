# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json
import socket
import threading

import pytest
import requests

from http.server import BaseHTTPRequestHandler, HTTPServer

from ansible_collections.mistio.cloud.plugins.module_utils.client import Transport, MistError, USER_AGENT, COLLECTION_VERSION
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import connect

TOKEN = 'f' * 64
PASSWORD = 'hunter2-very-secret'
HTML = '<!DOCTYPE html><html><head><title>Welcome</title></head><body>hi</body></html>'


def refused():
    return requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='mist.example', port=443): Max retries exceeded with url: /api/v1/clouds "
        "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: "
        "[Errno 111] Connection refused'))")


def dropped():
    return requests.exceptions.ConnectionError(
        "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")


# --- construction ------------------------------------------------------------

def test_user_agent_names_collection_and_version(make_client, response):
    client, session, dummy = make_client({('GET', '/api/v1/clouds'): response(body=[])}, api_token=TOKEN)
    client.request('GET', '/api/v1/clouds')
    assert USER_AGENT == 'mistio.cloud/%s (ansible)' % COLLECTION_VERSION
    assert session.calls[0]['headers']['User-Agent'] == USER_AGENT
    assert session.calls[0]['timeout'] == 30


def test_url_must_be_http():
    with pytest.raises(MistError) as err:
        Transport('mist.example')
    assert 'https://' in str(err.value)


def test_trailing_api_v1_is_dropped():
    assert Transport('https://mist.example/api/v1/').url == 'https://mist.example'


def test_tls_options_reach_every_request(tmp_path, make_client, response):
    """verify= is given per request: requests lets REQUESTS_CA_BUNDLE override session.verify, never that."""
    ca = tmp_path / 'ca.pem'
    ca.write_text('-----BEGIN CERTIFICATE-----\n')
    assert Transport('https://m.example').verify is True
    assert Transport('https://m.example', validate_certs=False).verify is False
    assert Transport('https://m.example', ca_path=str(ca)).verify == str(ca)
    client, session, dummy = make_client({('GET', '/api/v1/clouds'): response(body=[])}, api_token=TOKEN, validate_certs=False)
    client.request('GET', '/api/v1/clouds')
    assert session.calls[0]['verify'] is False


def test_the_transport_knows_no_dialect_or_provider():
    import ansible_collections.mistio.cloud.plugins.module_utils.client as transport
    source = open(transport.__file__).read()
    assert 'module_utils.' not in source.replace('module_utils.basic', '')


# --- retries -----------------------------------------------------------------

def test_backoff_schedule_is_exponential_with_bounded_jitter(make_client, response):
    routes = {('GET', '/api/v1/clouds'): [response(503), response(502), response(504), response(body=[])]}
    client, session, sleeps = make_client(routes, api_token=TOKEN)
    client.transport._random = lambda: 0.0
    assert client.request('GET', '/api/v1/clouds') == []
    assert sleeps == [0.5, 1.0, 2.0]
    for high in (0.999999, 1.0):
        session.routes[('GET', '/api/v1/clouds')] = [response(503), response(503), response(body=[])]
        del sleeps[:]
        client.transport._random = lambda: high
        client.request('GET', '/api/v1/clouds')
        assert 0.5 <= sleeps[0] <= 0.625 and 1.0 <= sleeps[1] <= 1.25


@pytest.mark.parametrize('mist_era, api_version, path', [
    ('B1', 'backends', '/providers'), ('B2', 'backends', '/providers'),
    ('C1', 'clouds', '/api/v1/providers'), ('C3', 'clouds', '/api/v1/providers'),
])
def test_503_without_retry_after_backs_off_half_a_second_then_one(sim, mistsim_token, mist_era, api_version, path):
    """Against the simulator of each era: two 503s without Retry-After, then the list. The waits are
    the computed delays (0.5 s then 1 s, plus up to 25% jitter), recorded instead of slept."""
    sim.fault(method='GET', path='^%s$' % path, status=503, count=2)
    transport = Transport(sim.url)
    sleeps = []
    transport._sleep = sleeps.append
    assert connect(transport, api_version, api_token=mistsim_token).list_providers()
    assert [(e['method'], e['path'], e['status']) for e in sim.requests()] == [('GET', path, 503)] * 2 + [('GET', path, 200)]
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 0.625 and 1.0 <= sleeps[1] <= 1.25, sleeps


def test_retries_give_up_after_the_limit(make_client, response):
    client, session, sleeps = make_client({('GET', '/api/v1/clouds'): response(503, text='Cloud unavailable')},
                                          api_token=TOKEN, retries=2)
    with pytest.raises(MistError) as err:
        client.request('GET', '/api/v1/clouds')
    assert len(session.calls) == 3 and len(sleeps) == 2
    assert err.value.status == 503 and err.value.ambiguous and err.value.message == 'Cloud unavailable'


def test_retry_after_is_honoured_and_capped(make_client, response):
    routes = {('GET', '/api/v1/clouds'): [response(429, headers={'Retry-After': '7'}),
                                          response(429, headers={'Retry-After': '3600'}), response(body=[])]}
    client, dummy, sleeps = make_client(routes, api_token=TOKEN)
    client.request('GET', '/api/v1/clouds')
    assert sleeps == [7.0, 60]


def test_an_add_is_never_retried(make_client, response):
    client, session, sleeps = make_client({('POST', '/api/v1/clouds'): response(503, text='Cloud unavailable')}, api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('POST', '/api/v1/clouds', json={'name': 'x'}, retry=False)
    assert len(session.calls) == 1 and sleeps == []
    assert err.value.ambiguous


def test_an_add_that_drops_is_ambiguous_and_not_retried(make_client):
    client, session, sleeps = make_client({('POST', '/api/v1/clouds'): dropped()}, api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('POST', '/api/v1/clouds', json={'name': 'x'}, retry=False)
    assert len(session.calls) == 1 and sleeps == []
    assert err.value.kind == 'connection' and err.value.ambiguous
    assert 'may have been processed' in str(err.value)


@pytest.mark.parametrize('method, says', [('GET', False), ('POST', True), ('PUT', True), ('DELETE', True)])
def test_only_a_write_of_unknown_fate_may_have_been_processed(make_client, response, method, says):
    """A read that failed after its retries changed nothing: saying it may have been processed would mislead."""
    client, session, sleeps = make_client({(method, '/api/v1/clouds'): response(503, text='Cloud unavailable')},
                                          api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request(method, '/api/v1/clouds', json=None if method == 'GET' else {'name': 'x'}, retry=method != 'POST')
    assert str(err.value).startswith('Mist failed the request %s /api/v1/clouds (503 Cloud unavailable)' % method)
    assert ('may have been processed' in str(err.value)) is says and err.value.ambiguous


@pytest.mark.parametrize('status', [400, 401, 404, 409, 500, 501])
def test_other_statuses_are_not_retried(make_client, response, status):
    client, session, sleeps = make_client({('GET', '/api/v1/clouds'): response(status, text='nope')}, api_token=TOKEN)
    with pytest.raises(MistError):
        client.request('GET', '/api/v1/clouds')
    assert len(session.calls) == 1 and sleeps == []


def test_connection_errors_are_retried_for_safe_requests(make_client, response):
    routes = {('DELETE', '/api/v1/clouds/c1'): [refused(), dropped(), response(text='OK')]}
    client, session, sleeps = make_client(routes, api_token=TOKEN)
    assert client.request('DELETE', '/api/v1/clouds/c1') == 'OK'
    assert len(session.calls) == 3 and len(sleeps) == 2


# --- error sentences ---------------------------------------------------------

def test_rejected_request_sentence(make_client, response):
    routes = {('POST', '/backends'): response(401, text='Invalid backend credentials')}
    client, dummy, dummy2 = make_client(routes, api_version='backends')
    with pytest.raises(MistError) as err:
        client.request('POST', '/backends', json={'provider': 'ec2_us_east', 'apikey': 'AKIA', 'apisecret': 'sEcReT-123'}, retry=False)
    exc = err.value
    assert str(exc) == 'Mist rejected the request POST /backends (401 Invalid backend credentials)'
    assert (exc.status, exc.kind, exc.method, exc.path, exc.ambiguous) == (401, 'http', 'POST', '/backends', False)
    assert exc.message == 'Invalid backend credentials'


def test_server_echo_of_a_secret_is_redacted(make_client, response):
    routes = {('POST', '/api/v1/clouds'): response(400, text='Invalid parameters [apisecret=sEcReT-123]')}
    client, dummy, dummy2 = make_client(routes, api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('POST', '/api/v1/clouds', json={'provider': 'ec2', 'apisecret': 'sEcReT-123'}, retry=False)
    assert 'sEcReT-123' not in str(err.value) and 'sEcReT-123' not in err.value.message
    assert '********' in err.value.message


def test_long_plain_text_is_trimmed(make_client, response):
    client, dummy, dummy2 = make_client({('GET', '/api/v1/clouds'): response(400, text='Bad  Request:\n' + 'x' * 1000)},
                                        api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('GET', '/api/v1/clouds')
    assert err.value.message.startswith('Bad Request: xxx') and len(err.value.message) <= 300


def test_html_success_page_is_not_mist(make_client, response):
    client, dummy, dummy2 = make_client({('GET', '/api/v1/clouds'): response(200, text=HTML)}, api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('GET', '/api/v1/clouds')
    assert err.value.kind == 'html'
    assert str(err.value) == 'https://mist.example does not look like a Mist server (HTML page returned for GET /api/v1/clouds).'


def test_html_proxy_error_page(make_client, response):
    client, dummy, sleeps = make_client({('GET', '/api/v1/clouds'): response(502, text=HTML)}, api_token=TOKEN, retries=1)
    with pytest.raises(MistError) as err:
        client.request('GET', '/api/v1/clouds')
    assert err.value.kind == 'html' and err.value.status == 502 and len(sleeps) == 1
    assert 'HTML error page (502)' in str(err.value)
    assert 'Welcome' not in str(err.value)


def test_refused_connection_sentence(make_client):
    client, dummy, sleeps = make_client({('GET', '/api/v1/clouds'): refused()}, api_token=TOKEN, retries=0)
    with pytest.raises(MistError) as err:
        client.request('GET', '/api/v1/clouds')
    assert str(err.value) == 'Cannot reach Mist at https://mist.example: connection refused — check url.'
    assert err.value.kind == 'connection' and not err.value.ambiguous


def test_unknown_host_sentence(make_client):
    exc = requests.exceptions.ConnectionError("Failed to resolve 'nowhere.example' ([Errno -2] Name or service not known)")
    client, dummy, dummy2 = make_client({('GET', '/api/v1/clouds'): exc}, api_token=TOKEN, retries=0)
    with pytest.raises(MistError) as err:
        client.request('GET', '/api/v1/clouds')
    assert 'host name not found' in str(err.value) and not err.value.ambiguous


def test_tls_failure_sentence_and_no_retry(make_client):
    exc = requests.exceptions.SSLError(
        "HTTPSConnectionPool(host='mist.example', port=443): Max retries exceeded (Caused by SSLError(SSLCertVerificationError("
        "1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)')))")
    client, session, sleeps = make_client({('GET', '/api/v1/clouds'): exc}, api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('GET', '/api/v1/clouds')
    assert str(err.value) == ('TLS verification failed for https://mist.example: certificate verify failed: self-signed certificate'
                              ' — give the CA file in ca_path (validate_certs: false turns verification off).')
    assert err.value.kind == 'tls' and len(session.calls) == 1


def test_read_timeout_sentence_is_ambiguous(make_client):
    client, dummy, dummy2 = make_client({('POST', '/api/v1/clouds'): requests.exceptions.ReadTimeout('read timed out')},
                                        api_token=TOKEN, timeout=12)
    with pytest.raises(MistError) as err:
        client.request('POST', '/api/v1/clouds', json={}, retry=False)
    assert str(err.value).startswith('Timed out after 12s waiting for POST /api/v1/clouds from https://mist.example')
    assert err.value.kind == 'timeout' and err.value.ambiguous


def test_connect_timeout_is_not_ambiguous(make_client):
    client, dummy, dummy2 = make_client({('POST', '/api/v1/clouds'): requests.exceptions.ConnectTimeout('connect timed out')},
                                        api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('POST', '/api/v1/clouds', json={}, retry=False)
    assert err.value.kind == 'timeout' and not err.value.ambiguous


def test_plain_text_success_is_returned_as_text(make_client, response):
    client, dummy, dummy2 = make_client({('PUT', '/api/v1/clouds/c1'): response(text='OK')}, api_token=TOKEN)
    assert client.request('PUT', '/api/v1/clouds/c1', json={'new_name': 'x'}) == 'OK'


def test_error_details_have_no_body(make_client, response):
    client, dummy, dummy2 = make_client({('POST', '/api/v1/clouds'): response(409, text='Cloud with this name already exists')},
                                        api_token=TOKEN)
    with pytest.raises(MistError) as err:
        client.request('POST', '/api/v1/clouds', json={'name': 'prod', 'apisecret': 'sEcReT-123'}, retry=False)
    assert err.value.details() == {'status': 409, 'kind': 'http', 'method': 'POST', 'path': '/api/v1/clouds', 'ambiguous': False}
    assert 'sEcReT' not in repr(vars(err.value))


# --- a real socket -----------------------------------------------------------

class _Handler(BaseHTTPRequestHandler):
    seen = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
        _Handler.seen.append((self.headers.get('Content-Type'), self.headers.get('User-Agent'), json.loads(body)))
        payload = json.dumps({'id': 'c1', 'name': 'x'}).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


def test_real_http_sends_json_and_user_agent():
    server = HTTPServer(('127.0.0.1', 0), _Handler)
    thread = threading.Thread(target=server.serve_forever)
    thread.daemon = True
    thread.start()
    try:
        client = Transport('http://127.0.0.1:%s' % server.server_address[1])
        assert client.request('POST', '/api/v1/clouds', json={'name': 'x'}, retry=False) == {'id': 'c1', 'name': 'x'}
    finally:
        server.shutdown()
        server.server_close()
    assert _Handler.seen == [('application/json', USER_AGENT, {'name': 'x'})]


def test_real_refused_port():
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    client = Transport('http://127.0.0.1:%s' % port, retries=0, timeout=5)
    with pytest.raises(MistError) as err:
        client.request('GET', '/backends')
    assert err.value.kind == 'connection' and not err.value.ambiguous
    assert 'connection refused' in str(err.value)


def test_version_constant_matches_galaxy_yml():
    import os
    import re
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..')
    with open(os.path.join(root, 'galaxy.yml')) as handle:
        version = re.search(r'^version:\s*["\']?([^"\'\s]+)', handle.read(), re.M).group(1)
    assert COLLECTION_VERSION == version


def test_allow_parallel_sizes_the_connection_pool_for_many_workers():
    client = Transport('https://mist.example')
    default = client.session.get_adapter('https://mist.example')
    client.allow_parallel(8)
    assert client.session.get_adapter('https://mist.example') is default
    client.allow_parallel(32)
    assert client.session.get_adapter('https://mist.example')._pool_maxsize == 32


# --- odd input and odd answers: clear failures, never a crash (issue 11) ---------------------

@pytest.mark.parametrize('timeout', [0, -1, 10 ** 12, 86401, True, '30'])
def test_timeout_out_of_range_is_a_clear_failure(timeout):
    with pytest.raises(MistError) as err:
        Transport('https://mist.example', timeout=timeout)
    assert 'timeout must be a number of seconds' in str(err.value)


@pytest.mark.parametrize('url, words', [
    ('https://%s.example' % ('a' * 64), 'longer than 63'),
    ('https://%s' % '.'.join(['abcdefgh'] * 40), 'longer than 63'),
    ('http://[::1', 'not a valid URL'),
    ('http://127.0.0.1:99999', 'not a valid URL'),
    ('ftp://mist.example', 'must start with'),
])
def test_bad_url_is_a_clear_failure(url, words):
    with pytest.raises(MistError) as err:
        Transport(url)
    assert words in str(err.value)


@pytest.mark.parametrize('value, seconds', [
    ('7', 7.0), (' 3 ', 3.0), ('\u0663', None), ('\u00b2', None), ('1' * 30, None), ('-5', None), ('1e9', None),
    ('Fri, 31 Dec 99999 23:59:59 GMT', None), ('soon', None), ('', None), (None, None),
])
def test_retry_after_reads_only_what_it_understands(value, seconds):
    from ansible_collections.mistio.cloud.plugins.module_utils.client import _parse_retry_after
    assert _parse_retry_after(value) == seconds


def test_deeply_nested_json_is_not_json():
    from ansible_collections.mistio.cloud.plugins.module_utils.client import parse_json
    assert parse_json('[' * 100000 + ']' * 100000) is None


def test_redaction_masks_every_echoed_form_before_trimming():
    from ansible_collections.mistio.cloud.plugins.module_utils.client import _trim, redact
    secret = '-----BEGIN KEY-----\nline-one-of-the-key-0001\nline "two" \\ of-the-key\n-----END KEY-----\n'
    echoes = [secret, json.dumps(secret), ' '.join(secret.split()), repr(secret), json.dumps({'k': secret}),
              'x' * 280 + secret]
    for echo in echoes:
        shown = _trim(redact('Bad request: ' + echo, [secret]))
        for piece in ('line-one-of-the-key', 'of-the-key', 'BEGIN KEY'):
            assert piece not in shown, (echo, shown)
