import logging
import sys
import warnings
import torch

logging.basicConfig(stream=sys.stdout, level=logging.WARNING, format="%(levelname)s %(message)s")
logging.captureWarnings(True)
w = torch.randn(3, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.01)
for step in range(150):
    h = w * 2
    loss = h.pow(2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step >= 120 and step % 10 == 0:
        print(step, h.grad)
        warnings.warn(f"step {step}: h is not a leaf")
print(loss)
