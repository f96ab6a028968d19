# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared API util end to end, through the info modules and ansible-playbook.

Bad token, unreachable URL, a URL that serves HTML, 503s then 200, and login with
email + password (with the secrets kept out of -vvv output).
"""

import http.server
import json
import threading
from collections import Counter

import pytest

from helpers import leaked
from mistsim.harness import DEFAULT_EMAIL, DEFAULT_PASSWORD

pytestmark = pytest.mark.slow

BAD_TOKEN = 'f' * 64
HTML = b'<!DOCTYPE html>\n<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome</h1></body></html>\n'


def playbook(ansible, name, **extra):
    more = list(extra.pop('_args', ()))
    env = extra.pop('_env', None)
    args = ['-i', 'localhost,', '-e', json.dumps(extra)] + more
    return ansible.playbook(name, args=args, env=env)


def errors(ansible, url, token, kind, status, msg, api_version='auto'):
    return ansible.assert_ok(playbook(
        ansible, 'transport_errors.yml', mist_url=url, mist_token=token, mist_api_version=api_version,
        expect_kind=kind, expect_status=status, expect_msg=msg))


@pytest.fixture
def html_server():
    """A web server on loopback that answers every GET with a 200 HTML page (not Mist)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header('Content-Type', 'text/html')
            self.send_header('Content-Length', str(len(HTML)))
            self.end_headers()
            self.wfile.write(HTML)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield 'http://127.0.0.1:%d' % server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def log(sim):
    return [(r['method'], r['path'], r['status']) for r in sim.requests()]


@pytest.mark.parametrize('api_version', ['auto', 'clouds'])
def test_bad_token_is_a_clear_401(ansible, sim, api_version):
    errors(ansible, sim.url, BAD_TOKEN, 'auth', 401,
           ['Mist rejected the request GET /api/v1/', '401 User not authenticated', 'check api_token'], api_version)
    assert not sim.writes()


def test_unreachable_url(ansible, closed_url):
    url = closed_url
    errors(ansible, url, BAD_TOKEN, 'connection', None, ['Cannot reach Mist at %s' % url, 'connection refused', 'check url'])
    # That a refused connection is retried with backoff first is checked on the computed waits, not the
    # clock: tests/unit/plugins/module_utils/test_client.py (test_connection_errors_are_retried_for_safe_requests).


@pytest.mark.parametrize('api_version, kind, status, msg', [
    # The probe names what it saw; it carries no status of its own.
    ('auto', 'not_mist', None, ['does not look like a Mist server', 'GET /api/v1/clouds answered 200 with an HTML page',
                                'check url']),
    ('clouds', 'html', 200, ['does not look like a Mist server', 'HTML page returned for GET /api/v1/']),
    ('backends', 'html', 200, ['does not look like a Mist server', 'HTML page returned for GET /']),
])
def test_url_that_serves_html(ansible, html_server, api_version, kind, status, msg):
    errors(ansible, html_server, BAD_TOKEN, kind, status, [html_server] + msg, api_version)


def test_html_error_page_from_a_proxy(ansible, sim, mistsim_token):
    """A 502 with an HTML body (a proxy in front of Mist): retried, then named as such."""
    sim.fault(path='^/api/v1/(providers|clouds)$', status=502, body=HTML.decode(), content_type='text/html')
    errors(ansible, sim.url, mistsim_token, 'html', 502,
           ['returned an HTML error page (502)', 'a proxy or web server answered, not the Mist API'], 'clouds')
    counts = Counter(log(sim))
    assert counts[('GET', '/api/v1/providers', 502)] == 4
    assert counts[('GET', '/api/v1/clouds', 502)] == 4


@pytest.mark.parametrize('api_version, mist_era, path', [
    ('clouds', 'C1', '/api/v1/providers'), ('clouds', 'C3', '/api/v1/providers'),
    ('backends', 'B1', '/providers'), ('backends', 'B2', '/providers'),
])
def test_503_twice_then_200(ansible, sim, mistsim_token, api_version, mist_era, path):
    sim.fault(method='GET', path='^%s$' % path, status=503, count=2, retry_after='0')
    ansible.assert_ok(playbook(ansible, 'transport_retry.yml', mist_url=sim.url, mist_token=mistsim_token,
                               mist_api_version=api_version))
    assert log(sim) == [('GET', path, 503), ('GET', path, 503), ('GET', path, 200)]
    assert not sim.faults()


# The backoff without Retry-After (0.5 s, then 1 s) is checked on the computed delays against each era's
# simulator, never by the clock: tests/unit/plugins/module_utils/test_client.py.


@pytest.mark.parametrize('api_version, dialect, mist_era', [
    ('auto', 'clouds', 'C1'), ('auto', 'clouds', 'C3'), ('backends', 'backends', 'B1'), ('backends', 'backends', 'B2'),
])
def test_login_keeps_password_and_minted_token_out_of_vvv(ansible, sim, api_version, dialect, mist_era):
    """Contract: neither the password nor a minted token shows in -vvv, in every era; a refused login is a
    clear 401. mist.api v4.5.0 and later (C1 as simulated, C3) never check the password of POST
    /api/v1/tokens (auth/views.py create_token), only the email: there the refused login has a wrong email."""
    if dialect == 'clouds':
        sim.seed({'clouds': [{'name': 'production', 'provider': 'ec2', 'apikey': 'AKIAEXAMPLE',
                              'apisecret': 'cloud-secret-9', 'region': 'us-east-1', 'machine_count': 0}]})
    else:
        sim.seed({'backends': [{'title': 'production', 'provider': 'ec2_us_east', 'apikey': 'AKIAEXAMPLE',
                                'apisecret': 'cloud-secret-9', 'machine_count': 0}]})
    tokens_before = set(t['token'] if isinstance(t, dict) else t for t in _tokens(sim))
    sim.clear_requests()
    proc = ansible.assert_ok(playbook(ansible, 'transport_login.yml', mist_url=sim.url, mist_email=DEFAULT_EMAIL,
                                      mist_password=DEFAULT_PASSWORD, mist_api_version=api_version,
                                      expect_dialect=dialect, refused='email' if dialect == 'clouds' else 'password',
                                      _args=['-vvv'],
                                      _env={'MIST_PASSWORD': DEFAULT_PASSWORD}))
    minted = set(t['token'] if isinstance(t, dict) else t for t in _tokens(sim)) - tokens_before
    # One login per task that logs in successfully: two tasks, two tokens (the refused login mints none).
    assert len(minted) == 2
    login_path = '/api/v1/tokens' if dialect == 'clouds' else '/auth'
    assert Counter(log(sim))[('POST', login_path, 200)] == 2
    assert Counter(log(sim))[('POST', login_path, 401)] == 1
    # The command line carries the password as an extra var (that is the test's doing, not the module's).
    output = proc.output.replace(json.dumps(DEFAULT_PASSWORD), '')
    assert not leaked(output, DEFAULT_PASSWORD, 'cloud-secret-9', *minted)
    assert 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER' in output


def _tokens(sim):
    return sim.state()['tokens']
