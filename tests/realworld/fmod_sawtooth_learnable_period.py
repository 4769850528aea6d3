torch.manual_seed(0)
t = torch.arange(0, 2, 0.1)
period = nn.Parameter(torch.tensor(0.3))
amp = nn.Parameter(torch.tensor(1.0))
opt = torch.optim.SGD([period, amp], lr=0.01)
target = 2 * torch.fmod(t, 0.4)
for step in range(3):
    saw = amp * torch.fmod(t, period) / period
    loss = F.mse_loss(saw, target)
    opt.zero_grad()
    loss.backward()
    print(step, f"{loss.item():.5f}", period.grad)
    opt.step()
