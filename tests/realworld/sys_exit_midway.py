import sys

x = torch.tensor([1.0, 2.0], requires_grad=True)
y = (x ** 2).sum()
y.backward()
print(x.grad)
if x.grad.sum() > 0:
    sys.exit(0)
print("not reached")
z = x * 10
