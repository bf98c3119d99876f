# -*- coding: utf-8 -*-
# Copyright (c) acronis.cyber_platform contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type


class ModuleDocFragment(object):

    # Options every module of the collection takes to reach the Acronis API.
    DOCUMENTATION = r'''
options:
  base_url:
    description:
      - URL of the Acronis data center, for example V(https://eu2-cloud.acronis.com).
      - A trailing V(/api/2) is accepted and ignored.
      - If not set, the value of the E(ACRONIS_BASE_URL) environment variable is used, then the one of
        O(credentials_file). One of the three is required.
    type: str
  credentials_file:
    description:
      - JSON file with the V(base_url), V(client_id) and V(client_secret) of an API client, as
        M(acronis.cyber_platform.acronis_api_client) writes it (its O(acronis.cyber_platform.acronis_api_client#module:dest)).
      - It fills only what the task, C(module_defaults) and the E(ACRONIS_*) variables leave unset.
      - If not set, the value of the E(ACRONIS_CREDENTIALS_FILE) environment variable is used.
    type: path
  client_id:
    description:
      - Client ID of the API client the module authenticates as.
      - If not set, the value of the E(ACRONIS_CLIENT_ID) environment variable is used, then the one of
        O(credentials_file).
    type: str
  client_secret:
    description:
      - Secret of the API client.
      - If not set, the value of the E(ACRONIS_CLIENT_SECRET) environment variable is used, then the one of
        O(credentials_file).
    type: str
  validate_certs:
    description:
      - Whether to check the TLS certificate of the data center.
      - Set to V(false) only for a test endpoint with a self-signed certificate.
      - If not set, the value of the E(ACRONIS_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the service to answer one request.
      - If not set, the value of the E(ACRONIS_TIMEOUT) environment variable is used.
    type: float
    default: 30
  backoff_retries:
    description:
      - How many times a request is retried after HTTP 429, 502, 503 or 504 or a connection failure.
      - A request that creates an object is never replayed once it may have reached the service;
        the module looks the object up instead - found, it is the one created; absent, it is created again,
        within this budget. An update whose retry meets the version its own first attempt changed is read again
        and compared; a delete whose retry finds the object gone is done.
      - A C(Retry-After) answer is waited for (never less), with random jitter after it, so that parallel
        forks throttled together spread out; a token request is retried like any other.
      - If not set, the value of the E(ACRONIS_BACKOFF_RETRIES) environment variable is used.
    type: int
    default: 8
  backoff_delay:
    description:
      - Seconds of the first retry delay; each later retry waits about twice as long, with random jitter.
      - A C(Retry-After) header sent by the service takes precedence.
      - If not set, the value of the E(ACRONIS_BACKOFF_DELAY) environment variable is used.
    type: float
    default: 1.0
  backoff_max_delay:
    description:
      - Upper bound, in seconds, of any single retry delay, including one asked for by C(Retry-After).
      - If not set, the value of the E(ACRONIS_BACKOFF_MAX_DELAY) environment variable is used.
    type: float
    default: 30.0
  token_cache:
    description:
      - Whether to keep access tokens on disk, so that the tasks and forks of a run share one token
        instead of issuing one each.
      - Cache files are readable by their owner only, and keyed by data center, client ID and secret.
      - If not set, the value of the E(ACRONIS_TOKEN_CACHE) environment variable is used.
    type: bool
    default: true
  token_cache_dir:
    description:
      - Directory of the token cache.
      - Defaults to C(acronis.cyber_platform/tokens) under E(XDG_CACHE_HOME), or under C(~/.cache).
      - If not set, the value of the E(ACRONIS_TOKEN_CACHE_DIR) environment variable is used.
    type: path
  token_renew_margin:
    description:
      - A token with less than this many seconds of life left is renewed before use.
      - If not set, the value of the E(ACRONIS_TOKEN_RENEW_MARGIN) environment variable is used.
    type: int
    default: 900
requirements:
  - requests >= 2.25.0
notes:
  - >-
    The modules talk to the Acronis API from the host they run on, usually the controller
    (C(delegate_to: localhost) or C(connection: local)).
  - Every module of the collection belongs to the C(acronis.cyber_platform.acronis) action group,
    so the connection options can be set once with C(module_defaults).
seealso:
  - name: Acronis Account Management API
    description: Reference of the API these modules use.
    link: https://developer.acronis.com/doc/account-management/v2/guide/index
'''
