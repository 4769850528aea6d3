# In-place changes make new versions of a tensor; autograd keeps track of them.
x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = x * 2
y.add_(1)        # y changes in place: a new version in the graph
z = y.relu()
z.sum().backward()

print(x.grad)    # 2 where y > 0, else 0
