# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plan_changes and friends: every action, the no-op, secrets, both dialects."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import pytest

from ansible_collections.mistio.cloud.plugins.module_utils import reconcile as rc
from ansible_collections.mistio.cloud.plugins.module_utils.client import Transport
from ansible_collections.mistio.cloud.plugins.module_utils.dialects import DIALECT_CLASSES
from ansible_collections.mistio.cloud.plugins.module_utils.providers import provider_table
from ansible_collections.mistio.cloud.plugins.module_utils.reconcile import PlanError, plan_changes, action_names

EC2_SECRETS = ('apisecret',)


def ec2(dialect, **over):
    backend = {
        'id': '282anRybLn34tNGugwCNK7oCisfY' if dialect == 'backends' else 'a' * 32,
        'name': 'prod', 'provider': 'ec2', 'region': 'us-east-1', 'enabled': True, 'state': 'online',
        'credentials': {'apikey': 'AKIAEXAMPLE'},
    }
    backend.update(over)
    return backend


def want(**over):
    desired = {'name': 'prod', 'provider': 'ec2', 'region': 'us-east-1', 'enabled': None,
               'credentials': {'apikey': 'AKIAEXAMPLE', 'apisecret': 's3cr3t-value'}}
    desired.update(over)
    return desired


def caps(dialect):
    """The dialect object, read by the plan for its capabilities only."""
    return DIALECT_CLASSES[dialect](Transport('https://mist.example'), providers=provider_table())


def plan(desired, current, dialect, **kw):
    kw.setdefault('secret_fields', EC2_SECRETS)
    return plan_changes(desired, current, caps(dialect), **kw)


DIALECTS = ('backends', 'clouds')


# --- lookup -----------------------------------------------------------------

def test_select_by_exact_name_never_substring():
    backends = [ec2('clouds', name='production', id='1'), ec2('clouds', name='prod2', id='2')]
    assert rc.select_backend(backends, name='prod') is None
    assert rc.select_backend(backends, name='production')['id'] == '1'


def test_select_by_id_wins_over_name():
    backends = [ec2('clouds', name='a', id='1'), ec2('clouds', name='b', id='2')]
    assert rc.select_backend(backends, backend_id='2', name='a')['id'] == '2'
    assert rc.select_backend(backends, backend_id='3', name='a') is None


def test_select_several_with_one_name_lists_ids():
    backends = [ec2('backends', id='x1'), ec2('backends', id='x2'), ec2('backends', name='other', id='x3')]
    with pytest.raises(PlanError) as err:
        rc.select_backend(backends, name='prod')
    assert 'x1, x2' in str(err.value) and 'x3' not in str(err.value) and 'id:' in str(err.value)


# --- no-op ------------------------------------------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_noop_when_everything_matches(dialect):
    assert plan(want(), ec2(dialect), dialect) == []
    assert plan(want(enabled=True), ec2(dialect), dialect) == []


@pytest.mark.parametrize('dialect', DIALECTS)
def test_omitted_fields_are_not_managed(dialect):
    desired = {'name': 'prod', 'provider': None, 'region': None, 'enabled': None, 'credentials': {}}
    assert plan(desired, ec2(dialect, enabled=False), dialect) == []


@pytest.mark.parametrize('dialect', DIALECTS)
def test_secret_is_not_compared_on_create_mode(dialect):
    desired = want(credentials={'apikey': 'AKIAEXAMPLE', 'apisecret': 'a-different-secret'})
    assert plan(desired, ec2(dialect), dialect) == []


def test_values_compare_as_stripped_strings():
    current = ec2('clouds', provider='bare_metal', region=None, credentials={'host': '10.0.0.1', 'ssh_port': 22})
    desired = {'name': 'prod', 'provider': 'bare_metal', 'region': None, 'enabled': None,
               'credentials': {'host': '10.0.0.1', 'ssh_port': '22'}}
    assert plan(desired, current, 'clouds', secret_fields=()) == []


# --- create / delete -------------------------------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_create_when_missing(dialect):
    actions = plan(want(), None, dialect)
    assert action_names(actions) == ['create']
    assert actions[0]['credentials'] == {'apikey': 'AKIAEXAMPLE', 'apisecret': 's3cr3t-value'}


@pytest.mark.parametrize('dialect', DIALECTS)
def test_create_disabled_is_create_then_disable(dialect):
    assert action_names(plan(want(enabled=False), None, dialect)) == ['create', 'disable']
    assert action_names(plan(want(enabled=True), None, dialect)) == ['create']


@pytest.mark.parametrize('dialect', DIALECTS)
def test_absent(dialect):
    assert plan(want(), ec2(dialect), dialect, state='absent') == [{'action': 'delete', 'id': ec2(dialect)['id']}]
    assert plan(want(), None, dialect, state='absent') == []


# --- rename / toggle -------------------------------------------------------

@pytest.mark.parametrize('dialect', DIALECTS)
def test_rename_enable_disable(dialect):
    assert action_names(plan(want(name='new'), ec2(dialect), dialect)) == ['rename']
    assert plan(want(name='new'), ec2(dialect), dialect)[0]['name'] == 'new'
    assert action_names(plan(want(enabled=False), ec2(dialect), dialect)) == ['disable']
    assert action_names(plan(want(enabled=True), ec2(dialect, enabled=False), dialect)) == ['enable']
    assert action_names(plan(want(name='new', enabled=False), ec2(dialect), dialect)) == ['rename', 'disable']


@pytest.mark.parametrize('dialect', DIALECTS)
def test_name_none_keeps_current_name(dialect):
    assert plan(want(name=None), ec2(dialect), dialect) == []


# --- credentials: clouds ---------------------------------------------------

def test_clouds_identity_change_patches_only_what_differs():
    desired = want(credentials={'apikey': 'AKIANEW', 'apisecret': 'x'})
    actions = plan(desired, ec2('clouds'), 'clouds')
    assert action_names(actions) == ['update_credentials']
    assert actions[0]['fields'] == {'apikey': 'AKIANEW'}


def test_clouds_region_change_is_a_patch():
    actions = plan(want(region='eu-west-1'), ec2('clouds'), 'clouds')
    assert action_names(actions) == ['update_credentials']
    assert actions[0]['fields'] == {'region': 'eu-west-1'}


def test_clouds_secret_sent_only_with_always():
    assert plan(want(), ec2('clouds'), 'clouds', update_credentials='on_create') == []
    actions = plan(want(), ec2('clouds'), 'clouds', update_credentials='always')
    assert action_names(actions) == ['update_credentials']
    assert actions[0]['fields'] == {'apisecret': 's3cr3t-value'}


def test_clouds_always_without_secret_given_is_noop():
    assert plan(want(credentials={'apikey': 'AKIAEXAMPLE'}), ec2('clouds'), 'clouds', update_credentials='always') == []


def test_clouds_unshown_nonsecret_field_is_a_change():
    current = ec2('clouds', provider='openstack', region=None, credentials={'username': 'u', 'url': 'https://k', 'tenant': 't'})
    desired = {'name': 'prod', 'provider': 'openstack', 'region': None, 'enabled': None,
               'credentials': {'username': 'u', 'password': 'p', 'url': 'https://k', 'tenant': 't', 'domain': 'd'}}
    actions = plan(desired, current, 'clouds', secret_fields=('password',))
    assert actions == [{'action': 'update_credentials', 'id': current['id'], 'fields': {'domain': 'd'}, 'provider': 'openstack',
                        'changed': ['domain']}]


def test_clouds_rename_patch_and_toggle_together():
    desired = want(name='new', enabled=False, credentials={'apikey': 'AKIANEW'})
    assert action_names(plan(desired, ec2('clouds'), 'clouds')) == ['rename', 'update_credentials', 'disable']


def test_clouds_provider_change_refused():
    with pytest.raises(PlanError, match='cannot change'):
        plan(want(provider='gce'), ec2('clouds'), 'clouds')


def test_clouds_ignores_allow_replace():
    desired = want(credentials={'apikey': 'AKIANEW'})
    assert action_names(plan(desired, ec2('clouds'), 'clouds', allow_replace=True)) == ['update_credentials']


# --- credentials: backends -------------------------------------------------

def test_backends_identity_change_refused_with_explanation():
    desired = want(credentials={'apikey': 'AKIANEW', 'apisecret': 'x'})
    with pytest.raises(PlanError) as err:
        plan(desired, ec2('backends'), 'backends', new_id='NEWID')
    text = str(err.value)
    assert 'allow_replace_with_new_id: true' in text and 'apikey' in text and 'NEWID' in text
    assert '282anRybLn34tNGugwCNK7oCisfY' in text
    assert 'x' not in text.split() and 'AKIANEW' not in text


def test_backends_identity_change_replaces_when_allowed():
    desired = want(name='renamed', credentials={'apikey': 'AKIANEW', 'apisecret': 'x'})
    actions = plan(desired, ec2('backends'), 'backends', allow_replace=True, new_id='NEWID')
    assert action_names(actions) == ['replace']
    assert actions[0]['id'] == '282anRybLn34tNGugwCNK7oCisfY'
    assert actions[0]['name'] == 'renamed' and actions[0]['new_id'] == 'NEWID'
    assert actions[0]['changed'] == ['apikey']


def test_backends_replace_keeps_disabled_state():
    desired = want(credentials={'apikey': 'AKIANEW', 'apisecret': 'x'})
    actions = plan(desired, ec2('backends', enabled=False), 'backends', allow_replace=True, new_id='N')
    assert action_names(actions) == ['replace', 'disable']
    assert actions[1]['id'] == 'N'
    actions = plan(dict(desired, enabled=True), ec2('backends', enabled=False), 'backends', allow_replace=True)
    assert action_names(actions) == ['replace']


def test_backends_region_change_needs_replace():
    with pytest.raises(PlanError, match='region'):
        plan(want(region='eu-west-1'), ec2('backends'), 'backends')
    assert action_names(plan(want(region='eu-west-1'), ec2('backends'), 'backends', allow_replace=True)) == ['replace']


def test_backends_secret_with_always_refused_even_with_replace():
    for allow in (False, True):
        with pytest.raises(PlanError) as err:
            plan(want(), ec2('backends'), 'backends', update_credentials='always', allow_replace=allow)
        assert 'same id' in str(err.value) and 's3cr3t-value' not in str(err.value)


def test_backends_unshown_fields_are_not_compared():
    current = ec2('backends', provider='openstack', region=None, credentials={'username': 'u'})
    desired = {'name': 'prod', 'provider': 'openstack', 'region': None, 'enabled': None,
               'credentials': {'username': 'u', 'password': 'p', 'url': 'https://k', 'tenant': 't'}}
    assert plan(desired, current, 'backends', secret_fields=('password',)) == []


def test_backends_rename_and_toggle_need_no_replace():
    actions = plan(want(name='x', enabled=False), ec2('backends'), 'backends')
    assert action_names(actions) == ['rename', 'disable']


# --- predict / diff --------------------------------------------------------

def test_predict_create_has_no_secret():
    after = rc.predict(None, plan(want(), None, 'backends', new_id='ID'), EC2_SECRETS)
    assert after == {'id': 'ID', 'name': 'prod', 'provider': 'ec2', 'region': 'us-east-1', 'enabled': True,
                     'state': None, 'credentials': {'apikey': 'AKIAEXAMPLE'}}


def test_predict_rename_disable_patch():
    desired = want(name='new', enabled=False, credentials={'apikey': 'AKIANEW', 'apisecret': 'zz'})
    actions = plan(desired, ec2('clouds'), 'clouds', update_credentials='always')
    after = rc.predict(ec2('clouds'), actions, EC2_SECRETS)
    assert after['name'] == 'new' and after['enabled'] is False
    assert after['credentials'] == {'apikey': 'AKIANEW'}
    assert 'zz' not in repr(after)


def test_predict_delete_and_noop():
    assert rc.predict(ec2('clouds'), [{'action': 'delete', 'id': 'x'}]) is None
    assert rc.predict(ec2('clouds'), []) == ec2('clouds')


def test_diff_before_after_create_and_delete():
    after = rc.predict(None, plan(want(), None, 'clouds'), EC2_SECRETS)
    d = rc.diff(None, after, EC2_SECRETS)
    assert d['before'] == {}
    assert d['after'] == {'name': 'prod', 'provider': 'ec2', 'region': 'us-east-1', 'enabled': True,
                          'credentials': {'apikey': 'AKIAEXAMPLE'}}
    d = rc.diff(ec2('clouds'), None)
    assert d['after'] == {} and d['before']['id'] == 'a' * 32 and 'state' not in d['before']


def test_unknown_state():
    with pytest.raises(PlanError):
        plan_changes(want(), None, caps('clouds'), state='gone')


def test_after_action_is_what_check_mode_and_the_real_run_share():
    added = {'id': 'SERVER-ID', 'name': 'prod', 'provider': 'ec2', 'region': 'us-east-1', 'enabled': True, 'state': 'online',
             'credentials': {'apikey': 'AKIAEXAMPLE'}}
    create = plan(want(), None, 'clouds')[0]
    assert rc.after_action(None, create, EC2_SECRETS)['id'] is None
    assert rc.after_action(None, create, EC2_SECRETS, added=added) == added
    renamed = rc.after_action(added, {'action': 'rename', 'id': 'SERVER-ID', 'name': 'n2'})
    assert renamed['name'] == 'n2' and added['name'] == 'prod'


def test_clouds_bare_metal_is_never_patched():
    # The server lists no field of a bare-metal cloud (its host is on its machine): nothing to diff, no PATCH.
    current = ec2('clouds', provider='bare_metal', region=None, credentials={})
    desired = {'name': 'prod', 'provider': 'bare_metal', 'region': None, 'enabled': None, 'credentials': {'host': '10.0.0.2'}}
    assert plan(desired, current, 'clouds', secret_fields=()) == []
    assert action_names(plan(dict(desired, name='new'), current, 'clouds', secret_fields=())) == ['rename']
    with pytest.raises(PlanError, match='cannot update the host of a bare_metal backend in place'):
        plan(desired, current, 'clouds', secret_fields=(), update_credentials='always')


def test_the_plan_reads_capabilities_never_a_dialect_name():
    import ansible_collections.mistio.cloud.plugins.module_utils.reconcile as plan_module
    source = open(plan_module.__file__).read()
    for name in ("'backends'", "'clouds'", '.name ==', 'BACKENDS', 'CLOUDS'):
        assert name not in source


def test_backends_bare_metal_replace_renames_the_new_backend_titled_by_its_host():
    """A backends server titles a new bare-metal backend by its host, on a replace as on a create."""
    current = ec2('backends', provider='bare_metal', region=None, credentials={})
    desired = {'name': 'lab', 'provider': 'bare_metal', 'region': None, 'enabled': None,
               'credentials': {'host': '10.20.0.10', 'ssh_user': 'ubuntu', 'ssh_key': 'ops-key'}, 'new_ids': ['NEW']}
    actions = plan(desired, current, 'backends', secret_fields=(), allow_replace=True, new_id='NEW')
    assert action_names(actions) == ['replace', 'rename']
    assert actions[0]['name'] == '10.20.0.10' and actions[1] == {'action': 'rename', 'id': 'NEW', 'name': 'lab'}


def test_backends_replace_that_keeps_the_id_is_refused():
    """A changed field outside the id (B2 lists a Docker port): the new backend would be the old id, a 409."""
    current = ec2('backends', id='SAME', provider='docker', region=None, credentials={'port': 2375})
    desired = {'name': 'prod', 'provider': 'docker', 'region': None, 'enabled': None,
               'credentials': {'host': 'http://10.20.0.5', 'port': 2376}}
    b2 = caps('backends')
    b2.era = 'B2'
    with pytest.raises(PlanError, match='no endpoint to update its port.*same id'):
        plan_changes(desired, current, b2, secret_fields=(), allow_replace=True, new_id='SAME')
    b2.era = 'B1'  # B1 never lists the port: nothing to compare, nothing planned
    assert plan_changes(desired, current, b2, secret_fields=(), allow_replace=True, new_id='SAME') == []
