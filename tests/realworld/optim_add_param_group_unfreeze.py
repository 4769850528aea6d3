torch.manual_seed(103)
backbone = nn.Sequential(nn.Linear(5, 8), nn.Tanh())
head = nn.Linear(8, 2)
for p in backbone.parameters():
    p.requires_grad_(False)
opt = torch.optim.SGD(head.parameters(), lr=0.1, momentum=0.9)
inputs = torch.randn(6, 5)
labels = torch.tensor([0, 1, 1, 0, 1, 0])
for epoch in range(4):
    if epoch == 2:
        for p in backbone.parameters():
            p.requires_grad_(True)
        opt.add_param_group({"params": backbone.parameters(), "lr": 0.01})
        print("groups:", [g["lr"] for g in opt.param_groups], len(opt.param_groups[1]["params"]))
    opt.zero_grad()
    logits = head(backbone(inputs))
    loss = F.cross_entropy(logits, labels)
    loss.backward()
    opt.step()
    print(epoch, round(loss.item(), 5), backbone[0].weight.grad is None)
print(backbone[0].bias.grad)
print(head.weight.grad)
