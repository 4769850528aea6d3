import torch
import torch.nn as nn

torch.manual_seed(10)
encoder = nn.Linear(3, 3)
x = torch.randn(2, 3)
features = encoder(x)
frozen = features.detach()
print(frozen.requires_grad, frozen.is_leaf)
frozen.requires_grad = True  # fine: detach() gave a new leaf
(frozen * 2).sum().backward()
print(frozen.grad)
features.requires_grad = False  # a computed tensor: only leaves may change the flag
