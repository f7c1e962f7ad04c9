"""The chat page's buttons reach WCAG 2.1 AA contrast, computed from sandbox/static/style.css.

Text needs 4.5:1 against what is behind it (1.4.3), the focus ring 3:1 (1.4.11). A translucent
colour is blended over the layers under it first, as the browser paints it; the chat's dotted
backdrop is checked both on and off a dot. Disabled buttons are exempt (as WCAG says).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

STYLE = Path(__file__).resolve().parents[2] / "sandbox" / "static" / "style.css"
TEXT_AA = 4.5
NON_TEXT_AA = 3.0
DOT = "rgba(255, 255, 255, 0.35)"
"""The chat background's dots (`.chat` background-image)."""

Colour = tuple[float, float, float, float]


@cache
def rules() -> dict[str, dict[str, str]]:
    css = re.sub(r"/\*.*?\*/", "", STYLE.read_text(encoding="utf-8"), flags=re.S)
    found: dict[str, dict[str, str]] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (d.partition(":") for d in body.split(";") if ":" in d)
        )
        for selector in selectors.split(","):
            found.setdefault(" ".join(selector.split()), {}).update(declarations)
    return found


def declared(selector: str, prop: str) -> str:
    value = rules()[selector][prop]
    while (var := re.fullmatch(r"var\((--[\w-]+)\)", value)) is not None:
        value = rules()[":root"][var.group(1)]
    return value


def parse(value: str) -> Colour:
    if value == "transparent":
        return (0, 0, 0, 0)
    if match := re.fullmatch(r"#([0-9a-f]{3}|[0-9a-f]{6})", value, re.I):
        digits = match.group(1)
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
        return (r, g, b, 1.0)
    if match := re.fullmatch(r"rgba?\(([^)]*)\)", value):
        parts = [float(p) for p in match.group(1).split(",")]
        return (parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 1.0)
    raise ValueError(f"not a colour this test reads: {value!r}")


def over(top: Colour, below: Colour) -> Colour:
    alpha = top[3]
    return (
        top[0] * alpha + below[0] * (1 - alpha),
        top[1] * alpha + below[1] * (1 - alpha),
        top[2] * alpha + below[2] * (1 - alpha),
        1.0,
    )


def luminance(colour: Colour) -> float:
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: Colour, second: Colour) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def paint(layers: list[str]) -> Colour:
    """Layers bottom up, each "selector | property" or a literal colour."""
    result: Colour = (255, 255, 255, 1.0)
    for layer in layers:
        selector, _, prop = layer.partition(" | ")
        colour = parse(declared(selector, prop) if prop else selector)
        result = over(colour, result)
    return result


CHAT = [":root | --bg"]
ON_DOT = [*CHAT, DOT]
SIDEBAR = [".sidebar | background"]
CONTROLS = [*SIDEBAR, ".controls | background"]
POPUP = [".popup | background"]
INK = ":root | color"
WHITE = "#fff"

# (what, text colour, layers behind the text)
TEXT_ON_BUTTONS = [
    ("inline button", ".inline-button | color", [*CHAT, ".inline-button | background"]),
    ("inline button on a dot", ".inline-button | color", [*ON_DOT, ".inline-button | background"]),
    (
        "inline button, hovered",
        ".inline-button | color",
        [*ON_DOT, ".inline-button:hover:not(:disabled) | background"],
    ),
    (
        "inline button, waiting for the bot",
        ".inline-button.pending | color",
        [*ON_DOT, ".inline-button | background"],
    ),
    ("side button", INK, [*SIDEBAR, ".side-button | background"]),
    ("side button, hovered", INK, [*SIDEBAR, ".side-button:hover | background"]),
    (
        "demo button",
        ".side-button.primary | color",
        [*CONTROLS, ".side-button.primary | background"],
    ),
    (
        "demo button, hovered",
        ".side-button.primary | color",
        [*CONTROLS, ".side-button.primary:hover | background"],
    ),
    ("chat in the list", INK, [*SIDEBAR, ".person | background"]),
    ("chat in the list, hovered", INK, [*SIDEBAR, ".person:hover | background"]),
    (
        "open chat in the list",
        '.person[aria-current="true"] | color',
        [*SIDEBAR, '.person[aria-current="true"] | background'],
    ),
    ("unread badge", ".badge | color", [*SIDEBAR, ".badge | background"]),
    ("menu button", ".menu-button | color", [*CHAT, ".menu-button | background"]),
    ("menu button, hovered", ".menu-button | color", [*CHAT, ".menu-button:hover | background"]),
    ("send button", ".icon-button.send | color", [*CHAT, ".icon-button.send | background"]),
    ("location button", INK, [*CHAT, ".icon-button | background"]),
    ("START", ".start-bar button | color", [*CHAT, ".start-bar button | background"]),
    ("reply button", INK, [*CHAT, ".reply-keyboard | background", ".reply-button | background"]),
    ("menu command", ".command | color", [*POPUP, ".menu-item | background"]),
    ("menu command, hovered", ".command | color", [*POPUP, ".menu-item:hover | background"]),
    ("menu description", ".description | color", [*POPUP, ".menu-item:hover | background"]),
    ("city", INK, [*POPUP, ".menu-item:focus-visible | background"]),
    (
        "toast OK",
        ".toast button | color",
        [".toast.alert | background", ".toast button | background"],
    ),
]


@pytest.mark.parametrize(
    ("what", "text", "layers"), TEXT_ON_BUTTONS, ids=[t[0] for t in TEXT_ON_BUTTONS]
)
def test_button_text_reaches_aa(what: str, text: str, layers: list[str]) -> None:
    behind = paint(layers)
    selector, _, prop = text.partition(" | ")
    shown = over(parse(declared(selector, prop)), behind)
    assert ratio(shown, behind) >= TEXT_AA, f"{what}: {ratio(shown, behind):.2f}:1"


@pytest.mark.parametrize("backdrop", [CHAT, ON_DOT, SIDEBAR, CONTROLS, POPUP], ids=str)
def test_the_focus_ring_stands_out_everywhere(backdrop: list[str]) -> None:
    ring = declared(":focus-visible", "outline").split()
    assert ring[0] == "3px" and ring[1] == "solid"
    colour = ring[2]
    if colour.startswith("var("):
        colour = rules()[":root"][colour[4:-1]]
    assert ratio(parse(colour), paint(backdrop)) >= NON_TEXT_AA


def test_the_ratios_are_computed_right() -> None:
    """WCAG's own reference points: black on white is 21:1, a colour on itself 1:1."""
    assert ratio(parse("#000"), parse("#fff")) == pytest.approx(21)
    assert ratio(parse("#777777"), parse("#777777")) == pytest.approx(1)
    assert ratio(parse("#767676"), parse("#ffffff")) == pytest.approx(4.54, abs=0.01)
