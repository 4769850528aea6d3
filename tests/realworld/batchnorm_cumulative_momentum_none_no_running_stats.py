# BatchNorm variants: a cumulative running average (momentum=None), no running statistics at all (batch statistics in
# eval too), affine=False, running stats reset midway; the counters printed as training goes.
torch.manual_seed(0)
cumulative = nn.BatchNorm1d(3, momentum=None)
batch_only = nn.BatchNorm1d(3, track_running_stats=False)
plain = nn.BatchNorm1d(3, affine=False)
batches = [torch.randn(4, 3) * (k + 1) + k for k in range(3)]
for k, xb in enumerate(batches):
    out = cumulative(xb) + batch_only(xb) + plain(xb)
    out.pow(2).sum().backward()
    print(k, cumulative.num_batches_tracked.item(), cumulative.running_mean, plain.running_var)
print(batch_only.running_mean, batch_only.num_batches_tracked, plain.weight)
plain.reset_running_stats()
print(plain.running_mean, plain.running_var, plain.num_batches_tracked)
cumulative.eval()
batch_only.eval()
x = torch.randn(2, 3, requires_grad=True)
y = cumulative(x).sum() + batch_only(x).sum() * 0.5
y.backward()
print(x.grad)
print(cumulative.weight.grad, cumulative.bias.grad)
