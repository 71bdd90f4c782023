"""Every entity type the audit log is written with is either a customer's — and an audit trail
of it names the customer and the case in its access record (``GET /api/audit``) — or declared
no customer's: a new type written without being sorted fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import sagwa
from sagwa.adapters.db.access_records_repo import WHOSE_AUDITED
from sagwa.domain.access_records import CUSTOMERS_AUDITED, OTHERS_AUDITED, audited_id


def _constants(tree: ast.Module) -> dict[str, str]:
    """The module's ``NAME = "text"`` constants (``message_audit.ENTITY``)."""
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            for target in node.targets if isinstance(target, ast.Name)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}


def _entity_types_written() -> set[str]:
    """The third argument (or ``entity_type=``) of every ``AuditEvent(...)`` in the source."""
    found: set[str] = set()
    for path in Path(sagwa.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _constants(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "AuditEvent"):
                continue
            given = node.args[2] if len(node.args) > 2 else next(
                (k.value for k in node.keywords if k.arg == "entity_type"), None)
            if isinstance(given, ast.Constant):
                found.add(given.value)
            elif isinstance(given, ast.Name) and given.id in names:
                found.add(names[given.id])
            elif path.name != "audit_repo.py":  # its rows read back, not written
                found.add(f"<unread: {path.name}:{node.lineno}>")
    return found


def test_every_audited_entity_type_is_a_customers_or_declared_not() -> None:
    written = _entity_types_written()
    assert written - set(CUSTOMERS_AUDITED) - set(OTHERS_AUDITED) == set()
    assert {"customer", "case", "order", "message", "ledger_entry"} <= written
    assert not set(CUSTOMERS_AUDITED) & set(OTHERS_AUDITED)


def test_each_customers_entity_type_is_resolved_in_the_database() -> None:
    assert set(WHOSE_AUDITED) == set(CUSTOMERS_AUDITED)


def test_an_entity_id_names_a_row_only_as_a_whole_number_the_database_holds() -> None:
    assert audited_id("42") == 42 and audited_id(" 7 ") == 7
    assert audited_id(str(2**63 - 1)) == 2**63 - 1
    assert [audited_id(t) for t in (str(2**63), "4x", "", "-3", "١٢")] == [None] * 5
