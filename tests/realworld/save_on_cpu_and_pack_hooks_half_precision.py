# Saved-tensor hooks that save activations in half precision (a memory trick from a forum thread) and
# torch.autograd.graph.save_on_cpu: the gradients differ a little from the plain ones with the half hooks, not
# with save_on_cpu.
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(6, 6), nn.Tanh(), nn.Linear(6, 1))
x = torch.randn(4, 6)


def pack(t):
    return t.to(torch.float16) if t.dtype == torch.float32 else t


def unpack(t):
    return t.to(torch.float32) if t.dtype == torch.float16 else t


with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
    loss_half = model(x).pow(2).sum()
loss_half.backward()
grad_half = model[0].weight.grad.clone()
model.zero_grad()
with torch.autograd.graph.save_on_cpu():
    loss_cpu = model(x).pow(2).sum()
loss_cpu.backward()
grad_cpu = model[0].weight.grad.clone()
model.zero_grad()
model(x).pow(2).sum().backward()
print("save_on_cpu exact:", torch.equal(grad_cpu, model[0].weight.grad))
print("half close:", torch.allclose(grad_half, model[0].weight.grad, atol=1e-2))
print((grad_half - model[0].weight.grad).abs().max() < 1e-2)
