from torch.nn.utils import parameters_to_vector, vector_to_parameters

torch.manual_seed(100)
net = nn.Sequential(nn.Linear(2, 2), nn.Sigmoid(), nn.Linear(2, 1))
x = torch.randn(4, 2)
for step in range(2):
    net.zero_grad()
    loss = net(x).pow(2).mean()
    loss.backward()
    nn.utils.clip_grad_value_(net.parameters(), clip_value=0.05)
    flat_grad = parameters_to_vector(p.grad for p in net.parameters())
    with torch.no_grad():
        theta = parameters_to_vector(net.parameters())
        vector_to_parameters(theta - 0.5 * flat_grad, net.parameters())
    print(step, round(loss.item(), 6), flat_grad.abs().max().item())
print(net[2].weight)
