import torch.distributions as D

torch.manual_seed(126)
data = torch.cat([torch.randn(20) * 0.5 - 2, torch.randn(20) * 0.3 + 1.5])
logits = torch.zeros(2, requires_grad=True)
means = torch.tensor([-1.0, 1.0], requires_grad=True)
log_scales = torch.zeros(2, requires_grad=True)
opt = torch.optim.Adam([logits, means, log_scales], lr=0.1)
for step in range(8):
    mix = D.MixtureSameFamily(D.Categorical(logits=logits), D.Normal(means, log_scales.exp()))
    nll = -mix.log_prob(data).mean()
    opt.zero_grad()
    nll.backward()
    opt.step()
    if step % 3 == 0:
        print(step, round(nll.item(), 4))
print(means, log_scales.exp())
print(logits.grad, means.grad)
print(mix.mixture_distribution.probs)
