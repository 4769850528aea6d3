torch.manual_seed(93)
critic = nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
gen = nn.Linear(3, 2)
opt_c = torch.optim.RMSprop(critic.parameters(), lr=5e-3)
opt_g = torch.optim.RMSprop(gen.parameters(), lr=5e-3)
real = torch.randn(8, 2) + 2
for it in range(3):
    for _ in range(2):
        fake = gen(torch.randn(8, 3)).detach()
        loss_c = critic(fake).mean() - critic(real).mean()
        opt_c.zero_grad()
        loss_c.backward()
        opt_c.step()
        for p in critic.parameters():
            p.data.clamp_(-0.05, 0.05)
    fake = gen(torch.randn(8, 3))
    loss_g = -critic(fake).mean()
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    with torch.no_grad():
        critic[0].weight[:, 0].clamp_(-0.01, 0.01)
    print(it, f"{loss_c.item():.5f} {loss_g.item():.5f}")
print(critic[0].weight[:2])
print(gen.weight.grad)
