torch.manual_seed(156)
knots_x = torch.linspace(-2, 2, 5)
knots_y = torch.zeros(5, requires_grad=True)
xs = torch.rand(20) * 4 - 2
ys = torch.sin(xs * 1.5)
opt = torch.optim.Adam([knots_y], lr=0.1)


def interp(x):
    idx = torch.searchsorted(knots_x, x.contiguous()).clamp(1, len(knots_x) - 1)
    x0, x1 = knots_x[idx - 1], knots_x[idx]
    y0, y1 = knots_y[idx - 1], knots_y[idx]
    t = (x - x0) / (x1 - x0)
    return y0 + t * (y1 - y0)


for step in range(6):
    opt.zero_grad()
    loss = F.mse_loss(interp(xs), ys)
    loss.backward()
    opt.step()
print(knots_y)
print(knots_y.grad, loss)
print(torch.bucketize(torch.tensor([-1.5, 0.0, 1.9]), knots_x))
