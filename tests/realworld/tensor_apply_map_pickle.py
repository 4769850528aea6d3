import pickle

torch.manual_seed(251)
table = torch.arange(6, dtype=torch.float32).reshape(2, 3)
table.apply_(lambda v: v * v + 1)
other = torch.ones(2, 3)
table.map_(other, lambda a, b: a - b)
print(table)
w = torch.randn(3, requires_grad=True)
restored = pickle.loads(pickle.dumps(w))
print(restored.requires_grad, torch.equal(restored, w))
loss = (table @ restored).sum() + (table @ w).sum()
loss.backward()
print(w.grad, restored.grad)
