import torch.distributions as D

torch.manual_seed(0)


class MDN(nn.Module):
    def __init__(self, k=3):
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(1, 16), nn.Tanh())
        self.logits = nn.Linear(16, k)
        self.mu = nn.Linear(16, k)
        self.log_sigma = nn.Linear(16, k)

    def forward(self, x):
        h = self.hidden(x)
        mix = D.Categorical(logits=self.logits(h))
        comp = D.Normal(self.mu(h), self.log_sigma(h).clamp(-5, 3).exp())
        return D.MixtureSameFamily(mix, comp)


x = torch.linspace(-1, 1, 32).unsqueeze(1)
y = torch.where(x > 0, torch.sin(3 * x), -torch.sin(3 * x)) + 0.05 * torch.randn_like(x)
model = MDN()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
for epoch in range(5):
    dist = model(x)
    nll = -dist.log_prob(y.squeeze(1)).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    print(f"epoch {epoch}: nll {nll.item():.4f}")

print(dist.batch_shape, dist.event_shape, dist.mixture_distribution.probs[0])
with torch.no_grad():
    samples = dist.sample((2,))
print(samples.shape, dist.mean[:3], dist.variance[:3])
print(D.Normal(0, 1).has_rsample, dist.has_rsample)
z = dist.rsample()
