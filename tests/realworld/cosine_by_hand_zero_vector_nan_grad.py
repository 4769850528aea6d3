# "Why is my gradient NaN?" -- cosine similarity written by hand, with an all-zero embedding row
a = torch.tensor([[0.0, 0.0, 0.0],
                  [1.0, 2.0, 2.0]], requires_grad=True)
b = torch.tensor([[1.0, 0.0, 0.0],
                  [0.0, 3.0, 4.0]], requires_grad=True)
cos = (a * b).sum(dim=1) / (a.norm(dim=1) * b.norm(dim=1))
print(cos)
cos.sum().backward()
print(a.grad)
print(b.grad)
print(torch.isnan(a.grad).any().item())
# the fix people reach for: F.cosine_similarity clamps the norms with eps
a2 = a.detach().clone().requires_grad_(True)
safe = F.cosine_similarity(a2, b.detach(), dim=1, eps=1e-8)
safe.sum().backward()
print(safe, a2.grad)
