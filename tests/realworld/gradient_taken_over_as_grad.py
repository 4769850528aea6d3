# A leaf's first gradient is the tensor backward computed, not a copy: torch hands it over as .grad when nothing
# else holds it (a view's backward gives the caller's own gradient back, reshaped).
x = torch.tensor([1.0, 2.0], requires_grad=True)
g = torch.tensor([[3.0, 4.0]])
x.view(1, 2).backward(g)
print("x.grad shares g's memory:", x.grad.data_ptr() == g.data_ptr())
g.mul_(10)
print(x.grad)

# sgn's gradient is zero everywhere: torch gives a tensor of zeros that holds no memory
s = torch.tensor([1.0, -2.0], requires_grad=True)
torch.sgn(s).sum().backward()
print(s.grad, s.grad._is_zerotensor())

w = torch.ones(3, requires_grad=True)
(w * 2).sum().backward()
first = w.grad
(w * 3).sum().backward()
print(first is w.grad, first)
