# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fault matrix: every write of mist_backend under every fault, in both dialects.

Operations: create, rename, toggle (disable), credential update (clouds: a PATCH of the
secret; backends: a replace, the only way that dialect has), delete.
Faults on the operation's write (once): the server commits and the connection drops;
503 then success; 429 with Retry-After; the server commits and dies, and comes back on the
same database; the server commits but answers after the client's timeout.
Both dialects, in every era the simulator speaks (B1, B2, C1, C3). Each case asserts the contract: the task succeeds, reports changed: true (it did change
the server), the final state is the one asked for with no duplicate, and a re-run changes
nothing (with update_credentials: on_create).
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import threading

import pytest

from mistsim.harness import DEFAULT_TOKEN, Simulator

from ansible_collections.mistio.cloud.plugins.modules import mist_backend

import backend_tasks

pytestmark = pytest.mark.slow

SECRET_ONE = 'matrix-secret-one-0001'
SECRET_TWO = 'matrix-secret-two-0002'
TIMEOUT = 2

# (method, path regex) of each operation's write, per dialect.
WRITES = {
    'create': {'backends': ('POST', '^/backends$'), 'clouds': ('POST', '^/api/v1/clouds$')},
    'rename': {'backends': ('PUT', '^/backends/.+'), 'clouds': ('PUT', '^/api/v1/clouds/.+')},
    'toggle': {'backends': ('POST', '^/backends/.+'), 'clouds': ('POST', '^/api/v1/clouds/.+')},
    'credentials': {'backends': ('POST', '^/backends$'), 'clouds': ('PATCH', '^/api/v1/clouds/.+')},
    'delete': {'backends': ('DELETE', '^/backends/.+'), 'clouds': ('DELETE', '^/api/v1/clouds/.+')},
}
FAULTS = {
    'drop_after_commit': {'action': 'drop_after'},
    '503_then_ok': {'status': 503, 'body': 'Service Unavailable'},
    '429_retry_after': {'status': 429, 'body': 'Too Many Requests', 'retry_after': 1},
    'restart': {'action': 'exit_after'},
    'timeout': {'action': 'delay_after', 'seconds': TIMEOUT + 1},
}


# Two processes cover every era the simulator speaks: each speaks one backends and one clouds era.
ERA_PAIRS = ['backends=B1,clouds=C1', 'backends=B2,clouds=C3']


@pytest.fixture(scope='module', params=ERA_PAIRS)
def matrix_sim(request, tmp_path_factory):
    """A simulator of its own (the restart fault kills it) on a file database, in one pair of eras."""
    with Simulator(db=str(tmp_path_factory.mktemp('matrix') / 'state.db'), era=request.param) as sim:
        yield sim


@pytest.fixture
def server(matrix_sim):
    """The simulator, emptied; a watcher brings it back on the same port and database when it dies."""
    matrix_sim.clean()
    stop = threading.Event()

    def watch():
        while not stop.wait(0.05):
            if matrix_sim.exited():
                matrix_sim.restart()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    yield matrix_sim
    stop.set()
    watcher.join()
    if matrix_sim.exited() or matrix_sim.proc is None:
        matrix_sim.restart()
    matrix_sim.clear_faults()


def params(dialect, name='mx', apikey='AKIAMATRIXONE', secret=SECRET_ONE, **extra):
    return backend_tasks.ec2(dialect, name=name, apikey=apikey, secret=secret, **extra)


def live(server, dialect):
    state = server.state()
    if dialect == 'backends':
        return state['backends']
    return [c for c in state['clouds'] if not c.get('deleted')]


def name_of(entry):
    return entry.get('title') or entry.get('name')


def operation(op, dialect, created):
    """The task's parameters and a check of the final state (a list of live entries)."""
    if op == 'create':
        return params(dialect), lambda entries: [name_of(e) for e in entries] == ['mx']
    if op == 'rename':
        return {'id': created['id'], 'name': 'mx-renamed'}, lambda entries: [name_of(e) for e in entries] == ['mx-renamed']
    if op == 'toggle':
        return params(dialect, enabled=False), lambda entries: len(entries) == 1 and entries[0]['enabled'] in (False, 0)
    if op == 'credentials':
        if dialect == 'clouds':
            return (params(dialect, secret=SECRET_TWO, update_credentials='always'),
                    lambda entries: len(entries) == 1 and entries[0]['fields']['apisecret'] == SECRET_TWO)
        return (params(dialect, apikey='AKIAMATRIXTWO', allow_replace_with_new_id=True),
                lambda entries: [(name_of(e), e['apikey']) for e in entries] == [('mx', 'AKIAMATRIXTWO')])
    return dict(name='mx', state='absent'), lambda entries: entries == []


@pytest.mark.parametrize('dialect', ['backends', 'clouds'])
@pytest.mark.parametrize('fault', sorted(FAULTS))
@pytest.mark.parametrize('op', sorted(WRITES))
def test_fault_matrix(server, run_module, op, fault, dialect):
    base = {'url': server.url, 'api_token': DEFAULT_TOKEN, 'api_version': dialect, 'retries': 5, 'timeout': TIMEOUT}
    created = None
    if op != 'create':
        first = run_module(mist_backend.main, dict(base, **params(dialect)))
        assert not first.failed, first.result
        created = first.result['backend']
    task, final_state_ok = operation(op, dialect, created)
    method, path = WRITES[op][dialect]
    server.fault(method=method, path=path, count=1, **FAULTS[fault])

    outcome = run_module(mist_backend.main, dict(base, **task))
    assert not outcome.failed, outcome.result
    assert outcome.changed is True, outcome.result
    entries = live(server, dialect)
    assert final_state_ok(entries), entries
    names = [name_of(e) for e in entries]
    assert len(names) == len(set(names)), 'duplicate backend: %s' % names
    assert SECRET_ONE not in outcome.output and SECRET_TWO not in outcome.output

    # update_credentials: always sends the secret on every run (it cannot be read back).
    task.pop('update_credentials', None)
    again = run_module(mist_backend.main, dict(base, **task))
    assert not again.failed and again.changed is False, again.result
