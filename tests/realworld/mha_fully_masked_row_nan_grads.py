# A padded batch where one sequence is all padding: its attention row is all -inf
torch.manual_seed(0)
mha = nn.MultiheadAttention(embed_dim=4, num_heads=2, batch_first=True)
x = torch.randn(2, 3, 4, requires_grad=True)
key_padding_mask = torch.tensor([[False, False, True], [True, True, True]])
out, weights = mha(x, x, x, key_padding_mask=key_padding_mask, average_attn_weights=False)
print(weights.shape)
print("NaNs in output per sequence:", torch.isnan(out).any(dim=-1).any(dim=-1).tolist())
loss = out.nan_to_num(0.0).sum()
loss.backward()
print("grad has NaN:", torch.isnan(x.grad).any().item(), torch.isnan(mha.in_proj_weight.grad).any().item())

# the usual fix: never mask every key of a row
mha.zero_grad()
x2 = x.detach().clone().requires_grad_()
safe_mask = key_padding_mask.clone()
safe_mask[safe_mask.all(dim=1), 0] = False
out2, w2 = mha(x2, x2, x2, key_padding_mask=safe_mask)
valid = (~key_padding_mask).any(dim=1).float().view(-1, 1, 1)
loss2 = (out2 * valid).sum()
loss2.backward()
print("after fix, NaN:", torch.isnan(x2.grad).any().item())
print(w2[0])
print(x2.grad[1])
