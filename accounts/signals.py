"""What accounts announce to the apps above them, sent inside the transaction of the change."""

from django.dispatch import Signal

# Sent by user_soft_delete with `user` (now deleted), after its tokens are revoked.
user_soft_deleted = Signal()
# Sent by user_restore with `user` (live again).
user_restored = Signal()
