from torch.func import jacrev
def f(x):
    return x.sin() * x
x = torch.tensor([0.5, 1.0, 2.0])
print("before")
jacobian = jacrev(f)(x)
print(jacobian)
print(torch.allclose(jacobian.diagonal(), x.cos() * x + x.sin()))
