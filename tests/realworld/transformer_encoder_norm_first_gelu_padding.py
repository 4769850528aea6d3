import torch
import torch.nn as nn

torch.manual_seed(30)
layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16, dropout=0.1, activation="gelu", batch_first=True, norm_first=True)
enc = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
tokens = torch.randn(2, 5, 8)
pad = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
enc.train()
out = enc(tokens, src_key_padding_mask=pad)
pooled = (out * (~pad).unsqueeze(-1)).sum(1) / (~pad).sum(1, keepdim=True)
loss = pooled.pow(2).mean()
loss.backward()
print(pooled)
print(enc.layers[0].self_attn.in_proj_weight.grad.abs().sum())
