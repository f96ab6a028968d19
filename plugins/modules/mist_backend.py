#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mist_backend
short_description: Declare a Mist backend (cloud account) and get exactly that
version_added: 0.1.0
description:
  - Adds, updates, renames, enables, disables and removes a backend of a Mist server, the cloud account
    (EC2, Rackspace, OpenStack, GCE, DigitalOcean, Linode, Docker, bare metal, ...) Mist adds machines from.
    Mist 3 and later call backends clouds; this collection calls them backends in both API dialects.
  - The backend is found exactly, by O(id), else by O(name). Several backends with that name fail the task
    with their ids listed; the module never guesses and never matches a substring.
  - Only what differs is changed (a rename, an enable or disable, the non-secret credential fields such as the
    region, an access key id, a username or a URL), so a second identical run reports no change and sends no write.
  - Secrets cannot be read back from Mist, so they are only sent when a backend is added, or with
    O(update_credentials=always); then the task always reports a change.
  - The C(backends) dialect (mist.io 0.9) has no way to update a backend, and derives the backend id from its
    provider, region and key. A change of those fails with an explanation, unless O(allow_replace_with_new_id=true)
    allows the module to add a new backend with the new credentials and then delete the old one.
  - "Eras: the module works with every Mist release it knows (MIST_API.md eras B1, B2, C1, C3) and learns which one
    it talks to from the server's answers. A C(clouds) add sends C(name); a Mist CE release of 2017-2021 that asks for
    C(title) instead gets the same add again with C(title) (it refused the first one before writing anything)."
  - "Only the credential fields the server lists back are compared, per provider and era: a field that is never listed
    (a secret, the host of a bare-metal or libvirt cloud, which lives on its machine, most C(backends) fields other than
    C(apikey)) is never diffed and never causes an update."
  - "Docker on a C(backends) server: the server never lists a Docker backend's host, and lists its port only from
    2015 (era B2). The backend's id follows its provider, name and host, so while the backend keeps the name it was
    added with, the id confirms the declared host; otherwise (another host, or a rename since the add) the task
    warns that it cannot tell whether the host changed, and changes nothing for it. A port change needs a new
    backend with the same id, which the server refuses: the task fails and says to remove and add it again."
  - "Bare metal: a C(backends) server titles a new bare-metal backend by its host, so the module renames it to O(name)
    in the same task, and finds such a backend by the id its host computes when no backend has the name. A C(clouds)
    server cannot update a bare-metal (or libvirt) cloud: it is never sent a C(PATCH), and O(update_credentials=always)
    for one fails with an explanation."
  - "Safe create: when an add fails in a way that leaves its outcome unknown (timeout, dropped connection, 5xx) or with
    a 409, the module lists the backends again and only adds once more if the backend is not there, so there is one
    backend in every case. A backend that appeared through a definite 409 (someone else added it meanwhile) is
    adopted with a warning, and the task reports C(changed) only for what it then had to change on it."
  - "A delete whose answer was lost (the connection dropped, the server restarted, the answer came after O(timeout))
    is retried; the 404 that follows means the lost attempt deleted the backend, so the task reports C(changed)."
author:
  - mistio.cloud developers (@mistio)
extends_documentation_fragment:
  - mistio.cloud.connection
  - mistio.cloud.attributes
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The plan is computed and reported in RV(actions) and RV(backend); no write is sent to the server.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: Shows the name, provider, region, enabled flag and non-secret credential fields before and after. Never a secret.
options:
  name:
    description:
      - The backend's name (its C(title) on a C(backends) server).
      - Without O(id), the backend is looked up by exactly this name.
      - With O(id), the name the backend should have (a rename).
      - Required unless O(id) is given. A C(clouds) server keeps names unique, strips leading and trailing spaces
        (so does the module before comparing) and allows only ASCII letters, numbers, dashes, underscores, spaces
        and dots, starting and ending with a letter or number; the module refuses any other name before any
        write, in check mode too.
    type: str
  id:
    description:
      - Look the backend up by exactly this id instead of by name; O(name) then renames it.
      - Use it when several backends share a name (possible on a C(backends) server).
      - A backend cannot be created with a given id (the server assigns ids); with O(state=present) an unknown id fails.
    type: str
  provider:
    description:
      - The provider, as a canonical id (V(ec2), V(rackspace), V(openstack), V(gce), V(digitalocean), V(linode),
        V(docker), V(bare_metal), ...), an alias (V(aws), V(google), V(other), ...) or a C(backends)-era provider id
        that names a region (V(ec2_us_east), V(rackspace:lon)).
      - An unknown provider fails with the valid ones listed.
      - Required to add a backend. For an existing backend it is compared; a different provider is a change of
        identity (see O(allow_replace_with_new_id)).
    type: str
  region:
    description:
      - The provider's region, when O(provider) does not carry it (V(us-east-1) for EC2, V(lon) for Rackspace).
      - Omitted, the region of an existing backend is left alone.
    type: str
  credentials:
    description:
      - The provider's credential fields. Which ones a provider takes, and which it requires, come from the
        collection's provider catalogue (see M(mistio.cloud.mist_provider_info)).
      - A field the provider does not take fails the task naming it; a missing required field fails when the
        backend is added.
      - Secret fields are never shown, compared or returned; they are sent when the backend is added, or on every
        run with O(update_credentials=always).
      - Note that C(apikey) is a secret for Rackspace, Linode, SoftLayer and Vultr, so it is marked C(no_log)
        and Ansible masks its value everywhere in the output, including the EC2 access key id.
    type: dict
    suboptions:
      apikey:
        description:
          - EC2 access key id (not secret there, compared); the API key of Rackspace, Linode, SoftLayer and Vultr (secret).
        type: str
      apisecret:
        description: EC2 secret access key. Secret.
        type: str
      username:
        description: User name for Rackspace, OpenStack, HP Cloud, NephoScale, SoftLayer, vSphere and libvirt.
        type: str
      password:
        description: Password for OpenStack, HP Cloud, NephoScale and vSphere. Secret.
        type: str
      url:
        description: OpenStack (and HP Cloud) identity URL.
        type: str
      tenant:
        description: OpenStack (and HP Cloud) tenant (project) name.
        type: str
      compute_endpoint:
        description: OpenStack compute endpoint, when it is not found through the identity service.
        type: str
      domain:
        description: OpenStack domain (C(clouds) dialect only).
        type: str
      email:
        description: GCE service-account email.
        type: str
      private_key:
        description: GCE service-account private key. Secret.
        type: str
      project_id:
        description: GCE project id.
        type: str
      token:
        description: DigitalOcean API token. Secret.
        type: str
      host:
        description:
          - Docker, vSphere and libvirt host; the bare-metal server's address (required in the C(backends) dialect).
          - For Docker on a C(backends) server, the daemon's URL (C(http://host)), part of the backend's id with its name.
        type: str
      port:
        description: Docker daemon port.
        type: int
      auth_user:
        description: Docker basic-auth user (a C(clouds) server's C(username); C(apikey) on a C(backends) server).
        type: str
      auth_password:
        description: Docker basic-auth password (C(password); C(apisecret) on a C(backends) server). Secret.
        type: str
      key_file:
        description: Docker TLS client key (PEM text; C(clouds) dialect only). Secret.
        type: str
      cert_file:
        description: Docker TLS client certificate (PEM text; C(clouds) dialect only).
        type: str
      ca_cert_file:
        description: Docker TLS CA certificate (PEM text; C(clouds) dialect only).
        type: str
      ssh_user:
        description: Bare-metal SSH user (the server's default is C(root)).
        type: str
      ssh_port:
        description: Bare-metal SSH port (the server's default is 22).
        type: int
      ssh_key:
        description: Bare-metal SSH key id, a key that exists on the Mist server (not the key itself).
        type: str
      tenant_id:
        description: Azure tenant id (C(clouds) dialect only).
        type: str
      subscription_id:
        description: Azure subscription id (C(clouds) dialect only).
        type: str
      key:
        description: Azure client id, or a libvirt SSH key id (C(clouds) dialect only).
        type: str
      secret:
        description: Azure client secret (C(clouds) dialect only). Secret.
        type: str
  enabled:
    description:
      - Whether the backend is enabled.
      - Omitted, an existing backend keeps its state and a new one is enabled.
    type: bool
  state:
    description:
      - V(present) adds the backend or brings it to the declared state; V(absent) deletes it if it exists.
    type: str
    choices: [ present, absent ]
    default: present
  update_credentials:
    description:
      - V(on_create) sends secrets only when the backend is added; an existing backend's non-secret credential
        fields are still compared and updated.
      - V(always) also sends the given secrets to an existing backend on every run (C(clouds) dialect, with
        C(PATCH)); since secrets cannot be read back, the task then always reports a change.
      - The C(backends) dialect cannot update a secret in place (and a replacement would get the same id, which
        the server refuses), so V(always) with a secret fails there.
    type: str
    choices: [ on_create, always ]
    default: on_create
  allow_replace_with_new_id:
    description:
      - C(backends) dialect only (mist.io 0.9 has no update endpoint, and the backend id is computed from the
        provider, region and key).
      - V(false) fails a change of provider, region or key with an explanation.
      - V(true) adds a new backend with the new credentials first, then deletes the old one (so nothing is lost if the
        add fails), and reports the action C(replace). The backend gets a new id, and anything tied to the old id
        on the server is lost.
      - Ignored by the C(clouds) dialect, which updates credentials in place and keeps the id.
    type: bool
    default: false
notes:
  - Adds to one server should be serialised (with the C(throttle) keyword set to 1); a race is still resolved by listing again.
  - Request counts, with a token, are one list for an unchanged task, and a list and an add for a create, with
    O(api_version) pinned or V(auto) on a C(clouds) server (the list is the probe); V(auto) on a C(backends) server
    adds one request.
seealso:
  - module: mistio.cloud.mist_backend_info
  - module: mistio.cloud.mist_provider_info
'''

EXAMPLES = r'''
- name: An EC2 backend, enabled (secrets only sent when it is added)
  mistio.cloud.mist_backend:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    name: aws-prod
    provider: ec2
    region: us-east-1
    credentials:
      apikey: AKIAEXAMPLE
      apisecret: "{{ vault_aws_secret }}"

- name: Connection options set once for the Mist modules of a play
  module_defaults:
    group/mistio.cloud.mist:
      url: https://mist.example.com
      api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
      api_version: clouds
  block:
    - name: A Rackspace backend in London, by the backends-era provider id
      mistio.cloud.mist_backend:
        name: rackspace-lon
        provider: rackspace:lon
        credentials:
          username: rackuser
          apikey: "{{ vault_rackspace_key }}"

    - name: Rename a backend, found by its id
      mistio.cloud.mist_backend:
        id: 9f2c4e6a8b0d4f1e3a5c7e9b1d3f5a7c
        name: aws-production

    - name: Disable a backend, leaving everything else alone
      mistio.cloud.mist_backend:
        name: rackspace-lon
        enabled: false

    - name: Rotate an OpenStack password (clouds dialect, a PATCH; the id stays)
      mistio.cloud.mist_backend:
        name: openstack-lab
        provider: openstack
        credentials:
          username: admin
          password: "{{ vault_openstack_password }}"
          url: https://keystone.example.com:5000/v3
          tenant: lab
        update_credentials: always

    - name: A bare-metal server
      mistio.cloud.mist_backend:
        name: rack-42
        provider: bare_metal
        credentials:
          host: 10.20.30.42
          ssh_user: ubuntu
          ssh_key: ops-key

    - name: Remove a backend (no change when it is already gone)
      mistio.cloud.mist_backend:
        name: old-account
        state: absent

- name: Change the key of a backend on a mist.io 0.9 server, accepting the new id
  mistio.cloud.mist_backend:
    url: http://mist.local:8000
    api_version: backends
    name: aws-prod
    provider: ec2_us_east
    credentials:
      apikey: AKIANEWKEY
      apisecret: "{{ vault_aws_secret }}"
    allow_replace_with_new_id: true
'''

RETURN = r'''
backend:
  description:
    - The backend after the task (in check mode, as it would be), normalised as M(mistio.cloud.mist_backend_info)
      reports it. Never contains a secret.
    - Empty after a delete, or when O(state=absent) and there was nothing to delete.
  returned: always
  type: dict
  contains:
    id:
      description:
        - The backend's id. Null in check mode for a backend a C(clouds) server would add (it assigns random ids);
          a C(backends) server's id is computed, so it is known beforehand.
      type: str
      sample: 282anRybLn34tNGugwCNK7oCisfY
    name:
      description: The backend's name.
      type: str
      sample: aws-prod
    provider:
      description: The canonical provider id.
      type: str
      sample: ec2
    region:
      description: The region, or null.
      type: str
      sample: us-east-1
    enabled:
      description: Whether the backend is enabled.
      type: bool
      sample: true
    state:
      description: The server's state for the backend; null when predicted.
      type: str
      sample: online
    credentials:
      description: The non-secret credential fields the server shows (masked by Ansible when a C(no_log) value).
      type: dict
      sample: {username: rackuser}
actions:
  description:
    - The plan that was executed (in check mode, that would be), in order. Empty when nothing differs.
    - One or more of C(create), C(replace), C(rename), C(update_credentials), C(enable), C(disable), C(delete).
  returned: always
  type: list
  elements: str
  sample: [rename, disable]
dialect:
  description: The API dialect the server speaks, C(backends) or C(clouds).
  returned: always
  type: str
  sample: clouds
diff:
  description: Before and after (name, provider, region, enabled, non-secret credentials); C({}) for none.
  returned: when diff mode is on
  type: dict
  sample: {before: {name: old, enabled: true}, after: {name: new, enabled: false}}
'''


from ansible_collections.mistio.cloud.plugins.module_utils import providers as catalogue
from ansible_collections.mistio.cloud.plugins.module_utils import reconcile
from ansible_collections.mistio.cloud.plugins.module_utils.client import MistError
from ansible_collections.mistio.cloud.plugins.module_utils.module import MistAnsibleModule, MistModule, connection_argument_spec


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        name=dict(type='str'),
        id=dict(type='str'),
        provider=dict(type='str'),
        region=dict(type='str'),
        credentials=dict(type='dict', options=catalogue.credential_options()),
        enabled=dict(type='bool'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        update_credentials=dict(type='str', default='on_create', choices=['on_create', 'always']),
        allow_replace_with_new_id=dict(type='bool', default=False),
    )
    return spec


class MistBackend(MistModule):
    """state present/absent for one backend: list once, resolve once, plan, then execute or predict."""

    def execute(self):
        p = self.module.params
        dialect = self.dialect
        self.result['dialect'] = dialect.name
        backends = dialect.list_backends()
        p = dict(p, name=reconcile.clean_name(p['name'], dialect))
        current, found_by = reconcile.find_current(backends, p, dialect)
        if found_by == 'computed id' and current['name'] != p['name']:
            self.module.warn('Backend %r was found by the id its provider and credentials give (%s), not by name: '
                             'the server names such a backend itself (by its host) when it is added.'
                             % (current['name'], current['id']))
        if p['state'] == 'absent':
            return self.absent(current)

        desired = reconcile.resolve_desired(p, dialect, current)
        if current and (desired['credentials'] or {}).get('host') and dialect.hosts_on_machines(current['provider']):
            # Its host is on its machine, never in the list: one more read, only when a host is declared.
            reconcile.check_held_host(desired, current, dialect.machine_hosts(current['id']))
        for field in reconcile.unconfirmed_fields(desired, current, dialect) if current else ():
            self.module.warn(
                'Backend %r (id %s): this server never lists the %s of a %s backend, and its id (computed from the name '
                'and %s it was added with) does not match its name and the declared %s, so whether the %s changed '
                'cannot be told (it may have been renamed since it was added). Nothing is changed for it; to move the '
                'backend to another %s, remove it with state: absent and add it again.'
                % (current['name'], current['id'], field, current['provider'], field, field, field, field))
        try:
            actions = reconcile.plan_changes(
                desired, current, dialect, secret_fields=desired['secret_fields'], state='present',
                update_credentials=p['update_credentials'], allow_replace=p['allow_replace_with_new_id'],
                new_id=desired['new_id'])
        except reconcile.PlanError as exc:
            return self.fail(str(exc), backend=current or {})
        reconcile.check_plan(actions, backends, current, desired, dialect)

        if self.check_mode:
            after = reconcile.predict(current, actions, desired['secret_fields'])
            return self.report(current, after, actions, desired['secret_fields'])
        # What this task did: a backend someone else added meanwhile is not this task's change.
        self.executed = []
        after = self.apply(desired, current, actions)
        return self.report(current, after, self.executed, desired['secret_fields'])

    # --- writes -----------------------------------------------------------

    def absent(self, current):
        actions = reconcile.plan_changes({}, current, self.dialect, state='absent')
        changed = bool(actions)
        if actions and not self.check_mode:
            changed = self.dialect.delete(current['id'])
        return self.report(current, None, actions if changed else [], (), changed=changed)

    def apply(self, desired, current, actions):
        """Execute the plan; the backend after each action comes from reconcile.after_action, as in check mode."""
        secrets = desired['secret_fields']
        after = dict(current) if current else None
        for action in actions:
            kind = action['action']
            added = None
            changed = True
            mark = len(self.executed)
            if kind in ('create', 'replace'):
                # A replace adds the new backend first: if that fails, the old one is still there.
                added, changed = self.safe_create(desired, action)
                if changed:
                    self.result['changed'] = True
                if kind == 'replace':
                    self.dialect.delete(action['id'])
                    changed = True
            elif kind == 'rename':
                if after.get('name') == action['name']:
                    continue
                self.dialect.rename(after['id'], action['name'])
            elif kind == 'update_credentials':
                self.dialect.update_credentials(after['id'], action['fields'], action.get('provider'))
            elif kind in ('enable', 'disable'):
                if after.get('enabled') == (kind == 'enable'):
                    continue
                self.dialect.set_enabled(after['id'], kind == 'enable')
            after = reconcile.after_action(after, action, secrets, added=added)
            if changed:
                self.result['changed'] = True
                self.executed.insert(mark, action)
        return after

    def safe_create(self, desired, action):
        """Add once; on an ambiguous failure or a 409, list again and add once more only if it is not there.

        Returns (backend, changed): changed is false only for a backend someone else added
        (a definite 409) that this task then had nothing to change on.
        """
        wanted = dict(desired, name=action['name'], provider=action['provider'], region=action['region'],
                      credentials=action['credentials'])
        for attempt in (1, 2):
            try:
                return self.dialect.add_backend(wanted), True
            except MistError as exc:
                if not (exc.ambiguous or exc.status == 409):
                    raise
                found = self.find_added(action['name'], desired['new_ids'])
                if found is not None:
                    if exc.ambiguous:
                        self.module.warn('Adding backend %r failed (%s), but it is on the server now; using it.'
                                         % (action['name'], exc))
                    else:
                        self.module.warn('Backend %r was added by someone else while this task ran (%s); this task '
                                         'adopted it.' % (action['name'], exc))
                    after, converged = self.converge(desired, found, ours=exc.ambiguous)
                    return after, exc.ambiguous or converged
                if attempt == 2:
                    raise
        return None, False

    def find_added(self, name, new_ids):
        backends = self.dialect.list_backends()
        if new_ids:
            matches = [b for b in backends if b['id'] in new_ids]
        else:
            matches = [b for b in backends if b['name'] == name]
        return matches[0] if len(matches) == 1 else None

    def converge(self, desired, found, ours):
        """A backend someone else (or our own lost add) added: bring its name and state in line.

        Returns (backend, whether this brought changes); ours: the add may have been this task's.
        """
        try:
            actions = reconcile.plan_changes(dict(desired, enabled=None), found, self.dialect,
                                             secret_fields=desired['secret_fields'])
        except reconcile.PlanError as exc:
            return self.fail('Backend %r appeared on the server while it was being added, and differs: %s'
                             % (found.get('name'), exc), changed=ours or self.result['changed'], backend=found)
        return self.apply(desired, found, actions), bool(actions)

    # --- results ----------------------------------------------------------

    def report(self, before, after, actions, secrets, changed=None):
        result = {
            'changed': bool(actions) if changed is None else changed,
            'actions': reconcile.action_names(actions),
            'backend': reconcile.public_view(after, secrets) if after else {},
        }
        if after:
            result['backend']['id'] = after.get('id')
            result['backend']['state'] = after.get('state')
        if self.module._diff:
            result['diff'] = reconcile.diff(before, after, secrets)
        return result


def main():
    module = MistAnsibleModule(
        argument_spec=argument_spec(),
        required_one_of=[('name', 'id')],
        supports_check_mode=True,
    )
    MistBackend(module).run()


if __name__ == '__main__':
    main()
