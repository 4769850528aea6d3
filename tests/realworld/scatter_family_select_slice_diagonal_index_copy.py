# Functional "scatter" ops: writing into a copy without in-place surgery (from a forum answer about
# "how do I set a row without breaking autograd")
torch.manual_seed(3)

base = torch.randn(4, 4, requires_grad=True)
row = torch.randn(4, requires_grad=True)
band = torch.randn(4, 2, requires_grad=True)
diag = torch.randn(4, requires_grad=True)

a = torch.select_scatter(base, row, dim=0, index=1)
b = torch.slice_scatter(a, band, dim=1, start=1, end=3)
c = torch.diagonal_scatter(b, diag.exp())

idx = torch.tensor([0, 2])
src = torch.randn(2, 4, requires_grad=True)
d = c.index_copy(0, idx, src)
e = d.index_fill(1, torch.tensor([3]), -1.0)

flat = e.flatten()
taken = flat.take(torch.tensor([0, 5, 10, 15]))
loss = (e.tanh() ** 2).sum() + taken.sum()
loss.backward()

for name, t in [("base", base), ("row", row), ("band", band), ("diag", diag), ("src", src)]:
    print(f"{name:>5}: grad norm = {t.grad.norm():.4f}")
print(base.grad[1])
print(e.grad_fn.name(), [type(n).__name__ for n, _ in e.grad_fn.next_functions])
