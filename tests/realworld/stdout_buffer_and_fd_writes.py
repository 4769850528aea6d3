import io
import logging
import os
import pprint
import sys

import torch

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(message)s", force=True)
log = logging.getLogger("train")
torch.manual_seed(67)
w = torch.randn(2, requires_grad=True)
loss = (w * 3).sum()
loss.backward()
sys.stdout.write(f"loss={loss.item():.4f}\n")
sys.stdout.buffer.write(b"raw bytes line\n")
sys.stdout.flush()
print("progress", end="\r")
print("done      ")
log.info("grad %s", w.grad.tolist())
pprint.pprint({"w": w.detach(), "grad": w.grad}, width=40)
torch.set_printoptions(precision=2, sci_mode=False)
print(w.grad * 1e-5)
torch.set_printoptions(profile="default")
print(sys.stdout.encoding, sys.stdout.isatty(), isinstance(sys.stdout, io.TextIOBase))
print("ünïcödé ✓ 한국어", file=sys.stdout, flush=True)
