# The SAC policy's squashed Gaussian: a reparameterised sample through TanhTransform, its log-prob from the
# TransformedDistribution, the same log-prob by the hand formula, and the actor loss's gradient.
from torch.distributions import Normal, TransformedDistribution
from torch.distributions.transforms import TanhTransform

torch.manual_seed(0)


class Actor(nn.Module):
    def __init__(self, obs_dim=3, act_dim=2):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(obs_dim, 16), nn.ReLU())
        self.mu = nn.Linear(16, act_dim)
        self.log_std = nn.Linear(16, act_dim)

    def forward(self, obs):
        h = self.net(obs)
        log_std = self.log_std(h).clamp(-5, 2)
        base = Normal(self.mu(h), log_std.exp())
        dist = TransformedDistribution(base, [TanhTransform(cache_size=1)])
        action = dist.rsample()
        log_prob = dist.log_prob(action).sum(-1)
        u = base.mean + base.stddev * 0  # (placeholder, not used in the loss)
        return action, log_prob, base


actor = Actor()
obs = torch.randn(5, 3)
action, log_prob, base = actor(obs)
pre_tanh = torch.atanh(action.clamp(-0.999999, 0.999999))
by_hand = (base.log_prob(pre_tanh) - torch.log(1 - action.pow(2) + 1e-6)).sum(-1)
print("hand formula close:", torch.allclose(by_hand, log_prob, atol=1e-2))
q_value = -(action - 0.3).pow(2).sum(-1)
alpha = 0.2
actor_loss = (alpha * log_prob - q_value).mean()
actor_loss.backward()
print(f"actor loss {actor_loss.item():.4f}")
print("action range ok:", bool((action.abs() < 1).all()))
print(actor.log_std.bias.grad)
