import logging
import sys
import torch

handler = logging.StreamHandler(sys.stdout)
handler.setFormatter(logging.Formatter("[%(funcName)s:%(lineno)d] %(message)s"))
logger = logging.getLogger(__name__)
logger.addHandler(handler)
logger.setLevel(logging.DEBUG)

def train_step(w):
    loss = (w ** 3).sum()
    loss.backward()
    logger.debug("loss=%s", loss.item())
    return loss

w = torch.tensor([1.0, 2.0], requires_grad=True)
loss = train_step(w)
logger.info("grad %s", w.grad.tolist())
print(logger.name)
