# BERT's masked-language-model inputs: 15% of the tokens chosen with bernoulli, of those 80% replaced with [MASK],
# 10% with a random token, 10% kept; labels -100 elsewhere (cross_entropy's ignore_index), one training step.
torch.manual_seed(0)
vocab_size, mask_id, pad_id = 20, 1, 0
input_ids = torch.randint(2, vocab_size, (3, 10))
input_ids[2, 7:] = pad_id
labels = input_ids.clone()
probability_matrix = torch.full(labels.shape, 0.15)
probability_matrix.masked_fill_(input_ids == pad_id, 0.0)
masked_indices = torch.bernoulli(probability_matrix).bool()
labels[~masked_indices] = -100
indices_replaced = torch.bernoulli(torch.full(labels.shape, 0.8)).bool() & masked_indices
input_ids[indices_replaced] = mask_id
indices_random = torch.bernoulli(torch.full(labels.shape, 0.5)).bool() & masked_indices & ~indices_replaced
random_words = torch.randint(vocab_size, labels.shape, dtype=torch.long)
input_ids[indices_random] = random_words[indices_random]
print(input_ids)
print(labels)

encoder = nn.Sequential(nn.Embedding(vocab_size, 8, padding_idx=pad_id), nn.Linear(8, 8), nn.GELU(), nn.LayerNorm(8))
lm_head = nn.Linear(8, vocab_size)
logits = lm_head(encoder(input_ids))
loss = F.cross_entropy(logits.view(-1, vocab_size), labels.view(-1), ignore_index=-100)
loss.backward()
print(f"masked {masked_indices.sum().item()} loss {loss.item():.4f}")
print("pad row has no grad:", bool((encoder[0].weight.grad[pad_id] == 0).all()))
