"""Pages of enforcement."""

from yaojian.enforcement.views.pages import (
    case_action,
    case_detail,
    case_list,
    clue_create,
    entity_panel,
    my_work,
    request_answer,
    request_detail,
    task_complete,
)

__all__ = [
    "case_action",
    "case_detail",
    "case_list",
    "clue_create",
    "entity_panel",
    "my_work",
    "request_answer",
    "request_detail",
    "task_complete",
]
