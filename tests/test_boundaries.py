"""The core's boundary, read from the import statements of every module (parsed, never imported):
screens and flows reach the database only through services, the services and storage know
nothing of Telegram, and no module borrows another's private names."""

from __future__ import annotations

import ast
import dataclasses
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Tests may reach into what they test; the code that ships may not.
PACKAGES = ("bot", "handlers", "conversations", "tgsandbox", "bench")


def modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str, list[str]]]:
    """(line, imported module, names taken from it) for every import, at any depth (the ones
    inside functions count: a late import is still a dependency)."""
    found = []
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against this module's package
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, module] if module else base)
            found.append((node.lineno, module, [alias.name for alias in node.names]))
    return found


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def offences(packages: tuple[str, ...], forbidden: str) -> list[str]:
    bad = []
    for path in modules(*packages):
        for line, module, names in imports(path):
            # `from bot import storage` names the package through the parent
            targets = [module] + [f"{module}.{name}" for name in names]
            if any(within(target, forbidden) for target in targets):
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module} {names or ''}".strip())
    return bad


def private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_screens_and_flows_reach_storage_only_through_services():
    assert offences(("handlers", "conversations"), "bot.storage") == []


@pytest.mark.parametrize("layer", ["bot/services", "bot/storage"])
def test_services_and_storage_know_nothing_of_telegram(layer):
    assert offences((layer,), "telegram") == []


# The two commands that run the bot against the offline Bot API (`etamkeen console`, and
# `etamkeen run` with ETAMKEEN_SANDBOX_LOG) import it when they run; nothing else in the core.
SANDBOX_USERS = {"bot/cli.py"}


def test_the_core_does_not_contain_the_test_double():
    assert not (ROOT / "bot" / "sandbox").exists()
    bad = [o for o in offences(("bot", "handlers", "conversations"), "tgsandbox")
           if o.split(":")[0] not in SANDBOX_USERS]
    assert bad == []
    # and the sandbox knows nothing of the bot: a fake of the Bot API, usable by any PTB bot
    assert offences(("tgsandbox",), "bot") == []
    assert offences(("tgsandbox",), "handlers") == []


def test_no_module_imports_another_modules_private_names():
    bad = []
    for path in modules(*PACKAGES):
        for line, module, names in imports(path):
            taken = [n for n in names if private(n)]
            taken += [part for part in module.split(".") if private(part)]
            if taken:
                bad.append(f"{path.relative_to(ROOT)}:{line} takes {taken} from {module}")
    assert bad == []


def test_the_walk_sees_every_kind_of_import(tmp_path, monkeypatch):
    """The checks above pass only because nothing offends, not because the walk is blind."""
    package = tmp_path / "handlers"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "x.py").write_text(
        "import bot.storage.users\n"
        "from bot import storage\n"
        "def f():\n    from bot.storage.catalogue import Filters\n"
        "from bot.services.charts import _font\n"
        "from .y import _z\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert len(offences(("handlers",), "bot.storage")) == 3
    (line, module, names), = [i for i in imports(package / "x.py") if i[1] == "handlers.y"]
    assert names == ["_z"]


def built_services() -> set[str]:
    """The classes bot.compose builds: the non-optional fields of Services."""
    import bot.compose

    required = [f.type for f in dataclasses.fields(bot.compose.Services)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    classes = [vars(bot.compose)[name] for name in required]  # annotations are strings here
    return {c.__name__ for c in classes if c.__module__.startswith("bot.services.")}


def test_services_are_built_in_the_composition_root_only():
    """A service built on demand elsewhere (a handler, a command) is wired differently from the
    bot's: its callbacks, caches and settings are not the ones everybody else shares."""
    names = built_services()
    assert {"PrivacyService", "IndicatorsService", "CatalogueImport", "CheckinService"} <= names
    bad = []
    for path in modules("bot", "handlers", "conversations"):
        if path == ROOT / "bot" / "compose.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                func = func.value  # CheckinService.open(...), ReferenceData.load(...)
            if isinstance(func, ast.Name) and func.id in names:
                bad.append(f"{path.relative_to(ROOT)}:{node.lineno} builds {func.id}")
    assert bad == []
