torch.manual_seed(0)
A = torch.randn(50, 50)
A = A @ A.T
v = torch.randn(50)
with torch.no_grad():
    for i in range(3000):
        w = A @ v
        v = w / w.norm()
eigval = v @ A @ v
print("top eigenvalue", round(eigval.item(), 3))
print("check", round(torch.linalg.eigvalsh(A)[-1].item(), 3))
M = A.clone().requires_grad_()
(v @ M @ v).backward()
print(torch.allclose(M.grad, torch.outer(v, v)))
