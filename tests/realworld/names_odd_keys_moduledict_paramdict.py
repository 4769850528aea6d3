from collections import OrderedDict, deque

import torch
import torch.nn as nn

torch.manual_seed(2)
model = nn.ModuleDict({"conv-1": nn.Linear(2, 2), "Head Layer": nn.Sequential(OrderedDict([("fc 1", nn.Linear(2, 1))]))})
extras = nn.ParameterDict({"scale factor": nn.Parameter(torch.ones(1)), "b-0": nn.Parameter(torch.zeros(1))})
x = torch.randn(3, 2)
out = model["Head Layer"](model["conv-1"](x)) * extras["scale factor"] + extras["b-0"]
by_lr = {1e-05: out.mean(), 0.1: out.sum(), -1: out.max(), None: out.min(), True: out.std()}
by_lr[1e-05].backward(retain_graph=True)
recent = deque(maxlen=2)
for k in range(3):
    recent.append(out * k)
names = {"a'b": out.exp(), 'q"uote': out.abs()}
total = sum(by_lr.values()) + recent[-1].sum() + names["a'b"].sum() + names['q"uote'].sum()
total.backward()
print(extras["scale factor"].grad, model["conv-1"].weight.grad)
print([k for k in by_lr])
