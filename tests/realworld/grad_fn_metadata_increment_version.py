torch.manual_seed(241)
a = torch.randn(3, requires_grad=True)
b = a.exp()
b.grad_fn.metadata["tag"] = "exp-node"
c = b * 2
print(b.grad_fn.metadata, c.grad_fn.metadata)
print(b.grad_fn.name(), c.grad_fn.next_functions[0][0].metadata.get("tag"))
buf = torch.zeros(3)
print(buf._version)
torch.autograd.graph.increment_version(buf)
print(buf._version)
c.sum().backward()
print(a.grad)
