# Top-k / top-p (nucleus) filtering on a tiny GRU language model's logits, then sampling with torch.multinomial
import torch
import torch.nn as nn
import torch.nn.functional as F


def top_k_top_p_filtering(logits, top_k=0, top_p=1.0, filter_value=-float("inf")):
    if top_k > 0:
        indices_to_remove = logits < torch.topk(logits, top_k)[0][..., -1, None]
        logits[indices_to_remove] = filter_value
    if top_p < 1.0:
        sorted_logits, sorted_indices = torch.sort(logits, descending=True)
        cumulative_probs = torch.cumsum(F.softmax(sorted_logits, dim=-1), dim=-1)
        sorted_indices_to_remove = cumulative_probs > top_p
        sorted_indices_to_remove[..., 1:] = sorted_indices_to_remove[..., :-1].clone()
        sorted_indices_to_remove[..., 0] = 0
        indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
        logits[indices_to_remove] = filter_value
    return logits


torch.manual_seed(38)
vocab = 7
emb = nn.Embedding(vocab, 5)
gru = nn.GRU(5, 8, batch_first=True)
head = nn.Linear(8, vocab)
tokens = torch.tensor([[1, 3]])
generated = tokens
h = None
with torch.no_grad():
    for _ in range(6):
        out, h = gru(emb(generated[:, -1:]), h)
        logits = head(out[:, -1, :]) / 0.8
        filtered = top_k_top_p_filtering(logits.clone(), top_k=5, top_p=0.9)
        probs = F.softmax(filtered, dim=-1)
        next_token = torch.multinomial(probs, num_samples=1)
        generated = torch.cat([generated, next_token], dim=1)
print(generated.tolist(), probs)
