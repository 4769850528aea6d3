torch.manual_seed(197)
p = torch.randn(2, 2, requires_grad=True)
q = torch.randn(2, requires_grad=True)
out1 = p @ q
out2 = (p * 3).sum()
out3 = q.exp()
torch.autograd.backward([out1, out2, out3], grad_tensors=[torch.tensor([1.0, -1.0]), None, torch.ones(2) * 0.5])
print(p.grad, q.grad)
p.grad = None
q.grad = None
z = (p.sin() @ q.cos()).sum()
z.backward(inputs=[q])
print(p.grad, q.grad)
