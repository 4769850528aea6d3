import torch
import torch.nn as nn

torch.manual_seed(28)
encoder = nn.Linear(3, 2)


@torch.no_grad()
def embed_batches(data, batch_size):
    for i in range(0, len(data), batch_size):
        chunk = data[i : i + batch_size]
        yield encoder(chunk), torch.is_grad_enabled()


data = torch.randn(5, 3)
gen = embed_batches(data, 2)
first, enabled_inside = next(gen)
outside = encoder(data[:1])  # grad is on again between yields
print(enabled_inside, torch.is_grad_enabled(), first.requires_grad, outside.requires_grad)
rest = [emb for emb, _ in gen]
print(len(rest), rest[-1].shape, rest[0].requires_grad)
outside.sum().backward()
print(encoder.weight.grad)
