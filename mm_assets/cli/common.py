"""What every `mm` command shares: exit codes, the usage error, JSON or human output, progress
bars, dead-run recovery, and the asset graph a command works on."""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


class UsageError(Exception):
    """The user asked for something impossible; the message says what to do instead."""


# What a name (a file name, a path, a message quoting one) must not bring to a terminal: C0 and C1
# controls (newline forges a line, ESC starts a sequence that clears the screen or sets the title), DEL,
# and the bidirectional overrides that reorder what is shown.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_CONTROL_BUT_LINE_BREAKS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(text: object) -> str:
    """A name as plain output prints it: every control character escaped (`\\x0a`, `\\x1b`, `\\u202e`)."""
    return _CONTROL_CHARACTERS.sub(_escaped, str(text))


def terminal_text(text: str) -> str:
    """Plain output as a whole: control characters escaped, the line breaks the command wrote kept."""
    return _CONTROL_BUT_LINE_BREAKS.sub(_escaped, text)


class _TerminalSafe:
    """A stdout that escapes control characters a printed value brought (see `terminal_text`)."""

    def __init__(self, stream: Any):
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(terminal_text(text))

    def flush(self) -> None:
        self.stream.flush()


def emit(args: argparse.Namespace, payload: dict[str, Any], human: Callable[[], None]) -> None:
    """JSON (`--json`, escaped by JSON itself) or plain output, which never passes a control character
    through; each command also escapes the names it prints with `shown`, so a newline cannot forge a line."""
    if args.json:
        json.dump(payload, sys.stdout, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        with contextlib.redirect_stdout(_TerminalSafe(sys.stdout)):
            human()


def progress_bar(total: int | None, desc: str, unit: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not sys.stderr.isatty())


def recover_and_announce_dead_runs(instance: Any, args: argparse.Namespace, announce: bool = True) -> list[Any]:
    """Fail runs whose worker died (see orchestration/run_health.py) and say so on stderr."""
    from mm_assets.orchestration.run_health import recover_dead_runs

    verdicts = recover_dead_runs(instance)
    for verdict in verdicts:
        if announce and not verdict.alive and not args.json:
            print(f"run {verdict.run_id[:8]} was dead ({verdict.reason}): marked failed", file=sys.stderr)
    return verdicts


def selected_asset_keys(defs: Any, select: Sequence[str] | None) -> list[Any]:
    import dagster as dg

    graph = defs.resolve_asset_graph()
    known = {key.to_user_string(): key for key in graph.materializable_asset_keys}
    if not select:
        return sorted(known.values())
    names = [name.strip() for item in select for name in item.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"unknown kind(s) {unknown}; known kinds: {sorted(known)}")
    return [dg.AssetKey.from_user_string(name) for name in names]


def graph_context(select: Sequence[str] | None = None):  # type: ignore[no-untyped-def]
    from mm_assets.definitions import build_definitions
    from mm_assets.orchestration.instance import get_instance
    from mm_assets.settings import load_settings

    settings = load_settings()
    defs = build_definitions(settings)
    return settings, defs, get_instance(settings), selected_asset_keys(defs, select)


def kind_and_downstream(defs: Any, kinds: Sequence[str]) -> list[Any]:
    """The given kinds first, then everything downstream of them."""
    import dagster as dg

    keys = selected_asset_keys(defs, kinds)
    downstream = dg.AssetSelection.assets(*keys).downstream().resolve(defs.resolve_asset_graph())
    return keys + sorted(downstream - set(keys))


def add_tenant_scope(parser: argparse.ArgumentParser, what: str) -> None:
    """--tenant T or --global, one of them required (`tenant_scope`): no listing crosses tenants unasked."""
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--tenant", type=tenant_name, help=f"{what} of this tenant (required unless --global)")
    scope.add_argument("--global", dest="global_scope", action="store_true", help=f"{what} of every tenant")


def tenant_scope(args: argparse.Namespace, what: str) -> str | None:
    """The tenant a command is scoped to, None for an explicit --global; neither is a usage error (exit 2)."""
    if not args.tenant and not args.global_scope:
        raise UsageError(f"{what} are scoped to one tenant: pass --tenant T (or --global to look across tenants)")
    return args.tenant


def tenant_name(value: str) -> str:
    """argparse type of every --tenant: a blank tenant is a usage error, never a silent default."""
    if not value.strip():
        raise argparse.ArgumentTypeError("a tenant cannot be blank: give a tenant name (or leave the option out)")
    return value
