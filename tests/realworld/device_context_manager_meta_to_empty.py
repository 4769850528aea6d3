torch.manual_seed(161)
with torch.device("meta"):
    big = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 2))
print(big[0].weight.device, big[0].weight.shape)
big = big.to_empty(device="cpu")
for m in big.modules():
    if isinstance(m, nn.Linear):
        m.reset_parameters()
with torch.device("cpu"):
    inp = torch.randn(3, 4)
out = big(inp)
loss = out.logsumexp(-1).mean()
loss.backward()
print(out)
print(big[2].bias.grad, big[0].weight.device)
