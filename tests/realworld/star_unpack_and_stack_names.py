torch.manual_seed(107)
rows = torch.randn(4, 3, requires_grad=True)
first, *rest = rows.unbind(0)
head, tail = rows.split([1, 3])
left, right = rows.chunk(2, dim=1)
w1, w2 = [torch.randn(3, requires_grad=True) for _ in range(2)]
losses = [(r * w1).sum() ** 2 for r in rest]
total = torch.stack(losses).sum() + (first * w2).sum() + head.mean() + left.pow(2).sum() + right.sum()
total.backward()
print(len(rest), rows.grad)
print(w1.grad, w2.grad)
