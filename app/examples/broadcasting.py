# Broadcasting: a (3, 1) column times a (1, 4) row makes a (3, 4) grid.
# backward sums the gradient back over the broadcast dimensions.
a = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
b = torch.tensor([[1.0, 10.0, 100.0, 1000.0]], requires_grad=True)
grid = a * b
total = grid.sum()
total.backward()

print(a.grad)  # each row sums b: 1111
print(b.grad)  # each column sums a: 6
