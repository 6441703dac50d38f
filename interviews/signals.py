"""Side effects of row deletions: a deleted resume's file leaves the disk once the deletion
commits (a rolled-back deletion keeps it). Connected in InterviewsConfig.ready()."""

import logging
from functools import partial

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from interviews.models import Resume

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
