torch.manual_seed(1)


class PatchEmbed(nn.Module):
    def __init__(self, img=8, patch=4, dim=6):
        super().__init__()
        self.proj = nn.Conv2d(1, dim, patch, patch)
        self.n = (img // patch) ** 2

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class ViT(nn.Module):
    def __init__(self, dim=6, classes=2):
        super().__init__()
        self.patch = PatchEmbed(dim=dim)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, dim))
        self.pos_embed = nn.Parameter(torch.randn(1, self.patch.n + 1, dim) * 0.02)
        layer = nn.TransformerEncoderLayer(dim, nhead=2, dim_feedforward=12, dropout=0.0, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.head = nn.Linear(dim, classes)

    def forward(self, x):
        x = self.patch(x)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat((cls, x), dim=1) + self.pos_embed
        x = self.encoder(x)
        return self.head(x[:, 0])


vit = ViT()
opt = torch.optim.AdamW(vit.parameters(), lr=1e-3, weight_decay=0.05)
imgs = torch.randn(3, 1, 8, 8)
y = torch.tensor([0, 1, 1])
logits = vit(imgs)
loss = F.cross_entropy(logits, y, label_smoothing=0.1)
loss.backward()
opt.step()
print(logits)
print(f"loss={loss:.5f}")
print(vit.cls_token.grad.flatten())
print(sum(p.numel() for p in vit.parameters() if p.requires_grad), "trainable params")
