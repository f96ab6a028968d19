# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The admin interface (/_mistsim/), the request log, and robustness of the HTTP layer."""

import socket
import time
import urllib.parse

import pytest
import requests

from mistsim import ids
from mistsim.tests.util import Client, assert_text, ec2, raw

EC2_ID = ids.backend_id('ec2_us_east', '', 'AKIAEXAMPLE')
BARE_METAL_ID = '3Feywweawp9GoVTApBBeSL3rg9qS'   # b58(sha1('bare_metal' + '' + '10.0.0.5')), by sha1sum and bc
CLOUD = {'name': 'prod', 'provider': 'ec2', 'apikey': 'AK', 'apisecret': 's', 'region': 'us-east-1'}


# reset / seed / state
def test_reset_empties_both_stores_but_keeps_users_and_tokens(sim, backends, clouds):
    backends.post('/backends', json=ec2())
    clouds.post('/clouds', json=CLOUD)
    sim.reset()
    assert backends.get('/backends').json() == [] and clouds.get('/clouds').json() == []
    state = sim.state()
    assert state['machines'] == {'backends': {}, 'clouds': {}}
    assert [u['email'] for u in state['users']] == ['demo@mist.local'] and state['tokens']
    assert clouds.get('/ping').status_code == 200


def test_seed_and_state(sim, backends, clouds):
    created = sim.seed({
        'users': [{'email': 'ops@example.com', 'password': 'pw', 'tokens': ['A' * 64]}],
        'keys': ['deploy'],
        'backends': [ec2(machine_count=1),
                     {'title': 'rack', 'provider': 'bare_metal', 'machine_ip': '10.0.0.5', 'machine_key': 'deploy',
                      'enabled': False},
                     {'provider': 'linode', 'apikey': 'k', 'apisecret': 'k',
                      'machines': [{'name': 'box', 'state': 'stopped', 'tags': ['x']}]}],
        'clouds': [dict(CLOUD, id='c' * 32, machine_count=0), {'name': 'do', 'provider': 'digitalocean', 'token': 't'}],
    })
    assert created['backends'][0] == EC2_ID and created['clouds'][0] == 'c' * 32
    entries = backends.get('/backends').json()
    expected = [('ec2_us_east', 'online'), ('bare_metal', 'offline'), ('linode', 'online')]
    assert [(e['provider'], e['state']) for e in entries] == expected
    # a bare-metal add names it after its host; a seed's title is a rename after the add
    assert [e['title'] for e in entries][:2] == ['prod', 'rack'] and entries[1]['id'] == BARE_METAL_ID
    assert len(backends.get('/backends/%s/machines' % EC2_ID).json()) == 1
    box = backends.get('/backends/%s/machines' % created['backends'][2]).json()
    assert [(m['name'], m['state'], m['tags'], m['can_start']) for m in box] == [('box', 'stopped', ['x'], True)]
    assert [c['id'] for c in clouds.get('/clouds').json()] == created['clouds']
    assert clouds.get('/clouds/%s/machines' % ('c' * 32)).json() == []
    assert Client(sim.url + '/api/v1', 'a' * 64).get('/ping').json() == {'hello': 'ops@example.com'}
    state = sim.state()
    assert state['backends'][0]['apisecret'] == 'example-secret'  # secrets in the dump, for tests only
    assert 'deploy' in state['keys'] and 'mykey' in state['keys']


@pytest.mark.parametrize('doc, message', [
    ([], 'the body must be a JSON object'),
    ({'colours': []}, "seed: unknown keys ['colours']"),
    ({'backends': [ec2(), ec2()]}, 'backends[1]: 409 Backend exists: %s' % EC2_ID),
    ({'backends': [ec2(apisecret='invalid')]}, 'backends[0]: 401 Invalid backend credentials'),
    ({'backends': [ec2(), {'provider': 'bare_metal', 'machine_ip': 'h', 'machine_key': 'nokey'}]},
     "backends[1]: 404 'Keypair not found: nokey'"),
    ({'clouds': [dict(CLOUD, region='', id='c' * 32)]},
     "clouds[0]: 400 Bad Request: {'msg': \"ValidationError (Cloud.AmazonCloud:%s) (Field is required: "
     "['region'])\", 'errors': {'region': 'Field is required'}}" % ('c' * 32)),
    ({'backends': [ec2(machine_count=-1)]}, 'backends[0]: "machine_count" must be a non-negative integer'),
])
def test_seed_errors_apply_nothing(sim, doc, message):
    status, _headers, text = sim.call('POST', '/_mistsim/seed', doc)
    assert (status, text) == (400, 'Bad Request: ' + message)
    state = sim.state()
    assert state['backends'] == [] and state['clouds'] == []


# latency
def test_latency(sim, backends):
    """The rule delays only what it matches, until it is cleared; the log says which (no upper time bound:
    a busy machine may take long over anything)."""
    sim.latency(0.3, method='GET', path='^/backends$')
    start = time.time()
    backends.get('/backends')
    assert time.time() - start >= 0.3  # a sleep never ends early
    backends.get('/providers')
    assert sim.call('GET', '/_mistsim/latency')[2] != 'null'
    sim.call('POST', '/_mistsim/latency', {})
    backends.get('/backends')
    log = [(r['path'], r['latency_ms']) for r in sim.requests()]
    assert log == [('/backends', 300.0), ('/providers', 0), ('/backends', 0)]
    assert sim.requests()[0]['duration_ms'] >= 300


# faults
def test_status_fault_with_retry_after_and_count(sim, backends):
    rule = sim.fault(method='POST', path='^/backends$', status=503, body='Backend unavailable', retry_after=2, count=2)
    assert rule['count'] == 2 and rule['action'] == 'status'
    for _attempt in range(2):
        response = backends.post('/backends', json=ec2())
        assert_text(response, 503, 'Backend unavailable')
        assert response.headers['Retry-After'] == '2'
    assert sim.state()['backends'] == []
    assert backends.get('/backends').status_code == 200  # GET does not match
    assert backends.post('/backends', json=ec2()).status_code == 200  # count used up
    assert sim.faults() == []


def test_status_fault_defaults_and_html(sim, clouds):
    sim.fault(path='/api/v1/.*', status=502, content_type='text/html', body='<html>Bad gateway</html>')
    response = clouds.get('/clouds')
    assert (response.status_code, response.headers['Content-Type']) == (502, 'text/html')
    sim.clear_faults()
    sim.fault(status=429)
    assert_text(clouds.get('/clouds'), 429, 'Too Many Requests')
    sim.clear_faults()
    assert clouds.get('/clouds').status_code == 200


def test_fault_on_the_machines_of_one_backend(sim, backends):
    backends.post('/backends', json=ec2(apikey='A1'))
    backends.post('/backends', json=ec2(apikey='A2'))
    first, second = [e['id'] for e in backends.get('/backends').json()]
    sim.fault(method='GET', path='/backends/%s/machines' % first, status=503, body='Backend unavailable')
    assert_text(backends.get('/backends/%s/machines' % first), 503, 'Backend unavailable')
    assert backends.get('/backends/%s/machines' % second).status_code == 200
    assert backends.get('/backends/%s/machines' % first).status_code == 503  # until cleared


def test_drop_before_does_not_process(sim, backends):
    sim.fault(action='drop_before', method='POST', path='^/backends$', count=1)
    with pytest.raises(requests.ConnectionError):
        backends.post('/backends', json=ec2())
    assert sim.state()['backends'] == []
    assert [(r['status'], r['fault']) for r in sim.requests()] == [(0, 'drop_before')]
    assert backends.post('/backends', json=ec2()).status_code == 200


def test_drop_after_commits(sim, clouds):
    sim.fault(action='drop_after', method='POST', path='/api/v1/clouds', count=1)
    with pytest.raises(requests.ConnectionError):
        clouds.post('/clouds', json=CLOUD)
    assert [c['name'] for c in clouds.get('/clouds').json()] == ['prod']
    assert sim.writes()[0]['status'] == 0


def test_delay_after_commits_before_the_client_times_out(sim, backends):
    sim.fault(action='delay_after', seconds=1.0, method='POST', path='^/backends$')
    with pytest.raises(requests.Timeout):
        backends.post('/backends', json=ec2(), timeout=0.3)
    assert [b['id'] for b in sim.state()['backends']] == [EC2_ID]
    response = backends.post('/backends', json=ec2(apikey='other'))
    assert response.status_code == 200  # answered, late


def test_first_matching_fault_wins_and_clear(sim, backends):
    sim.fault(method='get', path='/backends', status=500, count=1)
    sim.fault(path='/backends', status=418)
    assert [backends.get('/backends').status_code for _n in range(3)] == [500, 418, 418]
    sim.clear_faults()
    assert backends.get('/backends').status_code == 200


@pytest.mark.parametrize('rule', [
    {'action': 'explode'}, {'status': 'x'}, {'status': 99}, {'path': '('}, {'status': 500, 'count': 0},
    {'action': 'delay_after'}, {'action': 'delay_after', 'seconds': -1},
])
def test_bad_fault_rules(sim, rule):
    status, _headers, _text = sim.call('POST', '/_mistsim/faults', rule)
    assert status == 400 and sim.faults() == []


# request log
def test_request_log(sim, backends, clouds):
    backends.post('/backends', json=ec2())
    backends.get('/backends?x=1')
    Client(sim.url).post('/auth', json={'email': 'demo@mist.local', 'password': 'demo-password'})
    Client(sim.url + '/api/v1').post('/tokens', json={'email': 'demo@mist.local', 'password': 'demo-password'})
    clouds.get('/ping')
    clouds.put('/clouds/nosuch', json={'new_name': 'x1'})
    backends.get('/nowhere')
    sim.state()
    log = sim.requests()
    assert [(r['method'], r['path'], r['status'], r['dialect'], r['write'], r['login']) for r in log] == [
        ('POST', '/backends', 200, 'backends', True, False),
        ('GET', '/backends', 200, 'backends', False, False),
        ('POST', '/auth', 200, 'backends', False, True),
        ('POST', '/api/v1/tokens', 200, 'clouds', False, True),
        ('GET', '/api/v1/ping', 200, 'clouds', False, False),
        ('PUT', '/api/v1/clouds/nosuch', 404, 'clouds', True, False),
        ('GET', '/nowhere', 404, None, False, False),
    ]
    assert all(isinstance(r['time'], float) and r['duration_ms'] >= 0 for r in log)
    assert [w['path'] for w in sim.writes()] == ['/backends', '/api/v1/clouds/nosuch']
    sim.clear_requests()
    assert sim.requests() == []


# HTTP robustness
def test_unknown_paths_and_methods(sim, backends, clouds):
    # Each path answers its server's 404 page (MIST_API.md 1 and 2.2); the admin interface its own.
    assert backends.get('/nowhere').text.startswith('404 Not Found')
    assert backends.get('/backends/').text.startswith('404 Not Found')
    assert clouds.get('/nowhere').text.startswith('<!DOCTYPE html>')
    # MIST_API.md 1 and 2.2: a method a route lacks is a 404 too, never a 405.
    assert backends.patch('/backends', json={}).status_code == 404
    assert backends.request('OPTIONS', '/backends/x').status_code == 404
    assert clouds.get('/clouds/x').status_code == 404
    assert_text(backends.get('/_mistsim/nowhere'), 404, 'Not Found')


def test_body_size_is_bounded(backends):
    assert_text(backends.post('/backends', data=b'x' * (1024 * 1024 + 1)), 413, 'Request Entity Too Large')
    assert backends.get('/backends').status_code == 200  # the server lives on


def test_chunked_body(backends):
    body = iter([b'{"provider": "linode", ', b'"apikey": "k", "apisecret": "k"}'])
    assert backends.post('/backends', data=body).status_code == 200


@pytest.mark.parametrize('payload', [
    b'GARBAGE\r\n\r\n',
    b'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
    b'\x00\x01\x02\r\n\r\n',
])
def test_garbage_requests_get_a_plain_text_answer(sim, backends, payload):
    parsed = urllib.parse.urlsplit(sim.url)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=5) as conn:
        conn.sendall(payload)
        answer = conn.recv(65536)
    assert answer.startswith(b'HTTP/1.') and b' 400 ' in answer.split(b'\r\n')[0]
    assert b'text/plain' in answer
    assert backends.get('/backends').status_code == 200


@pytest.mark.parametrize('body', [b'\xff\xfe', b'null', b'{"provider": 5}', b'{"provider": "linode", "apikey": []}'])
def test_odd_json_on_backends_add(sim, body):
    status, headers, _text = raw(sim.url, 'POST', '/backends', body=body)
    assert status in (400, 500) and headers['Content-Type'].startswith('text/html')


def test_json_content_type(backends, clouds):
    assert backends.get('/backends').headers['Content-Type'] == 'application/json'
    assert clouds.get('/clouds').headers['Content-Type'] == 'application/json'
    assert backends.delete('/backends/x').headers['Content-Type'].startswith('text/html')
