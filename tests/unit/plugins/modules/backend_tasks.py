# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Task parameters the mist_backend tests share."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type


def ec2(dialect, name='prod', apikey='AKIAEXAMPLE', secret='s3cr3t-ec2-secret-value', **extra):
    """An EC2 backend in us-east-1, as each dialect names it (the backends era's seed id, or provider + region)."""
    params = {'name': name, 'credentials': {'apikey': apikey, 'apisecret': secret}}
    if dialect == 'backends':
        params['provider'] = 'ec2_us_east'
    else:
        params.update(provider='ec2', region='us-east-1')
    params.update(extra)
    return params
