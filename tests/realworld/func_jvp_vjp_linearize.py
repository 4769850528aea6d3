from torch.func import jvp, vjp, linearize

torch.manual_seed(21)


def f(x):
    return x.sin() * x.cos().sum()


x = torch.randn(4)
tangent = torch.ones(4)
out, jvp_out = jvp(f, (x,), (tangent,))
print(out)
print(jvp_out)

out2, vjp_fn = vjp(f, x)
(vjp_out,) = vjp_fn(torch.ones(4))
print(vjp_out)

out3, jvp_fn = linearize(f, x)
lin = jvp_fn(tangent)
print(torch.allclose(lin, jvp_out))

w = torch.randn(4, requires_grad=True)
_, tangent_out = jvp(lambda t: (t * w).tanh(), (x,), (tangent,))
total = tangent_out.sum()
total.backward()
print(w.grad)
