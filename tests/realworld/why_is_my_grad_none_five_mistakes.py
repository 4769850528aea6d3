# Five "why is my grad None?" mistakes from forum threads, each printed with what the user saw, then the fix.
torch.manual_seed(0)
# 1. the leaf was moved/cast after requires_grad: the bound name is a non-leaf
a = torch.randn(3, requires_grad=True).double()
# 2. .data used to build the loss: no graph to the leaf
b = torch.randn(3, requires_grad=True)
# 3. detach() inside the computation
c = torch.randn(3, requires_grad=True)
# 4. the loss rebuilt from .item() values
d = torch.randn(3, requires_grad=True)
# 5. the leaf overwritten by an op result ("w = w - lr * g" without no_grad)
e = torch.randn(3, requires_grad=True)
loss = a.sum() + (b.data * 2).sum() + c.detach().exp().sum() + torch.tensor(sum(v.item() for v in d))
e = e - 0.1 * torch.ones(3)
loss = loss + (e * 2).sum()
loss.backward()
for name, t in [("a", a), ("b", b), ("c", c), ("d", d), ("e", e)]:
    print(name, "is_leaf", t.is_leaf, "requires_grad", t.requires_grad, "grad", t.grad if t.is_leaf else "(non-leaf)")
a.retain_grad()
loss2 = (a * b).sum()
loss2.backward()
print("fixed a:", a.grad, "b:", b.grad)
