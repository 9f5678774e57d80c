"""Signals the safety plan sends; moderation (above it) audits shares by connecting here.

`plan_share_changed` is sent INSIDE the share's transaction with share=<SafetyPlanShare>,
actor=<User>, action="created" | "revoked", so the audit row commits (or not) with it. It
carries nothing of the plan's text.
"""

from django.dispatch import Signal

plan_share_changed = Signal()
