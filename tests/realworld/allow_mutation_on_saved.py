from torch.autograd.graph import allow_mutation_on_saved_tensors

torch.manual_seed(23)
a = torch.randn(4, requires_grad=True)
with allow_mutation_on_saved_tensors():
    b = a.clone()
    out = (b ** 2).sum()
    b.sin_()
    out.backward()
print(a.grad)
print(b)
x = torch.randn(3, requires_grad=True)
y = x * 1
z = y.exp()
y.add_(1)
try:
    z.sum().backward()
except RuntimeError as err:
    print("without the context:", type(err).__name__)
