#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mist_machine_info
short_description: List the machines of a Mist backend
version_added: 0.2.0
description:
  - Lists the machines (instances, servers, containers) of one backend of a Mist server, or of
    every backend, without building an inventory.
  - Every machine is reported in one shape whatever the server's dialect and era (see RV(machines)),
    the shape the C(mistio.cloud.mist) inventory plugin turns into host variables; the
    filters O(name) and O(state) select machines as the inventory's do.
  - One request per backend; several backends are read in parallel (O(max_workers)).
  - Filters apply to the listed machines; when several are given, a machine must match all of them.
  - Read-only; never reports a change.
author:
  - mistio.cloud developers (@mistio)
extends_documentation_fragment:
  - mistio.cloud.connection
  - mistio.cloud.backend_choice
  - mistio.cloud.attributes
  - mistio.cloud.attributes.info_module
options:
  name:
    description:
      - Only the machines whose name matches this shell-style pattern (V(web-*)); case-sensitive.
        A name without C(*), C(?) or C([) must match exactly.
    type: str
  state:
    description:
      - Only the machines in one of these states (V(running), V(stopped), V(pending), ...); case-insensitive.
      - Empty means every state.
    type: list
    elements: str
    default: []
  tags:
    description:
      - Only the machines that have every one of these tags with the given value.
        A tag given with an empty or null value only needs to be present, whatever its value.
      - On a C(backends) server tags are words; a tag C(k=v) counts as C(k) with the value C(v),
        a bare tag C(k) as C(k) with an empty value.
    type: dict
'''

EXAMPLES = r'''
- name: The running machines of one backend
  mistio.cloud.mist_machine_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    backend_name: production
    state: [running]
  register: running

- name: Their public addresses
  ansible.builtin.debug:
    msg: "{{ running.machines | map(attribute='public_ips') | flatten }}"

- name: Every machine tagged role=web whose name starts with web-, on every backend
  mistio.cloud.mist_machine_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    name: "web-*"
    tags:
      role: web

- name: Every machine that has an env tag, whatever its value
  mistio.cloud.mist_machine_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    tags:
      env:
'''

RETURN = r'''
dialect:
  description: The API dialect the server speaks, C(backends) (mist.io 0.9 era) or C(clouds) (mist.api v1).
  returned: always
  type: str
  sample: clouds
machines:
  description: The machines that match the filters, backend by backend in the server's order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Mist's id of the machine (the C(id) of a C(clouds) server, the C(uuid) of a C(backends) server).
      type: str
      returned: always
      sample: 0d4f6b8a1c3e5a7b9d1f3a5c7e9b1d3f
    external_id:
      description: The provider's id of the machine (the instance id on EC2), or null.
      type: str
      returned: always
      sample: i-0a1b2c3d4e5f67890
    name:
      description: The machine's name.
      type: str
      returned: always
      sample: web-1
    hostname:
      description: The machine's host name where the server gives one, else null.
      type: str
      returned: always
      sample: web-1.example.com
    state:
      description: The machine's state (C(running), C(stopped), C(pending), C(terminated), ...; C(unknown) when not given).
      type: str
      returned: always
      sample: running
    public_ips:
      description: The public IP addresses.
      type: list
      elements: str
      returned: always
      sample: [203.0.113.10]
    private_ips:
      description: The private IP addresses.
      type: list
      elements: str
      returned: always
      sample: [10.0.0.10]
    tags:
      description: The tags as a dict (see O(tags) for a C(backends) server's tags).
      type: dict
      returned: always
      sample: {role: web}
    image:
      description:
        - The image the machine runs, as the server names it (a Mist image id on a C(clouds) server,
          the provider's id on a C(backends) server), or null.
      type: str
      returned: always
      sample: ami-0a1b2c3d
    size:
      description:
        - The machine's size (its name on a C(clouds) server, the provider's id on a C(backends) server), or null.
      type: str
      returned: always
      sample: t2.micro
    location:
      description:
        - The machine's location (a Mist location id on a C(clouds) server, the zone on a C(backends) server), or null.
      type: str
      returned: always
      sample: us-east-1a
    extra:
      description: Whatever else the provider reports about the machine, as the server passes it on.
      type: dict
      returned: always
      sample: {instance_type: t2.micro}
    backend_id:
      description: The id of the backend the machine belongs to.
      type: str
      returned: always
      sample: 2b5f3f0c0e9d4c8fb1a7e6d5c4b3a291
    backend_name:
      description: The name of that backend.
      type: str
      returned: always
      sample: production
errors:
  description: When the task fails because backends could not be read, one entry per such backend.
  returned: failure
  type: list
  elements: dict
  sample: [{backend_id: 2b5f3f0c0e9d4c8fb1a7e6d5c4b3a291, backend_name: production,
            msg: "Mist failed the request GET /api/v1/clouds/2b5f.../machines (503 Cloud unavailable)."}]
'''

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.resource_info import MistResourceInfo, run_module

FILTERS = dict(name=dict(type='str'), state=dict(type='list', elements='str', default=[]), tags=dict(type='dict'))


class MistMachineInfo(MistResourceInfo):

    kind = 'machines'

    def select(self, items):
        params = self.module.params
        return resources.select_machines(items, params['state'], params['name'], params['tags'])


def main():
    run_module(MistMachineInfo, FILTERS)


if __name__ == '__main__':
    main()
