# Global magnitude pruning over two layers, a fine-tune step, then prune.remove makes it permanent
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune

torch.manual_seed(18)
model = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2))
params_to_prune = [(model[0], "weight"), (model[2], "weight")]
prune.global_unstructured(params_to_prune, pruning_method=prune.L1Unstructured, amount=0.5)
print(sorted(n for n, _ in model.named_buffers()))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x, y = torch.randn(5, 4), torch.randint(0, 2, (5,))
loss = nn.functional.cross_entropy(model(x), y)
loss.backward()
opt.step()
print(model[0].weight_orig.grad.eq(0).sum().item(), "zero grads where masked")
for m, name in params_to_prune:
    prune.remove(m, name)
sparsity = sum((m.weight == 0).sum().item() for m, _ in params_to_prune) / sum(m.weight.numel() for m, _ in params_to_prune)
print(f"sparsity {sparsity:.2f}", sorted(n for n, _ in model.named_parameters()))
out = model(x)
