"""Receiving complaints and reports: the public forms, staff intake (phone, letter, another
department) and imported hotline hand-offs. One path (:func:`receive`) validates every field,
routes by jurisdiction, detects duplicates and writes everything in one transaction."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yaojian.accounts.models import Department
from yaojian.audit.services import record
from yaojian.complaints import challenge, clocks, conf, routing, throttle
from yaojian.complaints.attachments import CleanFile, clean_files
from yaojian.complaints.choices import Channel, Kind, OutcomeKind, State, Topic
from yaojian.complaints.events import ComplaintReceived, ComplaintTransferred
from yaojian.complaints.models import Attachment, Complaint, ReporterIdentity
from yaojian.complaints.permissions import ADD
from yaojian.complaints.services.common import raise_if, require, step, text
from yaojian.core import inserts, request_context
from yaojian.core.events import publish
from yaojian.registry.models import Entity
from yaojian.territory.models import Region

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PHONE = re.compile(r"^\+?[0-9]{7,20}$")
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}$")


class ThrottledError(Exception):
    """Too many submissions from one address or contact (the message says when to retry)."""


@dataclass(frozen=True)
class Submission:
    """What a complainant or reporter sends (identity fields go to ``ReporterIdentity``)."""

    kind: str
    topic: str
    summary: str
    subject_name: str = ""
    entity_public_id: str = ""
    subject_address: str = ""
    region_code: str = ""
    is_ecommerce: bool = False
    platform_name: str = ""
    platform_region_code: str = ""
    against_platform: bool = False
    occurred_on: dt.date | None = None
    products: str = ""
    is_anonymous: bool = False
    name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    files: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    complaint: Complaint
    query_code: str
    duplicate_of: Complaint | None = None


def code_hash(number: str, code: str) -> str:
    key = hashlib.sha256(f"{settings.SECRET_KEY}:complaints:query-code".encode()).digest()
    normalised = (code or "").strip().upper().replace(" ", "")
    return hmac.new(key, f"{number}:{normalised}".encode(), hashlib.sha256).hexdigest()


def new_query_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(10))


def text_key(value: str) -> str:
    """The normalised text compared for duplicates (width, case, punctuation, spaces)."""
    folded = unicodedata.normalize("NFKC", value or "").lower()
    return "".join(ch for ch in folded if ch.isalnum())[:500]


def _region(code: str) -> Region | None:
    """The region of ``code`` (its code only: all the intake needs), or None. In SQL: the
    public intake's hot path, where the ORM's compilation cost more than the look-up."""
    qn = connection.ops.quote_name
    sql = f"SELECT {qn('code')} FROM {qn(Region._meta.db_table)} WHERE {qn('code')} = %s"  # noqa: S608
    return next(iter(Region.objects.raw(sql, [code])), None)


def _check(sub: Submission, errors: dict[str, list[str]], *, staff: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    limit = int(conf.value("max_text_chars"))
    if sub.kind not in Kind.values:
        errors.setdefault("kind", []).append(_("Choose complaint or report."))
    if sub.topic not in Topic.values:
        errors.setdefault("topic", []).append(_("Choose what the matter is about."))
    out["summary"] = text(errors, "summary", sub.summary, _("Describe what happened."), limit)
    out["products"] = text(errors, "products", sub.products, limit=500)
    out["subject_address"] = text(errors, "subject_address", sub.subject_address, limit=200)
    out["platform_name"] = text(errors, "platform_name", sub.platform_name, limit=200)
    entity = None
    if sub.entity_public_id:
        try:
            entity = Entity.objects.select_related("region").get(
                public_id=str(sub.entity_public_id)
            )
        except (Entity.DoesNotExist, ValidationError, ValueError):
            errors.setdefault("entity", []).append(
                _("This entity is unknown; type its name and address instead.")
            )
    out["entity"] = entity
    name = text(errors, "subject_name", sub.subject_name, limit=200)
    if entity is not None:
        name = entity.name
        out["subject_address"] = out["subject_address"] or entity.address[:200]
    elif not name:
        errors.setdefault("subject_name", []).append(
            _("Name the business or person complained of, or choose one from the list.")
        )
    out["subject_name"] = name
    region_code = entity.region_id if entity is not None else (sub.region_code or "").strip()
    region = _region(region_code) if region_code else None
    if region_code and region is None:
        errors.setdefault("region_code", []).append(_("Choose a region from the list."))
    platform_region = None
    if sub.is_ecommerce and sub.platform_region_code:
        platform_region = _region(sub.platform_region_code.strip())
        if platform_region is None:
            errors.setdefault("platform_region_code", []).append(
                _("Choose a region from the list.")
            )
    if region is None and platform_region is None and "region_code" not in errors:
        errors.setdefault("region_code", []).append(
            _("Say where the business is or where it happened.")
        )
    out["region"], out["platform_region"] = region, platform_region
    if sub.occurred_on is not None and sub.occurred_on > timezone.localdate():
        errors.setdefault("occurred_on", []).append(_("The date lies in the future."))
    anonymous = bool(sub.is_anonymous) and sub.kind == Kind.REPORT
    out["is_anonymous"] = anonymous
    out["name"] = text(errors, "name", "" if anonymous else sub.name, limit=64)
    out["phone"] = re.sub(r"[\s\-()（）]", "", "" if anonymous else sub.phone or "")
    out["email"] = text(errors, "email", "" if anonymous else sub.email, limit=254)
    out["address"] = text(errors, "address", "" if anonymous else sub.address, limit=200)
    if out["phone"] and not PHONE.match(out["phone"]):
        errors.setdefault("phone", []).append(_("Enter a telephone number of digits only."))
    if out["email"] and not EMAIL.match(out["email"]):
        errors.setdefault("email", []).append(_("Enter a valid e-mail address."))
    if not anonymous:
        if not out["name"]:
            errors.setdefault("name", []).append(
                _("Give your name, or report anonymously.")
                if sub.kind == Kind.REPORT
                else _("A complaint needs the complainant's name.")
            )
        if not out["phone"] and not out["email"] and not staff:
            errors.setdefault("phone", []).append(
                _("Give a telephone number or an e-mail address so that we can reach you.")
            )
    try:
        out["files"] = clean_files(list(sub.files or []))
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
        out["files"] = []
    return out


def _find_duplicate(
    *, reporter_key: str, by_contact: bool, entity: Entity | None, subject: str, key: str
) -> Complaint | None:
    if not reporter_key or not key:
        return None
    since = timezone.now() - dt.timedelta(days=conf.days("duplicate_days"))
    threshold = float(conf.value("duplicate_similarity"))
    for candidate in _duplicate_candidates(
        since=since,
        reporter_key=reporter_key,
        by_contact=by_contact,
        entity=entity,
        subject=subject,
    ):
        ratio = difflib.SequenceMatcher(None, candidate.text_key, key, autojunk=False).ratio()
        if ratio >= threshold:
            return candidate
    return None


def _duplicate_candidates(
    *,
    since: dt.datetime,
    reporter_key: str,
    by_contact: bool,
    entity: Entity | None,
    subject: str,
) -> list[Complaint]:
    """The reporter's recent originals about the same subject (pk, number, text key), oldest
    first, at most 50. Written in SQL: the public intake's hot path, where the ORM spent about
    1 ms of CPU compiling it on every submission; the same index (``contact_hash`` or
    ``address_hash`` with ``received_at``)."""
    qn = connection.ops.quote_name
    reporter = (
        f"{qn('contact_hash')} = %s"
        if by_contact
        else f"{qn('address_hash')} = %s AND {qn('contact_hash')} = ''"
    )
    subject_sql, subject_param = (
        (f"{qn('entity_id')} = %s", entity.pk)
        if entity is not None
        else (f"{qn('subject_name')} = %s", subject)
    )
    sql = (
        f"SELECT {qn('id')}, {qn('number')}, {qn('text_key')} "  # noqa: S608 - names only
        f"FROM {qn(Complaint._meta.db_table)} WHERE {qn('received_at')} >= %s "
        f"AND {qn('duplicate_of_id')} IS NULL AND {reporter} AND {subject_sql} "
        f"ORDER BY {qn('received_at')}, {qn('id')} LIMIT 50"
    )
    params = [connection.ops.adapt_datetimefield_value(since), reporter_key, subject_param]
    return list(Complaint.objects.raw(sql, params))


def _next_number(kind: str, on: dt.date) -> str:
    prefix = "T" if kind == Kind.COMPLAINT else "J"
    return f"{prefix}{on:%Y%m%d}{secrets.randbelow(10**6):06d}"


def receive(
    sub: Submission,
    *,
    actor: Any,
    channel: str,
    client_address: str = "",
    challenge_nonce: str | None = None,
    source_department: Department | None = None,
    external_reference: str = "",
    received_at: dt.datetime | None = None,
    department: Department | None = None,
    staff: bool = False,
    number: str = "",
    query_code: str = "",
) -> Receipt:
    """Record one submission; ``ValidationError`` per field (nothing written on failure).

    The fields are checked and the submission routed first, reading reference data only
    (entities, regions, departments); the transaction (SQLite: the database's write lock)
    begins with the duplicate check and ends with the audit event and the outbox rows.

    ``number`` and ``query_code`` are for the demo's documented example only."""
    errors: dict[str, list[str]] = {}
    data = _check(sub, errors, staff=staff)
    raise_if(errors)
    region, platform_region = data["region"], data["platform_region"]
    route = routing.route(
        kind=sub.kind,
        topic=sub.topic,
        region_code=region.code if region else "",
        is_ecommerce=sub.is_ecommerce,
        platform_region_code=platform_region.code if platform_region else "",
        against_platform=sub.against_platform,
    )
    if department is None and route is None:
        raise ValidationError(
            {"region_code": [_("No regulatory office covers this region; choose another.")]}
        )
    return _record(
        sub,
        data,
        route=route,
        department=department,
        actor=actor,
        channel=channel,
        client_address=client_address,
        challenge_nonce=challenge_nonce,
        source_department=source_department,
        external_reference=external_reference,
        received_at=received_at,
        number=number,
        query_code=query_code,
    )


@transaction.atomic
def _record(
    sub: Submission,
    data: dict[str, Any],
    *,
    route: routing.Route | None,
    department: Department | None,
    actor: Any,
    channel: str,
    client_address: str,
    challenge_nonce: str | None,
    source_department: Department | None,
    external_reference: str,
    received_at: dt.datetime | None,
    number: str,
    query_code: str,
) -> Receipt:
    """The writes of :func:`receive`, in one transaction."""
    region, platform_region = data["region"], data["platform_region"]
    handling = department or route.department  # type: ignore[union-attr]
    contact_hash = throttle.fingerprint("contact", data["phone"] or data["email"])
    address_hash = throttle.fingerprint("address", client_address)
    key = text_key(data["summary"])
    duplicate = _find_duplicate(
        reporter_key=contact_hash or address_hash,
        by_contact=bool(contact_hash),
        entity=data["entity"],
        subject=data["subject_name"],
        key=key,
    )
    now = received_at or timezone.now()
    code = query_code or new_query_code()
    complaint = Complaint(
        kind=sub.kind,
        channel=channel,
        topic=sub.topic,
        department=handling,
        region_id=route.region_code if route else (region or platform_region).code,
        routing_basis=(route.basis if route else _("Designated by the receiving office"))[:200],
        entity=data["entity"],
        subject_name=data["subject_name"],
        subject_address=data["subject_address"],
        is_ecommerce=bool(sub.is_ecommerce),
        platform_name=data["platform_name"],
        platform_region=platform_region,
        summary=data["summary"],
        occurred_on=sub.occurred_on,
        products=data["products"],
        is_anonymous=data["is_anonymous"],
        contact_hash=contact_hash,
        address_hash=address_hash,
        text_key=key,
        challenge_nonce=challenge_nonce,
        duplicate_of=duplicate,
        state=State.DUPLICATE if duplicate else State.RECEIVED,
        source_department=source_department,
        external_reference=external_reference[:64],
        received_at=now,
        received_on=timezone.localdate(now),
    )
    clocks.refresh(complaint)
    for _attempt in range(5):
        complaint.number = number or _next_number(sub.kind, complaint.received_on)
        complaint.query_code_hash = code_hash(complaint.number, code)
        # A taken tracking number or an answer already used writes nothing (ON CONFLICT DO
        # NOTHING) and the transaction goes on: no savepoint around each try (ADR 0040).
        if inserts.insert(complaint, ignore_conflicts=True):
            break
        if challenge_nonce and Complaint.objects.filter(challenge_nonce=challenge_nonce).exists():
            raise ValidationError(
                {"challenge_answer": [_("This form was sent already; answer a new question.")]}
            )
    else:  # pragma: no cover - five random collisions in a row
        raise ValidationError(_("Could not allocate a tracking number; try again."))
    inserts.insert(
        ReporterIdentity(
            complaint=complaint,
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            address=data["address"],
        )
    )
    files: list[CleanFile] = data["files"]
    Attachment.objects.bulk_create(
        Attachment(
            complaint=complaint,
            filename=f.filename,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            content=f.content,
        )
        for f in files
    )
    step(
        complaint,
        actor=actor,
        action="received",
        to_state=complaint.state,
        note=(
            _("Linked to the earlier submission %(number)s; it is handled there.")
            % {"number": duplicate.number}
            if duplicate
            else ""
        ),
    )
    record(
        actor=actor,
        action="complaints.complaint_received",
        obj=complaint,
        department=handling,
        changes={
            "kind": sub.kind,
            "channel": channel,
            "topic": sub.topic,
            "department": handling.code,
            "anonymous": complaint.is_anonymous,
            "attachments": len(files),
            "duplicate_of": duplicate.number if duplicate else None,
        },
    )
    if duplicate is None:
        publish(
            ComplaintReceived(
                complaint_id=complaint.pk,
                complaint_public_id=complaint.public_id,
                number=complaint.number,
                kind=complaint.kind,
                topic=complaint.topic,
                department_id=handling.pk,
                region_code=complaint.region_id,
                entity_id=complaint.entity_id,
                products=complaint.products,
                also_tell_department_id=route.also_tell.pk if route and route.also_tell else None,
            )
        )
        if route is not None and route.other_remit is not None and department is None:
            _transfer_at_intake(complaint, route.other_remit, actor)
    return Receipt(complaint=complaint, query_code=code, duplicate_of=duplicate)


def _transfer_at_intake(complaint: Complaint, to: Department, actor: Any) -> None:
    reasons = _("The matter lies in the remit of %(department)s; it was passed on to them.") % {
        "department": to.name
    }
    complaint.state = State.TRANSFERRED
    complaint.transferred_to = to
    complaint.outcome_kind = OutcomeKind.TRANSFERRED
    complaint.outcome = reasons
    complaint.decided_on = complaint.opening_decided_on = complaint.received_on
    complaint.closed_on = complaint.received_on
    clocks.refresh(complaint)
    complaint.save()
    step(complaint, actor=actor, action="transfer", to_state=State.TRANSFERRED, note=reasons)
    record(
        actor=actor,
        action="complaints.complaint_transfer",
        obj=complaint,
        department=complaint.department,
        changes={"to": to.code, "automatic": True},
    )
    publish(
        ComplaintTransferred(
            complaint_id=complaint.pk,
            complaint_public_id=complaint.public_id,
            number=complaint.number,
            department_id=complaint.department_id,
            to_department_id=to.pk,
            topic=complaint.topic,
            summary=complaint.summary[:1000],
        )
    )


def check_limits(*, client_address: str, contact: str) -> None:
    """Raise :class:`ThrottledError` when the address or the contact sent too many already.

    The submissions themselves are counted (their keyed hashes of the address and the contact
    are indexed with the time of receipt): one query for both limits, nothing extra written."""
    address_hash = throttle.fingerprint("address", client_address)
    contact_hash = throttle.fingerprint("contact", re.sub(r"[\s\-()（）]", "", contact or ""))
    by_address, by_contact = throttle.submissions(
        address_hash=address_hash,
        contact_hash=contact_hash,
        address_window=dt.timedelta(hours=1),
        contact_window=dt.timedelta(days=1),
    )
    if by_address >= conf.days("per_address_per_hour"):
        raise ThrottledError(
            _(
                "Too many submissions from your network in the last hour. Nothing you sent "
                "before was lost; please try again in an hour or call 12315."
            )
        )
    if by_contact >= conf.days("per_contact_per_day"):
        raise ThrottledError(
            _(
                "Too many submissions with this telephone number or e-mail today. Nothing you "
                "sent before was lost; please try again tomorrow or call 12315."
            )
        )


def submit_public(
    sub: Submission, *, client_address: str, challenge_token: str, challenge_answer: str
) -> Receipt:
    """A submission from the public site: the challenge, the rate limits, then :func:`receive`.

    Raises ``ValidationError`` (the form shows it) or :class:`ThrottledError` (HTTP 429).
    """
    nonce = challenge.check(challenge_token, challenge_answer)
    if nonce is None:
        raise ValidationError(
            {"challenge_answer": [_("The answer to the question is wrong; try the new one.")]}
        )
    check_limits(client_address=client_address, contact=sub.phone or sub.email)
    # The reporter's network address is not written to the audit chain (whistle-blower
    # protection): the submission's audit event carries the request id only.
    token = request_context.bind(
        request_context.RequestContext(request_id=request_context.current().request_id)
    )
    try:
        return receive(
            sub,
            actor=None,
            channel=Channel.WEB,
            client_address=client_address,
            challenge_nonce=nonce,
        )
    finally:
        request_context.reset(token)


def receive_by_staff(
    sub: Submission,
    *,
    actor: Any,
    channel: str,
    department: Department,
    source_department: Department | None = None,
    external_reference: str = "",
    received_at: dt.datetime | None = None,
) -> Receipt:
    """A complaint taken by phone or letter, or received from another department: recorded by
    a member of the receiving department, routed like any other (the routed office handles)."""
    require(actor, ADD, department.pk)
    if channel not in Channel.values or channel == Channel.WEB:
        raise ValidationError({"channel": [_("Choose how it was received.")]})
    if channel == Channel.DEPARTMENT and source_department is None:
        raise ValidationError({"source_department": [_("Name the department that sent it.")]})
    return receive(
        sub,
        actor=actor,
        channel=channel,
        source_department=source_department,
        external_reference=external_reference,
        received_at=received_at,
        staff=True,
    )


def find_for_tracking(number: str, code: str, *, client_address: str) -> Complaint | None:
    """The complaint when ``code`` matches ``number``; None for a wrong code and an unknown
    number alike (same work either way). Failures count against the address."""
    address_hash = throttle.fingerprint("address", client_address)
    if throttle.count("track_fail", address_hash, dt.timedelta(hours=1)) >= conf.days(
        "track_failures_per_hour"
    ):
        raise ThrottledError(
            _("Too many wrong tracking numbers or query codes. Please try again in an hour.")
        )
    number = (number or "").strip().upper()[:24]
    row = Complaint.objects.filter(number=number).first() if number else None
    expected = row.query_code_hash if row else code_hash("unknown", "unknown")
    if row is None or not hmac.compare_digest(expected, code_hash(number, code)):
        throttle.hit("track_fail", address_hash)
        return None
    return row
