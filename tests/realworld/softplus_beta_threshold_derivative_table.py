# How sharp is softplus? Its derivative at a few points for some (beta, threshold) pairs, next to ReLU's.
x = torch.tensor([-0.5, -0.1, 0.0, 0.1, 0.3, 0.5, 0.7], requires_grad=True)
settings = [(1.0, 20.0), (5.0, 2.0), (10.0, 3.0), (10.0, 5.0)]
curves = {}
for beta, threshold in settings:
    act = nn.Softplus(beta=beta, threshold=threshold)
    (slope,) = torch.autograd.grad(act(x).sum(), x)
    curves[f"beta={beta:g}, threshold={threshold:g}"] = slope
relu_slope = (x > 0).float()
for name, slope in curves.items():
    print(f"{name:26s}", " ".join(f"{v:.3f}" for v in slope.tolist()))
print(f"{'relu':26s}", " ".join(f"{v:.3f}" for v in relu_slope.tolist()))
loss = sum(F.softplus(x, beta=b, threshold=t).sum() for b, t in settings)
loss.backward()
print(x.grad)
