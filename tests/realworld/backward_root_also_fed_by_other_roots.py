# Several roots in one backward call, where one root also feeds another: each root's node receives the gradient the
# call gives it plus what the other roots send it.
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * x
y2 = y * 2
torch.autograd.backward([y2, y2.sum()], [torch.ones(3), torch.tensor(5.0)])
print("x.grad:", x.grad)

a, b = (x * 3).unbind()[:2]
c = a * b
(ga,) = torch.autograd.grad([c, a, a], [x], [torch.tensor(2.0), torch.tensor(0.5), None])
print("grad:", ga)

e = x.exp()
total = e.sum()
torch.autograd.backward([total, e], grad_tensors=[None, torch.tensor([1.0, -1.0, 2.0])])
print("x.grad:", x.grad)
e.backward(torch.ones(3))  # the graph was freed by the call before: PyTorch raises here
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x * 2).sum()
torch.autograd.backward([x, y], [torch.ones(2), None])
print(x.grad)
z = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    (z * 2).backward(torch.ones(3))
except RuntimeError:
    print("raised")
print(z.grad)
