# torch.func on a small model: the input Jacobian with jacfwd and jacrev (same numbers), the parameter gradient
# with grad_and_value over functional_call, and a vmap over a batch of inputs for per-sample Jacobians.
from torch.func import functional_call, grad_and_value, jacfwd, jacrev, vmap

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
params = {k: v.detach() for k, v in model.named_parameters()}
x = torch.randn(3)
J_fwd = jacfwd(model)(x)
J_rev = jacrev(model)(x)
print(J_fwd.shape, torch.allclose(J_fwd, J_rev, atol=1e-6))


def loss_fn(p, inp, target):
    out = functional_call(model, p, (inp,))
    return F.mse_loss(out, target), out


target = torch.zeros(2)
(grads, (loss, out)) = grad_and_value(loss_fn, has_aux=True)(params, x, target)
print(f"loss {loss.item():.5f}", sorted(grads))
model(x).sub(target).pow(2).mean().backward()
print("same as backward:", all(torch.allclose(grads[k], p.grad) for k, p in model.named_parameters()))
batch = torch.randn(4, 3)
per_sample_J = vmap(jacrev(model))(batch)
print(per_sample_J.shape)
