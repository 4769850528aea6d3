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
C1_AS_SPACES = dict.fromkeys(range(0x80, 0xA0), " ")  # (as the DOT and SVG write them)


def json_without_c1(data: bytes) -> bytes:
    """JSON with its C1 control characters written as escapes (`\u009b`): the same JSON."""
    return C1.sub(lambda m: b"\\u%04x" % m[1][0], data) if b"\xc2" in data else data


def inline_json(data: bytes) -> str:
    """JSON bytes as text that is safe inside a <script> element and means the same JSON."""
    for char, escape in INLINE_ESCAPES:
        data = data.replace(char, escape)
    return json_without_c1(data).decode("utf-8", "replace")


def html_text(text: str) -> str:
    """Text as HTML that shows it: escaped, its C1 control characters as spaces."""
    return html.escape(text).translate(C1_AS_SPACES)
