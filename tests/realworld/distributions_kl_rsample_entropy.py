from torch.distributions import Normal, Categorical, kl_divergence, Independent

torch.manual_seed(77)
mu = torch.zeros(3, requires_grad=True)
log_std = torch.full((3,), -0.5, requires_grad=True)
q = Independent(Normal(mu, log_std.exp()), 1)
p = Independent(Normal(torch.zeros(3), torch.ones(3)), 1)
z = q.rsample()
log_q = q.log_prob(z)
kl = kl_divergence(q, p)
ent = q.entropy()
loss = (z ** 2).sum() + kl - 0.1 * ent
loss.backward()
print(f"kl={kl.item():.5f} ent={ent.item():.5f} logq={log_q.item():.5f}")
print(mu.grad)
print(log_std.grad)

logits = torch.tensor([0.2, -1.0, 0.5], requires_grad=True)
cat = Categorical(logits=logits)
action = cat.sample()
pg_loss = -cat.log_prob(action) * 2.0 - 0.01 * cat.entropy()
pg_loss.backward()
print(action.item(), logits.grad)
