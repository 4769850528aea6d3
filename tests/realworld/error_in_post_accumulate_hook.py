torch.manual_seed(114)
params = [nn.Parameter(torch.randn(2, 2)) for _ in range(2)]
steps = {"n": 0}


def sgd_in_backward(p):
    with torch.no_grad():
        p.add_(p.grad, alpha=-0.1)
    steps["n"] += 1
    if steps["n"] > 3:
        raise RuntimeError("step budget exhausted")
    p.grad = None


for p in params:
    p.register_post_accumulate_grad_hook(sgd_in_backward)
x = torch.randn(3, 2)
for i in range(2):
    out = (x @ params[0] @ params[1]).tanh().sum()
    print(i, out)
    out.backward()
