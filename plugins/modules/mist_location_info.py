#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mistio.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: mist_location_info
short_description: List the locations (regions, zones, data centers) of a Mist backend
version_added: 0.2.0
description:
  - Lists the locations of one backend of a Mist server, or of every backend, to pick one for a
    new machine. Locations mean what the provider means by them, for example the availability
    zones of an EC2 region or the data centers of DigitalOcean.
  - Every location is reported in one shape whatever the server's dialect and era (see RV(locations)).
  - One request per backend; several backends are read in parallel (O(max_workers)).
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
      - Only the locations whose name matches this shell-style pattern (V(us-east-1*)); case-sensitive.
        A name without C(*), C(?) or C([) must match exactly.
    type: str
'''

EXAMPLES = r'''
- name: The locations of one backend
  mistio.cloud.mist_location_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    backend_name: production
  register: listed

- name: Their names
  ansible.builtin.debug:
    msg: "{{ listed.locations | map(attribute='name') | list }}"

- name: Every location in Frankfurt, on every backend
  mistio.cloud.mist_location_info:
    url: https://mist.example.com
    api_token: "{{ lookup('ansible.builtin.env', 'MIST_API_TOKEN') }}"
    name: "Frankfurt*"
'''

RETURN = r'''
dialect:
  description: The API dialect the server speaks, C(backends) (mist.io 0.9 era) or C(clouds) (mist.api v1).
  returned: always
  type: str
  sample: clouds
locations:
  description: The locations that match the filter, backend by backend in the server's order.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description:
        - Mist's id of the location (32 hex digits on a C(clouds) server). A C(backends) server has
          no id of its own and gives the provider's, so it equals RV(locations[].external_id) there.
        - Null for the one C(default) location a C(backends) server shows when the provider cannot list any.
      type: str
      returned: always
      sample: 7e6d5c4b3a2910f8e7d6c5b4a3928170
    external_id:
      description: The provider's id of the location, the one to create a machine in.
      type: str
      returned: always
      sample: "0"
    name:
      description: The location's name (the availability zone on EC2).
      type: str
      returned: always
      sample: us-east-1a
    country:
      description: The country the provider gives, or null.
      type: str
      returned: always
      sample: USA
    location_type:
      description: C(region) or C(zone) where the server says so (mist.api v5), else null.
      type: str
      returned: always
      sample: zone
    parent:
      description: The Mist id of the region a zone belongs to, where the server says so (mist.api v5), else null.
      type: str
      returned: always
      sample: 1a2b3c4d5e6f708192a3b4c5d6e7f809
    extra:
      description: Whatever else the provider reports about the location, as the server passes it on.
      type: dict
      returned: always
      sample: {}
    backend_id:
      description: The id of the backend the location belongs to.
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
            msg: "Mist failed the request GET /api/v1/clouds/2b5f.../locations (503 Cloud unavailable)."}]
'''

from ansible_collections.mistio.cloud.plugins.module_utils import resources
from ansible_collections.mistio.cloud.plugins.module_utils.resource_info import MistResourceInfo, run_module

FILTERS = dict(name=dict(type='str'))


class MistLocationInfo(MistResourceInfo):

    kind = 'locations'

    def select(self, items):
        return resources.select_locations(items, self.module.params['name'])


def main():
    run_module(MistLocationInfo, FILTERS)


if __name__ == '__main__':
    main()
