import torch
import torch.nn as nn

def make_act(name: str) -> nn.Module:
    match name.lower():
        case "relu":
            return nn.ReLU()
        case "gelu" | "gelu_tanh":
            return nn.GELU(approximate="tanh" if name.endswith("tanh") else "none")
        case str(other) if other.startswith("leaky"):
            return nn.LeakyReLU(0.1)
        case _:
            raise ValueError(f"unknown activation {name}")

x = torch.linspace(-2, 2, 5, requires_grad=True)
outs = {}
for name in ["relu", "gelu_tanh", "leaky"]:
    outs[name] = make_act(name)(x)
total = sum(o.sum() for o in outs.values())
total.backward()
print(x.grad)
act = make_act("swishy")
