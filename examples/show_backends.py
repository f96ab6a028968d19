#!/usr/bin/env python
# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Print the backends a Mist server holds, in both API dialects (stdlib only).

Reads MIST_URL and MIST_API_TOKEN from the environment; used by the demo to
show the simulator's seeded state before the playbooks run.
"""
import json
import os
import urllib.error
import urllib.request


def get(url, token=None):
    request = urllib.request.Request(url, headers={'Authorization': token} if token else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode('utf-8'))


def main():
    base = os.environ['MIST_URL'].rstrip('/')
    token = os.environ.get('MIST_API_TOKEN')
    print('backends dialect  GET %s/backends' % base)
    for entry in get(base + '/backends'):
        print('  %-28s %-24s %-18s enabled=%s' % (entry['id'], entry['title'], entry['provider'], entry['enabled']))
    print('clouds dialect    GET %s/api/v1/clouds' % base)
    for entry in get(base + '/api/v1/clouds', token):
        print('  %-32s %-24s %-18s enabled=%s' % (entry['id'], entry['name'], entry['provider'], entry['enabled']))


if __name__ == '__main__':
    try:
        main()
    except (urllib.error.URLError, KeyError) as exc:
        raise SystemExit('could not list backends: %s' % exc)
