"""Options from `EVOKIT_*` variables and a config file, for every `evokit` command: one mechanism.

A command's parser is the table: every long option `--max-body-bytes` may also come from the
variable `EVOKIT_MAX_BODY_BYTES` and from the key `max-body-bytes` of the command's table in a
config file of the current folder:

- `evokit.toml`, table `[mock]` (or `[verify]`, ...), or
- `pyproject.toml`, table `[tool.evokit.mock]` (or `[tool.evokit.verify]`, ...).

The command line wins over the variable, which wins over the file, which wins over the default.
A value that does not convert is an `OptionSourceError` naming its source (`EVOKIT_PORT='x'`,
`pyproject.toml [tool.evokit.mock] port`), one line. An option "is given" on the command line
when its parsed value is not None: commands that use the file or want "unset" to differ from the
default leave their defaults to `defer_defaults`, which keeps them apart and sets None.
"""

from __future__ import annotations

import argparse
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV_PREFIX = "EVOKIT_"
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")
CONFIG_FILE, PYPROJECT = "evokit.toml", "pyproject.toml"


class OptionSourceError(ValueError):
    """A value from the environment or a config file that cannot be used; `str()` is one line
    naming the source."""


@dataclass(frozen=True)
class Option:
    """One option a variable or a file key may set: its `dest`, its names, its parser action."""

    dest: str
    variable: str
    key: str
    action: argparse.Action = None  # type: ignore[assignment]


def options_of(parser: argparse.ArgumentParser, *, exclude: frozenset[str] = frozenset()) -> dict[str, Option]:
    """dest -> `Option` for every long option of `parser` but `exclude` (dests) and `--help`."""
    options = {}
    for action in parser._actions:
        longs = [flag for flag in action.option_strings if flag.startswith("--")]
        if longs and action.dest not in exclude and action.dest != "help":
            name = longs[-1][2:]
            options[action.dest] = Option(action.dest, ENV_PREFIX + name.upper().replace("-", "_"), name, action)
    return options


def defer_defaults(parser: argparse.ArgumentParser, options: Mapping[str, Option]) -> dict[str, Any]:
    """Set the default of every option in `options` to None and return the real defaults, so a
    parsed None means "not on the command line"."""
    defaults = {}
    for dest, option in options.items():
        defaults[dest] = option.action.default
        option.action.default = None
    return defaults


def _is_flag(action: argparse.Action) -> bool:
    return isinstance(action, (argparse._StoreTrueAction, argparse._StoreFalseAction))


def _flag_value(action: argparse.Action, on: bool) -> Any:
    """What the flag stores when set (`on`) and when not: `--no-cors` stores False when set."""
    return action.const if on else (not action.const)


def _convert(option: Option, items: list[Any], source: str, shown: str) -> list[Any]:
    action = option.action
    convert: Callable[[str], Any] = action.type or str  # type: ignore[assignment]
    try:
        converted = [convert(str(item)) for item in items]
    except (ValueError, TypeError) as exc:
        # A type of the kit's own (`parse_latency`) explains itself; a builtin's wording is not ours.
        detail = f" ({exc})" if type(exc) not in (ValueError, TypeError) else ""
        raise OptionSourceError(f"{source}={shown} is not a valid {action.metavar or option.key}{detail}") from None
    if action.choices is not None and any(item not in action.choices for item in converted):
        raise OptionSourceError(f"{source}={shown}: choose from {', '.join(map(str, action.choices))}")
    return converted


def from_text(option: Option, text: str, source: str) -> Any:
    """The value of a variable: a flag is true/false, a repeatable option a comma-separated list."""
    action = option.action
    if _is_flag(action):
        word = text.strip().lower()
        if word not in TRUE + FALSE:
            raise OptionSourceError(f"{source} must be one of {', '.join(TRUE)} or {', '.join(FALSE[:-1])}")
        return _flag_value(action, word in TRUE)
    if isinstance(action, argparse._AppendAction):
        return _convert(option, [item.strip() for item in text.split(",") if item.strip()], source, repr(text))
    return _convert(option, [text], source, repr(text))[0]


def from_toml(option: Option, value: object, source: str, *, base: Path) -> Any:
    """The value of a file key: a flag is a boolean, a repeatable option a list (or one value);
    a relative path is relative to the file's folder."""
    action = option.action
    if _is_flag(action):
        if not isinstance(value, bool):
            raise OptionSourceError(f"{source} must be true or false, got {value!r}")
        return _flag_value(action, value)
    repeatable = isinstance(action, argparse._AppendAction)
    items = value if isinstance(value, list) and repeatable else [value]
    if any(isinstance(item, (bool, list, dict)) for item in items):
        raise OptionSourceError(f"{source} must be {'a list of values' if repeatable else 'one value'}, got {value!r}")
    converted = _convert(option, items, source, repr(value))
    if action.type is Path:
        converted = [item if item.is_absolute() else base / item for item in converted]
    return converted if repeatable else converted[0]


@dataclass(frozen=True)
class ConfigTable:
    """A command's table of a config file: its values and how to name it in an error."""

    path: Path
    name: str
    values: Mapping[str, object]

    def source(self, key: str) -> str:
        return f"{self.path.name} {self.name} {key}"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise OptionSourceError(f"{path}: cannot be read: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise OptionSourceError(f"{path}: not TOML: {exc}") from None


def config_table(command: str, folder: Path) -> ConfigTable | None:
    """The command's table in `folder`'s `evokit.toml` or `pyproject.toml`, if either has one.

    Both having it is an error: which file wins would be a guess.
    """
    found: list[ConfigTable] = []
    own = folder / CONFIG_FILE
    if own.is_file():
        table = _read_toml(own).get(command)
        if table is not None:
            found.append(ConfigTable(own, f"[{command}]", table))
    project = folder / PYPROJECT
    if project.is_file():
        tool = _read_toml(project).get("tool", {}).get("evokit")
        if isinstance(tool, dict) and tool.get(command) is not None:
            found.append(ConfigTable(project, f"[tool.evokit.{command}]", tool[command]))
        elif isinstance(tool, dict) and any(not isinstance(value, dict) for value in tool.values()):
            raise OptionSourceError(f"{project} [tool.evokit]: put options in a command's table, [tool.evokit.{command}]")
    for table in found:
        if not isinstance(table.values, dict):
            raise OptionSourceError(f"{table.path} {table.name}: must be a table of options")
    if len(found) > 1:
        raise OptionSourceError(f"both {found[0].path} and {found[1].path} configure `evokit {command}`: keep one")
    return found[0] if found else None


def fill(
    args: argparse.Namespace,
    options: Mapping[str, Option],
    *,
    environ: Mapping[str, str],
    table: ConfigTable | None = None,
    defaults: Mapping[str, Any] | None = None,
    check: Callable[[str, Any], None] | None = None,
) -> dict[str, str]:
    """Fill every option the command line left None: from its variable, else the file, else
    `defaults`. `check(dest, value)` may raise `ValueError` for a value it refuses; it is then an
    `OptionSourceError` naming the source. Returns dest -> source for values not from the
    command line or the defaults."""
    sources: dict[str, str] = {}
    by_key = {option.key: option for option in options.values()}
    if table is not None:
        unknown = sorted(key for key in table.values if key.replace("_", "-") not in by_key)
        if unknown:
            raise OptionSourceError(f"{table.path} {table.name}: unknown option(s) {', '.join(unknown)}")
    file_values = {by_key[key.replace("_", "-")].dest: (key, value) for key, value in (table.values if table else {}).items()}
    for dest, option in options.items():
        if getattr(args, dest, None) is not None:
            continue
        value: Any = None
        if option.variable in environ:
            source = option.variable
            value = from_text(option, environ[option.variable], source)
        elif dest in file_values and table is not None:
            key, raw = file_values[dest]
            source = table.source(key)
            value = from_toml(option, raw, source, base=table.path.parent)
        if value is None:
            if defaults is not None and dest in defaults:
                setattr(args, dest, defaults[dest])
            continue
        if check is not None:
            try:
                check(dest, value)
            except ValueError as exc:
                raise OptionSourceError(f"{source}: {exc}") from None
        setattr(args, dest, value)
        sources[dest] = source
    return sources
