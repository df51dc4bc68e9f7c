"""Writes of inspections: the only writers of its models (and of an entity's grid cell).

Each takes a keyword-only ``actor``, checks permission and scope, validates every field
(``ValidationError`` per field, nothing written on failure), records the audit event in the
same transaction and publishes its events through the outbox.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yaojian.accounts.choices import Role
from yaojian.accounts.models import Department, Membership, User
from yaojian.accounts.scoping import has_permission_in_region, scope_for
from yaojian.audit.services import record
from yaojian.clocks.calendar import add_working_days
from yaojian.core.events import publish
from yaojian.inspections import checklists, configuration, drawing, permissions, rating
from yaojian.inspections.choices import (
    Answer,
    Conclusion,
    InspectionKind,
    InspectionState,
    PlanKind,
    PlanState,
    Remit,
    SampleState,
    Severity,
)
from yaojian.inspections.events import InspectionFindingRecorded, InspectionPassed, SampleFailed
from yaojian.inspections.models import (
    Assignment,
    Attachment,
    Conflict,
    Draw,
    DrawnEntity,
    EntityRating,
    Finding,
    Inspection,
    Plan,
    RiskConfig,
    Sample,
)
from yaojian.registry.choices import EntityStatus, EthnicMedicine
from yaojian.registry.models import Entity, EntityProduct
from yaojian.registry.services.validation import FieldErrors, clean_text
from yaojian.territory.codes import subtree_prefix, subtree_q
from yaojian.territory.models import GridCell
from yaojian.territory.selectors import most_local_departments

CHANGE_GRIDCELL = "territory.change_gridcell"
PHOTO_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG", "image/webp": b"RIFF"}
FILE_TYPES = {"application/pdf": b"%PDF"}
UPLOAD_TYPES = (*PHOTO_TYPES, *FILE_TYPES)
MAX_UPLOAD = 10 * 1024 * 1024
FOLLOW_UP_DAYS = 30
LOOKBACK_YEARS = 3


def _today() -> dt.date:
    return timezone.localdate()


# --- the grid: entity → cell ------------------------------------------------------------------


def match_cell(address: str, cells: Sequence[tuple[int, str, str]]) -> int | None:
    """The one cell whose place names occur in ``address``: villages before townships
    before the county cell; ``None`` when none or several match at the most specific level.
    ``cells``: ``(id, level, place names)`` of the entity's county."""
    rank = {"village": 0, "township": 1, "county": 2}
    best: dict[int, set[int]] = {}
    for cell_id, level, names in cells:
        if level == "county":
            best.setdefault(rank[level], set()).add(cell_id)
            continue
        if any(name and name in address for name in names.split(",")):
            best.setdefault(rank.get(level, 1), set()).add(cell_id)
    for rank_value in sorted(best):
        if len(best[rank_value]) == 1:
            return next(iter(best[rank_value]))
        return None
    return None


@transaction.atomic
def place_entities(
    *, actor: Any, county_code: str = "", entity_ids: Iterable[int] | None = None
) -> tuple[int, int]:
    """Put entities without a cell into the cell their address names; returns (placed,
    left for review). Needs ``territory.change_gridcell`` for the county unless the system
    (``actor`` None) places a new entity."""
    entities = Entity.objects.filter(grid_cell__isnull=True)
    if entity_ids is not None:
        entities = entities.filter(pk__in=list(entity_ids))
    if county_code:
        if actor is not None and not has_permission_in_region(actor, CHANGE_GRIDCELL, county_code):
            raise PermissionDenied(_("You may not manage the grid cells of this county."))
        entities = entities.filter(region_id=county_code)
    rows = list(entities.values_list("pk", "region_id", "address"))
    counties = sorted({region for _pk, region, _address in rows})
    cells_by_county: dict[str, list[tuple[int, str, str]]] = {}
    for cell_id, region_id, level, names in GridCell.objects.filter(
        region_id__in=counties
    ).values_list("pk", "region_id", "level", "place_names"):
        cells_by_county.setdefault(region_id, []).append((cell_id, level, names))
    by_cell: dict[int, list[int]] = {}
    for pk, region_id, address in rows:
        if actor is not None and not has_permission_in_region(actor, CHANGE_GRIDCELL, region_id):
            continue
        match = match_cell(address or "", cells_by_county.get(region_id, []))
        if match is not None:
            by_cell.setdefault(match, []).append(pk)
    placed = 0
    for cell_id, pks in by_cell.items():
        placed += Entity.objects.filter(pk__in=pks, grid_cell__isnull=True).update(
            grid_cell_id=cell_id
        )
    if placed:
        record(
            actor=actor,
            action="inspections.entities_placed",
            object_type="territory.region",
            object_id=county_code,
            changes={"placed": placed, "left": len(rows) - placed},
        )
    return placed, len(rows) - placed


@transaction.atomic
def assign_entity_to_cell(
    *, actor: Any, entity: Entity, cell: GridCell | None, reason: str = ""
) -> Entity:
    """Put ``entity`` into ``cell`` by hand (or out of any cell), audited with the reason."""
    if not has_permission_in_region(actor, CHANGE_GRIDCELL, entity.region_id):
        raise PermissionDenied(_("You may not manage the grid cells of this county."))
    errors = FieldErrors()
    if cell is not None and cell.region_id != entity.region_id:
        errors.add("cell", _("Choose a grid cell of the entity's county."), "wrong_county")
    reason = clean_text(errors, "reason", reason)
    if not reason:
        errors.add("reason", _("Give the reason for the reassignment."), "required")
    errors.raise_if_any()
    locked = Entity.objects.select_for_update(no_key=True).get(pk=entity.pk)
    before = locked.grid_cell.code if locked.grid_cell is not None else ""
    after = cell.code if cell is not None else ""
    if before == after:
        return locked
    locked.grid_cell = cell
    locked.save(update_fields=["grid_cell", "updated_at"])
    record(
        actor=actor,
        action="inspections.entity_cell_assigned",
        obj=locked,
        changes={"grid_cell": [before, after]},
        reason=reason,
    )
    return locked


# --- risk ratings ---------------------------------------------------------------------------


def province_config(province_code: str) -> dict[str, Any]:
    """The merged configuration of a province (defaults when it has none)."""
    row = RiskConfig.objects.filter(province_id=province_code).first()
    return rating.merge(row.values if row else None)


def configurable_provinces(actor: Any) -> list[str]:
    """The province codes whose frequencies ``actor`` may configure (a provincial membership
    granting ``inspections.change_riskconfig``; superusers: every province with a region)."""
    from yaojian.territory.choices import RegionLevel
    from yaojian.territory.models import Region

    scope = scope_for(actor)
    if scope.is_superuser:
        return list(
            Region.objects.filter(level=RegionLevel.PROVINCE, valid_to__isnull=True)
            .order_by("code")
            .values_list("code", flat=True)
        )
    return sorted(
        {f"{m.prefix}0000" for m in scope.members_with(permissions.CONFIGURE) if len(m.prefix) == 2}
    )


def _clean_overrides(overrides: dict[str, Any]) -> dict[str, int]:
    """Every override known, a whole number, inside its bounds: errors per flat key."""
    errors = FieldErrors()
    clean: dict[str, int] = {}
    for key, value in configuration.flat_overrides(overrides).items():
        setting = configuration.BY_KEY.get(key)
        if setting is None:
            errors.add("__all__", _("Unknown setting %(key)s.") % {"key": key}, "unknown")
            continue
        try:
            number = int(value)
            if isinstance(value, bool) or number != float(value):
                raise ValueError(value)
        except (TypeError, ValueError):
            errors.add(key, _("Give a whole number."), "invalid")
            continue
        if setting.group == "floors" and number > setting.maximum:
            errors.add(
                key,
                _("At most %(maximum)s months: a statutory floor may only be made shorter.")
                % {"maximum": setting.maximum},
                "longer_than_statutory",
            )
        elif not setting.minimum <= number <= setting.maximum:
            errors.add(
                key,
                _("Give a number from %(minimum)s to %(maximum)s.")
                % {"minimum": setting.minimum, "maximum": setting.maximum},
                "out_of_range",
            )
        clean[key] = number
    errors.raise_if_any()
    return clean


@transaction.atomic
def configure_province(
    *, actor: Any, province_code: str, overrides: dict[str, Any], reason: str = ""
) -> RiskConfig:
    """Store a province's overrides of the frequency engine and the draws (audited with the
    reason and each value before and after), then re-rate the province's entities after
    commit. Only members of a provincial department with ``inspections.change_riskconfig``
    (and superusers) configure; floors may only get shorter."""
    if province_code not in configurable_provinces(actor):
        raise PermissionDenied(_("You may not configure the frequencies of this province."))
    clean = _clean_overrides(overrides)
    errors = FieldErrors()
    reason = clean_text(errors, "reason", reason)
    if not reason:
        errors.add("reason", _("Give the reason for the change."), "required")
    errors.raise_if_any()
    stored = configuration.overrides_from(clean)
    config = (
        RiskConfig.objects.select_for_update(no_key=True).filter(province_id=province_code).first()
    )
    before = configuration.flatten(rating.merge(config.values if config else None))
    after = configuration.flatten(rating.merge(stored))
    changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
    if config is None:
        config = RiskConfig.objects.create(
            province_id=province_code, values=stored, updated_by=actor
        )
    else:
        config.values = stored
        config.updated_by = actor
        config.save(update_fields=["values", "updated_by", "updated_at"])
    record(
        actor=actor,
        action="inspections.riskconfig_changed",
        obj=config,
        changes=changes,
        reason=reason,
    )
    from yaojian.inspections.tasks import rate_entities_task
    from yaojian.jobs.services import enqueue_on_commit

    enqueue_on_commit(rate_entities_task, prefix=province_code[:2])
    return config


RATING_FIELDS = (
    "entity_id",
    "region_id",
    "intrinsic",
    "compliance",
    "rating",
    "interval_months",
    "floor_months",
    "floor_rule",
    "credit_grade",
    "factors",
    "last_inspected_on",
    "due_on",
    "computed_at",
)


def _ids_q(field: str, ids: list[int], id_range: tuple[int, int] | None) -> Q:
    """``field`` in ``ids``, or in a closed id range (cheaper for whole batches)."""
    if id_range is not None:
        return Q(**{f"{field}__gte": id_range[0], f"{field}__lte": id_range[1]})
    return Q(**{f"{field}__in": ids})


def _classes_by_entity(ids: list[int], id_range: tuple[int, int] | None) -> dict[int, set[str]]:
    classes: dict[int, set[str]] = {}
    for entity_id, risk_class, ethnic in EntityProduct.objects.filter(
        _ids_q("entity_id", ids, id_range)
    ).values_list("entity_id", "product__risk_class", "product__ethnic_medicine"):
        bucket = classes.setdefault(entity_id, set())
        if risk_class:
            bucket.add(risk_class)
        if ethnic == EthnicMedicine.TIBETAN:
            bucket.add("tibetan_preparation")
    return classes


def rate_entities(
    entity_ids: Sequence[int],
    *,
    today: dt.date | None = None,
    id_range: tuple[int, int] | None = None,
    entities: list[tuple[int, str, str, Any]] | None = None,
) -> int:
    """Compute and store the worksheets of ``entity_ids`` (no actor: derived data, redone
    from the records at any time). Returns how many were stored. ``id_range`` (the batch's
    first and last id) lets the related reads use a range instead of a list."""
    from yaojian.enforcement.models import Case

    today = today or _today()
    since = today.replace(year=today.year - LOOKBACK_YEARS)
    ids = list(entity_ids)
    if not ids:
        return 0
    if entities is None:
        entities = list(_entity_rows(Entity.objects.filter(pk__in=ids)))
    classes = _classes_by_entity(ids, id_range)
    findings: dict[tuple[int, str], int] = {}
    for entity_id, severity, count in (
        Finding.objects.filter(
            _ids_q("inspection__entity_id", ids, id_range),
            inspection__inspected_on__gte=since,
            severity__in=[Severity.CRITICAL, Severity.MAJOR],
        )
        .values_list("inspection__entity_id", "severity")
        .annotate(n=Count("pk"))
    ):
        findings[(entity_id, severity)] = count
    cases = dict(
        Case.objects.filter(_ids_q("entity_id", ids, id_range), clue_received_on__gte=since)
        .values_list("entity_id")
        .annotate(n=Count("pk"))
        .values_list("entity_id", "n")
    )
    last = dict(
        Inspection.objects.filter(_ids_q("entity_id", ids, id_range), inspected_on__isnull=False)
        .values_list("entity_id")
        .annotate(last=Max("inspected_on"))
        .values_list("entity_id", "last")
    )
    grades = rating.credit_grades(ids, id_range)
    configs: dict[str, dict[str, Any]] = {}
    sheets: dict[tuple[Any, ...], tuple[rating.Worksheet, dict[str, Any]]] = {}
    now = timezone.now()
    rows: list[tuple[Any, ...]] = []
    for pk, kind, region_id, registered_on in entities:
        province = region_id[:2] + "0000"
        if province not in configs:
            configs[province] = province_config(province)
        key = (
            province,
            kind,
            frozenset(classes.get(pk, ())),
            findings.get((pk, Severity.CRITICAL), 0),
            findings.get((pk, Severity.MAJOR), 0),
            cases.get(pk, 0),
            grades.get(pk, ""),
        )
        cached = sheets.get(key)
        if cached is None:
            sheet = rating.rate(rating.Inputs(*key[1:]), configs[province])
            factors = {
                **sheet.factors,
                "intrinsic_points": sheet.intrinsic_points,
                "compliance_points": sheet.compliance_points,
                "rating_months": sheet.rating_months,
            }
            cached = sheets[key] = (sheet, factors)
        sheet, factors = cached
        registered = registered_on or today
        rows.append(
            (
                pk,
                region_id,
                sheet.intrinsic,
                sheet.compliance,
                sheet.rating,
                sheet.interval_months,
                sheet.floor_months,
                sheet.floor_rule,
                key[6],
                factors,
                last.get(pk),
                rating.due_on(last.get(pk), registered, sheet.interval_months),
                now,
            )
        )
    _store_ratings(rows)
    return len(rows)


def _entity_rows(entities: Any) -> Any:
    """``(id, kind, region, registration date)`` of entities: the local date is computed by
    the database (no time-zone-aware datetime built per row in Python)."""
    registered = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    return entities.annotate(registered_on=registered).values_list(
        "pk", "kind", "region_id", "registered_on"
    )


def _store_ratings(rows: list[tuple[Any, ...]]) -> None:
    """Upsert rating rows: ``COPY`` into a temporary table and one ``INSERT … ON CONFLICT`` on
    PostgreSQL; ``bulk_create(update_conflicts=True)`` elsewhere."""
    from django.db import connection

    updated = [f for f in RATING_FIELDS if f != "entity_id"]
    if connection.vendor != "postgresql":
        EntityRating.objects.bulk_create(
            [EntityRating(**dict(zip(RATING_FIELDS, row, strict=True))) for row in rows],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["entity"],
            update_fields=[f.removesuffix("_id") for f in updated],
        )
        return
    import json

    table = EntityRating._meta.db_table
    columns = ", ".join(RATING_FIELDS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS rating_load (LIKE {table} INCLUDING DEFAULTS) "
            "ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE rating_load")
        raw = cursor.cursor  # the psycopg cursor
        # Entities with the same inputs share one factors dict (rate_entities): encode each once.
        encoded: dict[int, str] = {}
        with raw.copy(f"COPY rating_load ({columns}) FROM STDIN") as copy:
            for row in rows:
                factors = encoded.get(id(row[9]))
                if factors is None:
                    factors = encoded[id(row[9])] = json.dumps(row[9], ensure_ascii=False)
                copy.write_row((*row[:9], factors, *row[10:]))
        assignments = ", ".join(f"{f} = EXCLUDED.{f}" for f in updated)
        upsert = (
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM rating_load "  # noqa: S608 (fixed identifiers)
            f"ON CONFLICT (entity_id) DO UPDATE SET {assignments}"
        )
        cursor.execute(upsert)


def rate_all(*, prefix: str = "", batch: int = 20000, today: dt.date | None = None) -> int:
    """Rate every active entity (under a region prefix), in batches by id."""
    entities = Entity.objects.filter(status=EntityStatus.ACTIVE)
    if prefix:
        entities = entities.filter(subtree_q("region", prefix))
    total = 0
    last = 0
    while True:
        rows = list(_entity_rows(entities.filter(pk__gt=last).order_by("pk"))[:batch])
        if not rows:
            return total
        ids = [row[0] for row in rows]
        with transaction.atomic():
            total += rate_entities(ids, today=today, id_range=(ids[0], ids[-1]), entities=rows)
        last = ids[-1]


# --- plans and draws ------------------------------------------------------------------------


def _clean_proportion(errors: FieldErrors, value: Any) -> Decimal:
    try:
        proportion = Decimal(str(value))
    except (InvalidOperation, ValueError):
        proportion = Decimal(-1)
    if not Decimal("0.01") <= proportion <= Decimal(100):
        errors.add("proportion", _("Give a proportion between 0.01 and 100 %."), "invalid")
    return proportion.quantize(Decimal("0.01")) if proportion > 0 else Decimal(0)


def _clean_grade_proportions(errors: FieldErrors, value: Any) -> dict[str, str]:
    """Proportions by credit grade (``{"A": "1", "D": "30"}``): grades A–D, each 0–100 % (0:
    no entity of that grade is drawn, as for grade A without a complaint or a lead)."""
    if not value:
        return {}
    if not isinstance(value, dict):
        errors.add(
            "grade_proportions", _("Give the proportions by credit grade A to D."), "invalid"
        )
        return {}
    cleaned: dict[str, str] = {}
    for grade, raw in sorted(value.items()):
        if raw is None or raw == "":
            continue
        if grade not in drawing.GRADES:
            errors.add(
                "grade_proportions",
                _("%(grade)s is not a credit grade (A, B, C or D).") % {"grade": grade},
                "invalid_choice",
            )
            continue
        try:
            share = Decimal(str(raw))
        except (InvalidOperation, ValueError):
            share = Decimal(-1)
        if not Decimal(0) <= share <= Decimal(100):
            errors.add(
                "grade_proportions",
                _("Give grade %(grade)s a proportion between 0 and 100 %%.") % {"grade": grade},
                "invalid",
            )
            continue
        cleaned[grade] = str(share.quantize(Decimal("0.01")))
    return cleaned


@transaction.atomic
def create_plan(
    *,
    actor: Any,
    department: Department,
    year: int,
    kind: str,
    title: str,
    items: Sequence[str],
    proportion: Any,
    inspection_kind: str,
    scope: dict[str, Any] | None = None,
    inspectors_per_entity: int = 2,
    exclude_cell_officers: bool = True,
    joint_departments: Iterable[Department] = (),
) -> Plan:
    """An annual or ad-hoc plan of ``department`` (heads: ``inspections.add_plan``)."""
    if (
        department.pk
        not in {m.department_id for m in scope_for(actor).members_with(permissions.ADD_PLAN)}
        and not scope_for(actor).is_superuser
    ):
        raise PermissionDenied(_("You may not make plans for this department."))
    errors = FieldErrors()
    title = clean_text(errors, "title", title)
    if not title:
        errors.add("title", _("Give the plan a title."), "required")
    if kind not in PlanKind.values:
        errors.add("kind", _("Choose annual or ad-hoc."), "invalid_choice")
    if inspection_kind not in InspectionKind.values:
        errors.add("inspection_kind", _("Choose an inspection kind."), "invalid_choice")
    known = {code for code, _label in checklists.SPOT_CHECK_ITEMS}
    items = [code for code in items if code]
    if not items or set(items) - known:
        errors.add("items", _("Choose items from the spot-check list."), "invalid_choice")
    proportion = _clean_proportion(errors, proportion)
    least = int(province_config(department.region_id[:2] + "0000")["draw_min_proportion"])
    if kind == PlanKind.ANNUAL and Decimal(0) < proportion < least:
        errors.add(
            "proportion",
            _("An annual plan draws at least %(least)s %% of its pool in this province.")
            % {"least": least},
            "below_minimum",
        )
    joint = [d for d in joint_departments if d.pk != department.pk]
    if inspectors_per_entity < max(2, len(joint) + 1):
        errors.add(
            "inspectors_per_entity",
            _("A team needs at least two inspectors and one from each department."),
            "too_small",
        )
    scope = dict(scope or {})
    grade_proportions = _clean_grade_proportions(errors, scope.pop("grade_proportions", None))
    if grade_proportions:
        scope["grade_proportions"] = grade_proportions
    region = str(scope.get("region") or "")
    if region and not region.startswith(subtree_prefix(department.region_id)):
        errors.add(
            "scope",
            _("The region %(region)s lies outside the department's jurisdiction.")
            % {"region": region},
            "outside_jurisdiction",
        )
    errors.raise_if_any()
    plan = Plan.objects.create(
        department=department,
        year=int(year),
        kind=kind,
        title=title,
        items=items,
        scope=scope,
        proportion=proportion,
        inspection_kind=inspection_kind,
        inspectors_per_entity=inspectors_per_entity,
        exclude_cell_officers=exclude_cell_officers,
        state=PlanState.ACTIVE,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    plan.joint_departments.set(joint)
    record(
        actor=actor,
        action="inspections.plan_created",
        obj=plan,
        changes={
            "title": title,
            "year": plan.year,
            "proportion": str(proportion),
            "items": items,
            "scope": scope,
            "joint": [d.code for d in joint],
        },
    )
    return plan


def pool_entities(plan: Plan) -> Any:
    """The entities of the plan's pool (检查对象名录库): active, in the department's
    jurisdiction, narrowed by the plan's scope (kinds, region, product classes, due only)."""
    scope = plan.scope or {}
    entities = Entity.objects.filter(
        subtree_q("region", plan.department.region_id), status=EntityStatus.ACTIVE
    )
    if scope.get("region"):
        entities = entities.filter(subtree_q("region", str(scope["region"])))
    if scope.get("kinds"):
        entities = entities.filter(kind__in=list(scope["kinds"]))
    if scope.get("risk_classes"):
        entities = entities.filter(
            pk__in=EntityProduct.objects.filter(
                product__risk_class__in=list(scope["risk_classes"])
            ).values("entity_id")
        )
    if scope.get("due_only"):
        entities = entities.filter(inspection_rating__due_on__lte=dt.date(plan.year, 12, 31))
    if scope.get("credit_grades"):
        ids = list(entities.values_list("pk", flat=True))
        grades = rating.credit_grades(ids)
        wanted = set(scope["credit_grades"])
        entities = entities.filter(pk__in=[pk for pk in ids if grades.get(pk, "") in wanted])
    return entities


def grade_proportions(plan: Plan) -> dict[str, Decimal]:
    """The plan's proportions by credit grade (empty: one proportion for the whole pool)."""
    return {
        grade: Decimal(str(share))
        for grade, share in ((plan.scope or {}).get("grade_proportions") or {}).items()
    }


def _pool_snapshot(plan: Plan, *, with_grades: bool = False) -> drawing.Pool:
    """The pool's (entity id, cell id) pairs in id order, read with a plain cursor (a million
    rows without building a Python object per row through the ORM); ``with_grades`` adds each
    entity's credit grade (read by the pool's id range, not by a list of its ids)."""
    from django.db import connection

    query = pool_entities(plan).order_by("pk").values_list("pk", "grid_cell_id")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    ids = [row[0] for row in rows]
    grades = None
    if with_grades:
        by_id = rating.credit_grades(ids, (ids[0], ids[-1])) if ids else {}
        grades = [drawing.grade_code(by_id.get(pk, "")) for pk in ids]
    return drawing.Pool(ids, [row[1] or 0 for row in rows], grades)


def inspector_pool(plan: Plan, entity_ids: Sequence[int]) -> drawing.Inspectors:
    """The inspector pool (执法检查人员名录库) of the plan: active inspectors of the plan's
    department and joint departments, with conflicts, recusals, past involvement (the last
    inspection of the entity) and, when the plan says so, the officers of each cell."""
    departments = [plan.department_id, *sorted(d.pk for d in plan.joint_departments.all())]
    memberships = Membership.objects.filter(
        department_id__in=departments,
        role=Role.INSPECTOR,
        is_active=True,
        user__is_active=True,
    )
    members = sorted(set(memberships.values_list("user_id", "department_id")))
    seen: set[int] = set()
    inspectors = []
    for uid, dept in members:  # someone in two departments is drawn for the first only
        if uid not in seen:
            seen.add(uid)
            inspectors.append((uid, dept))
    # The pool's members as a subquery, not a list of thousands of ids in each query below.
    inspector_ids = memberships.values("user_id")
    conflicts = set(
        Conflict.objects.filter(inspector_id__in=inspector_ids)
        .filter(Q(plan__isnull=True) | Q(plan=plan))
        .values_list("entity_id", "inspector_id")
    )
    since = dt.date(plan.year - 2, 1, 1)
    past = Inspection.inspectors.through.objects.filter(
        user_id__in=inspector_ids, inspection__inspected_on__gte=since
    ).values_list("inspection__entity_id", "user_id")
    conflicts |= set(past)
    cell_officers: dict[int, list[int]] = {}
    if plan.exclude_cell_officers:
        for cell_id, uid in GridCell.officers.through.objects.filter(
            user_id__in=inspector_ids
        ).values_list("gridcell_id", "user_id"):
            cell_officers.setdefault(cell_id, []).append(uid)
        cell_officers = {k: sorted(v) for k, v in cell_officers.items()}
    return drawing.Inspectors(
        inspectors=inspectors,
        conflicts=sorted(conflicts),
        cell_officers=cell_officers,
        departments=departments if len(departments) > 1 else [],
    )


@transaction.atomic
def make_draw(*, actor: Any, plan: Plan, seed: str = "") -> Draw:
    """Draw entities and their inspectors for ``plan`` (heads: ``inspections.draw_plan``).

    Refuses, with the numbers, when the inspector pool cannot give every entity its team.
    """
    if not Plan.objects.visible_to(actor, "draw").filter(pk=plan.pk).exists():
        raise PermissionDenied(_("You may not draw for this plan."))
    Plan.objects.select_for_update(no_key=True).get(pk=plan.pk)
    errors = FieldErrors()
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 64:
        errors.add("seed", _("The seed is longer than 64 characters."), "too_long")
    if plan.state != PlanState.ACTIVE:
        errors.add("plan", _("Only a plan in progress can be drawn."), "invalid_state")
    errors.raise_if_any()
    by_grade = grade_proportions(plan) or None
    pool = _pool_snapshot(plan, with_grades=by_grade is not None)
    inspectors = inspector_pool(plan, pool.entity_ids)
    needed = plan.inspectors_per_entity
    if not pool.entity_ids:
        raise ValidationError({"plan": _("The pool of entities is empty.")})
    if len(inspectors.inspectors) < needed:
        raise ValidationError(
            {
                "plan": _(
                    "The inspector pool has %(available)s inspectors; each entity needs %(needed)s."
                )
                % {"available": len(inspectors.inspectors), "needed": needed}
            }
        )
    pool_blob, pool_hash = drawing.pack_pool(pool)
    inspector_blob, inspector_hash = drawing.pack_inspectors(inspectors)
    try:
        result = drawing.run(
            pool=pool,
            inspectors=inspectors,
            proportion=plan.proportion,
            team_size=needed,
            seed=seed,
            pool_hash=pool_hash,
            inspector_hash=inspector_hash,
            by_grade=by_grade,
        )
    except drawing.PoolTooSmall as exc:
        raise ValidationError(
            {
                "plan": _(
                    "The inspector pool cannot give entity %(entity)s a team: it needs "
                    "%(needed)s inspectors without a conflict, %(available)s are available."
                )
                % {"entity": exc.entity_id, "needed": exc.needed, "available": exc.available}
            }
        ) from exc
    strata = _strata(pool, plan.proportion, by_grade, result)
    if by_grade is not None and plan.kind == PlanKind.ANNUAL:
        least = Decimal(
            province_config(plan.department.region_id[:2] + "0000")["draw_min_proportion"]
        )
        needed_total = drawing.sample_size(len(pool.entity_ids), least)
        if len(result) < needed_total:
            raise ValidationError(
                {
                    "plan": _(
                        "An annual draw takes at least %(least)s %% of its pool: %(needed)s of "
                        "%(pool)s entities. The proportions by credit grade give %(drawn)s."
                    )
                    % {
                        "least": least,
                        "needed": needed_total,
                        "pool": len(pool.entity_ids),
                        "drawn": len(result),
                    }
                }
            )
    draw = Draw.objects.create(
        plan=plan,
        seed=seed,
        algorithm=drawing.ALGORITHM if by_grade is None else drawing.ALGORITHM_BY_GRADE,
        strata=strata,
        proportion=plan.proportion,
        team_size=needed,
        pool_size=len(pool.entity_ids),
        pool_hash=pool_hash,
        pool_blob=pool_blob,
        inspector_count=len(inspectors.inspectors),
        inspector_hash=inspector_hash,
        inspector_blob=inspector_blob,
        drawn_count=len(result),
        result_hash=drawing.result_hash(result),
        drawn_by=actor if getattr(actor, "pk", None) else None,
    )
    _store_result(draw, result, dict(inspectors.inspectors))
    record(
        actor=actor,
        action="inspections.draw_made",
        obj=draw,
        changes={
            "plan": str(plan.public_id),
            "seed": seed,
            "algorithm": draw.algorithm,
            "strata": strata,
            "pool_size": draw.pool_size,
            "pool_hash": pool_hash,
            "inspector_hash": inspector_hash,
            "drawn": draw.drawn_count,
            "result_hash": draw.result_hash,
        },
    )
    return draw


def _strata(
    pool: drawing.Pool,
    proportion: Decimal,
    by_grade: dict[str, Decimal] | None,
    result: list[tuple[int, list[int]]],
) -> list[dict[str, Any]]:
    """What a draw by credit grade took from each grade: ``[{grade, proportion, pool,
    drawn}]`` (A, B, C, D, ungraded); empty for a draw with one proportion."""
    if by_grade is None:
        return []
    from bisect import bisect_left
    from collections import Counter

    def grade_of(code: int) -> str:
        return drawing.GRADES[code - 1] if 1 <= code <= len(drawing.GRADES) else ""

    grades = pool.grades or []
    in_pool: Counter[str] = Counter()
    for code, count in Counter(grades).items():  # counted in C, not per entity in Python
        in_pool[grade_of(code)] += count
    # The pool is sorted by id: each drawn entity's grade by binary search.
    drawn = Counter(
        grade_of(grades[bisect_left(pool.entity_ids, entity_id)]) for entity_id, _team in result
    )
    return [
        {
            "grade": grade,
            "proportion": str(Decimal(by_grade.get(grade, proportion)).quantize(Decimal("0.01"))),
            "pool": in_pool[grade],
            "drawn": drawn[grade],
        }
        for grade in (*drawing.GRADES, drawing.UNGRADED)
    ]


def _store_result(draw: Draw, result: list[tuple[int, list[int]]], dept: dict[int, int]) -> None:
    """The drawn entities and their teams: ``COPY`` with ids taken from the sequence on
    PostgreSQL (tens of thousands of rows in a second), ``bulk_create`` elsewhere."""
    from django.db import connection

    if connection.vendor == "postgresql" and result:
        table = DrawnEntity._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, len(result)],
            )
            ids = [row[0] for row in cursor.fetchall()]
            raw = cursor.cursor
            with raw.copy(f"COPY {table} (id, draw_id, position, entity_id) FROM STDIN") as copy:
                for pk, (position, (entity_id, _team)) in zip(ids, enumerate(result), strict=True):
                    copy.write_row((pk, draw.pk, position, entity_id))
            columns = "drawn_id, slot, inspector_id, department_id"
            with raw.copy(f"COPY {Assignment._meta.db_table} ({columns}) FROM STDIN") as copy:
                for pk, (_entity_id, team) in zip(ids, result, strict=True):
                    for slot, uid in enumerate(team):
                        copy.write_row((pk, slot, uid, dept[uid]))
        return
    drawn = DrawnEntity.objects.bulk_create(
        [
            DrawnEntity(draw=draw, position=i, entity_id=entity_id)
            for i, (entity_id, _team) in enumerate(result)
        ],
        batch_size=5000,
    )
    if any(d.pk is None for d in drawn):  # backends that do not return ids
        positions = dict(DrawnEntity.objects.filter(draw=draw).values_list("position", "pk"))
        for d in drawn:
            d.pk = positions[d.position]
    Assignment.objects.bulk_create(
        [
            Assignment(drawn_id=d.pk, slot=slot, inspector_id=uid, department_id=dept[uid])
            for d, (_entity_id, team) in zip(drawn, result, strict=True)
            for slot, uid in enumerate(team)
        ],
        batch_size=5000,
    )


def verify_draw(draw: Draw) -> tuple[bool, str]:
    """Run ``draw`` again from its stored snapshots: ``(True, "")`` when the snapshots still
    hash to their stored hashes and the result is the stored one, else ``(False, why)``."""
    if draw.algorithm not in drawing.ALGORITHMS:
        return False, _("Unknown algorithm %(name)s.") % {"name": draw.algorithm}
    by_grade = (
        {row["grade"]: Decimal(row["proportion"]) for row in draw.strata}
        if draw.algorithm == drawing.ALGORITHM_BY_GRADE
        else None
    )
    pool, pool_hash = drawing.unpack_pool(bytes(draw.pool_blob))
    inspectors, inspector_hash = drawing.unpack_inspectors(bytes(draw.inspector_blob))
    if pool_hash != draw.pool_hash:
        return False, _("The pool snapshot does not match its hash.")
    if inspector_hash != draw.inspector_hash:
        return False, _("The inspector snapshot does not match its hash.")
    result = drawing.run(
        pool=pool,
        inspectors=inspectors,
        proportion=draw.proportion,
        team_size=draw.team_size,
        seed=draw.seed,
        pool_hash=pool_hash,
        inspector_hash=inspector_hash,
        by_grade=by_grade,
    )
    expected = drawing.result_hash(result)
    if expected != draw.result_hash:
        return False, _("Running the draw again gives another result.")
    stored: dict[int, tuple[int, list[int]]] = {}
    for drawn_id, position, entity_id in DrawnEntity.objects.filter(draw=draw).values_list(
        "pk", "position", "entity_id"
    ):
        stored[drawn_id] = (position, [entity_id])
    teams: dict[int, list[int]] = {}
    for drawn_id, uid in (
        Assignment.objects.filter(drawn__draw=draw)
        .order_by("drawn_id", "slot")
        .values_list("drawn_id", "inspector_id")
    ):
        teams.setdefault(drawn_id, []).append(uid)
    rows = sorted((pos, ent[0], teams.get(pk, [])) for pk, (pos, ent) in stored.items())
    if drawing.result_hash([(e, t) for _p, e, t in rows]) != draw.result_hash:
        return False, _("The stored result differs from the recorded hash.")
    return True, ""


@transaction.atomic
def declare_conflict(
    *, actor: Any, inspector: User, entity: Entity, reason: str, plan: Plan | None = None
) -> Conflict:
    """A declared relation (any plan) or a recusal (one plan): the inspector is not drawn
    for the entity. The inspector declares their own; heads declare for their inspectors."""
    if getattr(actor, "pk", None) != inspector.pk and not has_permission_in_region(
        actor, permissions.DRAW, entity.region_id
    ):
        raise PermissionDenied(_("You may declare only your own conflicts."))
    errors = FieldErrors()
    reason = clean_text(errors, "reason", reason)
    if not reason:
        errors.add("reason", _("Give the reason."), "required")
    errors.raise_if_any()
    conflict = Conflict.objects.create(inspector=inspector, entity=entity, plan=plan, reason=reason)
    record(
        actor=actor,
        action="inspections.conflict_declared",
        obj=conflict,
        changes={"inspector": inspector.username, "entity": entity.name, "reason": reason},
    )
    return conflict


# --- inspections ----------------------------------------------------------------------------


@transaction.atomic
def start_inspection(
    *,
    actor: Any,
    entity: Entity,
    department: Department,
    kind: str,
    scheduled_on: dt.date,
    inspectors: Sequence[User],
    plan: Plan | None = None,
    drawn: DrawnEntity | None = None,
    follow_up_of: Inspection | None = None,
) -> Inspection:
    """Schedule an inspection (from a draw, the due list or as a follow-up)."""
    member_departments = {
        m.department_id for m in scope_for(actor).members_with(permissions.CHANGE)
    }
    if not scope_for(actor).is_superuser and department.pk not in member_departments:
        raise PermissionDenied(_("You may not schedule inspections for this department."))
    errors = FieldErrors()
    if not entity.region_id.startswith(subtree_prefix(department.region_id)):
        errors.add(
            "entity",
            _("%(entity)s lies outside the department's jurisdiction.") % {"entity": entity.name},
            "outside_jurisdiction",
        )
    if kind not in InspectionKind.values:
        errors.add("kind", _("Choose an inspection kind."), "invalid_choice")
    team = list(dict.fromkeys(inspectors))
    if len(team) < 2:
        errors.add("inspectors", _("An inspection needs at least two inspectors."), "too_few")
    errors.raise_if_any()
    inspection = Inspection.objects.create(
        department=department,
        entity=entity,
        kind=kind,
        plan=plan,
        drawn=drawn,
        follow_up_of=follow_up_of,
        scheduled_on=scheduled_on,
    )
    inspection.inspectors.set(team)
    record(
        actor=actor,
        action="inspections.inspection_scheduled",
        obj=inspection,
        changes={
            "entity": entity.name,
            "kind": kind,
            "scheduled_on": scheduled_on.isoformat(),
            "inspectors": [u.username for u in team],
        },
    )
    return inspection


@transaction.atomic
def start_from_assignment(*, actor: Any, drawn: DrawnEntity) -> Inspection:
    """The inspection of a drawn entity, made on first use (idempotent): for its team and
    the heads who may draw for the plan."""
    team = [a.inspector for a in drawn.team.select_related("inspector")]
    if (
        actor not in team
        and not Plan.objects.visible_to(actor, "draw").filter(pk=drawn.draw.plan_id).exists()
    ):
        raise PermissionDenied(_("You are not on this entity's team."))
    existing = Inspection.objects.filter(drawn=drawn).first()
    if existing is not None:
        return existing
    plan = drawn.draw.plan
    return start_inspection(
        actor=_system_or(actor, plan.department),
        entity=drawn.entity,
        department=plan.department,
        kind=plan.inspection_kind,
        scheduled_on=_today(),
        inspectors=team,
        plan=plan,
        drawn=drawn,
    )


def _system_or(actor: Any, department: Department) -> Any:
    """``actor`` when they may act for ``department``, else the system user (joint teams:
    the lead department's inspection is scheduled on the drawn member's behalf)."""
    if scope_for(actor).is_superuser or department.pk in {
        m.department_id for m in scope_for(actor).members_with(permissions.CHANGE)
    }:
        return actor
    return system_user()


def system_user() -> User:
    """The system account used for hand-offs that no person makes (superuser, no login)."""
    user, _created = User.objects.get_or_create(
        username="system", defaults={"is_superuser": True, "is_staff": False, "is_active": True}
    )
    if _created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def check_upload(upload: UploadedFile) -> tuple[bytes, str, bool]:
    """Read an upload, check its size and type by its first bytes: (content, type, photo)."""
    size = upload.size or 0
    if size > MAX_UPLOAD:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB.")
            % {"name": upload.name, "limit": MAX_UPLOAD // (1024 * 1024)},
            code="too_large",
        )
    content = upload.read()
    if len(content) > MAX_UPLOAD:
        raise ValidationError(_("%(name)s is too large.") % {"name": upload.name}, code="too_large")
    for content_type, magic in {**PHOTO_TYPES, **FILE_TYPES}.items():
        if content.startswith(magic):
            return content, content_type, content_type in PHOTO_TYPES
    raise ValidationError(
        _("%(name)s is neither a photo (JPEG, PNG, WebP) nor a PDF file.") % {"name": upload.name},
        code="invalid_type",
    )


def _clean_findings(
    errors: FieldErrors, findings: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    cleaned = []
    for n, raw in enumerate(findings, start=1):
        severity = str(raw.get("severity") or "")
        clause = str(raw.get("clause") or "").strip()
        description = str(raw.get("description") or "").strip()
        if not (severity or clause or description):
            continue
        if severity not in Severity.values:
            errors.add("findings", _("Finding %(n)s: choose its severity.") % {"n": n}, "severity")
        if not clause:
            errors.add("findings", _("Finding %(n)s: name the clause.") % {"n": n}, "clause")
        if not description:
            errors.add("findings", _("Finding %(n)s: describe it.") % {"n": n}, "description")
        remit = str(raw.get("remit") or "")
        if remit not in Remit.values:
            errors.add("findings", _("Finding %(n)s: unknown remit.") % {"n": n}, "remit")
        cleaned.append(
            {
                "severity": severity,
                "clause": clause[:200],
                "description": description,
                "item": str(raw.get("item") or "")[:32],
                "remit": remit,
            }
        )
    return cleaned


@transaction.atomic
def record_inspection(
    *,
    actor: Any,
    inspection: Inspection,
    answers: dict[str, str],
    findings: Sequence[dict[str, Any]] = (),
    conclusion: str,
    summary: str = "",
    signed_by: str = "",
    refused: bool = False,
    refusal_note: str = "",
    inspected_on: dt.date | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Inspection:
    """Record what the team found on site. A critical finding proposes a case (a clue from
    "inspection finding"), a finding in another department's remit sends it a notice, a
    major finding schedules a follow-up inspection; the result waits for publication within
    20 working days."""
    if not Inspection.objects.visible_to(actor, "change").filter(pk=inspection.pk).exists():
        raise PermissionDenied(_("Only the inspection team records the inspection."))
    locked = Inspection.objects.select_for_update(no_key=True).get(pk=inspection.pk)
    errors = FieldErrors()
    if locked.state != InspectionState.PLANNED:
        errors.add("__all__", _("This inspection has been recorded already."), "invalid_state")
    items = checklists.checklist(locked.kind)
    clean_answers: dict[str, str] = {}
    missing = []
    for item in items:
        value = str(answers.get(item.code) or "")
        if value and value not in Answer.values:
            errors.add(
                "answers", _("Unknown answer for %(item)s.") % {"item": item.code}, "invalid"
            )
        if value:
            clean_answers[item.code] = value
        elif item.mandatory:
            missing.append(item.code)
    if missing:
        errors.add(
            "answers",
            _("Answer every mandatory item: %(items)s.") % {"items": "、".join(missing)},
            "required",
        )
    clean = _clean_findings(errors, findings)
    if conclusion not in Conclusion.values:
        errors.add("conclusion", _("Choose a conclusion."), "invalid_choice")
    elif conclusion == Conclusion.PASSED and clean:
        errors.add(
            "conclusion", _("An inspection with findings is not simply compliant."), "findings"
        )
    signed_by = clean_text(errors, "signed_by", signed_by)
    refusal_note = clean_text(errors, "refusal_note", refusal_note)
    if refused and not refusal_note:
        errors.add("refusal_note", _("Note how the refusal to sign happened."), "required")
    if not refused and not signed_by:
        errors.add("signed_by", _("Name who signed for the entity, or note a refusal."), "required")
    day = inspected_on or _today()
    if day > _today():
        errors.add("inspected_on", _("The inspection date lies in the future."), "future")
    files = []
    for upload in attachments:
        try:
            files.append((upload, *check_upload(upload)))
        except ValidationError as exc:
            errors.add_error("attachments", exc)
    errors.raise_if_any()
    locked.answers = clean_answers
    locked.conclusion = conclusion
    locked.summary = summary.strip()
    locked.signed_by = "" if refused else signed_by
    locked.refused = refused
    locked.refusal_note = refusal_note if refused else ""
    locked.inspected_on = day
    locked.state = InspectionState.RECORDED
    locked.recorded_by = actor if getattr(actor, "pk", None) else None
    locked.recorded_at = timezone.now()
    within = int(province_config(locked.entity.region_id[:2] + "0000")["publish_within_days"])
    locked.publish_due_on = add_working_days(day, within)
    locked.save()
    for upload, content, content_type, is_photo in files:
        _store_attachment(locked, upload.name or "file", content, content_type, is_photo)
    saved = [Finding.objects.create(inspection=locked, **row) for row in clean]
    for finding in saved:
        _trigger(actor, locked, finding)
    if not saved:
        publish(
            InspectionPassed(
                inspection_public_id=str(locked.public_id),
                entity_id=locked.entity_id,
                department_id=locked.department_id,
                inspected_on=day.isoformat(),
            )
        )
    record(
        actor=actor,
        action="inspections.inspection_recorded",
        obj=locked,
        changes={
            "conclusion": conclusion,
            "findings": [[f.severity, f.clause] for f in saved],
            "files": [
                sha
                for _u, content, _t, _p in files
                for sha in [hashlib.sha256(content).hexdigest()]
            ],
            "refused": refused,
        },
    )
    rate_entities([locked.entity_id])
    return locked


def _store_attachment(
    inspection: Inspection, name: str, content: bytes, content_type: str, is_photo: bool
) -> Attachment:
    from django.core.files.base import ContentFile

    sha = hashlib.sha256(content).hexdigest()
    attachment = Attachment(
        inspection=inspection,
        name=name[:200],
        content_type=content_type,
        size=len(content),
        sha256=sha,
        is_photo=is_photo,
    )
    attachment.file.save(sha, ContentFile(content), save=False)
    attachment.save()
    return attachment


@transaction.atomic
def add_attachment(*, actor: Any, inspection: Inspection, upload: UploadedFile) -> Attachment:
    """A photo or file added to an inspection by its team."""
    if not Inspection.objects.visible_to(actor, "change").filter(pk=inspection.pk).exists():
        raise PermissionDenied(_("Only the inspection team adds files."))
    if inspection.state == InspectionState.PUBLISHED:
        raise ValidationError(
            {"file": _("The result is published: its files can no longer change.")}
        )
    try:
        content, content_type, is_photo = check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    attachment = _store_attachment(
        inspection, upload.name or "file", content, content_type, is_photo
    )
    record(
        actor=actor,
        action="inspections.file_added",
        obj=inspection,
        changes={"file": attachment.name, "sha256": attachment.sha256, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def record_file_read(*, actor: Any, attachment: Attachment, purpose: str = "page") -> None:
    """Audit that ``actor`` downloaded an inspection's photo or file (evidence: who read it
    is kept). The caller has checked that ``actor`` may see the inspection."""
    record(
        actor=actor,
        action="inspections.file_downloaded",
        obj=attachment.inspection,
        changes={"file": attachment.name, "sha256": attachment.sha256, "purpose": purpose},
    )


def _may_record_clue(actor: Any, department_id: int) -> bool:
    scope = scope_for(actor)
    return scope.is_superuser or department_id in {
        m.department_id for m in scope.members_with("enforcement.add_case")
    }


def _trigger(actor: Any, inspection: Inspection, finding: Finding) -> None:
    """What a finding sets off (in the recording transaction)."""
    from yaojian.enforcement.choices import ClueSource
    from yaojian.enforcement.services import record_clue

    entity = inspection.entity
    if finding.severity == Severity.CRITICAL and not finding.remit:
        clue_actor = actor
        if not _may_record_clue(actor, inspection.department_id):
            clue_actor = system_user()
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Critical finding at %(entity)s: %(clause)s") % {
                "entity": entity.name,
                "clause": finding.clause,
            }
        case = record_clue(
            actor=clue_actor,
            source=ClueSource.INSPECTION,
            title=title[:200],
            entity=entity,
            facts=finding.description,
            source_reference=str(inspection.public_id),
            department=inspection.department,
        )
        finding.case = case
        finding.save(update_fields=["case", "updated_at"])
    if finding.remit:
        _notify_remit(inspection, finding)
    if finding.severity == Severity.MAJOR and not inspection.follow_ups.exists():
        follow = Inspection.objects.create(
            department=inspection.department,
            entity=entity,
            kind=inspection.kind,
            plan=inspection.plan,
            follow_up_of=inspection,
            scheduled_on=(inspection.inspected_on or _today()) + dt.timedelta(days=FOLLOW_UP_DAYS),
        )
        follow.inspectors.set(list(inspection.inspectors.all()))
    publish(
        InspectionFindingRecorded(
            inspection_public_id=str(inspection.public_id),
            finding_id=finding.pk,
            entity_id=entity.pk,
            department_id=inspection.department_id,
            severity=finding.severity,
            clause=finding.clause,
            inspected_on=(inspection.inspected_on or _today()).isoformat(),
        )
    )


def _notify_remit(inspection: Inspection, finding: Finding) -> None:
    from django.urls import reverse

    from yaojian.notices.services import send_notice

    recipients = most_local_departments(inspection.entity.region_id, (finding.remit,))
    if not recipients:
        return
    params = {"entity": inspection.entity.name, "department": inspection.department.name}
    with translation.override(settings.LANGUAGE_CODE):
        subject = (_("Inspection finding in your remit: %(entity)s") % params)[:200]
        body = (
            _("%(department)s found during an on-site inspection of %(entity)s:") % params
            + "\n"
            + f"{finding.clause}：{finding.description}"
        )
    send_notice(
        actor=None,
        sender_department=inspection.department,
        recipient_departments=recipients,
        subject=subject,
        body=body,
        entity=inspection.entity,
        source_app="inspections",
        source_ref=str(inspection.public_id),
        url=reverse("inspections:inspection_detail", args=[inspection.public_id]),
    )


@transaction.atomic
def publish_inspection(*, actor: Any, inspection: Inspection) -> Inspection:
    """Publish a recorded inspection's result on the public site (一公开)."""
    if not Inspection.objects.visible_to(actor, "publish").filter(pk=inspection.pk).exists():
        raise PermissionDenied(_("You may not publish this inspection."))
    locked = Inspection.objects.select_for_update(no_key=True).get(pk=inspection.pk)
    if locked.state != InspectionState.RECORDED:
        raise ValidationError({"__all__": _("Only a recorded inspection can be published.")})
    locked.state = InspectionState.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["state", "published_at", "updated_at"])
    late = timezone.localdate() > (locked.publish_due_on or timezone.localdate())
    record(
        actor=actor,
        action="inspections.inspection_published",
        obj=locked,
        changes={"late": late, "due": str(locked.publish_due_on)},
    )
    return locked


# --- samples --------------------------------------------------------------------------------


@transaction.atomic
def record_sample(
    *,
    actor: Any,
    department: Department,
    entity: Entity,
    number: str,
    product_name: str,
    sampled_on: dt.date,
    risk_class: str = "",
    batch_number: str = "",
    inspection: Inspection | None = None,
) -> Sample:
    """A sample taken for testing (inspectors: ``inspections.add_sample``)."""
    if not scope_for(actor).is_superuser and department.pk not in {
        m.department_id for m in scope_for(actor).members_with(permissions.ADD_SAMPLE)
    }:
        raise PermissionDenied(_("You may not record samples for this department."))
    errors = FieldErrors()
    number = clean_text(errors, "number", number)
    if not number:
        errors.add("number", _("Give the sample number."), "required")
    elif Sample.objects.filter(number=number).exists():
        errors.add("number", _("This sample number exists already."), "duplicate")
    product_name = clean_text(errors, "product_name", product_name)
    if not product_name:
        errors.add("product_name", _("Name the product."), "required")
    if not entity.region_id.startswith(subtree_prefix(department.region_id)):
        errors.add("entity", _("The entity lies outside the department's jurisdiction."), "outside")
    errors.raise_if_any()
    sample = Sample.objects.create(
        department=department,
        entity=entity,
        number=number,
        product_name=product_name,
        risk_class=risk_class,
        batch_number=batch_number.strip(),
        sampled_on=sampled_on,
        inspection=inspection,
    )
    record(actor=actor, action="inspections.sample_taken", obj=sample, changes={"number": number})
    return sample


NOTIFIED_ON_FAILURE = ("market_regulator", "health_commission", "medical_insurance")


@transaction.atomic
def record_lab_result(
    *,
    actor: Any,
    sample: Sample,
    passed: bool,
    result_on: dt.date,
    report_number: str = "",
    failed_items: str = "",
) -> Sample:
    """The laboratory's result. A failure opens a clue (source "failed sampling test"),
    sends notices to the other departments concerned and publishes ``SampleFailed`` (the
    risk signal by product class)."""
    from django.urls import reverse

    from yaojian.enforcement.choices import ClueSource
    from yaojian.enforcement.services import record_clue
    from yaojian.notices.services import send_notice

    locked = (
        Sample.objects.select_for_update(no_key=True).select_related("entity").get(pk=sample.pk)
    )
    if locked.state != SampleState.AT_LAB:
        raise ValidationError({"number": _("This sample has a result already.")})
    locked.state = SampleState.PASSED if passed else SampleState.FAILED
    locked.result_on = result_on
    locked.lab_report_number = report_number.strip()[:64]
    locked.failed_items = failed_items.strip()[:255]
    if not passed:
        clue_actor = actor
        if not _may_record_clue(actor, locked.department_id):
            clue_actor = system_user()
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Failed sampling test: %(product)s at %(entity)s") % {
                "product": locked.product_name,
                "entity": locked.entity.name,
            }
        locked.case = record_clue(
            actor=clue_actor,
            source=ClueSource.SAMPLING,
            title=title[:200],
            entity=locked.entity,
            facts=locked.failed_items,
            source_reference=locked.number,
            department=locked.department,
        )
        recipients = [
            d
            for d in most_local_departments(locked.entity.region_id, NOTIFIED_ON_FAILURE)
            if d.pk != locked.department_id
        ]
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                subject = title[:200]
                body = _("Failed items:") + " " + (locked.failed_items or "—")
            send_notice(
                actor=None,
                sender_department=locked.department,
                recipient_departments=recipients,
                subject=subject,
                body=body,
                entity=locked.entity,
                source_app="inspections",
                source_ref=locked.number,
                url=reverse("inspections:sample_list"),
            )
        publish(
            SampleFailed(
                sample_public_id=str(locked.public_id),
                sample_number=locked.number,
                entity_id=locked.entity_id,
                department_id=locked.department_id,
                product_name=locked.product_name,
                risk_class=locked.risk_class,
                failed_items=locked.failed_items,
                result_on=result_on.isoformat(),
            )
        )
    locked.save()
    record(
        actor=actor,
        action="inspections.lab_result_recorded",
        obj=locked,
        changes={"passed": passed, "report": locked.lab_report_number},
    )
    return locked
