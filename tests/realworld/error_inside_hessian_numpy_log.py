from torch.func import hessian

torch.manual_seed(112)
A = torch.randn(3, 3)
A = A @ A.T + torch.eye(3)
log = []


def energy(x):
    e = 0.5 * x @ A @ x - x.sin().sum()
    log.append(float(e.detach().numpy()))
    return e


x0 = torch.randn(3)
print(energy(x0))
H = hessian(energy)(x0)
print(H, log)
