"""Reads of the registry (一户一档): scoped lists, single-object chokepoints, the profile.

Every read starts from ``Model.objects.visible_to(user, action)``. Single objects come from
``get_<x>_for_user`` which raises the model's ``DoesNotExist`` for missing and forbidden alike.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import ArrayContains  # type: ignore[attr-defined]
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)

from yaojian.accounts.choices import ShareKind
from yaojian.accounts.scoping import has_permission, has_permission_in_region, scope_for
from yaojian.audit.models import AuditEvent
from yaojian.core.pagination import (
    PARTS_ATTRIBUTE,
    ordered_in_parts,
    ordered_walk,
    search_within,
)
from yaojian.registry import names, postings
from yaojian.registry.choices import LICENCE_TRANSITIONS, EthnicMedicine, LicenceKind, LicenceStatus
from yaojian.registry.identifiers import (
    mask_id_card_number,
    mask_phone,
    normalise_identifier,
    validate_licence_number,
)
from yaojian.registry.models import (
    Entity,
    EntityGram,
    EntityPerson,
    EntityProduct,
    Licence,
    LicenceStatusChange,
    Person,
    Product,
)
from yaojian.territory.codes import subtree_prefix, subtree_q
from yaojian.territory.models import Region
from yaojian.territory.selectors import subdivision_choices

PERSONAL_DATA_PERMISSION = "registry.view_personal_data"
HISTORY_LIMIT = 100


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# --- entities ---------------------------------------------------------------------------


def entities_visible_to(user: Any, action: str = "view") -> QuerySet[Entity]:
    """Entities in the user's jurisdiction (``action`` other than view needs the permission)."""
    queryset: QuerySet[Entity] = (
        Entity.objects.visible_to(user, action)
        .select_related("region", "registered_by")
        .order_by("name", "id")
    )
    prefixes = {m.prefix for m in scope_for(user).members_with(None)}
    if len(prefixes) == 1 and not scope_for(user).is_superuser:
        queryset = _in_county_parts(queryset, prefixes.pop())
    return queryset


def get_entity_for_user(user: Any, public_id: Any, action: str = "view") -> Entity:
    """The entity with ``public_id`` if the user may ``action`` it; ``DoesNotExist`` otherwise."""
    key = _uuid(public_id)
    if key is None:
        raise Entity.DoesNotExist
    return (
        Entity.objects.visible_to(user, action)
        .select_related("region", "registered_by", "grid_cell", "parent")
        .get(public_id=key)
    )


def can_change_entity(user: Any, entity: Entity) -> bool:
    """True if a membership with ``registry.change_entity`` covers the entity's region."""
    return has_permission_in_region(user, "registry.change_entity", entity.region_id)


def licence_numbers_for_search(q: str) -> set[str]:
    """Every normalised form ``q`` takes as a licence number of some kind.

    Empty without a digit: every licence number has digits, names mostly do not.
    """
    numbers: set[str] = set()
    if not any(ch.isdigit() for ch in q):
        return numbers
    for kind in LicenceKind.values:
        try:
            numbers.add(validate_licence_number(kind, q))
        except ValidationError:
            continue
    return numbers


def filter_entities(
    queryset: QuerySet[Entity],
    *,
    q: str = "",
    region: str | None = None,
    kind: str | None = None,
    licence_status: str | None = None,
) -> QuerySet[Entity]:
    """Narrow ``queryset`` by one search box and the filters.

    ``q`` matches a fragment of the name (``search_key__contains``, served by the trigram
    index on PostgreSQL; one character by the characters index), an exact unified social
    credit code or an exact licence number. A ``q`` that is some entity's credit code or
    licence number finds its holders only (``identifier_condition``): no name holds an
    identifier, and looking for one in a million names cost more than the rest of the page. The region filter narrows first; the search box,
    kind and licence status then mark the result as a search within that region
    (``search_within``), so its pages never walk the name order discarding rows (ADR 0014).
    On PostgreSQL a name fragment is found through the name postings instead, already in name order (``_postings_search``, ADR 0032).
    """
    if region:
        queryset = queryset.filter(subtree_q("region", region))
    superset = queryset
    q = (q or "").strip()[:100]
    exact = identifier_condition(q) if q else None
    postings = _postings_search(queryset, q, region) if q and exact is None else None
    if exact is not None:
        queryset = queryset.filter(exact)
    elif postings is not None:
        queryset = postings
    elif q:
        queryset = queryset.filter(search_condition(q))
    if kind:
        queryset = queryset.filter(kind=kind)
    if licence_status:
        queryset = queryset.filter(
            Exists(Licence.objects.filter(entity=OuterRef("pk"), status=licence_status))
        )
    if postings is not None:
        return queryset  # ordered by its postings already: no window, no region parts
    if queryset is not superset:
        queryset = search_within(queryset, superset)
    elif region:
        queryset = _in_county_parts(queryset, region)
    return queryset


def _in_county_parts(queryset: QuerySet[Entity], code_or_prefix: str) -> QuerySet[Entity]:
    """A prefecture's list, read county by county (``ordered_in_parts``): its names need
    not come early in the province's name order. Counties are compared exactly already."""
    codes = _county_codes(code_or_prefix)
    if codes is None:
        return queryset
    return ordered_in_parts(queryset, "region_id", codes)


def _county_codes(code_or_prefix: str) -> list[str] | None:
    """The codes a city's or county's subtree holds (None for a province: no narrowing)."""
    prefix = subtree_prefix(code_or_prefix.ljust(6, "0"))
    if len(prefix) == 6:
        return [prefix]
    if len(prefix) != 4:
        return None
    return list(
        Region.objects.filter(code__gte=f"{prefix}00", code__lte=f"{prefix}99")
        .order_by("code")
        .values_list("code", flat=True)
    )


POSTING_RARITY_CAP = 5_000


def _postings_search(
    queryset: QuerySet[Entity], q: str, region: str | None
) -> QuerySet[Entity] | None:
    """PostgreSQL: a name fragment found through the postings of ``registry_entity_gram``
    in the list's own order (ADR 0032); None when the search takes the general path (SQLite,
    postings of a bulk write still pending). An identifier that matches never comes here.

    A one-character query joins the postings of that character; a longer one the rarest
    pair of adjacent characters of the fragment (one posting per entity); the whole fragment
    is checked on the search key, and the list is ordered by the posting's copy of the name,
    so a page is the first postings of one index walk (within a city, of its counties).
    """
    if connections[queryset.db].vendor != "postgresql":
        return None
    text = names.normalise_name(q)
    if not text:
        return None
    codes: list[str] | None = None
    if region:
        codes = _county_codes(region)
    else:
        parts = getattr(queryset.query, PARTS_ATTRIBUTE, None)
        if parts and parts[0] == "region_id":
            codes = [str(code) for code in parts[1]]
    grams = sorted({text[i : i + 2] for i in range(len(text) - 1)}) or [text]
    if len(grams) > 1:
        pending, counts = _posting_counts(grams, codes)
        if pending:
            return None
        gram = min(grams, key=lambda g: counts[g])
    elif postings.any_pending():
        return None
    else:
        gram = grams[0]
    # Every condition on the postings sits in the join itself and is filtered once: a later
    # filter() on ``hit`` would join the postings a second time (a multi-valued relation).
    condition = Q(grams__gram=gram)
    if codes is not None:
        condition &= Q(grams__region_id__in=codes)
    found = queryset.annotate(hit=FilteredRelation("grams", condition=condition))
    if len(text) > 2:
        # The whole fragment, checked on the joined rows. Written with the posting in it (it
        # is never NULL after the join), so the planner cannot check it on the entity table
        # first: without statistics it then walked 1,000,000 entities by region (日喀则 18 s).
        whole = Case(
            When(hit__entity_id__isnull=False, then=Value(names.search_fragment(q))),
            output_field=CharField(),
        )
        found = found.filter(hit__gram=gram, search_key__contains=whole)
    else:
        found = found.filter(hit__gram=gram)
    setattr(found.query, PARTS_ATTRIBUTE, None)
    if tuple(str(f) for f in found.query.order_by) == ("name", "id"):
        found = ordered_walk(found.order_by("hit__name", "hit__entity_id"), ("name", "id"))
    return found


def _posting_counts(grams: list[str], codes: list[str] | None) -> tuple[bool, dict[str, int]]:
    """Whether a bulk write's postings are pending (``postings.any_pending``), and how many
    entities hold each of ``grams`` (each counted up to ``POSTING_RARITY_CAP``), in one
    statement."""
    table = connection.ops.quote_name(EntityGram._meta.db_table)
    where = "gram = %s"
    region_params: list[str] = []
    if codes is not None:
        marks = ", ".join(["%s"] * len(codes))
        where += f" AND region_id IN ({marks})" if codes else " AND FALSE"
        region_params = list(codes)
    # Only the quoted table name and placeholders are written into the text.
    part = f"SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT %s) s)"  # noqa: S608
    pending = (
        f"SELECT NULL, (SELECT count(*) FROM (SELECT 1 FROM {postings.PENDING_TABLE} LIMIT 1) s)"  # noqa: S608
    )
    sql = " UNION ALL ".join([pending] + [part] * len(grams))
    params: list[Any] = []
    for gram in grams:
        params += [gram, gram, *region_params, POSTING_RARITY_CAP]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts = {gram: int(count) for gram, count in rows if gram is not None}
    return any(gram is None and count for gram, count in rows), counts


def identifier_condition(q: str) -> Q | None:
    """The entities holding ``q`` as their unified social credit code or as the number of one
    of their licences; None when ``q`` is neither (then it is a name fragment)."""
    condition = Q(pk__in=[])
    found = False
    identifier = normalise_identifier(q)
    if (
        len(identifier) == 18
        and Entity.objects.filter(unified_social_credit_code=identifier).exists()
    ):
        condition |= Q(unified_social_credit_code=identifier)
        found = True
    numbers = licence_numbers_for_search(q)
    if numbers:
        holders = list(
            Licence.objects.filter(number__in=numbers)
            .order_by()
            .values_list("entity_id", flat=True)
            .distinct()
        )
        if holders:
            condition |= Q(pk__in=holders)
            found = True
    return condition if found else None


def search_condition(q: str) -> Q:
    """Entities whose name contains ``q`` (``q`` is no identifier: ``identifier_condition``)."""
    fragment = names.search_fragment(q)
    return name_contains(fragment) if fragment else Q(pk__in=[])


def name_contains(fragment: str) -> Q:
    """``search_key`` contains ``fragment``. A single character (no trigram) is looked up in
    the characters index on PostgreSQL (``registry_entity_search_chars``)."""
    if len(fragment) == 1 and fragment != names.SEPARATOR and connection.vendor == "postgresql":
        characters = Func(
            F("search_key"),
            Value(names.SEPARATOR),
            function="string_to_array",
            output_field=ArrayField(TextField()),
        )
        return Q(ArrayContains(characters, Value([fragment], output_field=ArrayField(TextField()))))
    return Q(search_key__contains=fragment)


def search_entities(
    user: Any,
    *,
    q: str = "",
    region: str | None = None,
    kind: str | None = None,
    licence_status: str | None = None,
) -> QuerySet[Entity]:
    """Entities the user sees that match the search box and filters, by name."""
    return filter_entities(
        entities_visible_to(user).select_related("grid_cell"),
        q=q,
        region=region,
        kind=kind,
        licence_status=licence_status,
    ).prefetch_related(Prefetch("licences", queryset=Licence.objects.order_by("kind", "number")))


def region_choices(user: Any, permission: str | None = None) -> list[tuple[str, str]]:
    """Current prefectures and counties in the user's jurisdiction, as (code, label) pairs.

    With ``permission``, only the jurisdictions of memberships that hold it.
    """
    scope = scope_for(user)
    prefixes = (
        None if scope.is_superuser else tuple({m.prefix for m in scope.members_with(permission)})
    )
    return subdivision_choices(prefixes)


# --- licences ---------------------------------------------------------------------------


def get_licence_for_user(user: Any, public_id: Any, action: str = "view") -> Licence:
    """The licence with ``public_id`` if the user may ``action`` it; ``DoesNotExist`` otherwise."""
    key = _uuid(public_id)
    if key is None:
        raise Licence.DoesNotExist
    return (
        Licence.objects.visible_to(user, action)
        .select_related("entity", "issued_by")
        .get(public_id=key)
    )


def can_change_licence(user: Any, licence: Licence) -> bool:
    """True if the user may change the licence (a member of the issuing department)."""
    return Licence.objects.visible_to(user, "change").filter(pk=licence.pk).exists()


def allowed_licence_transitions(licence: Licence) -> list[str]:
    """The statuses a licence may move to, in the order of ``LicenceStatus``."""
    allowed = LICENCE_TRANSITIONS.get(licence.status, set())
    return [status for status in LicenceStatus.values if status in allowed]


# --- products ---------------------------------------------------------------------------


def products_visible_to(user: Any) -> QuerySet[Product]:
    """The product reference list (every member sees it), by name."""
    return Product.objects.visible_to(user).select_related("holder").order_by("name", "id")


def filter_products(
    queryset: QuerySet[Product],
    *,
    q: str = "",
    kind: str | None = None,
    risk_class: str | None = None,
    tibetan: bool | None = None,
) -> QuerySet[Product]:
    """Narrow products by a name/approval-number fragment and the filters."""
    q = (q or "").strip()[:100]
    if q:
        queryset = queryset.filter(
            Q(name__icontains=q)
            | Q(generic_name__icontains=q)
            | Q(approval_number__icontains=normalise_identifier(q))
        )
    if kind:
        queryset = queryset.filter(kind=kind)
    if risk_class:
        queryset = queryset.filter(risk_class=risk_class)
    if tibetan is True:
        queryset = queryset.filter(ethnic_medicine=EthnicMedicine.TIBETAN)
    elif tibetan is False:
        queryset = queryset.exclude(ethnic_medicine=EthnicMedicine.TIBETAN)
    return queryset


def search_products(
    user: Any,
    *,
    q: str = "",
    kind: str | None = None,
    risk_class: str | None = None,
    tibetan: bool | None = None,
) -> QuerySet[Product]:
    """Products matching the search box and filters."""
    return filter_products(
        products_visible_to(user), q=q, kind=kind, risk_class=risk_class, tibetan=tibetan
    )


def get_product_for_user(user: Any, public_id: Any, action: str = "view") -> Product:
    """The product with ``public_id`` if the user may ``action`` it; ``DoesNotExist`` otherwise."""
    key = _uuid(public_id)
    if key is None:
        raise Product.DoesNotExist
    return Product.objects.visible_to(user, action).select_related("holder").get(public_id=key)


def product_entity_links(user: Any, product: Product) -> QuerySet[EntityProduct]:
    """The product's links to entities the user sees."""
    return (
        EntityProduct.objects.filter(
            product=product, entity__in=Entity.objects.visible_to(user).values("pk")
        )
        .select_related("entity", "entity__region")
        .order_by("entity__name", "relation")
    )


# --- persons and personal data ------------------------------------------------------------


def get_person_for_user(user: Any, public_id: Any, action: str = "view") -> Person:
    """The person with ``public_id`` if the user may ``action`` them; ``DoesNotExist`` otherwise."""
    key = _uuid(public_id)
    if key is None:
        raise Person.DoesNotExist
    return Person.objects.visible_to(user, action).select_related("department").get(public_id=key)


def personal_data_department_id(user: Any, person: Person) -> int | None:
    """The user's department through which they may read ``person``'s personal data.

    A membership qualifies when its role grants ``registry.view_personal_data``, its
    jurisdiction covers the person's region, and it is the person's owning department or one
    that department opened personal data to (active ShareGrant). The owning department wins.
    """
    scope = scope_for(user)
    members = [
        m
        for m in scope.members_with(PERSONAL_DATA_PERMISSION)
        if person.region_id.startswith(m.prefix)
    ]
    for member in members:
        if member.department_id == person.department_id:
            return member.department_id
    for member in members:
        if person.department_id in scope.grantors(ShareKind.PERSONAL_DATA, member.department_id):
            return member.department_id
    return None


def can_see_personal_data(user: Any, person: Person) -> bool:
    """True if the user may read the person's identity card number and phone."""
    if scope_for(user).is_superuser:
        return True
    return personal_data_department_id(user, person) is not None


# --- the profile (一户一档) ---------------------------------------------------------------


@dataclass(frozen=True)
class PersonRow:
    """A person's role at the entity, with personal data masked for display."""

    link: EntityPerson
    person: Person
    masked_id_number: str
    masked_phone: str
    can_reveal: bool


@dataclass(frozen=True)
class EntityProfile:
    """Everything the profile page of one entity shows."""

    entity: Entity
    licences: list[Licence]
    changeable_licence_ids: frozenset[int]
    product_links: list[EntityProduct]
    current_persons: list[PersonRow]
    past_persons: list[PersonRow]
    grid_officers: list[Any]
    history: list[AuditEvent] | None  # None: the user may not see the history
    can_change: bool
    can_add_licence: bool


def can_view_entity_history(user: Any, entity: Entity) -> bool:
    """Auditors (``audit.view_auditevent``) and members of the registering department."""
    if has_permission(user, "audit.view_auditevent"):
        return True
    return entity.registered_by_id in scope_for(user).department_ids


def entity_history(entity: Entity, licences: list[Licence]) -> list[AuditEvent]:
    """Audit events of the entity and its licences, newest first."""
    return list(
        AuditEvent.objects.filter(
            Q(object_type="registry.entity", object_id=str(entity.public_id))
            | Q(
                object_type="registry.licence",
                object_id__in=[str(licence.public_id) for licence in licences],
            )
        )
        .select_related("department")
        .order_by("-id")[:HISTORY_LIMIT]
    )


def _person_row(user: Any, link: EntityPerson) -> PersonRow:
    person = link.person
    return PersonRow(
        link=link,
        person=person,
        masked_id_number=mask_id_card_number(person.id_number) if person.id_number else "",
        masked_phone=mask_phone(person.phone) if person.phone else "",
        can_reveal=bool(person.id_number or person.phone) and can_see_personal_data(user, person),
    )


def entity_profile(user: Any, entity: Entity) -> EntityProfile:
    """The 一户一档 of one entity the user sees (get it from ``get_entity_for_user`` first)."""
    licences = list(
        Licence.objects.filter(entity=entity)
        .select_related("issued_by")
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=LicenceStatusChange.objects.select_related("changed_by").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("kind", "number")
    )
    changeable = frozenset(
        Licence.objects.visible_to(user, "change")
        .filter(entity=entity)
        .values_list("pk", flat=True)
    )
    product_links = list(
        EntityProduct.objects.filter(entity=entity)
        .select_related("product")
        .order_by("product__name", "relation")
    )
    person_links = list(
        EntityPerson.objects.filter(entity=entity)
        .select_related("person")
        .order_by("role", "started_on", "id")
    )
    rows = [_person_row(user, link) for link in person_links]
    officers = list(entity.grid_cell.officers.order_by("username")) if entity.grid_cell else []
    history = entity_history(entity, licences) if can_view_entity_history(user, entity) else None
    return EntityProfile(
        entity=entity,
        licences=licences,
        changeable_licence_ids=changeable,
        product_links=product_links,
        current_persons=[row for row in rows if row.link.ended_on is None],
        past_persons=[row for row in rows if row.link.ended_on is not None],
        grid_officers=officers,
        history=history,
        can_change=can_change_entity(user, entity),
        can_add_licence=has_permission_in_region(user, "registry.add_licence", entity.region_id),
    )
