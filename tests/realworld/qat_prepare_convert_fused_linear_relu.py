import torch.ao.quantization as tq


class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = tq.QuantStub()
        self.fc1 = nn.Linear(4, 8)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(8, 2)
        self.dequant = tq.DeQuantStub()

    def forward(self, x):
        x = self.quant(x)
        x = self.relu(self.fc1(x))
        return self.dequant(self.fc2(x))


torch.manual_seed(0)
model = M()
model.train()
model.qconfig = tq.get_default_qat_qconfig("fbgemm")
fused = tq.fuse_modules_qat(model, [["fc1", "relu"]])
qat = tq.prepare_qat(fused)
print(type(qat.fc1).__name__, type(qat.fc2).__name__)

x = torch.randn(16, 4)
y = torch.randint(0, 2, (16,))
opt = torch.optim.SGD(qat.parameters(), lr=0.1)
for epoch in range(3):
    out = qat(x)
    loss = F.cross_entropy(out, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"epoch {epoch} loss {loss.item():.4f}")
print(qat.fc2.weight_fake_quant.scale, qat.fc2.weight_fake_quant.zero_point)
qat.eval()
int8 = tq.convert(qat)
print(type(int8.fc2).__name__)
with torch.no_grad():
    print(int8(x[:2]).shape, (int8(x) - qat(x)).abs().max() < 0.5)
