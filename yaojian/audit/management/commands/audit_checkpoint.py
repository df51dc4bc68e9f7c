"""manage.py audit_checkpoint — append a signed checkpoint of the audit chain now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from yaojian.audit.checkpoints import checkpoint_file, write_checkpoint


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint (count and head hash of the audit chain) to "
        "AUDIT_CHECKPOINT_FILE, unless the last one is the same."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checkpoint = write_checkpoint()
        if checkpoint is None:
            self.stdout.write(f"unchanged since the last checkpoint in {checkpoint_file()}")
            return
        self.stdout.write(
            f"checkpoint: {checkpoint.count} events, head #{checkpoint.head_id} "
            f"{checkpoint.head_hash[:16]}… → {checkpoint_file()}"
        )
