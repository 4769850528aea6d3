@torch.no_grad()
def evaluate(model, data):
    return model(data).argmax(1)

torch.manual_seed(37)
model = nn.Linear(4, 3)
data = torch.randn(5, 4)
preds = evaluate(model, data)
with torch.autograd.detect_anomaly():
    out = model(data).log_softmax(1)
    nll = -out[torch.arange(5), preds].mean()
    nll.backward()
print(preds.tolist(), preds.requires_grad, model.weight.grad.abs().sum() > 0)
