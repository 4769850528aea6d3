import torch

torch.manual_seed(6)
w = torch.randn(3, requires_grad=True)
log_lr = torch.tensor(-2.0, requires_grad=True)
x = torch.randn(10, 3)
y = x @ torch.tensor([0.5, -1.0, 2.0])
def loss_at(weights):
    return ((x @ weights - y) ** 2).mean()
inner = loss_at(w)
g, = torch.autograd.grad(inner, w, create_graph=True)
w_new = w - log_lr.exp() * g
outer = loss_at(w_new)
outer.backward()
print("lr", log_lr.exp().item())
print("d outer / d log_lr", log_lr.grad)
print("w.grad", w.grad)
