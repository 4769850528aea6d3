# makemore part 4 style: check a manual backward pass against autograd
torch.manual_seed(42)
X = torch.randn(4, 3)
W = torch.randn(3, 5, requires_grad=True)
b = torch.randn(5, requires_grad=True)
Y = torch.tensor([1, 0, 4, 2])
logits = X @ W + b
counts = logits.exp()
counts_sum = counts.sum(1, keepdim=True)
probs = counts / counts_sum
logprobs = probs.log()
loss = -logprobs[range(4), Y].mean()
for t in [logprobs, probs, counts_sum, counts, logits]:
    t.retain_grad()
loss.backward()
dlogprobs = torch.zeros_like(logprobs)
dlogprobs[range(4), Y] = -1.0 / 4
dprobs = (1.0 / probs) * dlogprobs
dlogits = F.softmax(logits, 1)
dlogits[range(4), Y] -= 1
dlogits /= 4
print(torch.allclose(dlogprobs, logprobs.grad), torch.allclose(dlogits, logits.grad, atol=1e-6))
dW = X.T @ dlogits
print(torch.allclose(dW, W.grad, atol=1e-6))
