torch.manual_seed(11)
online = nn.Linear(3, 3)
target_net = nn.Linear(3, 3)
target_net.load_state_dict(online.state_dict())
s = torch.randn(4, 3)
q = online(s)
with torch.no_grad():
    q_next = target_net(s).max(dim=1).values
target = (q.max(dim=1).values * 0.9).detach().clone() + q_next
td = F.huber_loss(q.gather(1, torch.tensor([[0], [1], [2], [0]])).squeeze(1), target)
td.backward()
print(target.requires_grad, round(td.item(), 4))
