"""JSON inside an HTML <script> element: the one way gradwalk writes a run's data into a document (the run's page,
a notebook's output, a one-file run)."""

import html
import re

# `<`, `>` and `&` are written as JSON escapes (`<` can only be inside a JSON string, where `\u003c` means the
# same), so no text in a run can end that element or open a comment or another script in it (`</script>`,
# `<!--<script>`). U+2028 and U+2029 go the same way, for readers that take the JSON for JavaScript, and the C1
# control characters (U+0080 to U+009F: CSI, OSC), which some terminals act on (`gradwalk capture --format html`).
INLINE_ESCAPES = [
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
]
C1 = re.compile(rb"\xc2([\x80-\x9f])")  # (in UTF-8)
# What a terminal acts on and what reorders or hides text, written as a space wherever a run's text is written for
# people (DOT and SVG labels, the one-file run's words, what `gradwalk capture` says on a terminal): C0 (ESC opens its
# sequences: `\x1b]0;...\x07` sets the window's title, `\x1b[2J` clears the screen, `\x1b]52;c;...` writes the
# clipboard; a carriage return writes over the line), DEL, C1 (U+0080 to U+009F: CSI and OSC in one character),
# bidirectional controls and zero widths.
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def json_without_c1(data: bytes) -> bytes:
    """JSON with its C1 control characters written as escapes (`\u009b`): the same JSON."""
    return C1.sub(lambda m: b"\\u%04x" % m[1][0], data) if b"\xc2" in data else data


def inline_json(data: bytes) -> str:
    """JSON bytes as text that is safe inside a <script> element and means the same JSON."""
    for char, escape in INLINE_ESCAPES:
        data = data.replace(char, escape)
    return json_without_c1(data).decode("utf-8", "replace")


def html_text(text: str) -> str:
    """Text as HTML that shows it: escaped, what is UNPRINTABLE as spaces (`gradwalk capture --format html` writes it
    to standard output: ESC went out as it was, in a snippet's exception's name and words)."""
    return UNPRINTABLE.sub(" ", html.escape(text))
