import copy
import torch

w = torch.randn(3, requires_grad=True)
h = w * 2
snap = copy.deepcopy(w)
print("leaf copy ok", snap.requires_grad)
history = {"h": h}
saved = copy.deepcopy(history)
print("unreachable")
