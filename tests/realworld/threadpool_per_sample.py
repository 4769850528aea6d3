from concurrent.futures import ThreadPoolExecutor

torch.manual_seed(125)
w = torch.randn(3, requires_grad=True)
samples = [torch.randn(3) for _ in range(4)]


def sample_grad(xs):
    loss = (w * xs).sum().tanh()
    (g,) = torch.autograd.grad(loss, w)
    return g


with ThreadPoolExecutor(max_workers=2) as pool:
    grads = list(pool.map(sample_grad, samples))
stacked = torch.stack(grads)
print(stacked.mean(0))
total = sum((w * s).sum().tanh() for s in samples)
total.backward()
print(w.grad)
