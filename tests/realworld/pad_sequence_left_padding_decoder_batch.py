from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)
prompts = [torch.tensor([5, 2, 7]), torch.tensor([3]), torch.tensor([1, 4])]
left = pad_sequence(prompts, batch_first=True, padding_value=0, padding_side="left")
right = pad_sequence(prompts, batch_first=True, padding_value=0)
print(left)
print(right)
emb = nn.Embedding(8, 4, padding_idx=0)
attn = (left != 0).float()
h = emb(left) * attn.unsqueeze(-1)
last = h[:, -1]  # with left padding the last position is every prompt's last token
score = nn.Linear(4, 1)
loss = score(last).squeeze(-1).sigmoid().sum()
loss.backward()
print(emb.weight.grad[0], emb.weight.grad.abs().sum(1))
