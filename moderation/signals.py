"""Signals sent after commit, for the notification centre to fan out (in-app, e-mail).

Each carries ids only: receivers reload what they need.
"""

from django.dispatch import Signal

# sender=Report, report_id, case_id, is_urgent
report_created = Signal()
# sender=Case, case_id, is_urgent, group_id (None: site-wide)
case_opened = Signal()
# sender=AuthorNotice, notice_id, recipient_id
notice_created = Signal()
# sender=HeldItem, held_item_id, group_id
held_item_created = Signal()
# sender=Appeal, appeal_id
appeal_created = Signal()
# sender=StaffMessage, message_id (a facilitator wrote to a member, or the member replied)
staff_message_sent = Signal()
# sender=Action, action_id (a facilitator handed a case over to administrators)
case_handed_over = Signal()
# sender=CaseFollowUp, follow_up_id (a planned follow-up is due)
follow_up_due = Signal()
# sender=Appeal, appeal_id (an administrator decided an appeal)
appeal_decided = Signal()
