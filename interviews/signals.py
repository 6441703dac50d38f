"""Side effects of other writes: a deleted resume's file leaves the disk once the deletion
commits (a rolled-back deletion keeps it); a login's soft delete and restore unlink and relink
its candidate profile. Connected in InterviewsConfig.ready()."""

import logging
from functools import partial

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from accounts.models import User
from accounts.signals import user_restored, user_soft_deleted
from interviews.models import Candidate, Resume

logger = logging.getLogger(__name__)


def delete_stored_file(storage: Storage, name: str) -> None:
    storage.delete(name)
    logger.info("deleted stored file %s", name)


# post_delete, not the services: a resume also goes by cascade (a candidate purged, deleted in
# the admin or by `seed --clear`), and Django sends the signal for each of those rows too. Only
# a cascade inside the database itself (raw SQL) bypasses it: `manage.py orphaned_files` finds
# what that leaves.
@receiver(post_delete, sender=Resume, dispatch_uid="interviews.resume_file_on_delete")
def delete_resume_file_on_commit(sender, instance: Resume, using: str, **kwargs) -> None:
    if instance.file:
        transaction.on_commit(
            partial(delete_stored_file, instance.file.storage, instance.file.name),
            using=using,
            robust=True,  # a failed file deletion is logged; the other callbacks still run
        )


@receiver(user_soft_deleted, dispatch_uid="interviews.unlink_profile_of_deleted_user")
def unlink_profile_of_deleted_user(sender, user: User, **kwargs) -> None:
    # The candidate profile stays (recruiters' data) but no longer points at a deleted login;
    # it remembers the login, for user_restore. Registering the email again does not link it.
    Candidate.all_objects.filter(user=user).update(user=None, former_user=user)


@receiver(user_restored, dispatch_uid="interviews.relink_profile_of_restored_user")
def relink_profile_of_restored_user(sender, user: User, **kwargs) -> None:
    # Take back the profile this login had when it was deleted, if it is still live and no
    # other login has it now; never a profile merely sharing its email (a recruiter may have
    # created one meanwhile: owning the email is not proven by having had it).
    Candidate.objects.filter(former_user=user, user__isnull=True).update(
        user=user, former_user=None
    )
