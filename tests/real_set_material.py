"""What the tests of a blind invoice set (K, L, M, ...) check alike: its files and truth, that each file is the one
hashed and runs by its name only while held back or with `--real all` once spent, and amounts to the cent."""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal

from mm_assets.operations.document_evaluation import real_samples
from mm_assets.operations.real_documents import REAL_DIR, real_truth


def blind_set(name: str) -> tuple[list[str], dict[str, dict]]:
    """The set's files (relative to evaluation/real) and each one's truth."""
    truth = real_truth()
    files = truth["blind_sets"][name]
    return files, {relative: truth["fields"][relative] for relative in files}


def assert_spent_and_hashed(name: str, count: int) -> None:
    """The set holds `count` files, none held back, each the one hashed; it runs by its name and with `--real all`."""
    truth = real_truth()
    files, _ = blind_set(name)
    assert len(files) == count and not set(files) & set(truth["held_back"])
    for relative in files:
        assert hashlib.sha256((REAL_DIR / relative).read_bytes()).hexdigest() == truth["sha256"][relative], relative
    named = real_samples("fields", name)
    assert len(named) == count and not any(s.held_back for s in named)
    stems = {"real-" + relative.rsplit("/", 1)[-1].removesuffix(".pdf").replace("_", "-") for relative in files}
    assert {s.name for s in named} == stems
    assert stems <= {s.name for s in real_samples("fields", "all")}


def assert_only_these_made_wrong(name: str, made_wrong: list[str]) -> tuple[list[str], dict[str, dict]]:
    """Exactly the pages made wrong on purpose are inconsistent, each saying which check it breaks and that we made
    it; every other page that prints subtotal, tax and total adds up. Returns the set's files and truth."""
    files, expected = blind_set(name)
    inconsistent = [relative for relative in files if expected[relative].get("inconsistent")]
    assert sorted(inconsistent) == sorted(made_wrong)
    for relative in inconsistent:
        assert "made by us" in expected[relative]["inconsistent_rule"], relative
    for relative in set(files) - set(inconsistent):
        fields = expected[relative]["fields"]
        assert "inconsistent_rule" not in expected[relative]
        if {"subtotal", "tax", "total"} <= set(fields):
            assert Decimal(fields["subtotal"]) + Decimal(fields["tax"]) == Decimal(fields["total"]), relative
    return files, expected


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
