# 패딩 마스크가 있는 트랜스포머 인코더: 학습 후 eval/no_grad 추론 (torch의 fast path)
torch.manual_seed(86)
PAD = 0


class Classifier(nn.Module):
    def __init__(self, vocab=10, d=8, n_classes=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        layer = nn.TransformerEncoderLayer(d, nhead=2, dim_feedforward=16, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(d, n_classes)

    def forward(self, tokens):
        pad_mask = tokens == PAD
        h = self.encoder(self.emb(tokens), src_key_padding_mask=pad_mask)
        keep = (~pad_mask).unsqueeze(-1).float()
        pooled = (h * keep).sum(1) / keep.sum(1)
        return self.head(pooled), h


tokens = torch.tensor([[3, 4, 5, 0], [6, 7, 0, 0], [1, 2, 3, 4]])
labels = torch.tensor([0, 1, 0])
model = Classifier()
opt = torch.optim.Adam(model.parameters(), lr=1e-2)
for step in range(2):
    logits, _ = model(tokens)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"step {step}: {loss.item():.4f}")
model.eval()
with torch.no_grad():
    eval_logits, hidden = model(tokens)
print(hidden[1])
print(eval_logits.softmax(-1))
attn = nn.MultiheadAttention(8, 2, batch_first=True).eval()
with torch.inference_mode():
    x = model.emb(tokens)
    attn_out, attn_w = attn(x, x, x, key_padding_mask=tokens == PAD)
print(attn_out[1, 2:])
print(attn_w[1])
