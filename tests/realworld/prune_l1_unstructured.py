import torch.nn.utils.prune as prune

torch.manual_seed(32)
layer = nn.Linear(4, 3)
prune.l1_unstructured(layer, name="weight", amount=0.5)
x = torch.randn(2, 4)
out = layer(x).sum()
out.backward()
print(int(layer.weight_mask.sum().item()), sorted(n for n, _ in layer.named_buffers()))
print(layer.weight_orig.grad)
prune.remove(layer, "weight")
print(sorted(n for n, _ in layer.named_parameters()))
