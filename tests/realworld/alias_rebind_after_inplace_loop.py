# names that move around while tensors are updated in place
torch.manual_seed(0)
w = torch.randn(2, requires_grad=True)
v = torch.randn(2, requires_grad=True)
params = [w, v]
for i in range(2):
    loss = (params[0] * params[1]).sum() ** 2
    loss.backward()
    with torch.no_grad():
        for p in params:
            p.add_(p.grad, alpha=-0.1)
            p.grad = None
w = w.detach() * 2
first, second = params
second.data.mul_(0.5)
buffers = {"running": torch.zeros(2)}
run_avg = buffers["running"]
for step in range(3):
    buffers["running"].mul_(0.9).add_(first.detach() * 0.1)
print(w, first, second, run_avg)
print(params)
