"""Domain events other apps listen to (so the organization never imports them)."""

from django.dispatch import Signal

# Sent inside the transaction when a person is hired or changes job role,
# with ``staff`` (a StaffProfile) and ``previous_job_role`` (or None).
staff_job_role_assigned = Signal()

# Sent inside the transaction when a person's access ends (deactivation or
# termination), with ``user``: apps revoke what they handed out (calendar feeds).
user_access_ended = Signal()

# Sent inside the transaction when HR reactivates an account, with ``user``: the
# person counts again (the readiness store recomputes them).
user_access_restored = Signal()
