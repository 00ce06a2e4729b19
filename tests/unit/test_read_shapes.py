"""Each read shape is defined once, by the application's rows and records; the HTTP API's
response bodies must name exactly the same fields (a field added on one side only fails).
Likewise the API's action bodies and the domain's action classes."""

from __future__ import annotations

from typing import Any, get_args

import attrs
import pytest
from pydantic import BaseModel

from cogov.application.access_log import AccessRecord
from cogov.application.accountability import (
    Accountability,
    AreaAccountability,
    AreaHolder,
    IssueAccountability,
    RoleAccountability,
    RoleHolder,
)
from cogov.application.frameworks import GRIPP2_SF, UK_STANDARDS, Statement
from cogov.application.proposals import (
    AmendmentRecord,
    CommentRecord,
    HistoryEntry,
    ProposalRecord,
    ResponseRecord,
)
from cogov.application.records import (
    DelegationRecord,
    EventRecord,
    MemberRecord,
    ProjectRecord,
    RoleRecord,
)
from cogov.application.scorecard import (
    Gap,
    Indicator,
    Recognition,
    Reflection,
    Scorecard,
    UnpaidClaim,
)
from cogov.application.verifiable_log import InclusionProof
from cogov.application.views import (
    Ballot,
    DecisionRow,
    JournalRow,
    MemberPower,
    PowerRow,
    ProjectRow,
)
from cogov.domain.actions import ACTION_TYPES
from cogov.domain.power import MEASURES
from cogov.interfaces.http import read_shapes
from cogov.interfaces.http.actions import ACTION_SCHEMAS

# Fields a row keeps for its store's queries and never shows.
INTERNAL: dict[type, set[str]] = {AccessRecord: {"project_id"}}
# Fields a read adds to its row: the shown name of each member id in it.
ADDED: dict[type[BaseModel], set[str]] = {
    read_shapes.PowerNowOut: {"names"},
    read_shapes.ScorecardOut: {"justified_gaps", "names"},  # justified_gaps: a property
}
# Shapes of a mapping whose keys are fixed by a reporting framework, not a row's fields.
FRAMEWORKS = {read_shapes.Gripp2Out: GRIPP2_SF, read_shapes.UkStandardsOut: UK_STANDARDS}

SHAPES: list[tuple[type[Any], type[BaseModel]]] = [
    (DecisionRow, read_shapes.DecisionOut),
    (Ballot, read_shapes.BallotOut),
    (PowerRow, read_shapes.PowerOut),
    (PowerRow, read_shapes.PowerNowOut),
    (MemberPower, read_shapes.MemberPowerOut),
    (ProjectRecord, read_shapes.ProjectOut),
    (MemberRecord, read_shapes.MemberOut),
    (RoleRecord, read_shapes.RoleOut),
    (DelegationRecord, read_shapes.DelegationOut),
    (ProposalRecord, read_shapes.ProposalOut),
    (ResponseRecord, read_shapes.ResponseOut),
    (HistoryEntry, read_shapes.HistoryOut),
    (AmendmentRecord, read_shapes.AmendmentOut),
    (CommentRecord, read_shapes.CommentOut),
    (ProjectRow, read_shapes.ProjectSummaryOut),
    (JournalRow, read_shapes.JournalOut),
    (EventRecord, read_shapes.EventOut),
    (InclusionProof, read_shapes.InclusionOut),
    (Scorecard, read_shapes.ScorecardOut),
    (Indicator, read_shapes.IndicatorOut),
    (Gap, read_shapes.GapOut),
    (Recognition, read_shapes.RecognitionOut),
    (UnpaidClaim, read_shapes.UnpaidClaimOut),
    (Reflection, read_shapes.ReflectionScheduleOut),
    (Statement, read_shapes.StatementOut),
    (AccessRecord, read_shapes.AccessRecordOut),
]
# who is responsible and accountable for what (the read adds the names)
SHAPES += [
    (Accountability, read_shapes.AccountabilityOut),
    (AreaAccountability, read_shapes.AreaAccountabilityOut),
    (AreaHolder, read_shapes.AreaHolderOut),
    (RoleAccountability, read_shapes.RoleAccountabilityOut),
    (RoleHolder, read_shapes.RoleHolderOut),
    (IssueAccountability, read_shapes.IssueAccountabilityOut),
]
ADDED[read_shapes.AccountabilityOut] = {"names"}


@pytest.mark.parametrize(("row", "schema"), SHAPES, ids=lambda c: c.__name__)
def test_the_http_shape_names_the_rows_fields(row: type[Any], schema: type[BaseModel]) -> None:
    shown = {f.name for f in attrs.fields(row)} - INTERNAL.get(row, set())
    assert set(schema.model_fields) - ADDED.get(schema, set()) == shown


def test_every_read_shape_of_the_api_is_checked() -> None:
    models = {
        m
        for m in vars(read_shapes).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.__module__ == read_shapes.__name__
    }
    pages = {
        m for name, m in vars(read_shapes).items() if isinstance(m, type) and name.endswith("Page")
    }
    assert models - pages - {read_shapes.Shares} - set(FRAMEWORKS) == {
        schema for _, schema in SHAPES
    }


@pytest.mark.parametrize("shape", FRAMEWORKS, ids=lambda c: c.__name__)
def test_framework_shapes_name_the_frameworks_items(shape: type[BaseModel]) -> None:
    assert set(shape.model_fields) == set(FRAMEWORKS[shape])


def test_shares_name_the_power_models_measures() -> None:
    assert set(read_shapes.Shares.model_fields) == set(MEASURES)


def test_every_action_has_a_body_with_the_domains_fields() -> None:
    bodies = {get_args(s.model_fields["type"].annotation)[0]: s for s in ACTION_SCHEMAS}
    assert set(bodies) == set(ACTION_TYPES)
    for kind, action in ACTION_TYPES.items():
        fields = {f.name for f in attrs.fields(action)}
        if kind == "admit_member":  # the API takes a name; the application allocates the id
            fields = fields - {"member_id"} | {"display_name"}
        assert set(bodies[kind].model_fields) - {"type"} == fields, kind
