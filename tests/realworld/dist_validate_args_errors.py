from torch import distributions as D
torch.manual_seed(0)
loc = torch.zeros(3, requires_grad=True)
scale = torch.ones(3, requires_grad=True)
n = D.Normal(loc, scale)
x = n.rsample((4,))
lp = n.log_prob(x).sum()
lp.backward()
print(loc.grad, scale.grad)
c = D.Categorical(logits=torch.randn(2, 5))
s = c.sample()
print(s, c.log_prob(s))
try:
    D.Normal(torch.zeros(2), torch.tensor([1.0, -1.0]))
except ValueError as e:
    print("ValueError:", str(e).splitlines()[0])
b = D.Bernoulli(probs=torch.tensor([0.3, 0.6]))
print(b.log_prob(torch.tensor([1.0, 0.0])))
b.log_prob(torch.tensor([0.5, 2.0]))
