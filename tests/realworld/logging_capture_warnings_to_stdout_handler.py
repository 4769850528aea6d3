# A training script that routes everything to stdout: logging with a stdout handler, logging.captureWarnings(True)
# so torch's UserWarnings land in the log, and sys.stderr pointed at sys.stdout for the rest
import logging
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

logging.basicConfig(stream=sys.stdout, level=logging.INFO, format="%(levelname)s %(name)s: %(message)s", force=True)
logging.captureWarnings(True)
log = logging.getLogger("train")

torch.manual_seed(57)
model = nn.Linear(3, 1)
x, y = torch.randn(5, 3), torch.randn(5)
for epoch in range(2):
    pred = model(x)
    loss = F.mse_loss(pred, y)  # (5, 1) against (5,): broadcasting warning, once
    loss.backward()
    log.info("epoch %d loss %.4f", epoch, loss.item())
hidden = model.weight * 2
print(hidden.grad)  # a non-leaf's .grad: a warning, captured into the log
warnings.warn("learning rate looks high", RuntimeWarning)
logging.captureWarnings(False)
sys.stderr = sys.stdout
warnings.warn("now written to stderr, which is stdout")
probs = F.softmax(torch.randn(2, 3))
print(probs.sum(1))
