"""JSON inside an HTML <script> element: the one way gradwalk writes a run's data into a document (the run's page,
a notebook's output, a one-file run)."""

# `<`, `>` and `&` are written as JSON escapes (`<` can only be inside a JSON string, where `\u003c` means the
# same), so no text in a run can end that element or open a comment or another script in it (`</script>`,
# `<!--<script>`). U+2028 and U+2029 go the same way, for readers that take the JSON for JavaScript.
INLINE_ESCAPES = [
    (b"<", b"\\u003c"),
    (b">", b"\\u003e"),
    (b"&", b"\\u0026"),
    ("\u2028".encode(), b"\\u2028"),
    ("\u2029".encode(), b"\\u2029"),
]


def inline_json(data: bytes) -> str:
    """JSON bytes as text that is safe inside a <script> element and means the same JSON."""
    for char, escape in INLINE_ESCAPES:
        data = data.replace(char, escape)
    return data.decode("utf-8", "replace")
