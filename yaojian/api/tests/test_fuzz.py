"""Whatever a client sends, the API answers with its error shape, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yaojian.accounts.choices import Role
from yaojian.registry.models import Entity

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LISTS = [
    "/api/v1/departments/",
    "/api/v1/regions/",
    "/api/v1/grid-cells/",
    "/api/v1/entities/",
    "/api/v1/entities/bulk/",
    "/api/v1/licences/",
    "/api/v1/products/",
    "/api/v1/persons/",
]
PARAMETERS = [
    "q",
    "region",
    "kind",
    "status",
    "level",
    "parent",
    "entity",
    "number",
    "licence_status",
    "updated_after",
    "approval_number",
    "include_abolished",
    "page",
    "page_size",
    "cursor",
]
values = st.one_of(
    st.text(max_size=120),
    st.sampled_from(["540102", "0", "-1", "1e99", "true", "' OR 1=1--", "%", "\\", "\x00"]),
    st.integers().map(str),
)
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=300),
    ),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=5,
)


@pytest.fixture
def steward_client(county_a, user_in_department, api_client_for):
    return api_client_for(user_in_department(department=county_a, role=Role.DATA_STEWARD))


def _assert_error_shape(response):
    assert response.status_code < 500, response.content
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"code", "message", "errors"}
        assert isinstance(body["message"], str)
        assert body["message"]


@FUZZ
@given(url=st.sampled_from(LISTS), query=st.dictionaries(st.sampled_from(PARAMETERS), values))
def test_list_queries_never_fail(url, query, steward_client):
    response = steward_client.get(url, query)
    _assert_error_shape(response)
    assert response.status_code in {200, 400, 404}


@FUZZ
@given(
    payload=st.dictionaries(
        st.sampled_from(
            [
                "name",
                "kind",
                "region",
                "unified_social_credit_code",
                "address",
                "grid_cell",
                "parent",
                "registered_by",
                "legal_representative",
            ]
        ),
        JSON_VALUES,
    )
)
def test_entity_registration_never_fails(payload, steward_client):
    before = Entity.objects.count()
    response = steward_client.post("/api/v1/entities/", payload, format="json")
    _assert_error_shape(response)
    assert response.status_code in {201, 400}
    assert Entity.objects.count() == before + (response.status_code == 201)
