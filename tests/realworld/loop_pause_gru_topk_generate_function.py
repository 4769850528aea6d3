torch.manual_seed(0)
V, H = 100, 64
decoder = nn.GRU(32, H, batch_first=True)
embedding = nn.Embedding(V, 32)
lm_head = nn.Linear(H, V)

def top_k_sample(logits, k=10):
    values, indices = torch.topk(logits, k)
    probs = F.softmax(values, dim=-1)
    choice = torch.multinomial(probs, 1)
    return indices.gather(-1, choice)

@torch.no_grad()
def generate(prompt, max_new=1000):
    out, h = decoder(embedding(prompt))
    nxt = top_k_sample(lm_head(out[:, -1]))
    result = [nxt.item()]
    for _ in range(max_new - 1):
        out, h = decoder(embedding(nxt), h)
        nxt = top_k_sample(lm_head(out[:, -1]))
        result.append(nxt.item())
    return torch.tensor(result), h

prompt = torch.randint(0, V, (1, 5))
ids, hidden = generate(prompt)
print(ids[:15].tolist(), ids.shape)
print(hidden.shape, round(hidden.mean().item(), 5))
