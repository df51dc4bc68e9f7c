"""Build a realistic, deterministic demo province (``manage.py seed_demo``).

The same ``seed`` gives the same departments, users, grid cells, entities, names and codes
(only the random ``public_id`` UUIDs differ). Rows are written with ``bulk_create`` in batches,
inside one transaction, so a failed run leaves nothing behind; entities are streamed in
batches, so memory stays flat up to millions of entities.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from yaojian.audit.services import record
from yaojian.demo.catalogue import catalogue
from yaojian.demo.entities import (
    STREAM_WEIGHTS,
    TIBETAN_MEDICINE_WEIGHT,
    Draft,
    EntityMaker,
    anchor_counts,
    save_drafts,
)
from yaojian.demo.geography import Geography, load_geography
from yaojian.demo.staff import create_departments, create_grid_cells, create_staff
from yaojian.registry.choices import EntityKind, ProductKind, ProductRelation, RiskClass
from yaojian.registry.models import EntityProduct, Product

DEFAULT_SEED = 20260701
Progress = Callable[[str], None]


class DemoSeedError(Exception):
    """The demo province cannot be built (unknown province, regions not loaded, …)."""


def _stream_kinds(geo: Geography) -> tuple[list[str], list[float]]:
    weights = dict(STREAM_WEIGHTS)
    weights[EntityKind.TIBETAN_MEDICINE] = TIBETAN_MEDICINE_WEIGHT.get(geo.code, 0.2)
    return [str(k) for k in weights], list(weights.values())


def _create_products(maker: EntityMaker, manufacturers: list[tuple[int, bool]]) -> tuple[int, int]:
    """Save the catalogue; local products get a manufacturer of the province as holder."""
    geo, rng = maker.geo, maker.rng
    capital = geo.capital
    city_abbr = capital.abbreviation if capital else geo.name[0]
    tibetan_makers = [pk for pk, tibetan in manufacturers if tibetan] or [
        pk for pk, _ in manufacturers
    ]
    other_makers = [pk for pk, tibetan in manufacturers if not tibetan] or [
        pk for pk, _ in manufacturers
    ]
    products = []
    for spec in catalogue(rng, geo.code, geo.abbreviation, city_abbr):
        holder = None
        if spec.local and manufacturers:
            holder = rng.choice(tibetan_makers if spec.ethnic_medicine else other_makers)
        products.append(
            Product(
                kind=spec.kind,
                name=spec.name,
                generic_name=spec.name,
                approval_number=spec.approval_number,
                approval_scheme=spec.approval_scheme,
                origin=spec.origin,
                category=spec.category,
                dosage_form=spec.dosage_form,
                strength=spec.strength,
                ethnic_medicine=spec.ethnic_medicine,
                risk_class=spec.risk_class,
                holder_id=holder,
            )
        )
    Product.objects.bulk_create(products, batch_size=500)
    links = []
    pools = maker.pools
    for product in products:
        if product.holder_id:
            for relation in (ProductRelation.HOLDER, ProductRelation.MANUFACTURES):
                links.append(
                    EntityProduct(entity_id=product.holder_id, product=product, relation=relation)
                )
        if product.kind == ProductKind.DEVICE:
            pools.devices.append(product.pk)
        elif product.kind == ProductKind.COSMETIC:
            pools.cosmetics.append(product.pk)
        elif product.risk_class != RiskClass.ORDINARY:
            pools.special.append(product.pk)
        else:
            pools.retail.append(product.pk)
            if product.ethnic_medicine:
                pools.tibetan.append(product.pk)
    EntityProduct.objects.bulk_create(links, batch_size=500)
    return len(products), len(links)


def seed_province(
    *,
    province: str,
    entities: int,
    seed: int = DEFAULT_SEED,
    password_hash: str,
    progress: Progress | None = None,
    batch_size: int = 5000,
    activity: bool = True,
) -> dict[str, int]:
    """Build the demo province and return what was created, by table.

    ``password_hash`` (from ``make_password``) is shared by every generated user: hashing
    thousands of passwords would dominate the run time.
    """
    say = progress or (lambda message: None)
    try:
        geo = load_geography(province)
    except ValueError as error:
        raise DemoSeedError(str(error)) from error
    rng = random.Random(seed)  # noqa: S311 (reproducible demo data, not secrets)
    today = timezone.localdate()
    started = time.monotonic()
    counts: Counter[str] = Counter()
    with transaction.atomic():
        departments = create_departments(geo)
        staffing = create_staff(rng, geo, departments, password_hash)
        create_grid_cells(rng, geo, staffing)
        counts.update(
            departments=len(departments),
            users=staffing.users,
            memberships=staffing.memberships,
            grid_cells=staffing.grid_cell_count,
        )
        say(
            f"{geo.name}: {len(departments)} departments, {staffing.users} users, "
            f"{staffing.grid_cell_count} grid cells"
        )
        maker = EntityMaker(rng, geo, staffing, today)
        anchors = anchor_counts(entities)
        tibetan_share = (
            0.6 if geo.code == "54" else 0.3 if geo.code in TIBETAN_MEDICINE_WEIGHT else 0.05
        )
        manufacturer_drafts = [
            maker.manufacturer(tibetan=rng.random() < tibetan_share)
            for _ in range(anchors[EntityKind.MANUFACTURER])
        ]
        hq_drafts = [maker.chain_headquarters() for _ in range(anchors[EntityKind.RETAIL_CHAIN_HQ])]
        online = [maker.online_platform() for _ in range(anchors[EntityKind.ONLINE_PLATFORM])]
        counts.update(save_drafts(manufacturer_drafts + hq_drafts + online))
        # Chain sizes follow a long tail: a few big chains, many small ones.
        maker.chains = [
            (d.entity.pk, d.entity.name, 1.0 / (rank + 1) ** 0.8)
            for rank, d in enumerate(hq_drafts)
        ]
        manufacturers = [(d.entity.pk, "藏药" in d.entity.name) for d in manufacturer_drafts]
        products, holder_links = _create_products(maker, manufacturers)
        counts.update(products=products, entity_products=holder_links)
        kinds, weights = _stream_kinds(geo)
        remaining = max(0, entities - sum(anchors.values()))
        done = 0
        while done < remaining:
            size = min(batch_size, remaining - done)
            drafts: list[Draft] = [maker.make(kind) for kind in rng.choices(kinds, weights, k=size)]
            counts.update(save_drafts(drafts))
            done += size
            say(f"entities: {counts['entities']}/{entities} ({time.monotonic() - started:.1f} s)")
        record(
            actor=None,
            action="demo.seeded",
            object_type="territory.region",
            object_id=geo.region_code,
            object_repr=geo.name,
            changes={"province": geo.region_code, "seed": seed, **dict(sorted(counts.items()))},
        )
    if activity:
        counts.update(seed_activity(province=geo.code, seed=seed, say=say))
    say(f"refreshing planner statistics ({time.monotonic() - started:.1f} s)")
    refresh_statistics()
    return dict(counts)


def seed_activity(*, province: str, seed: int, say: Progress) -> dict[str, int]:
    """Cross-department work on top of the registry: cases (with their decisions, notices and
    publications, through the services and their events) and problems pushed to inboxes."""
    from yaojian.accounts.models import Membership
    from yaojian.enforcement.demo import seed_demo_cases
    from yaojian.notices.demo import seed_demo_notices

    rng = random.Random(seed + 1)  # noqa: S311 (reproducible demo data, not secrets)
    officer = (
        Membership.objects.filter(user__username="caseofficer", is_active=True)
        .select_related("department")
        .first()
    )
    cases = (
        seed_demo_cases(rng, department_code=officer.department.code, province=province)
        if officer is not None
        else 0
    )
    say(f"cases: {cases}")
    # The hand-offs of those cases (publications queued, joint-case notices) are delivered now,
    # as the worker would: without it nothing is queued for publication yet (issue 9 item 2).
    _deliver_handoffs()
    published = _publish_demo_decisions()
    say(f"penalty information published: {published}")
    problems = seed_demo_notices(rng, province=province)
    say(f"problems pushed between departments: {problems}")
    from yaojian.referrals.demo import seed_demo_referrals

    referrals = seed_demo_referrals()
    _deliver_handoffs()  # the police's notices of the referrals
    say(f"referrals waiting for the police: {referrals}")
    from yaojian.credit.demo import seed_demo_credit

    credit = seed_demo_credit()
    say(f"credit files: {credit}")
    from yaojian.traceability.demo import seed_demo_trace

    trace_events = seed_demo_trace(province=province)
    say(f"trace events ingested (with planted anomalies): {trace_events}")
    from yaojian.demo.complaints import seed_demo_complaints

    complaints = seed_demo_complaints()
    say(f"complaints and reports: {complaints}")
    from yaojian.inspections.demo import seed_demo_inspections

    inspections = seed_demo_inspections(rng, province=province)
    say(f"inspections: {inspections}")
    return {
        **{f"inspections_{key}": value for key, value in inspections.items()},
        "trace_events": trace_events,
        "cases": cases,
        "publications": published,
        "problems": problems,
        "referrals": referrals,
        "complaints": complaints,
    }


def _deliver_handoffs() -> int:
    """Deliver the hand-offs the demo activity stored (the worker's sweep, run here)."""
    from yaojian.outbox.delivery import deliver_due

    return deliver_due(budget_seconds=600.0)


def _publish_demo_decisions() -> int:
    """The demo head publishes the decisions waiting in the queue, and one typical case."""
    from yaojian.accounts.models import User
    from yaojian.portal import services as portal
    from yaojian.portal.models import Publication

    head = User.objects.filter(username="head").first()
    if head is None:
        return 0
    drafts = list(Publication.objects.visible_to(head).filter(status="draft").order_by("id"))
    for publication in drafts:
        portal.publish_publication(actor=head, publication=publication)
    if drafts:
        case = portal.create_typical_case(
            actor=head,
            title="销售劣药被罚款并吊销许可证",
            summary="药店销售含量不合格的药品，被依法罚款、没收违法所得并吊销药品经营许可证。",
            body=(
                "经抽检发现，当事人销售的药品含量不符合国家药品标准，属于劣药。执法人员依法立案"
                "调查，经法制审核、告知和陈述申辩程序后作出行政处罚决定，并将吊销许可证的信息推送"
                "卫生健康和医疗保障部门。"
            ),
            publication=drafts[0],
        )
        portal.publish_typical_case(actor=head, case=case)
    return len(drafts)


def refresh_statistics() -> None:
    """ANALYZE after a bulk load: with stale statistics PostgreSQL's planner takes the
    province-wide region filter for a selective one and ignores the trigram index."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
        elif connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
