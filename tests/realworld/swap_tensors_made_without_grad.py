# Buffers swapped in place before they meet the graph (as a module's `_apply` does): the swap must go through.
a = torch.zeros(3)
b = torch.arange(3.0).exp()
torch.utils.swap_tensors(a, b)
w = torch.ones(3, requires_grad=True)
loss = (w * a + b).sum()
loss.backward()
print(a, b, w.grad)
