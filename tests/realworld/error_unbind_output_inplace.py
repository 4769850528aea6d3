torch.manual_seed(69)
x = torch.randn(2, 3, requires_grad=True)
h = x.exp()
rows = h.unbind(0)
first = rows[0]
print(first)
first += 1
print("never printed")
