torch.manual_seed(0)
k = torch.tensor(2.0, requires_grad=True)
x = torch.linspace(0, 1, 11, dtype=torch.float64)
force = k * x ** 2
work = torch.trapz(force, x)
also = torch.trapezoid(force, dx=0.1)
cumulative = torch.cumulative_trapezoid(force, x)
grad_np = torch.gradient(force, spacing=(x,))[0]
print(round(work.item(), 6), round(also.item(), 6), cumulative[-1].item() == work.item())
loss = (work - 0.5) ** 2 + cumulative.mean() + grad_np[-1]
loss.backward()
print(k.grad)
