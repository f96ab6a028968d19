# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The command line: startup line, signals, dialect selection, --db persistence, seeding."""

import json
import os
import signal
import subprocess
import sys

import pytest

from mistsim.harness import TESTS_DIR, Simulator
from mistsim.tests.util import Client, assert_text, ec2

SEED_EXAMPLE = os.path.join(TESTS_DIR, 'mistsim', 'seed_example.json')
LOGIN = {'email': 'demo@mist.local', 'password': 'demo-password'}


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGINT])
def test_prints_url_first_and_exits_0_on_signal(signum):
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.Popen([sys.executable, '-m', 'mistsim', '--port', '0'], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    try:
        url = proc.stdout.readline().decode().strip()
        assert url.startswith('http://127.0.0.1:') and int(url.rsplit(':', 1)[1]) > 0
        assert Client(url).get('/backends').json() == []
        proc.send_signal(signum)
        assert proc.wait(10) == 0
        assert proc.stderr.read() == b''
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_harness_stop_is_clean():
    simulator = Simulator().start()
    proc = simulator.proc
    assert simulator.stop() == 0 and proc.poll() == 0 and simulator.url is None


def test_backends_only():
    with Simulator(dialects='backends') as sim:
        not_found = '404 Not Found\n\nThe resource could not be found.\n\n\n'   # pyramid's, from mist.io
        assert_text(Client(sim.url).get('/api/v1/ping'), 404, not_found)
        assert_text(Client(sim.url).post('/api/v1/tokens', json=LOGIN), 404, not_found)
        assert Client(sim.url).get('/backends').status_code == 200


def test_clouds_only(mistsim_token):
    with Simulator(dialects=['clouds']) as sim:
        for path in ('/backends', '/providers'):
            response = Client(sim.url).get(path)   # mist.api's UI page
            assert response.status_code == 404 and response.text.startswith('<!DOCTYPE html>')
        assert Client(sim.url).post('/backends', json={}).text == 'Invalid csrf token\n'
        assert Client(sim.url + '/api/v1', mistsim_token).get('/ping').status_code == 200


def test_restart_with_the_same_db_keeps_state(tmp_path):
    db = str(tmp_path / 'state.db')
    with Simulator(db=db, token=None) as sim:
        token = Client(sim.url + '/api/v1').post('/tokens', json=dict(LOGIN, ttl=0)).json()['token']
        clouds = Client(sim.url + '/api/v1', token)
        cloud = clouds.post('/clouds', json={'name': 'do1', 'provider': 'digitalocean', 'token': 't'}).json()
        deleted = clouds.post('/clouds', json={'name': 'gone', 'provider': 'linode', 'apikey': 'k'}).json()
        clouds.delete('/clouds/' + deleted['id'])
        backends = Client(sim.url)
        backends.post('/backends', json=ec2())
        backend_id = backends.get('/backends').json()[0]['id']
        backends.post('/backends/' + backend_id, json={'new_state': '0'})
        before = (backends.get('/backends').json(), backends.get('/backends/%s/machines' % backend_id).json(),
                  clouds.get('/clouds').json(), clouds.get('/clouds/%s/machines' % cloud['id']).json())
    with Simulator(db=db, token=None) as sim:
        clouds = Client(sim.url + '/api/v1', token)
        backends = Client(sim.url)
        after = (backends.get('/backends').json(), backends.get('/backends/%s/machines' % backend_id).json(),
                 clouds.get('/clouds').json(), clouds.get('/clouds/%s/machines' % cloud['id']).json())
        assert after == before
        assert clouds.delete('/clouds/' + deleted['id']).status_code == 404


def test_seed_file_is_applied_once_per_database(tmp_path):
    db = str(tmp_path / 'state.db')
    for _start in range(2):
        with Simulator(db=db, seed=SEED_EXAMPLE) as sim:
            entries = Client(sim.url).get('/backends').json()
            assert [e['title'] for e in entries] == ['production', 'staging', 'lab', 'old-openstack']
            assert [e['state'] for e in entries] == ['online', 'online', 'online', 'offline']
            machines = Client(sim.url).get('/backends/%s/machines' % entries[0]['id']).json()
            assert len(machines) == 4
            ops = Client(sim.url + '/api/v1', '0123456789abcdef' * 4)
            assert [c['name'] for c in ops.get('/clouds').json()] == ['production', 'docker-host', 'lab']
            assert ops.get('/clouds').json()[0]['id'] == '0123456789abcdef0123456789abcdef'


@pytest.mark.parametrize('doc', [{'backends': [ec2(apisecret='invalid')]}, 'not json'])
def test_bad_seed_exits_2(tmp_path, doc):
    seed = tmp_path / 'seed.json'
    seed.write_text(json.dumps(doc) if isinstance(doc, dict) else doc)
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    result = subprocess.run([sys.executable, '-m', 'mistsim', '--seed', str(seed)], capture_output=True, env=env,
                            timeout=20, check=False)
    assert result.returncode == 2 and result.stdout == b''
    assert b'cannot apply seed' in result.stderr


def test_machines_per_backend_users_and_tokens():
    with Simulator(machines_per_backend=5, users=['ops@example.com:pw', 'dev@example.com:pw2'], token='b' * 64) as sim:
        backends = Client(sim.url)
        backends.post('/backends', json=ec2())
        backend_id = backends.get('/backends').json()[0]['id']
        assert len(backends.get('/backends/%s/machines' % backend_id).json()) == 5
        assert Client(sim.url + '/api/v1', 'b' * 64).get('/ping').json() == {'hello': 'ops@example.com'}
        tokens = Client(sim.url + '/api/v1')
        assert tokens.post('/tokens', json={'email': 'dev@example.com', 'password': 'pw2'}).status_code == 200
        assert tokens.post('/tokens', json=LOGIN).status_code == 401  # no default user when --user is given


@pytest.mark.parametrize('args', [['--dialects', 'nope'], ['--user', 'no-colon']])
def test_bad_arguments(args):
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    result = subprocess.run([sys.executable, '-m', 'mistsim'] + args, capture_output=True, env=env, timeout=20, check=False)
    assert result.returncode == 2 and result.stdout == b''


def test_exit_after_commits_then_the_process_dies_and_restarts_on_the_same_port(tmp_path):
    """Fault exit_after (a crash after a commit): no answer, exit code 3; restart() keeps url and state."""
    with Simulator(db=str(tmp_path / 'state.db')) as sim:
        url = sim.url
        sim.fault(action='exit_after', method='POST', path='^/backends$')
        with pytest.raises(Exception):
            Client(sim.url).post('/backends', json=ec2())
        sim.proc.wait(10)
        assert sim.exited() and sim.proc.returncode == 3
        sim.restart()
        assert sim.url == url
        assert len(Client(sim.url).get('/backends').json()) == 1
        assert sim.faults() == []


# The era switch (MIST_API.md section 0; tests/mistsim/README.md "Eras")
@pytest.mark.parametrize('argument, expected', [
    (None, {'backends': 'B1', 'clouds': 'C3'}),
    ('backends=B2,clouds=C1', {'backends': 'B2', 'clouds': 'C1'}),
    ('c1', {'backends': 'B1', 'clouds': 'C1'}),
    ('B2', {'backends': 'B2', 'clouds': 'C3'}),
])
def test_era_option(argument, expected):
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    argv = [sys.executable, '-m', 'mistsim', '--port', '0'] + (['--era', argument] if argument else [])
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        url = proc.stdout.readline().decode().strip()
        assert Client(url).get('/_mistsim/era').json() == expected
    finally:
        proc.terminate()
        proc.wait(10)
        proc.stdout.close()
        proc.stderr.close()


@pytest.mark.parametrize('argument', ['B3', 'clouds=B1', 'B1,B2', 'backends=C3'])
def test_bad_era_exits_2(argument):
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    proc = subprocess.run([sys.executable, '-m', 'mistsim', '--port', '0', '--era', argument],
                          capture_output=True, env=env, timeout=30, check=False)
    assert proc.returncode == 2 and b'--era' in proc.stderr and proc.stdout == b''


def test_harness_passes_the_era():
    with Simulator(era='backends=B2,clouds=C1') as sim:
        assert sim.eras == {'backends': 'B2', 'clouds': 'C1'} == sim.era()


@pytest.mark.parametrize('mist_era, expected', [
    (None, {'backends': 'B1', 'clouds': 'C3'}),
    ('B2', {'backends': 'B2', 'clouds': 'C3'}),
    ('C1', {'backends': 'B1', 'clouds': 'C1'}),
    ('B2,C1', {'backends': 'B2', 'clouds': 'C1'}),
])
def test_sim_fixture_speaks_mist_era(sim, mist_era, expected, request):
    if request.config.getoption('--mist-era'):
        pytest.skip('the run chose another default era')
    assert sim.eras == expected == sim.era()


def test_mistsim_for_reuses_one_process_per_era(mistsim_for):
    assert mistsim_for('C1') is mistsim_for('clouds=C1')
    assert mistsim_for('C1') is not mistsim_for('B2')
