from torch.autograd.functional import hvp, vhp, hessian

def rosen(z):
    return (1 - z[0]) ** 2 + 100 * (z[1] - z[0] ** 2) ** 2

z = torch.tensor([-1.0, 1.5], requires_grad=True)
v = torch.tensor([1.0, 0.0])
f_val, hv = hvp(rosen, z, v)
f_val2, vh = vhp(rosen, z, v)
H = hessian(rosen, z)
print(f_val, hv, vh)
print(H)
print(torch.allclose(hv, H @ v), torch.allclose(vh, v @ H))
# one Newton step by hand
g, = torch.autograd.grad(rosen(z), z)
step = torch.linalg.solve(H, g)
z_new = (z - step).detach()
print("newton", z_new, rosen(z_new).item())
value = rosen(z)
value.backward()
print(z.grad)
