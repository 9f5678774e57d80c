"""Production settings for the deployment tests' server (test code only).

Exactly peersupport.settings, except the per-address sign-in limit counts over an hour instead
of a minute: on a busy machine ten tries can take longer than a minute, and the test is about
which address is counted, not how fast.
"""

from peersupport.settings import *  # noqa: F403
from peersupport.settings import ACCOUNT_RATE_LIMITS

ACCOUNT_RATE_LIMITS = {**ACCOUNT_RATE_LIMITS, "login_failed": "5/h/ip"}
