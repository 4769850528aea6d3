x = torch.tensor(3.0, requires_grad=True)
square = x * x
left = square * 2
right = square + 1
top = left * right
top.backward()
print(x.grad)
