"""Notices and problems in the left menu (ADR 0015): every signed-in user has an inbox."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp

menu.register(
    "notices.inbox",
    group="sharing",
    label=_("Inbox"),
    url_name="notices:inbox",
    icon="inbox",
    order=10,
)
menu.register(
    "notices.sent",
    group="sharing",
    label=_("Sent notices"),
    url_name="notices:sent",
    icon="send",
    order=11,
)
menu.register(
    "notices.problems",
    group="sharing",
    label=_("Problems found"),
    url_name="notices:problem_list",
    icon="alert-circle",
    order=12,
)
menu.register(
    "notices.rules",
    group="admin",
    label=_("Routing rules"),
    url_name="notices:rule_list",
    icon="arrows-exchange",
    order=40,
)

pagehelp.register(
    "notices:inbox",
    _(
        "Notices sent to your departments. A notice goes unread → read → acknowledged → answered → closed; the due date counts working days and an overdue notice is escalated to the department head."
    ),
    anchor="问题推送与收件箱",
)
pagehelp.register(
    "notices:sent",
    _("Notices your departments sent, with their state and the answers received."),
    anchor="问题推送与收件箱",
)
pagehelp.register(
    "notices:notice_detail",
    _(
        "One notice: read it, acknowledge it and answer it before the due date; every step is recorded."
    ),
    anchor="问题推送与收件箱",
)
pagehelp.register(
    "notices:problem_list",
    _(
        "Problems found by your departments; each is routed to the departments concerned as notices."
    ),
    anchor="问题推送与收件箱",
)
pagehelp.register(
    "notices:rule_list",
    _(
        "Routing rules decide which departments receive a notice for a problem category and entity kind."
    ),
    anchor="问题推送与收件箱",
)

pagehelp.register(
    "notices:problem_create",
    _(
        "Push a problem found on an entity to the departments concerned: choose the category, the entity and the evidence; routing rules pick the recipients."
    ),
    anchor="问题推送与收件箱",
)

pagehelp.register(
    "notices:problem_detail",
    _(
        "A pushed problem: its entity, category and evidence, and each recipient's notice with its state and answer."
    ),
    anchor="问题推送与收件箱",
)

pagehelp.register(
    "notices:rule_create",
    _("A routing rule: which department receives problems of a category in a region."),
    anchor="问题推送与收件箱",
)

pagehelp.register(
    "notices:rule_edit",
    _("Change a routing rule; problems pushed before keep their recipients."),
    anchor="问题推送与收件箱",
)
