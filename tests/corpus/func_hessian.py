from torch.func import hessian
def energy(p):
    return (p ** 3).sum() + p[0] * p[1]
point = torch.tensor([1.0, 2.0])
H = hessian(energy)(point)
print(H)
