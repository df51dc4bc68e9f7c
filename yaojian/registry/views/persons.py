"""Reading a person's personal data: an explicit, audited action."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from yaojian.core.htmx import template_for
from yaojian.registry import selectors, services


@require_POST
def person_reveal(request: HttpRequest, public_id: str) -> HttpResponse:
    """Show the identity card number and phone of person ``public_id`` (audited).

    htmx swaps the answer into the profile (``#person-data``); without htmx it is a page.
    403 for members without the right to the data, 404 outside the jurisdiction.
    """
    person = selectors.get_person_for_user(request.user, public_id)
    revealed = services.reveal_personal_data(actor=request.user, person=person)
    context = {"person": person, "revealed": revealed}
    return render(
        request, template_for(request, "registry/person_reveal.html", "person-data"), context
    )
