# Ragged batch pooling without padding: sentences of different lengths flattened into one tensor
torch.manual_seed(0)
tokens = torch.randn(9, 4, requires_grad=True)       # 9 token vectors, 3 sentences
lengths = torch.tensor([2, 4, 3])
pooled = {}
for reduce in ("sum", "mean", "max", "min"):
    pooled[reduce] = torch.segment_reduce(tokens, reduce, lengths=lengths, axis=0)
offsets = torch.tensor([0, 2, 6, 9])
by_offsets = torch.segment_reduce(tokens[:, 0], "mean", offsets=offsets)
ties = torch.tensor([1.0, 3.0, 3.0, 2.0, 2.0], requires_grad=True)
tied_max = torch.segment_reduce(ties, "max", lengths=torch.tensor([3, 2]))
loss = sum(v.pow(2).sum() for v in pooled.values()) + by_offsets.sum() + (tied_max * torch.tensor([1.0, 2.0])).sum()
loss.backward()
print({k: tuple(v.shape) for k, v in pooled.items()})
print(tokens.grad[:3])
print(ties.grad)
