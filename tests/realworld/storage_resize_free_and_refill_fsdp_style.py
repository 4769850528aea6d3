# The FSDP trick of freeing a parameter's memory between uses: untyped_storage().resize_(0) frees it, resize_ back
# and copy_ refills it before the next forward; the tensor keeps its shape meanwhile, its first value stays shown.
torch.manual_seed(0)
layer = nn.Linear(3, 2)
full = layer.weight.detach().clone()
x = torch.randn(4, 3)
y1 = layer(x).sum()
y1.backward()
with torch.no_grad():
    layer.weight.untyped_storage().resize_(0)
print(layer.weight.shape, layer.weight.untyped_storage().size())
with torch.no_grad():
    layer.weight.untyped_storage().resize_(full.numel() * full.element_size())
    layer.weight.copy_(full * 2)
y2 = layer(x).sum()
y2.backward()
print(layer.weight, layer.weight.grad)
