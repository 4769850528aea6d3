torch.manual_seed(123)
p = nn.Parameter(torch.randn(3))
opt = torch.optim.Adam([p], lr=0.1)
(p ** 2).sum().backward()
opt.step()
st = opt.state[p]
exp_avg = st["exp_avg"]
step_t = st["step"]
for _ in range(3):
    opt.zero_grad()
    (p ** 2).sum().backward()
    opt.step()
print(step_t, exp_avg)
print(st["exp_avg_sq"])
sq = st["exp_avg_sq"]
