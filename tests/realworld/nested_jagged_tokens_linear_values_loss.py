# Variable-length sequences as a jagged nested tensor (no padding): a shared Linear and ReLU over every token,
# the loss taken on the packed values(), per-sequence lengths from offsets(), the pieces back with unbind().
torch.manual_seed(0)
seqs = [torch.randn(2, 3), torch.randn(4, 3), torch.randn(1, 3)]
nt = torch.nested.nested_tensor(seqs, layout=torch.jagged, requires_grad=True)
proj = nn.Linear(3, 2)
out = torch.relu(proj(nt))
print(out.is_nested, out.dim(), out.offsets().tolist())
lengths = out.offsets().diff()
packed = out.values()
loss = packed.pow(2).sum() / lengths.sum()
loss.backward()
pieces = out.unbind()
print([tuple(p.shape) for p in pieces], packed.shape)
print(f"loss {loss.item():.5f}")
print(proj.weight.grad)
print(nt.grad.is_nested, [g.shape for g in nt.grad.unbind()])
