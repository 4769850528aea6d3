torch.manual_seed(11)
a = torch.randn(2, requires_grad=True)
b = torch.randn(2, requires_grad=True)
c = torch.randn(2, requires_grad=True)
out = (a * b).sum()
ga, gb, gc = torch.autograd.grad(out, [a, b, c], allow_unused=True, retain_graph=True)
print(ga, gb, gc)
ga2, gc2 = torch.autograd.grad(out, [a, c], allow_unused=True, materialize_grads=True)
print(ga2, gc2)
try:
    torch.autograd.grad((a * 2).sum(), [a, c])
except RuntimeError as e:
    print(type(e).__name__, "unused" in str(e))
