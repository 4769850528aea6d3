import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.act = nn.Softplus()
    def forward(self, x):
        return self.act(self.fc(x)) + x

torch.manual_seed(11)
net = nn.Sequential(Block(), nn.Linear(4, 2))
activations = {}

def save_act(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
        print(f"fwd {name}: out mean={output.mean():.4f}")
    return hook

def halve_grad(module, grad_output):
    print("bwd-pre", type(module).__name__, [tuple(g.shape) for g in grad_output])
    return tuple(g * 0.5 for g in grad_output)

h1 = net[0].register_forward_hook(save_act("block"))
h2 = net[1].register_forward_hook(save_act("head"))
h3 = net[0].fc.register_full_backward_pre_hook(halve_grad)
batch = torch.randn(3, 4)
logits = net(batch)
loss = nn.functional.cross_entropy(logits, torch.tensor([0, 1, 1]))
loss.backward()
print(net[0].fc.weight.grad)
for h in (h1, h2, h3):
    h.remove()
print(activations["block"].shape, activations["head"])
