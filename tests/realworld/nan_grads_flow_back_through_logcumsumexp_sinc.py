# Debugging NaN gradients: a sqrt of 0 inside torch.where sends NaN back into what came before it
u = torch.tensor([[0.0, 0.5, 1.0],
                  [0.0, 2.0, 3.0]], requires_grad=True)
r = u.logcumsumexp(dim=1)                 # running log-sum-exp (a Cox model's risk sets)
gap = r - r[:, -1:]                       # <= 0, exactly 0 in the last column
s = torch.sinc(u) - 1.0                   # <= 0, exactly 0 where u = 0
margin = torch.where(gap < 0, (-gap).sqrt(), torch.zeros_like(gap)) + torch.where(s < 0, (-s).sqrt(), torch.zeros_like(s))
loss = margin.sum()
loss.backward()
print(margin)
print(u.grad)
print("NaN in grad:", torch.isnan(u.grad).any().item())
