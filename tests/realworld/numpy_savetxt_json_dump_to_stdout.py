import io
import json
import sys

import numpy as np
import torch

torch.manual_seed(0)
W = torch.randn(3, 2, requires_grad=True)
x = torch.randn(4, 3)
loss = (x @ W).tanh().pow(2).mean()
loss.backward()
np.savetxt(sys.stdout, W.grad.numpy(), fmt="%8.4f", header="dL/dW", comments="# ")
np.savetxt(sys.stdout.buffer, W.detach().numpy()[:1], fmt="%.2f", delimiter=";")  # bytes straight to the buffer
sys.stdout.flush()
json.dump({"loss": round(loss.item(), 5), "grad_norm": round(W.grad.norm().item(), 5)}, sys.stdout, indent=2)
print()
csv_text = "1.0,2.0,0\n0.5,-1.0,1\n"
data = np.loadtxt(io.StringIO(csv_text), delimiter=",")
features = torch.from_numpy(data[:, :2]).float()
labels = torch.from_numpy(data[:, 2]).long()
print(features.dtype, labels.tolist())
np.set_printoptions(precision=3, suppress=True)
print(W.detach().numpy())
