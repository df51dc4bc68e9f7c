"""Criminal referrals in the left menu (ADR 0015)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import menu, pagehelp

menu.register(
    "referrals.list",
    group="cases",
    label=_("Criminal referrals"),
    url_name="referrals:referral_list",
    icon="stairs-up",
    order=40,
)

pagehelp.register(
    "referrals:referral_list",
    _("Cases transferred to the police as suspected crimes, with the next legal deadline."),
    anchor="涉嫌犯罪案件移送行刑衔接",
)
pagehelp.register(
    "referrals:referral_detail",
    _(
        "A referral goes from the transfer report to the head's approval, the transfer, the police receipt and answer, and the hand-over of seized items. The clocks show each legal deadline."
    ),
    anchor="涉嫌犯罪案件移送行刑衔接",
)

pagehelp.register(
    "referrals:referral_create",
    _(
        "Refer a case that may be a crime to the public security organ: the grounds and the evidence bundle."
    ),
    anchor="涉嫌犯罪案件移送行刑衔接",
)
