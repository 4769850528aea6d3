import logging
import sys
import warnings

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
log = logging.getLogger("train")


def clipped(t, limit):
    if t.abs().max() > limit:
        warnings.warn("clipping a large gradient", stacklevel=2)
    return t.clamp(-limit, limit)


torch.manual_seed(29)
w = torch.randn(3, requires_grad=True)
loss = (w * 40).pow(2).sum()
loss.backward()
g = clipped(w.grad, 1.0)
log.info("loss %.3f", loss.item())
print("grad after clip", g, file=sys.stderr)
sys.stderr.write("done\n")
logging.warning("lr is %s", 0.1)
print(g)
