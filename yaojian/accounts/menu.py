"""Page help of the account pages (no menu item of their own: the user menu opens them)."""

from django.utils.translation import gettext_lazy as _

from yaojian.core import pagehelp

pagehelp.register(
    "accounts:login",
    _("Sign in with the user name and password your administrator gave you."),
    anchor="登录",
)

pagehelp.register(
    "accounts:password_change",
    _("Change your password: enter the current one, then the new one twice."),
    anchor="登录",
)

pagehelp.register(
    "accounts:profile",
    _(
        "Your departments, jurisdictions and roles with what each role may do, the sharing grants your departments received, and your API tokens."
    ),
    anchor="api-令牌",
)

pagehelp.register(
    "accounts:department_detail",
    _(
        "A department: its members and roles, the departments below it and the sharing grants it gave and received. Administrators add and end memberships and grants here."
    ),
    anchor="部门成员与共享授权",
)

pagehelp.register(
    "accounts:sharegrant_create",
    _(
        "Let another department see a kind of this department's information (for example personal data) until a date; every grant is audited and can be revoked."
    ),
    anchor="部门成员与共享授权",
)
