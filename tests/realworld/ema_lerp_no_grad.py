torch.manual_seed(98)
net = nn.Linear(3, 1)
ema = {k: v.detach().clone() for k, v in net.state_dict().items()}
opt = torch.optim.Adam(net.parameters(), lr=0.1)
x = torch.randn(5, 3)
y = torch.randn(5, 1)
for step in range(3):
    loss = F.l1_loss(net(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    with torch.no_grad():
        for k, v in net.state_dict().items():
            ema[k].lerp_(v, 0.25)
print(ema["weight"])
print(net.weight.grad)
ema_weight = ema["weight"]
