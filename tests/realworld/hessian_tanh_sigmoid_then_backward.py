from torch.func import hessian
w = torch.tensor([[0.5, -1.0, 2.0], [1.0, 0.3, -0.7]], requires_grad=True)

def f(x):
    return torch.tanh(x @ w).sum() + torch.sigmoid(x @ w).sum()

H = hessian(f)(torch.tensor([0.1, 0.2]))
H.sum().backward()
print(H, w.grad)
