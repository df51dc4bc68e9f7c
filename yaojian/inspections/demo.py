"""Demo inspections (called by the demo generator after the cases): every entity in a grid cell
with officers and their terms, ratings, an annual plan of the demo ``head`` with a completed
double-random draw, recorded inspections with findings (one became a case clue), samples with
one failure, and published results. Through the services, so audit, clues and notices are
real."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from yaojian.accounts.choices import Role
from yaojian.accounts.models import Membership, User
from yaojian.inspections import services
from yaojian.inspections.models import Draw, Plan
from yaojian.registry.models import Entity
from yaojian.territory.codes import covering_codes, subtree_q
from yaojian.territory.models import GridCell, GridOfficerTerm

FINDINGS = (
    {
        "severity": "critical",
        "clause": "药品管理法 第98条",
        "description": "货架陈列销售过期药品3个品种",
    },
    {"severity": "major", "clause": "GSP 第143条", "description": "阴凉区温湿度记录缺失7天"},
    {
        "severity": "other",
        "clause": "医保服务协议",
        "description": "医保结算品种与实际销售不一致",
        "remit": "medical_insurance",
    },
)


def _fill_grid(province: str, today: dt.date) -> int:
    """Every entity in a cell, every cell with an officer, every officer with a term."""
    prefix = province[:2]
    cells = list(GridCell.objects.filter(subtree_q("region", prefix)).order_by("code"))
    first_cell: dict[str, int] = {}
    for cell in cells:
        first_cell.setdefault(cell.region_id, cell.pk)
    placed = 0
    for region_id in (
        Entity.objects.filter(subtree_q("region", prefix), grid_cell__isnull=True)
        .values_list("region_id", flat=True)
        .distinct()
    ):
        cell_id = first_cell.get(region_id)
        if cell_id is None:
            cell = GridCell.objects.create(
                code=f"{region_id}-G00",
                name=f"{region_id} 全域网格",
                region_id=region_id,
                level="county",
            )
            cells.append(cell)
            cell_id = first_cell[region_id] = cell.pk
        placed += Entity.objects.filter(region_id=region_id, grid_cell__isnull=True).update(
            grid_cell_id=cell_id
        )
    through = GridCell.officers.through
    staffed = set(through.objects.filter(gridcell__in=cells).values_list("gridcell_id", flat=True))
    inspectors: dict[str, list[int]] = {}
    for user_id, region_id in Membership.objects.filter(
        subtree_q("department__region", prefix), role=Role.INSPECTOR, is_active=True
    ).values_list("user_id", "department__region_id"):
        inspectors.setdefault(region_id, []).append(user_id)
    links = []
    for cell in cells:
        if cell.pk in staffed:
            continue
        for code in covering_codes(cell.region_id):
            if inspectors.get(code):
                links.append(
                    through(
                        gridcell_id=cell.pk,
                        user_id=inspectors[code][cell.pk % len(inspectors[code])],
                    )
                )
                break
    through.objects.bulk_create(links, ignore_conflicts=True)
    open_terms = set(
        GridOfficerTerm.objects.filter(ended_on__isnull=True).values_list("cell_id", "officer_id")
    )
    GridOfficerTerm.objects.bulk_create(
        [
            GridOfficerTerm(
                cell_id=c, officer_id=u, started_on=today - dt.timedelta(days=400 + (c % 200))
            )
            for c, u in through.objects.filter(gridcell__in=cells).values_list(
                "gridcell_id", "user_id"
            )
            if (c, u) not in open_terms
        ],
        batch_size=1000,
    )
    return placed


def _joint_plan(head: User, department: Any, today: dt.date) -> int:
    """A joint (multi-department) plan of the demo head with the county's health commission,
    whose inspector ``health`` is drawn beside the head's inspectors (部门联合抽查): medical
    institutions, use quality, one inspector of each department per team. Drawn with a fixed
    seed; returns 1, or 0 when the county has no health commission with inspectors."""
    health = (
        Membership.objects.filter(user__username="health", is_active=True)
        .select_related("department")
        .first()
    )
    if health is None or health.department.region_id != department.region_id:
        return 0
    with transaction.atomic():
        plan = services.create_plan(
            actor=head,
            department=department,
            year=today.year,
            kind="ad_hoc",
            title=f"{today.year}年度医疗机构药品使用质量部门联合抽查",
            items=["ypsy_zl", "tsyp"],
            proportion="50",
            inspection_kind="medical_use",
            scope={"kinds": ["hospital", "clinic"], "region": department.region_id},
            inspectors_per_entity=2,
            exclude_cell_officers=True,
            joint_departments=[health.department],
        )
        if services.pool_entities(plan).exists():
            services.make_draw(actor=head, plan=plan, seed=f"demo-joint-{today.year}")
    return 1


def seed_demo_inspections(rng: random.Random, *, province: str) -> dict[str, int]:
    """Build the demo's inspections; returns counts (nothing when a plan exists already)."""
    if Plan.objects.exists():
        return {}
    today = timezone.localdate()
    with transaction.atomic():
        _fill_grid(province, today)
    rated = services.rate_all(prefix=province[:2])
    head = User.objects.filter(username="head").first()
    membership = (
        Membership.objects.filter(user=head, is_active=True).select_related("department").first()
    )
    if head is None or membership is None:
        return {"ratings": rated}
    department = membership.department
    with transaction.atomic():
        plan = services.create_plan(
            actor=head,
            department=department,
            year=today.year,
            kind="annual",
            title=f"{today.year}年度药品经营使用环节双随机抽查计划",
            items=["ypjy_gsp", "ypsy_zl", "cj"],
            proportion="5",
            inspection_kind="gsp_pharmacy",
            scope={"kinds": ["single_pharmacy", "chain_store"]},
        )
        draw = services.make_draw(actor=head, plan=plan, seed=f"demo-{today.year}")
    services.create_plan(
        actor=head,
        department=department,
        year=today.year,
        kind="ad_hoc",
        title="冷链药品专项检查",
        items=["ypjy_gsp"],
        proportion="20",
        inspection_kind="cold_chain",
        scope={"kinds": ["wholesaler", "hospital"]},
    )
    joint = _joint_plan(head, department, today)
    recorded = published = 0
    for n, drawn in enumerate(draw.entities.select_related("entity").order_by("position")[:6]):
        inspection = services.start_from_assignment(actor=head, drawn=drawn)
        member = inspection.inspectors.order_by("pk").first()
        findings = [FINDINGS[n]] if n < len(FINDINGS) else []
        services.record_inspection(
            actor=member,
            inspection=inspection,
            answers={
                "P01": "yes",
                "P02": "yes",
                "P03": "yes",
                "P04": "yes",
                "P05": "no" if n == 0 else "yes",
            },
            findings=findings,
            conclusion="failed" if n == 0 else ("findings" if findings else "passed"),
            summary="现场检查" + ("发现问题，已责令整改" if findings else "未发现问题"),
            signed_by="" if n == 1 else "店长",
            refused=n == 1,
            refusal_note="负责人拒绝签字，两名检查员在场见证" if n == 1 else "",
            inspected_on=today - dt.timedelta(days=30 - n * 3),
        )
        recorded += 1
        if n >= 2:
            services.publish_inspection(actor=head, inspection=inspection)
            published += 1
    inspector = User.objects.filter(username="inspector").first()
    samples = 0
    if inspector is not None:
        entities = list(
            Entity.objects.filter(region_id=department.region_id, kind="single_pharmacy").order_by(
                "pk"
            )[:3]
        )
        for n, entity in enumerate(entities, start=1):
            sample = services.record_sample(
                actor=inspector,
                department=department,
                entity=entity,
                number=f"CJ{today.year}-{n:04d}",
                product_name=("阿莫西林胶囊", "藏药二十五味松石丸", "人血白蛋白")[n - 1],
                risk_class=("ordinary", "ordinary", "blood_product")[n - 1],
                batch_number=f"2026{n:02d}01",
                sampled_on=today - dt.timedelta(days=40),
            )
            samples += 1
            if n < 3:
                services.record_lab_result(
                    actor=inspector,
                    sample=sample,
                    passed=n == 2,
                    result_on=today - dt.timedelta(days=10),
                    report_number=f"XZYJ-{today.year}-{n:03d}",
                    failed_items="含量测定" if n == 1 else "",
                )
        if entities:
            services.declare_conflict(
                actor=inspector, inspector=inspector, entity=entities[-1], reason="配偶在该药店任职"
            )
    rng.random()
    return {
        "ratings": rated,
        "plans": Plan.objects.count(),
        "joint plans": joint,
        "draws": Draw.objects.count(),
        "inspections": recorded,
        "published": published,
        "samples": samples,
    }


__all__: list[Any] = ["seed_demo_inspections"]
