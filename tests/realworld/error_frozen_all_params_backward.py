# Fine-tuning gone wrong: the loop meant to freeze the backbone freezes every parameter.
import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
for name, p in model.named_parameters():
    if not name.startswith("3"):  # the head is model[2], so nothing is kept trainable
        p.requires_grad = False
trainable = [n for n, p in model.named_parameters() if p.requires_grad]
print("trainable:", trainable)
opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad] or model.parameters(), lr=1e-3)
x, y = torch.randn(3, 4), torch.tensor([0, 1, 1])
logits = model(x)
loss = nn.functional.cross_entropy(logits, y)
print("loss requires grad:", loss.requires_grad, loss.grad_fn)
loss.backward()
