"""The tables the bot is built from: the report form and the case workflow.

Both are checked at start-up, so a broken table stops the bot with a clear message instead of
reaching a reporter or an officer. The expected values are copied from `spec/form.md` and
`spec/cases.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from itertools import product
from typing import Any

import pytest

from conversations import form as form_module
from conversations.form import (
    ANONYMOUS,
    IDENTIFIED,
    Branch,
    FieldId,
    FieldSpec,
    Form,
    FormDefinitionError,
    Kind,
    build_form,
)
from conversations.workflow import (
    FINAL_STATES,
    MOVES,
    STATE_LABELS,
    CaseState,
    MoveRefused,
    Outcome,
    WorkflowDefinitionError,
    check_move,
    validate_moves,
)

SERVICES = (
    "SI IKAN MAS",
    "SIPORA",
    "SIMPEG",
    "SIMAE",
    "E-FORMASI",
    "PPK ONLINE",
    "LAPOR PNS MENINGGAL",
)
FIELDS = build_form(services=SERVICES).fields


def fields_with(field_id: FieldId, **changes: Any) -> tuple[FieldSpec, ...]:
    return tuple(replace(f, **changes) if f.id is field_id else f for f in FIELDS)


# -- the form as form.md describes it -------------------------------------------------------

# (field, label shown in form.md, branch, required, input)
FORM_MD = [
    (FieldId.IDENTITY_MODE, "Identitas Pelapor", Branch.ALL, True, Kind.CHOICE),
    (FieldId.REPORTER_NAME, "Nama Pelapor", Branch.IDENTIFIED, True, Kind.TEXT),
    (FieldId.REPORTER_PHONE, "Telepon Pelapor", Branch.IDENTIFIED, True, Kind.PHONE),
    (FieldId.REPORTER_EMAIL, "Email Pelapor", Branch.IDENTIFIED, False, Kind.TEXT),
    (
        FieldId.CATEGORY,
        "Tindakan/Perbuatan yang Dilaporkan",
        Branch.ALL,
        True,
        Kind.CHOICE,
    ),
    (FieldId.SERVICE, "Jenis Layanan", Branch.SERVICE, True, Kind.CHOICE),
    (FieldId.COMPLAINT, "Keluhan", Branch.SERVICE, True, Kind.TEXT),
    (FieldId.ACCUSED_NAME, "Nama Terlapor", Branch.VIOLATION, True, Kind.TEXT),
    (FieldId.ACCUSED_POSITION, "Jabatan Terlapor", Branch.VIOLATION, False, Kind.TEXT),
    (
        FieldId.INCIDENT_TIME,
        "Waktu Kejadian (tanggal atau periode)",
        Branch.VIOLATION,
        True,
        Kind.TEXT,
    ),
    (FieldId.LOCATION, "Lokasi Kejadian", Branch.VIOLATION, True, Kind.TEXT),
    (FieldId.CHRONOLOGY, "Kronologi Kejadian", Branch.VIOLATION, True, Kind.TEXT),
    (FieldId.AMOUNT, "Nominal", Branch.VIOLATION, False, Kind.TEXT),
    (FieldId.EVIDENCE, "Link Bukti/Screenshoot", Branch.ALL, False, Kind.EVIDENCE),
    (
        FieldId.CONSENT,
        "Persetujuan Untuk Dihubungi Kembali",
        Branch.ALL,
        True,
        Kind.CONSENT,
    ),
]


def test_fields_are_in_the_web_forms_order() -> None:
    assert [f.id for f in FIELDS] == [row[0] for row in FORM_MD]


@pytest.mark.parametrize(("field_id", "label", "branch", "required", "kind"), FORM_MD)
def test_each_field_matches_form_md(
    field_id: FieldId, label: str, branch: Branch, required: bool, kind: Kind
) -> None:
    spec = build_form(services=SERVICES)[field_id]
    assert spec.label.id in label  # the summary label; the question shows the full one
    assert label in spec.question.id
    assert spec.branch is branch
    assert spec.required is required
    assert spec.kind is kind


def test_optional_fields_have_their_skip_buttons() -> None:
    form = build_form(services=SERVICES)
    skips = {f.id: f.skip.id for f in form.fields if f.skip is not None}
    assert skips == {
        FieldId.REPORTER_EMAIL: "Lewati",
        FieldId.ACCUSED_POSITION: "Lewati",
        FieldId.AMOUNT: "Tidak Ada",
        FieldId.EVIDENCE: "Lewati",
    }


def test_identity_options_depend_on_allow_anonymous() -> None:
    with_anonymous = build_form(services=SERVICES)[FieldId.IDENTITY_MODE].options
    assert [(o.value, o.label.id) for o in with_anonymous] == [
        (IDENTIFIED, "Isi Identitas"),
        (ANONYMOUS, "Lapor Anonim"),
    ]
    without = build_form(services=SERVICES, allow_anonymous=False)[FieldId.IDENTITY_MODE]
    assert [o.value for o in without.options] == [IDENTIFIED]


def test_service_options_are_the_configured_services() -> None:
    spec = build_form(services=["SIASN", "SIMPEG"])[FieldId.SERVICE]
    assert [(o.value, o.label.id, o.label.en) for o in spec.options] == [
        ("SIASN", "SIASN", "SIASN"),
        ("SIMPEG", "SIMPEG", "SIMPEG"),
    ]


def test_the_agencys_form_passes_its_own_checks() -> None:
    assert Form(FIELDS).fields == FIELDS


# -- start-up checks ----------------------------------------------------------------------


def test_duplicate_field_ids_are_refused() -> None:
    category = build_form(services=SERVICES)[FieldId.CATEGORY]
    with pytest.raises(FormDefinitionError, match=r"^duplicate field ids: category$"):
        Form((*FIELDS, category))


@pytest.mark.parametrize("branch", list(Branch))
def test_a_branch_without_fields_is_refused(branch: Branch) -> None:
    with pytest.raises(FormDefinitionError, match=rf"^branch {branch.value} has no fields$"):
        Form(tuple(f for f in FIELDS if f.branch is not branch))


def test_a_branch_without_a_rule_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(form_module.BRANCH_RULES, Branch.SERVICE)  # type: ignore[arg-type]
    with pytest.raises(FormDefinitionError, match=r"^branch layanan has no rule$"):
        Form(FIELDS)


@pytest.mark.parametrize("field_id", [FieldId.IDENTITY_MODE, FieldId.CATEGORY, FieldId.SERVICE])
def test_a_choice_field_without_options_is_refused(field_id: FieldId) -> None:
    with pytest.raises(
        FormDefinitionError, match=rf"^{field_id.value}: a choice field needs options$"
    ):
        Form(fields_with(field_id, options=()))


def test_an_empty_service_list_stops_the_bot_at_start_up() -> None:
    with pytest.raises(FormDefinitionError, match=r"^service: a choice field needs options$"):
        build_form(services=[])


@pytest.mark.parametrize(
    "field_id",
    [f.id for f in FIELDS if f.kind in (Kind.TEXT, Kind.PHONE)],
)
def test_a_typed_field_without_a_parser_is_refused(field_id: FieldId) -> None:
    with pytest.raises(
        FormDefinitionError, match=rf"^{field_id.value}: a typed field needs a parser$"
    ):
        Form(fields_with(field_id, parser=None))


@pytest.mark.parametrize("field_id", [f.id for f in FIELDS if not f.required])
def test_an_optional_field_without_a_skip_button_is_refused(field_id: FieldId) -> None:
    with pytest.raises(
        FormDefinitionError, match=rf"^{field_id.value}: an optional field needs a skip button$"
    ):
        Form(fields_with(field_id, skip=None))


def test_a_required_field_made_optional_needs_a_skip_button() -> None:
    with pytest.raises(FormDefinitionError, match="location: an optional field needs a skip"):
        Form(fields_with(FieldId.LOCATION, required=False))


def test_form_definition_error_is_a_value_error() -> None:
    assert issubclass(FormDefinitionError, ValueError)


def test_asking_for_a_field_the_form_lacks_is_a_key_error() -> None:
    form = Form(tuple(f for f in FIELDS if f.id is not FieldId.AMOUNT))
    with pytest.raises(KeyError):
        form[FieldId.AMOUNT]


# -- the case workflow (cases.md) -----------------------------------------------------------

B, K, T, C = CaseState.NEW, CaseState.INCOMPLETE, CaseState.REVIEW, CaseState.CLARIFICATION
S, D, L = CaseState.CLOSED, CaseState.REJECTED, CaseState.REFERRED

# "Allowed moves (anything else is refused with a message that names the allowed ones)"
SPEC_MOVES: Mapping[CaseState, frozenset[CaseState]] = {
    B: frozenset({K, T, D, L}),
    K: frozenset({K, T, D, L}),
    T: frozenset({K, C, S, D, L}),
    C: frozenset({T, C, S, L}),
    S: frozenset(),
    D: frozenset(),
    L: frozenset(),
}
ALLOWED = [(a, b) for a, b in product(CaseState, CaseState) if b in SPEC_MOVES[a]]
REFUSED = [(a, b) for a, b in product(CaseState, CaseState) if b not in SPEC_MOVES[a]]


def test_state_codes_and_labels_match_cases_md() -> None:
    assert {s.value: STATE_LABELS[s].id for s in CaseState} == {
        "baru": "Diterima",
        "kelengkapan": "Menunggu Kelengkapan",
        "telaah": "Penelaahan",
        "klarifikasi": "Klarifikasi",
        "selesai": "Selesai",
        "ditolak": "Ditolak",
        "dilimpahkan": "Dilimpahkan",
    }
    assert {o.value for o in Outcome} == {"terbukti", "tidak_terbukti"}
    assert {S, D, L} == FINAL_STATES


def test_the_move_table_is_the_one_in_cases_md() -> None:
    assert dict(MOVES) == dict(SPEC_MOVES)
    validate_moves()
    validate_moves(MOVES)


@pytest.mark.parametrize(("current", "target"), ALLOWED, ids=[f"{a}->{b}" for a, b in ALLOWED])
def test_allowed_move(current: CaseState, target: CaseState) -> None:
    check_move(current, target)  # does not raise


@pytest.mark.parametrize(("current", "target"), REFUSED, ids=[f"{a}->{b}" for a, b in REFUSED])
def test_refused_move_names_the_allowed_ones(current: CaseState, target: CaseState) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(current, target)
    error = refused.value
    assert (error.current, error.target) == (current, target)
    assert error.allowed == SPEC_MOVES[current]
    message = str(error)
    assert f"{current} → {target} is not allowed" in message
    for state in SPEC_MOVES[current]:
        assert state.value in message
    if not SPEC_MOVES[current]:
        assert message.endswith("allowed: -")


@pytest.mark.parametrize("final", sorted(FINAL_STATES))
def test_admin_reopens_a_final_case_to_telaah(final: CaseState) -> None:
    check_move(final, CaseState.REVIEW, reopen=True)  # does not raise


@pytest.mark.parametrize(
    ("final", "target"),
    [(f, t) for f, t in product(sorted(FINAL_STATES), CaseState) if t is not CaseState.REVIEW],
)
def test_reopen_goes_only_to_telaah(final: CaseState, target: CaseState) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(final, target, reopen=True)
    assert refused.value.allowed == {CaseState.REVIEW}
    assert "allowed: telaah" in str(refused.value)


@pytest.mark.parametrize(
    ("current", "target"),
    list(product(sorted(set(CaseState) - FINAL_STATES), CaseState)),
)
def test_reopen_only_from_a_final_state(current: CaseState, target: CaseState) -> None:
    with pytest.raises(MoveRefused) as refused:
        check_move(current, target, reopen=True)
    assert refused.value.allowed == frozenset()


@pytest.mark.parametrize("missing", list(CaseState))
def test_a_table_missing_a_state_is_refused(missing: CaseState) -> None:
    table = {s: t for s, t in MOVES.items() if s is not missing}
    with pytest.raises(
        WorkflowDefinitionError, match=rf"^state {missing.value} has no row in the move table$"
    ):
        validate_moves(table)


def test_a_table_moving_to_an_unknown_state_is_refused() -> None:
    table: dict[CaseState, frozenset[Any]] = {**MOVES, T: frozenset({*MOVES[T], "arsip"})}
    with pytest.raises(WorkflowDefinitionError, match=r"^telaah moves to unknown state.*arsip"):
        validate_moves(table)


def test_a_final_state_with_moves_is_refused() -> None:
    table = {**MOVES, S: frozenset({T})}
    with pytest.raises(WorkflowDefinitionError, match=r"^final state selesai must have no moves$"):
        validate_moves(table)


def test_workflow_definition_error_is_a_value_error() -> None:
    assert issubclass(WorkflowDefinitionError, ValueError)
