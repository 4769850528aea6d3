# sample() vs rsample(): why does only r carry a gradient back to mu? Normal.sample() computes under torch.no_grad()
# inside torch (the code writes none), rsample() keeps the graph (mu + eps * scale).
from torch.distributions import Normal

torch.manual_seed(0)
mu = torch.tensor([0.5], requires_grad=True)
d = Normal(mu, 1.0)
s = d.sample()
r = d.rsample()
print(s.requires_grad, r.requires_grad)
loss = (s**2).sum() + (r**2).sum()
loss.backward()
print(mu.grad)
