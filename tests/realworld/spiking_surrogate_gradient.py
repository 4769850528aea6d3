import torch
import torch.nn as nn

class SpikeFn(torch.autograd.Function):
    @staticmethod
    def forward(ctx, mem):
        ctx.save_for_backward(mem)
        return (mem > 0).float()

    @staticmethod
    def backward(ctx, grad_output):
        mem, = ctx.saved_tensors
        surrogate = 1.0 / (1.0 + 10.0 * mem.abs()) ** 2
        return grad_output * surrogate

spike = SpikeFn.apply
torch.manual_seed(0)
fc = nn.Linear(5, 3)
inputs = torch.rand(6, 2, 5)  # time, batch, features
beta = 0.9
mem = torch.zeros(2, 3)
spikes = []
for t in range(inputs.shape[0]):
    mem = beta * mem + fc(inputs[t])
    s = spike(mem - 1.0)
    mem = mem - s * 1.0
    spikes.append(s)
spk = torch.stack(spikes)
rate = spk.mean(0)
loss = ((rate - torch.tensor([[0.5, 0.0, 0.2], [0.1, 0.3, 0.0]])) ** 2).sum()
loss.backward()
print("spike counts:", spk.sum(0))
print("fc.weight.grad:", fc.weight.grad)
