"""gradwalk from Python and Jupyter: see PyTorch autograd at work in your own code.

    import gradwalk
    with gradwalk.record() as run:      # the block runs as usual, in your own namespace, recorded
        ...
    run.show()                          # both graphs: inline in a notebook, else in the browser
    run.to_html("run.html")             # one file, interactive, no server, no network
    run.to_json(); run.to_dot("backward")

In Jupyter, `%load_ext gradwalk` then `%%gradwalk` at the top of a cell (`pip install gradwalk[notebook]`).
Your code runs in your own process: no sandbox. docs/python.md has the details.

This package is the public face of the `app` package (the server, the capture engine): `gradwalk.Run` is the
API's Run, `app.graph.Run`.
"""

from app.notebook import load_ipython_extension, unload_ipython_extension
from app.recording import Run, record

__all__ = ["Run", "load_ipython_extension", "record", "unload_ipython_extension"]
