# A word-level LM with an adaptive softmax head (Grave et al.), as in the fairseq-style examples
torch.manual_seed(0)

vocab, hidden = 20, 8
emb = nn.Embedding(vocab, hidden)
rnn = nn.GRU(hidden, hidden, batch_first=True)
head = nn.AdaptiveLogSoftmaxWithLoss(hidden, vocab, cutoffs=[4, 10], div_value=2.0)
params = list(emb.parameters()) + list(rnn.parameters()) + list(head.parameters())
opt = torch.optim.Adagrad(params, lr=0.1)

tokens = torch.randint(0, vocab, (3, 6))
inputs, targets = tokens[:, :-1], tokens[:, 1:]
for step in range(3):
    opt.zero_grad()
    h, _ = rnn(emb(inputs))
    out = head(h.reshape(-1, hidden), targets.reshape(-1))
    out.loss.backward()
    opt.step()
    print(f"step {step}: loss={out.loss.item():.4f} ppl={out.loss.exp().item():.2f}")

with torch.no_grad():
    logp = head.log_prob(h[0])
    pred = head.predict(h[0])
print(logp.shape, logp.exp().sum(dim=1))
print(pred)
print(out.output[:5])
