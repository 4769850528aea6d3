# Warning filters a notebook sets up front: "once" for torch's deprecation-style UserWarnings, numpy's divide-by-zero
# RuntimeWarning turned into output with np.errstate, and a message filter silencing the non-leaf .grad warning
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

sys.stderr = sys.stdout
warnings.filterwarnings("once", category=UserWarning, message=".*target size.*")
warnings.filterwarnings("ignore", message=".*is not a leaf Tensor.*")
torch.manual_seed(59)
w = torch.randn(3, 1, requires_grad=True)
for step in range(3):
    pred = torch.randn(4, 3) @ w
    loss = F.mse_loss(pred, torch.zeros(4))
    loss.backward()
    print(step, pred.grad, round(w.grad.norm().item(), 4))
counts = w.detach().numpy().ravel() * 0
ratio = np.ones(3) / counts
print(ratio)
with np.errstate(divide="ignore"):
    print(np.log(counts))
x = torch.from_numpy(ratio)
print(torch.nan_to_num(x, posinf=1e6))
